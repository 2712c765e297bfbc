import assert from "node:assert/strict";
import {
  getGpu,
  readF32,
  Recorder,
  rmsnorm,
  rmsnormBackward,
  rmsnormBackwardScratchLength,
  type Tensor,
  upload,
  view,
} from "@e2llm/kernels";
import { rmsnormBackwardRef, rmsnormRef } from "@e2llm/kernels/testing";
import { Rng } from "@e2llm/encodings";
import { assertClose, finiteDiff, randn, withStaging } from "./helpers.ts";

const { device } = await getGpu();
const EPS = 1e-5;

/** Odd D: storage-buffer path; D % 4 = 0 with texture staging: the vec4 texture path. */
const CASES = [
  { n: 101, d: 43, textures: true },
  { n: 37, d: 44, textures: true },
  { n: 37, d: 44, textures: false },
];

function inputs(seed: number, n: number, d: number) {
  const rng = new Rng(seed);
  const x = randn(rng, n * d, 2), w = randn(rng, d), dy = randn(rng, n * d);
  for (let c = 0; c < d; c++) x[3 * d + c] *= 1e-3; // a row with a tiny norm: eps matters
  return { rng, x, w, dy };
}

const f32 = (data: Float32Array | number, shape?: number[]) =>
  upload(device, typeof data === "number" ? new Float32Array(data) : data, shape);
const bits = async (t: Tensor) => [...new Uint32Array((await readF32(device, t)).buffer)];

for (const { n, d, textures } of CASES) {
  const label = `N=${n} D=${d}${textures ? "" : " (storage buffers)"}`;
  const quad = textures && d % 4 === 0;

  Deno.test(`rmsnorm ${label}: forward matches the f64 reference (y and rstd)`, async () => {
    const { x, w } = inputs(20, n, d);
    const y = f32(n * d, [n, d]), rstd = f32(n), y2 = f32(n * d, [n, d]);
    const staged = withStaging(device, textures, (rec) => {
      const tx = f32(x, [n, d]), tw = f32(w);
      rmsnorm(rec, tx, tw, y, rstd, EPS);
      rmsnorm(rec, tx, tw, y2, null, EPS);
    });
    assert.equal(staged > 0, quad, "texture path taken iff aligned");
    const want = rmsnormRef(Float64Array.from(x), Float64Array.from(w), n, d, EPS);
    const got = await readF32(device, y);
    assertClose(got, want.y, { rtol: 1e-5, atol: 1e-6, label: "y" });
    assertClose(await readF32(device, rstd), want.rstd, { rtol: 1e-5, atol: 0, label: "rstd" });
    assert.deepEqual(await readF32(device, y2), got, "the no-rstd variant gives the same y");
  });

  Deno.test(`rmsnorm ${label}: backward matches the reference and finite differences`, async () => {
    const { rng, x, w, dy } = inputs(21, n, d);
    const x64 = Float64Array.from(x), w64 = Float64Array.from(w), dy64 = Float64Array.from(dy);
    const want = rmsnormBackwardRef(x64, w64, dy64, n, d, EPS);
    const dxInit = randn(rng, n * d), dwInit = randn(rng, d);
    const dx = f32(n * d, [n, d]), dw = f32(d), dxAcc = f32(dxInit, [n, d]), dwAcc = f32(dwInit);
    withStaging(device, textures, (rec) => {
      const tx = f32(x, [n, d]), tw = f32(w), tdy = f32(dy, [n, d]);
      const rstd = f32(n), y = f32(n * d), scratch = f32(rmsnormBackwardScratchLength(n, d));
      rmsnorm(rec, tx, tw, y, rstd, EPS);
      rmsnormBackward(rec, tx, tw, rstd, tdy, dx, dw, scratch);
      rmsnormBackward(rec, tx, tw, rstd, tdy, dxAcc, dwAcc, scratch, {
        accumulateDx: true,
        accumulateDw: true,
      });
    });
    const gotDx = await readF32(device, dx), gotDw = await readF32(device, dw);
    assertClose(gotDx, want.dx, { rtol: 1e-5, atol: 1e-5, label: "dx" });
    // dw sums N rows: tolerance scaled by √N.
    const tolN = 1e-5 * Math.sqrt(n);
    assertClose(gotDw, want.dw, { rtol: tolN, atol: tolN, label: "dw" });
    assertClose(await readF32(device, dxAcc), want.dx.map((v, i) => v + dxInit[i]), {
      rtol: 1e-5,
      atol: 1e-5,
      label: "dx accumulated",
    });
    assertClose(await readF32(device, dwAcc), want.dw.map((v, i) => v + dwInit[i]), {
      rtol: tolN,
      atol: tolN,
      label: "dw accumulated",
    });
    // L = Σ dy·y: finite differences in x and in w.
    const lossX = (xv: Float64Array) =>
      rmsnormRef(xv, w64, n, d, EPS).y.reduce((s, v, i) => s + v * dy64[i], 0);
    const lossW = (wv: Float64Array) =>
      rmsnormRef(x64, wv, n, d, EPS).y.reduce((s, v, i) => s + v * dy64[i], 0);
    const fdx = finiteDiff(lossX, Float64Array.from(x64), { n: 40, rng });
    // The tiny-norm row (row 3), every element: only that row of x matters for its gradient.
    const row3 = (xr: Float64Array) => {
      const xv = Float64Array.from(x64);
      xv.set(xr, 3 * d);
      return lossX(xv);
    };
    const fdRow = finiteDiff(row3, x64.slice(3 * d, 4 * d), { eps: 1e-9 });
    fdx.index.push(...fdRow.index.map((c) => 3 * d + c));
    fdx.grad.push(...fdRow.grad);
    assertClose(fdx.index.map((i) => gotDx[i]), fdx.grad, {
      rtol: 1e-3,
      atol: 1e-4,
      label: "fd dx",
    });
    const fdw = finiteDiff(lossW, Float64Array.from(w64));
    assertClose(gotDw, fdw.grad, { rtol: 1e-3, atol: 1e-3, label: "fd dw" });
  });

  Deno.test(`rmsnorm ${label}: bitwise deterministic; dx-only and dw-only runs agree`, async () => {
    const { x, w, dy } = inputs(22, n, d);
    const tx = f32(x, [n, d]), tw = f32(w), tdy = f32(dy, [n, d]), rstd = f32(n);
    const scratch = f32(rmsnormBackwardScratchLength(n, d));
    const run = () => {
      const out = { y: f32(n * d), dx: f32(n * d), dw: f32(d), dx1: f32(n * d), dw1: f32(d) };
      withStaging(device, textures, (rec) => {
        rmsnorm(rec, tx, tw, out.y, rstd, EPS);
        rmsnormBackward(rec, tx, tw, rstd, tdy, out.dx, out.dw, scratch);
        rmsnormBackward(rec, tx, tw, rstd, tdy, out.dx1, null, null);
        rmsnormBackward(rec, tx, tw, rstd, tdy, null, out.dw1, scratch);
      });
      return out;
    };
    const a = run(), b = run();
    for (const k of ["y", "dx", "dw"] as const) {
      assert.deepEqual(await bits(a[k]), await bits(b[k]), k);
    }
    assert.deepEqual(await bits(a.dx1), await bits(a.dx), "dx-only");
    assert.deepEqual(await bits(a.dw1), await bits(a.dw), "dw-only");
  });
}

Deno.test("rmsnorm writes y and rstd into disjoint views of one buffer", async () => {
  const n = 37, d = 44;
  const { x, w } = inputs(24, n, d);
  const rstdAt = Math.ceil((n * d) / 64) * 64; // views start 256-byte aligned
  const arena = f32(rstdAt + n * d);
  const y = view(arena, 0, [n, d]), rstd = view(arena, rstdAt, [n]);
  const rec = new Recorder(device);
  rmsnorm(rec, f32(x, [n, d]), f32(w), y, rstd, EPS);
  rec.submit();
  const want = rmsnormRef(Float64Array.from(x), Float64Array.from(w), n, d, EPS);
  assertClose(await readF32(device, y), want.y, { rtol: 1e-5, atol: 1e-6, label: "y view" });
  assertClose(await readF32(device, rstd), want.rstd, { rtol: 1e-5, atol: 0, label: "rstd view" });
  assert.throws(
    () => rmsnorm(rec, y, f32(w), view(arena, rstdAt, [n, d]), null),
    /rmsnorm: y is written and shares its buffer with x, which is read/,
  );
});

Deno.test("rmsnorm validates shapes before dispatching", () => {
  const rec = new Recorder(device);
  const x = f32(12, [3, 4]);
  assert.throws(
    () => rmsnorm(rec, x, f32(3), f32(12), null),
    /rmsnorm: w must have D = x's last dimension elements \(x \[3, 4\], w \[3\]/,
  );
  const w = f32(4);
  assert.throws(
    () => rmsnormBackward(rec, x, w, f32(3), x, x, w, f32(3)),
    /rmsnormBackward: scratch needs 4 elements/,
  );
  assert.equal(rec.dispatchCount, 0);
});
