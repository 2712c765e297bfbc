/**
 * A GPU command started without XDG_RUNTIME_DIR prints no Wayland "XDG_RUNTIME_DIR is invalid"
 * lines (kernels/runtime_dir.ts sets a default before the adapter is requested), and a value the
 * user set is kept.
 */
import assert from "node:assert/strict";

const script = `
import { requestAdapter } from "@e2llm/kernels";
await requestAdapter();
console.log("XDG=" + Deno.env.get("XDG_RUNTIME_DIR"));
`;

async function runWithout(
  xdg: string | undefined,
): Promise<{ code: number; err: string; out: string }> {
  const env = Deno.env.toObject();
  delete env.XDG_RUNTIME_DIR;
  if (xdg !== undefined) env.XDG_RUNTIME_DIR = xdg;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--ext=ts", script],
    cwd: new URL("../../", import.meta.url),
    clearEnv: true,
    env: { ...env, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, out: dec.decode(out.stdout), err: dec.decode(out.stderr) };
}

Deno.test("no XDG_RUNTIME_DIR: the adapter request prints nothing about it", async () => {
  const { code, out, err } = await runWithout(undefined);
  assert.equal(code, 0, err);
  assert.doesNotMatch(err, /XDG_RUNTIME_DIR/);
  assert.match(out, /^XDG=\//m);
});

Deno.test("a user-set XDG_RUNTIME_DIR is kept", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const { code, out, err } = await runWithout(dir);
    assert.equal(code, 0, err);
    assert.match(out, new RegExp(`^XDG=${dir}$`, "m"));
  } finally {
    await Deno.remove(dir);
  }
});
