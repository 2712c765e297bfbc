/**
 * `train --config` and `train --resume` name what was expected when the file or folder is wrong,
 * instead of the raw OS error (`readfile '<dir>/config.json'`).
 */
import assert from "node:assert/strict";
import { runCli } from "./helpers.ts";

/** One line on stderr, naming the flag and path, with no raw OS error text. */
function assertClear(stderr: string, pattern: RegExp) {
  assert.match(stderr, pattern);
  assert.doesNotMatch(stderr, /os error|readfile|stat '|Uncaught/i);
  assert.equal(stderr.trim().split("\n").length, 1, stderr);
}

Deno.test("train --config missing.json: says the file is missing and what it should hold", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const r = await runCli("train", "--config", `${dir}/missing.json`);
    assert.notEqual(r.code, 0);
    assertClear(
      r.stderr,
      /--config .*missing\.json: no such file \(expected a JSON training config/,
    );
    await Deno.writeTextFile(`${dir}/bad.json`, "{ steps: 3 }");
    const bad = await runCli("train", "--config", `${dir}/bad.json`);
    assert.notEqual(bad.code, 0);
    assertClear(bad.stderr, /--config .*bad\.json: not valid JSON/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("train --resume <not a run>: says a run folder was expected", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const empty = await runCli("train", "--resume", dir);
    assert.notEqual(empty.code, 0);
    assertClear(
      empty.stderr,
      /--resume .*: not a run folder, it has no config\.json \(expected a run folder written by/,
    );
    const missing = await runCli("train", "--resume", `${dir}/nope`);
    assert.notEqual(missing.code, 0);
    assertClear(missing.stderr, /--resume .*nope: no such folder/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
