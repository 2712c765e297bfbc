/** `deno task encoding list | inspect | check`, run as the CLI in a subprocess. */
import assert from "node:assert/strict";
import { loadEncoding } from "@e2llm/encodings";

const root = new URL("../../", import.meta.url).pathname;

async function cli(...args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${root}cli/main.ts`, "encoding", ...args],
    cwd: root,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test("encoding list names every built-in with an example config", async () => {
  const r = await cli("list", "--json");
  assert.equal(r.code, 0, r.stderr);
  const rows = JSON.parse(r.stdout) as { name: string; example: { rope_type: string } }[];
  assert.deepEqual(rows.map((x) => x.name), [
    "default",
    "linear",
    "ntk",
    "dynamic",
    "yarn",
    "e2",
    "pose",
    "randomized",
  ]);
  for (const row of rows) assert.equal(row.example.rope_type, row.name);
});

Deno.test("encoding inspect --json prints invFreq, attentionScale and sample ids", async () => {
  const r = await cli(
    "inspect",
    "--config",
    '{"rope_type":"yarn","factor":8}',
    "--head-dim",
    "64",
    "--base",
    "10000",
    "--train-length",
    "128",
    "--seq-length",
    "1024",
    "--json",
  );
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  const enc = await loadEncoding("yarn", { factor: 8 });
  const f = await enc.frequencies({ headDim: 64, base: 10000, trainLength: 128, seqLength: 1024 });
  assert.deepEqual(out.invFreq, [...f.invFreq]);
  assert.equal(out.attentionScale, f.attentionScale);
  assert.equal(out.trainPositions.length, 128);
  assert.equal(out.evalPositions.length, 1024);
  assert.deepEqual(out.config, { rope_type: "yarn", factor: 8, beta_fast: 32, beta_slow: 1 });
});

Deno.test("encoding inspect: unknown flag, bad config and bad numbers exit non-zero naming them", async () => {
  let r = await cli("inspect", "--frobnicate");
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /--frobnicate/);
  r = await cli("inspect", "--config", '{"rope_type":"yarn","factor":4,"betafast":2}');
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /encoding "yarn": unknown key "betafast"/);
  r = await cli("inspect", "--head-dim", "sixty");
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /--head-dim.*positive integer/);
  r = await cli("inspect", "--config", "{not json");
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /--config.*not valid JSON/);
});

Deno.test("encoding check: the template is conformant, a malformed plugin is not", async () => {
  let r = await cli("check", "encodings/template.ts", "--config", '{"factor":2}');
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /conformant/);
  r = await cli(
    "check",
    "tests/fixtures/encodings/malformed_plugin.ts",
    "--config",
    '{"flaw":"short"}',
  );
  assert.notEqual(r.code, 0);
  assert.match(r.stdout, /FAIL.*invFreq has 31 entries, expected 32/);
  assert.match(r.stderr, /failed the conformance check/);
});
