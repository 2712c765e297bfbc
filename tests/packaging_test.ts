/**
 * The workspace publishes as JSR packages: `deno publish --dry-run` passes without
 * `--allow-slow-types` (members import each other by package name, explicit types on the public
 * API, a licence), and no member reaches into another by a relative path (tools/package_imports.ts).
 */
import assert from "node:assert/strict";
import { run as packageImports } from "../tools/package_imports.ts";

const root = new URL("../", import.meta.url);

async function deno(...args: string[]): Promise<{ code: number; output: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: root,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  return { code: out.code, output: text };
}

Deno.test("deno publish --dry-run passes without --allow-slow-types", async () => {
  const { code, output } = await deno("publish", "--dry-run", "--allow-dirty");
  assert.equal(code, 0, output.split("\n").filter((l) => !l.startsWith("Check ")).join("\n"));
  assert.match(output, /Dry run complete/);
  for (const name of ["encodings", "kernels", "train", "eval"]) {
    assert.match(output, new RegExp(`@e2llm/${name}@`), `${name} is published`);
  }
});

Deno.test("no workspace member imports another by a relative path (codemod --check)", () => {
  assert.deepEqual(packageImports(false), []);
});

Deno.test("every member states the licence of the LICENSE file; no `export *` in a mod.ts", async () => {
  const licence = await Deno.readTextFile(new URL("LICENSE", root));
  assert.match(licence, /^MIT License/);
  for (const name of ["encodings", "kernels", "train", "eval"]) {
    const json = JSON.parse(await Deno.readTextFile(new URL(`${name}/deno.json`, root)));
    assert.equal(json.license, "MIT", `${name}/deno.json license`);
    const mod = await Deno.readTextFile(new URL(`${name}/mod.ts`, root));
    assert.doesNotMatch(mod, /export \*/, `${name}/mod.ts lists its exports`);
  }
});

Deno.test("test hooks live under ./testing, not in the public entry", async () => {
  const kernels = await import("@e2llm/kernels");
  const kernelsTesting = await import("@e2llm/kernels/testing");
  const train = await import("@e2llm/train");
  const trainTesting = await import("@e2llm/train/testing");
  for (const hook of ["setTextureStaging", "forgetTileCaches"]) {
    assert.equal(hook in kernels, false, `${hook} is not in @e2llm/kernels`);
    assert.equal(typeof (kernelsTesting as Record<string, unknown>)[hook], "function");
  }
  assert.equal("referenceModel" in train, false);
  assert.equal(typeof trainTesting.referenceModel, "function");
  // The ops are part of the kernels' public API.
  assert.equal(typeof kernels.matmul, "function");
  assert.equal(typeof kernels.attention, "function");
});
