import assert from "node:assert/strict";
import { runCli } from "./helpers.ts";

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
