import assert from "node:assert/strict";

/** Run the CLI in a subprocess; returns exit code and both streams. */
export async function runCli(...args: string[]) {
  const cmd = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("../../cli/main.ts", import.meta.url).pathname, ...args],
    stdout: "piped",
    stderr: "piped",
  });
  const out = await cmd.output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test("--help lists the commands", async () => {
  const r = await runCli("--help");
  assert.equal(r.code, 0);
  assert.match(r.stdout, /doctor/);
});

Deno.test("doctor --help describes --json", async () => {
  const r = await runCli("doctor", "--help");
  assert.equal(r.code, 0);
  assert.match(r.stdout, /--json/);
});

Deno.test("an unknown flag exits non-zero and names the flag", async () => {
  const r = await runCli("doctor", "--frobnicate");
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /--frobnicate/);
});

Deno.test("an unknown command exits non-zero and names it", async () => {
  const r = await runCli("frobnicate");
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /frobnicate/);
});

Deno.test("doctor --json prints the adapter as JSON", async () => {
  const r = await runCli("doctor", "--json");
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(typeof report.description, "string");
  assert.equal(typeof report.limits.maxStorageBufferBindingSize, "number");
});
