/**
 * Golden WGSL: every op's fixed specs (kernels/ops/wgsl_catalog.ts) generate exactly the files
 * under tests/kernels/golden/<op>/<spec>.wgsl. A refactor that changes a shader fails here and
 * shows the diff; to accept a deliberate change, rewrite them with
 * `deno task wgsl --update-golden` (or `E2LLM_UPDATE_GOLDEN=1 deno test -A <this file>`) and
 * commit the diff with the reason.
 */
import assert from "node:assert/strict";
import { GOLDEN_DIR, goldenFiles, main, writeGoldens } from "../../cli/wgsl.ts";
import { opShaders, parseSpec, WGSL_OPS } from "../../kernels/ops/wgsl_catalog.ts";

function listGoldens(dir: string, prefix = ""): string[] {
  const out: string[] = [];
  for (const e of Deno.readDirSync(dir)) {
    const rel = prefix + e.name;
    if (e.isDirectory) out.push(...listGoldens(`${dir}/${e.name}`, `${rel}/`));
    else out.push(rel);
  }
  return out.sort();
}

/** The first line where two texts differ, as "line N: expected … / actual …". */
function firstDiff(expected: string, actual: string): string {
  const a = expected.split("\n"), b = actual.split("\n");
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `line ${i + 1}:\n  golden:    ${a[i]}\n  generated: ${b[i]}`;
  }
  return "(identical lines)";
}

Deno.test("generated WGSL matches the golden files byte for byte", () => {
  if (Deno.env.get("E2LLM_UPDATE_GOLDEN") === "1") writeGoldens();
  const files = goldenFiles();
  assert.deepEqual(listGoldens(GOLDEN_DIR), [...files.keys()].sort(), "golden file set");
  const changed: string[] = [];
  for (const [path, code] of files) {
    const golden = Deno.readTextFileSync(`${GOLDEN_DIR}/${path}`);
    if (golden !== code) changed.push(`${path}: ${firstDiff(golden, code)}`);
  }
  assert.deepEqual(
    changed,
    [],
    "generated WGSL differs from tests/kernels/golden/ (deno task wgsl --update-golden to accept)",
  );
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

Deno.test("a changed shader is caught: the comparison sees a one-character edit", () => {
  const [path, code] = goldenFiles().entries().next().value!;
  const edited = code.replace("p.", "q.");
  assert.notEqual(edited, code);
  assert.notEqual(Deno.readTextFileSync(`${GOLDEN_DIR}/${path}`), edited);
  assert.match(firstDiff(code, edited), /^line \d+:/);
});

Deno.test("custom specs: key=value over the defaults, with errors naming the key", () => {
  const [[, nt]] = opShaders("matmul", ["trans=NT,tm=8,tn=8,wg=64,subgroup=0,sgRows=1"]);
  assert.match(nt, /fn main\(/);
  assert.deepEqual(parseSpec("tm=8,scaled=true", { tm: 16, scaled: false, trans: "NN" }), {
    tm: 8,
    scaled: true,
    trans: "NN",
  });
  assert.throws(() => parseSpec("tx=8", { tm: 16 }), /spec "tx=8": expected key=value.*tm/);
  assert.throws(() => parseSpec("tm=big", { tm: 16 }), /spec tm: "big" is not a number/);
  assert.throws(() => opShaders("matmul", ["nope"]), /matmul: unknown spec "nope"/);
  assert.throws(() => opShaders("conv", []), /unknown op "conv"; ops: adamw/);
  const [[, fwd]] = opShaders("attention", ["kernel=dq,hd=16,rows=2,block=1"]);
  assert.match(fwd, /@workgroup_size\(8\)/);
});

Deno.test("deno task wgsl prints the shaders it is asked for", () => {
  const lines: string[] = [];
  assert.equal(main(["swiglu", "forward4"], (s) => lines.push(s)), 0);
  assert.equal(lines.length, 1);
  assert.ok(lines[0].startsWith("// ---- swiglu forward4 ----\n"));
  assert.ok(lines[0].endsWith(opShaders("swiglu", ["forward4"])[0][1]));
  assert.equal(main(["swiglu", "nope"], () => {}), 1);
});
