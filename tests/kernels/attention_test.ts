import assert from "node:assert/strict";
import { Rng } from "@e2llm/encodings";
import {
  attention,
  attentionBackward,
  type AttentionTiles,
  binding,
  fixedSubgroupSize,
  getGpu,
  packParams,
  readF32,
  Recorder,
  releaseStagingTextures,
  stage,
  stagingGeometry,
  type Tensor,
  upload,
  view,
} from "@e2llm/kernels";
import { attentionBackwardRef, type AttentionDims, attentionRef } from "@e2llm/kernels/testing";
import { assertClose, finiteDiff, randn, recorder } from "./helpers.ts";

const f64 = (x: ArrayLike<number>) => Float64Array.from(x);

interface Inputs {
  q: Float32Array;
  k: Float32Array;
  v: Float32Array;
  dout: Float32Array;
}

function inputs(rng: Rng, dims: AttentionDims, qkScale = 1): Inputs {
  const n = dims.B * dims.T * dims.H * dims.hd;
  return {
    q: randn(rng, n, qkScale),
    k: randn(rng, n, qkScale),
    v: randn(rng, n),
    dout: randn(rng, n),
  };
}

/** Forward (and backward when `withBackward`) on the GPU; everything read back. */
async function runGpu(
  dims: AttentionDims,
  x: Inputs,
  opts: { withBackward?: boolean; tiles?: Partial<AttentionTiles> } = {},
): Promise<Record<string, Float32Array>> {
  const { device } = await getGpu();
  const { B, T, H, hd } = dims;
  const heads = [B, T, H, hd], rows = [B, H, T];
  const zeros = (shape: number[]) =>
    upload(device, new Float32Array(shape.reduce((a, b) => a * b, 1)), shape);
  const q = upload(device, x.q, heads), k = upload(device, x.k, heads);
  const v = upload(device, x.v, heads), dout = upload(device, x.dout, heads);
  const out = zeros(heads), lse = zeros(rows);
  const rec = await recorder();
  attention(rec, q, k, v, out, lse, { tiles: opts.tiles });
  const result: Record<string, Tensor> = { out, lse };
  if (opts.withBackward) {
    const dq = zeros(heads), dk = zeros(heads), dv = zeros(heads), delta = zeros(rows);
    attentionBackward(rec, q, k, v, out, lse, dout, delta, dq, dk, dv, { tiles: opts.tiles });
    Object.assign(result, { dq, dk, dv, delta });
  }
  rec.submit();
  const read: Record<string, Float32Array> = {};
  for (const [name, t] of Object.entries(result)) read[name] = await readF32(device, t);
  return read;
}

function checkForward(got: Record<string, Float32Array>, dims: AttentionDims, x: Inputs): void {
  const want = attentionRef(f64(x.q), f64(x.k), f64(x.v), dims);
  const atol = 2e-6 * Math.sqrt(dims.T);
  assertClose(got.out, want.out, { rtol: 1e-4, atol, label: `out T=${dims.T} hd=${dims.hd}` });
  assertClose(got.lse, want.lse, { rtol: 1e-5, atol: 1e-5, label: `lse T=${dims.T}` });
}

function checkBackward(got: Record<string, Float32Array>, dims: AttentionDims, x: Inputs): void {
  const want = attentionBackwardRef(f64(x.q), f64(x.k), f64(x.v), f64(x.dout), dims);
  const atol = 1e-5 * Math.sqrt(dims.T);
  for (const name of ["dq", "dk", "dv"] as const) {
    assertClose(got[name], want[name], { rtol: 1e-3, atol, label: `${name} T=${dims.T}` });
  }
}

Deno.test("attention forward matches the f64 reference at odd T and several head dims", async () => {
  const rng = new Rng(21);
  const cases: AttentionDims[] = [
    { B: 2, T: 37, H: 3, hd: 32 },
    { B: 1, T: 130, H: 2, hd: 16 },
    { B: 1, T: 19, H: 2, hd: 64 },
    { B: 3, T: 5, H: 1, hd: 8 },
    { B: 1, T: 1, H: 2, hd: 4 },
  ];
  for (const dims of cases) {
    const x = inputs(rng, dims);
    checkForward(await runGpu(dims, x), dims, x);
  }
});

Deno.test("attention forward handles peaked softmax rows (large scores)", async () => {
  const dims = { B: 1, T: 45, H: 2, hd: 32 };
  const x = inputs(new Rng(22), dims, 3);
  checkForward(await runGpu(dims, x), dims, x);
});

Deno.test("attention backward matches the f64 reference (odd T, hd 16/32/64)", async () => {
  const rng = new Rng(23);
  const cases: AttentionDims[] = [
    { B: 2, T: 37, H: 2, hd: 32 },
    { B: 1, T: 130, H: 1, hd: 16 },
    { B: 1, T: 21, H: 2, hd: 64 },
  ];
  for (const dims of cases) {
    const x = inputs(rng, dims);
    const got = await runGpu(dims, x, { withBackward: true });
    checkForward(got, dims, x);
    checkBackward(got, dims, x);
  }
});

Deno.test("attention is correct with non-default tiles (remainders in every loop)", async () => {
  const rng = new Rng(24);
  const dims = { B: 1, T: 29, H: 2, hd: 12 };
  for (const tiles of [{ workgroup: 16, rows: 3, block: 5 }, { workgroup: 3, rows: 2, block: 1 }]) {
    const x = inputs(rng, dims);
    const got = await runGpu(dims, x, { withBackward: true, tiles });
    checkForward(got, dims, x);
    checkBackward(got, dims, x);
  }
});

Deno.test("shared block loads (subgroup broadcasts) give bitwise the unshared results", async (t) => {
  const { device } = await getGpu();
  const S = fixedSubgroupSize(device);
  if (S === 0) {
    // GL and other adapters without fixed-size subgroups: sharing must be refused, not run.
    const dims = { B: 1, T: 9, H: 1, hd: 8 };
    await assert.rejects(
      runGpu(dims, inputs(new Rng(25), dims), { tiles: { subgroup: 8 } }),
      /shared loads for subgroups of 8 lanes/,
    );
    return;
  }
  const rng = new Rng(25);
  const cases: [AttentionDims, Partial<AttentionTiles>][] = [
    [{ B: 2, T: 37, H: 2, hd: 32 }, {}],
    [{ B: 1, T: 21, H: 2, hd: 64 }, {}],
    [{ B: 1, T: 29, H: 2, hd: 12 }, { workgroup: 2 * S, rows: 3, block: 5 }],
  ];
  for (const [dims, tiles] of cases) {
    await t.step(`T=${dims.T} hd=${dims.hd} ${JSON.stringify(tiles)}`, async () => {
      const x = inputs(rng, dims);
      const shared = await runGpu(dims, x, {
        withBackward: true,
        tiles: { ...tiles, subgroup: S },
      });
      const plain = await runGpu(dims, x, { withBackward: true, tiles: { ...tiles, subgroup: 0 } });
      checkForward(shared, dims, x);
      checkBackward(shared, dims, x);
      for (const name of Object.keys(plain)) {
        assert.deepEqual(
          new Uint32Array(shared[name].buffer),
          new Uint32Array(plain[name].buffer),
          `${name} differs`,
        );
      }
    });
  }
  await assert.rejects(
    runGpu(cases[0][0], inputs(rng, cases[0][0]), { tiles: { workgroup: 3, subgroup: S } }),
    /multiple of them \(got 3\)/,
  );
});

Deno.test("attention backward matches finite differences of the reference", async () => {
  const dims = { B: 1, T: 6, H: 2, hd: 8 };
  const rng = new Rng(25);
  const x = inputs(rng, dims);
  const got = await runGpu(dims, x, { withBackward: true });
  const n = x.q.length;
  // loss = Σ dout∘out(q, k, v) of the reference, as a function of [q | k | v].
  const loss = (qkv: Float64Array) => {
    const { out } = attentionRef(
      qkv.subarray(0, n),
      qkv.subarray(n, 2 * n),
      qkv.subarray(2 * n),
      dims,
    );
    let sum = 0;
    for (let i = 0; i < n; i++) sum += x.dout[i] * out[i];
    return sum;
  };
  const all = new Float64Array(3 * n);
  all.set(x.q, 0);
  all.set(x.k, n);
  all.set(x.v, 2 * n);
  const fd = finiteDiff(loss, all, { eps: 1e-5, n: 120, rng });
  const grads = [...got.dq, ...got.dk, ...got.dv];
  assertClose(fd.index.map((i) => grads[i]), fd.grad, { rtol: 1e-3, atol: 1e-4, label: "fd" });
});

Deno.test("attention at T=2048 (one head) matches the reference", async () => {
  const dims = { B: 1, T: 2048, H: 1, hd: 32 };
  const x = inputs(new Rng(26), dims);
  const got = await runGpu(dims, x, { withBackward: true });
  checkForward(got, dims, x);
  checkBackward(got, dims, x);
});

Deno.test("attention forward and backward are bitwise deterministic", async () => {
  const dims = { B: 2, T: 50, H: 2, hd: 32 };
  const x = inputs(new Rng(27), dims);
  const a = await runGpu(dims, x, { withBackward: true });
  // Fresh staging textures for the second run: released ones are recreated on demand.
  releaseStagingTextures((await getGpu()).device);
  const b = await runGpu(dims, x, { withBackward: true });
  for (const name of Object.keys(a)) {
    assert.deepEqual(new Uint32Array(a[name].buffer), new Uint32Array(b[name].buffer), name);
  }
});

Deno.test("attention reads and writes tensor views at offsets into one buffer", async () => {
  const { device } = await getGpu();
  const dims = { B: 1, T: 23, H: 2, hd: 16 };
  const x = inputs(new Rng(28), dims);
  const n = x.q.length; // 736 floats; views start at multiples of 64 floats (256 bytes)
  const stride = Math.ceil(n / 64) * 64;
  const data = new Float32Array(4 * stride + 64);
  [x.q, x.k, x.v].forEach((t, i) => data.set(t, 64 + i * stride));
  const flat = upload(device, data);
  const heads = [dims.B, dims.T, dims.H, dims.hd];
  const [q, k, v, out] = [0, 1, 2, 3].map((i) => view(flat, 64 + i * stride, heads));
  const lse = upload(device, new Float32Array(dims.H * dims.T), [dims.B, dims.H, dims.T]);
  const rec = await recorder();
  attention(rec, q, k, v, out, lse);
  rec.submit();
  checkForward({ out: await readF32(device, out), lse: await readF32(device, lse) }, dims, x);
  assert.deepEqual(await readF32(device, view(flat, 0, [64])), new Float32Array(64), "untouched");
});

const READ_BACK = /* wgsl */ `
struct Params { n: u32, logH: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var t: texture_2d_array<f32>;
@group(0) @binding(2) var<storage, read_write> o: array<vec4f>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) g: vec3u) {
  let e = g.x;
  if (e >= p.n) { return; }
  let y = e >> 6u;
  o[e] = textureLoad(t, vec2u(e & 63u, y & ((1u << p.logH) - 1u)), y >> p.logH, 0);
}`;

Deno.test("staging textures hold every texel: several layers and a partial last row", async () => {
  const { device } = await getGpu();
  const texels = 64 * 8192 + 64 * 3 + 5; // one full layer, then 3 rows and 5 texels
  assert.equal(stagingGeometry(device.limits, texels).layers, 2);
  const data = Float32Array.from({ length: 4 * texels }, (_, i) => i * 0.25 - 7);
  const src = upload(device, data, [texels, 4]);
  const back = upload(device, new Float32Array(4 * texels), [texels, 4]);
  const rec = await recorder();
  const staged = stage(rec, "test", src, "test");
  rec.dispatch(READ_BACK, packParams([texels, staged.logH]), [staged.view, binding(back)], [
    Math.ceil(texels / 64),
  ]);
  rec.submit();
  assert.deepEqual(await readF32(device, back), data);
});

Deno.test("attention rejects mismatched shapes before dispatching", async () => {
  const { device } = await getGpu();
  const rec = new Recorder(device);
  const t = (shape: number[]) =>
    upload(device, new Float32Array(shape.reduce((a, b) => a * b, 1)), shape);
  const h = () => t([2, 5, 3, 8]);
  assert.throws(
    () => attention(rec, h(), t([2, 5, 3, 4]), h(), h(), t([2, 3, 5])),
    /attention: k has shape \[2, 5, 3, 4\], expected \[2, 5, 3, 8\]/,
  );
  assert.throws(
    () => attention(rec, h(), h(), h(), h(), t([2, 5, 3])),
    /attention: lse has shape \[2, 5, 3\], expected \[2, 3, 5\]/,
  );
  assert.throws(
    () =>
      attention(
        rec,
        t([1, 4, 1, 6]),
        t([1, 4, 1, 6]),
        t([1, 4, 1, 6]),
        t([1, 4, 1, 6]),
        t([1, 1, 4]),
      ),
    /head dim 6 \(q \[1, 4, 1, 6\]\) must be a multiple of 4/,
  );
  assert.throws(
    () =>
      attentionBackward(rec, h(), h(), h(), h(), t([2, 3, 5]), h(), t([2, 3, 4]), h(), h(), h()),
    /attentionBackward: delta has shape \[2, 3, 4\], expected \[2, 3, 5\]/,
  );
  assert.throws(
    () => attention(rec, h(), h(), h(), h(), t([2, 3, 5]), { tiles: { block: 0 } }),
    /tile block must be a positive integer/,
  );
  assert.equal(rec.dispatchCount, 0);
});
