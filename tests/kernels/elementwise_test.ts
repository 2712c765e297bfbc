import assert from "node:assert/strict";
import {
  add,
  copy,
  fill,
  getGpu,
  readF32,
  readU32,
  Recorder,
  scale,
  type Tensor,
  upload,
} from "@e2llm/kernels";
import { grid, PER_INVOCATION, WG } from "../../kernels/ops/grid.ts";
import { addRef, fillRef, scaleRef } from "@e2llm/kernels/testing";
import { Rng } from "@e2llm/encodings";
import { assertClose, randn, withStaging } from "./helpers.ts";

const { device } = await getGpu();

Deno.test("fill sets a whole buffer, or an unaligned or aligned range, to a value", async () => {
  const rng = new Rng(1);
  const a = randn(rng, 1001);
  const t = upload(device, a);
  const rec = new Recorder(device);
  fill(rec, t, 2.5, { offset: 17, length: 500 }); // scalar stores
  fill(rec, t, -1, { offset: 600, length: 200 }); // vec4 stores
  rec.submit();
  const want = fillRef(fillRef(Float64Array.from(a), 2.5, 17, 500), -1, 600, 200);
  assert.deepEqual(await readF32(device, t), Float32Array.from(want));
  fill(rec, t);
  rec.submit();
  assert.ok((await readF32(device, t)).every((x) => Object.is(x, 0)));
});

Deno.test("fill and copy move raw words: u32 token ids survive exactly", async () => {
  const ids = Uint32Array.from([0, 1, 5, 255, 0x7fffff, 0xffffffff, 0x7fc00001, 12345, 3]);
  const src = upload(device, ids), dst = upload(device, new Uint32Array(ids.length));
  // Storage-only buffers cannot take a copy command: copy falls back to a kernel.
  const plain = (n: number) =>
    device.createBuffer({ size: n * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
  const kernelDst: Tensor = { buffer: plain(ids.length), shape: [ids.length], dtype: "u32" };
  const rec = new Recorder(device);
  copy(rec, src, dst);
  copy(rec, src, kernelDst);
  rec.submit();
  assert.deepEqual(await readU32(device, dst), ids);
  assert.deepEqual(await readU32(device, kernelDst), ids);
  fill(rec, dst, 7, { offset: 2, length: 3 });
  fill(rec, dst, 9, { offset: 4, length: 4 });
  rec.submit();
  assert.deepEqual([...await readU32(device, dst)], [0, 1, 7, 7, 9, 9, 9, 9, 3]);
});

for (const [n, textures] of [[777, true], [776, true], [776, false]] as const) {
  Deno.test(`add (with alpha) and scale, n=${n}${textures ? "" : " (storage buffers)"}`, async () => {
    const rng = new Rng(2);
    const a = randn(rng, n), b = randn(rng, n);
    const ta = upload(device, a), tb = upload(device, b);
    const staged = withStaging(device, textures, (rec) => {
      add(rec, ta, tb, -0.75);
      scale(rec, ta, 3);
    });
    assert.equal(staged > 0, textures && n % 4 === 0, "texture path taken iff aligned");
    const want = scaleRef(addRef(Float64Array.from(a), Float64Array.from(b), -0.75), 3);
    assertClose(await readF32(device, ta), want, { rtol: 1e-6, atol: 1e-6, label: "add+scale" });
  });
}

/** The real device, except that it reports `maxComputeWorkgroupsPerDimension` = `limit`. */
function withWorkgroupLimit(limit: number): GPUDevice {
  const limits = new Proxy(device.limits, {
    get: (t, k) => k === "maxComputeWorkgroupsPerDimension" ? limit : Reflect.get(t, k),
  });
  return new Proxy(device, {
    get: (t, k) => {
      if (k === "limits") return limits;
      const v = Reflect.get(t, k);
      return typeof v === "function" ? v.bind(t) : v;
    },
  });
}

Deno.test("workgroup counts over the per-dimension limit are split over two grid dimensions", async () => {
  // With a limit of 4 workgroups per dimension, 10 workgroups' worth runs as a 4 × 3 grid.
  const perGroup = WG * PER_INVOCATION, n = 9 * perGroup + 77, pad = 300;
  const t = upload(device, new Float32Array(n + pad), [n + pad]);
  const rec = new Recorder(withWorkgroupLimit(4));
  fill(rec, t, 1.5, { offset: 0, length: n });
  scale(rec, { ...t, shape: [n] }, 2);
  rec.submit();
  const got = await readF32(device, t);
  assert.equal(got.subarray(0, n).filter((x) => x === 3).length, n, "every element in range");
  assert.ok(got.subarray(n).every((x) => x === 0), "nothing past the range");
  assert.deepEqual(grid(rec, 10), [4, 3]);
  assert.throws(() => grid(rec, 17), /17 workgroups exceed the 2-D limit 4²/);
});

Deno.test("bad shapes and oversized bindings are RangeErrors naming op and shapes", () => {
  const rec = new Recorder(device);
  const a = upload(device, new Float32Array(10)), b = upload(device, new Float32Array(11), [11]);
  assert.throws(
    () => add(rec, a, b),
    (e: Error) => e instanceof RangeError && /add/.test(e.message) && /\[11\]/.test(e.message),
  );
  assert.throws(() => copy(rec, a, b), /copy: sizes differ/);
  assert.throws(() => fill(rec, a, 0, { offset: 5, length: 6 }), /fill: range \[5, 11\)/);
  const huge: Tensor = { buffer: a.buffer, shape: [1 << 26], dtype: "f32" };
  assert.throws(
    () => scale(rec, huge, 2),
    /scale: a binds \d+ bytes, over maxStorageBufferBindingSize/,
  );
  assert.throws(() => add(rec, a, { ...a, dtype: "u32" }), /add: b must be f32/);
  assert.throws(() => add(rec, a, a), /add: a is written and shares its buffer with b/);
  assert.equal(rec.dispatchCount, 0, "nothing was dispatched");
});
