/** Helpers for end-to-end CLI tests. */
/** Run the CLI in a subprocess; returns exit code and both streams. */
export async function runCli(...args: string[]) {
  const cmd = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("../../cli/main.ts", import.meta.url).pathname, ...args],
    // Tile tuning is tested on its own; end-to-end runs use the default tiles.
    env: { E2LLM_AUTOTUNE: "0" },
    stdout: "piped",
    stderr: "piped",
  });
  const out = await cmd.output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}
