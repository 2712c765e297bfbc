/**
 * Uniforms declared once (kernels/uniforms.ts): the generated struct text, the packer's offsets,
 * and — on the device — that every kernel's packer writes each field where the compiled WGSL
 * struct reads it, checked by a probe shader that copies each field back; a deliberately
 * mismatched packer is caught by the same probe.
 */
import assert from "node:assert/strict";
import {
  f32Bits,
  getGpu,
  packParams,
  readU32,
  Recorder,
  type UniformFields,
  type Uniforms,
  uniforms,
  upload,
} from "@e2llm/kernels";
import "../../kernels/ops/mod.ts";
import { opShaders, WGSL_OPS } from "../../kernels/ops/wgsl_catalog.ts";
import { declaredUniforms } from "@e2llm/kernels/testing";

/** Distinct test values per field: u32 0x1000 + 17i, f32 1.5 + i, i32 −(i + 1). */
function probeValues(u: Uniforms<UniformFields>): Record<string, number> {
  return Object.fromEntries(
    u.names.map((name, i) => {
      const type = u.fields[name];
      return [name, type === "f32" ? 1.5 + i : type === "i32" ? -(i + 1) : 0x1000 + 17 * i];
    }),
  );
}

/** The 32 bits WGSL should read for `value` of `type`. */
function bitsOf(type: string, value: number): number {
  return type === "f32" ? f32Bits(value) : value >>> 0;
}

/**
 * Run a probe shader declaring `u`'s struct that copies each field's bits to a buffer, with the
 * uniform buffer written by `pack`; returns the fields whose bits differ from the expected ones.
 */
async function probeMismatches<F extends UniformFields>(
  device: GPUDevice,
  declared: Uniforms<F>,
  pack?: (values: Record<string, number>) => ArrayBuffer,
): Promise<string[]> {
  const u = declared as unknown as Uniforms<UniformFields>;
  pack ??= (v) => u.pack(v);
  const reads = u.names.map((name, i) => `  out[${i}] = bitcast<u32>(p.${name});`).join("\n");
  const code = `${u.wgsl()}
@group(0) @binding(1) var<storage, read_write> out: array<u32>;
@compute @workgroup_size(1)
fn main() {
${reads}
}`;
  const out = upload(device, new Uint32Array(u.names.length));
  const values = probeValues(u);
  const rec = new Recorder(device);
  rec.dispatch(code, pack(values), [out.buffer], [1], `probe ${u.label}`);
  rec.submit();
  const got = await readU32(device, out);
  out.buffer.destroy();
  const bad: string[] = [];
  u.names.forEach((name, i) => {
    const want = bitsOf(u.fields[name], values[name]);
    if (got[i] !== want) bad.push(`${u.label}.${name}: read ${got[i]}, packed ${want}`);
  });
  return bad;
}

const kernelUniforms = () => declaredUniforms().filter((u) => !u.label.startsWith("test."));

Deno.test("uniforms: struct text, offsets, packed words and sizes", () => {
  const u = uniforms("test.basic", { n: "u32", s: "f32", k: "i32", logH: "u32", extra: "u32" });
  assert.equal(
    u.wgsl(),
    "struct P { n: u32, s: f32, k: i32, logH: u32, extra: u32 }\n" +
      "@group(0) @binding(0) var<uniform> p: P;",
  );
  assert.equal(
    uniforms("test.block", { a: "u32", b: "f32" }, "Params").wgsl("block"),
    "struct Params {\n  a: u32,\n  b: f32,\n}\n@group(0) @binding(0) var<uniform> p: Params;",
  );
  assert.deepEqual(u.names.map((n) => u.offsetOf(n)), [0, 4, 8, 12, 16]);
  assert.equal(u.byteLength, 32);
  assert.equal(uniforms("test.one", { n: "u32" }).byteLength, 16);
  const buf = u.pack({ n: 7, s: 0.25, k: -3, logH: 5, extra: 2 ** 32 + 1 });
  const view = new DataView(buf);
  assert.equal(view.getUint32(0, true), 7);
  assert.equal(view.getFloat32(4, true), 0.25);
  assert.equal(view.getInt32(8, true), -3);
  assert.equal(view.getUint32(12, true), 5);
  assert.equal(view.getUint32(16, true), 1, "u32 wraps like the old packParams (>>> 0)");
  assert.throws(
    () => u.pack({ n: 1, s: 1, k: 1, logH: 1 } as never),
    /uniforms test.basic: no value for extra/,
  );
  assert.throws(() => uniforms("test.bad", { "a-b": "u32" }), /"a-b" is not a WGSL identifier/);
  assert.throws(() => uniforms("test.vec", { a: "vec4f" as "u32" }), /unsupported type vec4f/);
  assert.equal(f32Bits(1), 0x3f800000);
});

Deno.test("every kernel's uniform struct comes from a declaration, and every declaration is used", () => {
  const declared = kernelUniforms();
  assert.ok(declared.length >= 25, `only ${declared.length} declarations`);
  const texts = declared.map((u) => [u.wgsl(), u.wgsl("block")]);
  const used = new Set<number>();
  for (const op of Object.keys(WGSL_OPS)) {
    for (const [spec, code] of opShaders(op)) {
      const matches = texts.flatMap((forms, i) => forms.some((t) => code.includes(t)) ? [i] : []);
      assert.ok(matches.length > 0, `${op} ${spec}: its uniform struct is not a declared one`);
      for (const i of matches) used.add(i);
      // No second, hand-written uniform binding.
      assert.equal(code.match(/var<uniform>/g)?.length, 1, `${op} ${spec}: one uniform`);
    }
  }
  const unused = declared.filter((_, i) => !used.has(i)).map((u) => u.label);
  assert.deepEqual(unused, [], "declarations no catalog shader uses");
});

Deno.test("every kernel's packer writes the bytes the positional packParams wrote", () => {
  for (const u of kernelUniforms()) {
    const values = probeValues(u);
    const floats = u.names.flatMap((name, i) => u.fields[name] === "f32" ? [i] : []);
    const legacy = packParams(u.names.map((name) => values[name]), floats);
    assert.deepEqual(new Uint8Array(u.pack(values)), new Uint8Array(legacy), u.label);
  }
});

Deno.test("every kernel's packer writes each field where its compiled WGSL struct reads it", async () => {
  const { device } = await getGpu();
  const bad: string[] = [];
  for (const u of kernelUniforms()) bad.push(...await probeMismatches(device, u));
  assert.deepEqual(bad, []);
});

Deno.test("a packer that disagrees with the struct is caught by the probe", async () => {
  const { device } = await getGpu();
  const u = uniforms("test.order", { a: "u32", b: "f32", c: "u32" });
  assert.deepEqual(await probeMismatches(device, u), []);
  // The packer of a struct declared in another order (b before a): a and b land swapped.
  const other = uniforms("test.reordered", { b: "f32", a: "u32", c: "u32" });
  const swapped = await probeMismatches(device, u, (v) => other.pack(v as never));
  assert.deepEqual(swapped.map((s) => s.split(":")[0]), ["test.order.a", "test.order.b"]);
  // The packer of a struct with b as u32: the float 2.5 is packed as the integer 2.
  const retyped = uniforms("test.retyped", { a: "u32", b: "u32", c: "u32" });
  const typed = await probeMismatches(device, u, (v) => retyped.pack(v as never));
  assert.deepEqual(typed.map((s) => s.split(":")[0]), ["test.order.b"]);
});
