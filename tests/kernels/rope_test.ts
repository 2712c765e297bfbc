import assert from "node:assert/strict";
import { Rng } from "@e2llm/encodings";
import {
  getGpu,
  readF32,
  Recorder,
  ropeSplit,
  ropeSplitBackward,
  type Tensor,
  upload,
} from "@e2llm/kernels";
import { ropeSplitBackwardRef, ropeSplitRef } from "@e2llm/kernels/testing";
import { assertClose, finiteDiff, randn, recorder } from "./helpers.ts";

const f64 = (x: ArrayLike<number>) => Float64Array.from(x);

/** base^(−2j/hd) rounded to f32, as an encoding would upload it. */
function ropeInvFreq(hd: number, base = 10000): Float32Array {
  return Float32Array.from({ length: hd / 2 }, (_, j) => Math.pow(base, (-2 * j) / hd));
}

async function runForward(
  device: GPUDevice,
  dims: { B: number; T: number; H: number; hd: number },
  qkv: Float32Array,
  positions: Float32Array,
  invFreq: Float32Array,
  scale: number,
): Promise<{ q: Float32Array; k: Float32Array; v: Float32Array }> {
  const { B, T, H, hd } = dims;
  const shape = [B, T, H, hd];
  const n = B * T * H * hd;
  const tq = upload(device, new Float32Array(n), shape);
  const tk = upload(device, new Float32Array(n), shape);
  const tv = upload(device, new Float32Array(n), shape);
  const rec = await recorder();
  ropeSplit(
    rec,
    upload(device, qkv, [B * T, 3 * H * hd]),
    upload(device, positions, [B, T]),
    upload(device, invFreq),
    tq,
    tk,
    tv,
    { scale },
  );
  rec.submit();
  return {
    q: await readF32(device, tq),
    k: await readF32(device, tk),
    v: await readF32(device, tv),
  };
}

Deno.test("ropeSplit matches the f64 reference (odd shapes, large fractional positions, scale 0.8)", async () => {
  const { device } = await getGpu();
  const rng = new Rng(11);
  // hd 10: the scalar kernel; hd 16: the vec4 kernel (hd % 8 == 0) with a staged qkv.
  for (const dims of [{ B: 2, T: 7, H: 3, hd: 10 }, { B: 3, T: 5, H: 2, hd: 16 }]) {
    const { B, T, H, hd } = dims;
    const qkv = randn(rng, B * T * 3 * H * hd);
    const positions = Float32Array.from(
      { length: B * T },
      (_, i) => i % 3 === 0 ? 65536 - i * 17.25 : rng.next() * 40000 / 3,
    );
    const invFreq = ropeInvFreq(hd, 500);
    const got = await runForward(device, dims, qkv, positions, invFreq, 0.8);
    const want = ropeSplitRef(f64(qkv), positions, invFreq, dims, 0.8);
    for (const name of ["q", "k", "v"] as const) {
      assertClose(got[name], want[name], { rtol: 1e-5, atol: 1e-5, label: `${name} hd ${hd}` });
    }
  }
});

Deno.test("ropeSplit angles at positions up to 2^17 agree with f64 cos/sin to 2e-6", async () => {
  const { device } = await getGpu();
  const positions = Float32Array.from([
    65536,
    65535,
    65536.5,
    40000 / 3,
    131071.75,
    98304.125,
    12345.678,
    1e-3,
    0,
    -777.5,
    32768 / 3,
    65536 / 7,
  ]);
  const hd = 64;
  const invFreq = ropeInvFreq(hd);
  invFreq.set([1, 0.99999, Math.PI / 4, 1 / 3, 0.0123456], 0);
  const dims = { B: 1, T: positions.length, H: 1, hd };
  // q = (1, 0) in every pair: the rotated q holds (cos, sin) of each angle.
  const qkv = new Float32Array(positions.length * 3 * hd);
  for (let t = 0; t < positions.length; t++) qkv.fill(1, t * 3 * hd, t * 3 * hd + hd / 2);
  const { q } = await runForward(device, dims, qkv, positions, invFreq, 1);
  let worst = 0, naiveWorst = 0;
  for (let t = 0; t < positions.length; t++) {
    for (let j = 0; j < hd / 2; j++) {
      const angle = positions[t] * invFreq[j];
      const naive = Math.fround(positions[t] * invFreq[j]);
      worst = Math.max(
        worst,
        Math.abs(q[t * hd + j] - Math.cos(angle)),
        Math.abs(q[t * hd + j + hd / 2] - Math.sin(angle)),
      );
      naiveWorst = Math.max(naiveWorst, Math.abs(Math.cos(naive) - Math.cos(angle)));
    }
  }
  // The plain f32 product would be off by ~1e-3 here: the inputs do exercise the reduction.
  assert.ok(naiveWorst > 1e-4, `naive f32 angle error ${naiveWorst} too small to be a test`);
  assert.ok(worst < 2e-6, `max |cos/sin − f64| = ${worst}`);
});

Deno.test("ropeSplitBackward matches the reference and finite differences of the reference", async () => {
  const { device } = await getGpu();
  const rng = new Rng(12);
  // hd 6: the scalar kernel; hd 8: the vec4 kernel with staged gradients.
  for (const dims of [{ B: 1, T: 5, H: 2, hd: 6 }, { B: 2, T: 3, H: 3, hd: 8 }]) {
    const { B, T, H, hd } = dims;
    const n = B * T * H * hd;
    const shape = [B, T, H, hd];
    const scale = 1.3;
    const [gq, gk, gv] = [randn(rng, n), randn(rng, n), randn(rng, n)];
    const positions = Float32Array.from({ length: B * T }, () => rng.next() * 70000);
    const invFreq = ropeInvFreq(hd);
    const dqkv: Tensor = upload(device, new Float32Array(3 * n), [B * T, 3 * H * hd]);
    const rec = await recorder();
    ropeSplitBackward(
      rec,
      upload(device, gq, shape),
      upload(device, gk, shape),
      upload(device, gv, shape),
      upload(device, positions, [B, T]),
      upload(device, invFreq),
      dqkv,
      { scale },
    );
    rec.submit();
    const got = await readF32(device, dqkv);
    const want = ropeSplitBackwardRef(f64(gq), f64(gk), f64(gv), positions, invFreq, dims, scale);
    assertClose(got, want, { rtol: 1e-5, atol: 1e-5, label: `dqkv hd ${hd}` });
    // loss = Σ gq∘q + gk∘k + gv∘v of the reference forward.
    const loss = (x: Float64Array) => {
      const out = ropeSplitRef(x, positions, invFreq, dims, scale);
      let sum = 0;
      for (let i = 0; i < n; i++) sum += gq[i] * out.q[i] + gk[i] * out.k[i] + gv[i] * out.v[i];
      return sum;
    };
    const fd = finiteDiff(loss, f64(randn(rng, 3 * n)), { eps: 1e-4, n: 60, rng });
    const label = `fd hd ${hd}`;
    assertClose(fd.index.map((i) => got[i]), fd.grad, { rtol: 1e-4, atol: 1e-4, label });
  }
});

Deno.test("ropeSplit is bitwise deterministic", async () => {
  const { device } = await getGpu();
  const rng = new Rng(13);
  const dims = { B: 3, T: 9, H: 2, hd: 16 };
  const qkv = randn(rng, 3 * 9 * 3 * 2 * 16);
  const positions = Float32Array.from({ length: 27 }, () => rng.next() * 1e5);
  const a = await runForward(device, dims, qkv, positions, ropeInvFreq(16), 1.1);
  const b = await runForward(device, dims, qkv, positions, ropeInvFreq(16), 1.1);
  for (const name of ["q", "k", "v"] as const) {
    assert.deepEqual(new Uint32Array(a[name].buffer), new Uint32Array(b[name].buffer), name);
  }
});

Deno.test("ropeSplit rejects mismatched shapes before dispatching", async () => {
  const { device } = await getGpu();
  const rec = new Recorder(device);
  const t = (shape: number[]) =>
    upload(device, new Float32Array(shape.reduce((a, b) => a * b, 1)), shape);
  const heads = () => t([2, 3, 2, 4]);
  assert.throws(
    () => ropeSplit(rec, t([6, 23]), t([2, 3]), t([2]), heads(), heads(), heads()),
    /ropeSplit: qkv has shape \[6, 23\], expected \[6, 24\]/,
  );
  assert.throws(
    () => ropeSplit(rec, t([6, 24]), t([3, 2]), t([2]), heads(), heads(), heads()),
    /ropeSplit: positions has shape \[3, 2\], expected \[2, 3\]/,
  );
  assert.throws(
    () => ropeSplit(rec, t([6, 24]), t([2, 3]), t([2]), heads(), t([2, 3, 2, 5]), heads()),
    /ropeSplit: k has shape/,
  );
  assert.throws(
    () => ropeSplit(rec, t([6, 18]), t([2, 3]), t([1]), t([2, 3, 2, 3]), heads(), heads()),
    /head dim 3 must be even/,
  );
  assert.throws(
    () => ropeSplitBackward(rec, heads(), heads(), heads(), t([2, 3]), t([3]), t([6, 24])),
    /ropeSplitBackward: invFreq has shape \[3\], expected \[2\]/,
  );
  assert.equal(rec.dispatchCount, 0);
});
