/**
 * Golden WGSL: every op's fixed specs (kernels/ops/wgsl_catalog.ts) generate exactly the files
 * under tests/kernels/golden/<op>/<spec>.wgsl. A refactor that changes a shader fails here and
 * shows the first differing line; to accept a deliberate change, rewrite them with
 * `deno task wgsl --update-golden` (or `E2LLM_UPDATE_GOLDEN=1 deno test -A <this file>`) and
 * commit the diff with the reason.
 */
import assert from "node:assert/strict";
import { compareGoldens, GOLDEN_DIR, goldenFiles, main, writeGoldens } from "../../cli/wgsl.ts";
import { opShaders, parseSpec, WGSL_OPS } from "../../kernels/ops/wgsl_catalog.ts";

Deno.test("generated WGSL matches the golden files byte for byte", () => {
  if (Deno.env.get("E2LLM_UPDATE_GOLDEN") === "1") writeGoldens();
  assert.deepEqual(
    compareGoldens(GOLDEN_DIR),
    [],
    "generated WGSL differs from tests/kernels/golden/ (deno task wgsl --update-golden to accept)",
  );
});

Deno.test("the golden comparison catches an edited, a missing and a stale file", () => {
  const dir = Deno.makeTempDirSync({ prefix: "e2llm-golden-" });
  try {
    const n = writeGoldens(dir);
    assert.equal(n, goldenFiles().size);
    assert.deepEqual(compareGoldens(dir), []);
    const path = `${dir}/swiglu/forward4.wgsl`;
    const code = Deno.readTextFileSync(path);
    Deno.writeTextFileSync(path, code.replace("p.f4", "p.quads"));
    Deno.removeSync(`${dir}/rope/backward.wgsl`);
    Deno.writeTextFileSync(`${dir}/rope/old.wgsl`, "");
    const problems = compareGoldens(dir);
    assert.equal(problems.length, 3, problems.join("\n"));
    assert.match(problems[0], /^rope\/backward.wgsl: missing/);
    assert.match(
      problems[1],
      /^swiglu\/forward4.wgsl: differs at line \d+:\n {2}golden: .*p\.quads/,
    );
    assert.match(problems[2], /^rope\/old.wgsl: no longer generated/);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("every op has specs, distinct shaders per spec, one main entry point each", () => {
  for (const op of Object.keys(WGSL_OPS)) {
    const shaders = opShaders(op);
    assert.ok(shaders.length > 0, op);
    const distinct = new Set(shaders.map(([, code]) => code));
    assert.equal(distinct.size, shaders.length, `${op}: two specs give the same WGSL`);
    for (const [spec, code] of shaders) {
      assert.equal(code.match(/\bfn main\(/g)?.length, 1, `${op} ${spec}: one fn main`);
    }
  }
});

Deno.test("custom specs: key=value over the defaults, with errors naming the key", () => {
  const custom = "trans=NT,tm=8,tn=8,wg=64,subgroup=0,sgRows=1,panelA=false,panelB=false";
  const [[, nt]] = opShaders("matmul", [custom]);
  assert.equal(nt, goldenFiles().get("matmul/NT-texture-8x8-wg64-flat.wgsl"), "= the fixed spec");
  assert.deepEqual(parseSpec("tm=8,scaled=true", { tm: 16, scaled: false, trans: "NN" }), {
    tm: 8,
    scaled: true,
    trans: "NN",
  });
  assert.throws(() => parseSpec("tx=8", { tm: 16 }), /spec "tx=8": expected key=value.*tm/);
  assert.throws(() => parseSpec("tm=big", { tm: 16 }), /spec tm: "big" is not a number/);
  assert.throws(() => opShaders("matmul", ["nope"]), /matmul: unknown spec "nope"/);
  assert.throws(() => opShaders("conv", []), /unknown op "conv"; ops: adamw/);
  const [[, dq]] = opShaders("attention", ["kernel=dq,hd=16,rows=2,block=1"]);
  assert.match(dq, /@workgroup_size\(8\)/);
});

Deno.test("deno task wgsl prints the shaders it is asked for", () => {
  const lines: string[] = [];
  assert.equal(main(["swiglu", "forward4"], (s) => lines.push(s)), 0);
  assert.equal(lines.length, 1);
  assert.ok(lines[0].startsWith("// ---- swiglu forward4 ----\n"));
  assert.ok(lines[0].endsWith(opShaders("swiglu", ["forward4"])[0][1]));
  assert.equal(main(["swiglu", "nope"], () => {}), 1);
});
