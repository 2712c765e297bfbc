import assert from "node:assert/strict";
import {
  getGpu,
  readF32,
  Recorder,
  swiglu,
  swigluBackward,
  type Tensor,
  upload,
} from "@e2llm/kernels";
import { swigluBackwardRef, swigluRef } from "@e2llm/kernels/testing";
import { Rng } from "@e2llm/encodings";
import { assertClose, finiteDiff, randn, withStaging } from "./helpers.ts";

const { device } = await getGpu();

/** Odd F takes the scalar path; F % 4 = 0 with texture staging takes the vec4 texture path. */
const CASES = [
  { n: 13, f: 29, textures: true },
  { n: 13, f: 32, textures: true },
  { n: 13, f: 32, textures: false },
];

function inputs(seed: number, n: number, f: number) {
  const rng = new Rng(seed);
  const gu = randn(rng, n * 2 * f, 3);
  gu[0] = 80; // saturated gate: silu ≈ gate
  gu[1] = -80; // saturated gate: silu ≈ 0, no NaN from exp overflow
  return { rng, gu, dm: randn(rng, n * f) };
}

function run(gu: Float32Array, dm: Float32Array, n: number, f: number, textures: boolean) {
  const tgu = upload(device, gu, [n, 2 * f]);
  const m = upload(device, new Float32Array(n * f), [n, f]);
  const dgu = upload(device, new Float32Array(n * 2 * f), [n, 2 * f]);
  const staged = withStaging(device, textures, (rec) => {
    swiglu(rec, tgu, m);
    swigluBackward(rec, tgu, upload(device, dm, [n, f]), dgu);
  });
  assert.equal(staged > 0, textures && f % 4 === 0, "texture path taken iff aligned");
  return { m, dgu };
}

const bits = async (t: Tensor) => [...new Uint32Array((await readF32(device, t)).buffer)];

for (const { n, f, textures } of CASES) {
  const label = `N=${n} F=${f}${textures ? "" : " (storage buffers)"}`;
  Deno.test(`swiglu ${label}: forward and backward match the reference and finite differences`, async () => {
    const { rng, gu, dm } = inputs(30, n, f);
    const { m, dgu } = run(gu, dm, n, f, textures);
    const gu64 = Float64Array.from(gu), dm64 = Float64Array.from(dm);
    assertClose(await readF32(device, m), swigluRef(gu64, n, f), {
      rtol: 1e-5,
      atol: 1e-6,
      label: "m",
    });
    const got = await readF32(device, dgu);
    assertClose(got, swigluBackwardRef(gu64, dm64, n, f), { rtol: 1e-5, atol: 1e-6, label: "dgu" });
    const loss = (g: Float64Array) => swigluRef(g, n, f).reduce((s, v, i) => s + v * dm64[i], 0);
    const fd = finiteDiff(loss, Float64Array.from(gu64), { n: 60, rng });
    assertClose(fd.index.map((i) => got[i]), fd.grad, { rtol: 1e-4, atol: 1e-5, label: "fd dgu" });
  });

  Deno.test(`swiglu ${label}: bitwise deterministic`, async () => {
    const { gu, dm } = inputs(31, n, f);
    const a = run(gu, dm, n, f, textures), b = run(gu, dm, n, f, textures);
    assert.deepEqual(await bits(a.m), await bits(b.m));
    assert.deepEqual(await bits(a.dgu), await bits(b.dgu));
  });
}

Deno.test("swiglu validates shapes before dispatching", () => {
  const rec = new Recorder(device);
  const gu = upload(device, new Float32Array(3 * 7), [3, 7]);
  assert.throws(
    () => swiglu(rec, gu, upload(device, new Float32Array(9), [3, 3])),
    /swiglu: expected gu \[N, 2F\] and m \[N, F\] \(gu \[3, 7\], m \[3, 3\]\)/,
  );
  const gu2 = upload(device, new Float32Array(3 * 8), [3, 8]);
  const dm = upload(device, new Float32Array(12), [3, 4]);
  assert.throws(() => swigluBackward(rec, gu2, dm, dm), /swigluBackward: dgu must have gu's shape/);
  assert.equal(rec.dispatchCount, 0);
});
