import assert from "node:assert/strict";
import { Rng } from "@e2llm/encodings";
import {
  attention,
  attentionBackward,
  type AttentionTiles,
  fixedSubgroupSize,
  getGpu,
  readF32,
  type Tensor,
  upload,
} from "@e2llm/kernels";
import { attentionBackwardRef, type AttentionDims, attentionRef } from "@e2llm/kernels/testing";
import { assertClose, finiteDiff, randn, recorder } from "./helpers.ts";

// Grouped-query attention: k, v (and dk, dv) have KV < H heads; query head h reads ⌊h / (H/KV)⌋.

type Dims = Required<AttentionDims>;
const f64 = (x: ArrayLike<number>) => Float64Array.from(x);

function inputs(rng: Rng, d: Dims) {
  const nq = d.B * d.T * d.H * d.hd, nk = d.B * d.T * d.KV * d.hd;
  return { q: randn(rng, nq), k: randn(rng, nk), v: randn(rng, nk), dout: randn(rng, nq) };
}

async function runGpu(
  d: Dims,
  x: ReturnType<typeof inputs>,
  tiles?: Partial<AttentionTiles>,
): Promise<Record<string, Float32Array>> {
  const { device } = await getGpu();
  const qs = [d.B, d.T, d.H, d.hd], ks = [d.B, d.T, d.KV, d.hd], rows = [d.B, d.H, d.T];
  const zeros = (shape: number[]) =>
    upload(device, new Float32Array(shape.reduce((a, b) => a * b, 1)), shape);
  const q = upload(device, x.q, qs), k = upload(device, x.k, ks), v = upload(device, x.v, ks);
  const dout = upload(device, x.dout, qs);
  const out = zeros(qs), lse = zeros(rows), delta = zeros(rows);
  const dq = zeros(qs), dk = zeros(ks), dv = zeros(ks);
  const rec = await recorder();
  attention(rec, q, k, v, out, lse, { tiles });
  attentionBackward(rec, q, k, v, out, lse, dout, delta, dq, dk, dv, { tiles });
  rec.submit();
  const result: Record<string, Tensor> = { out, lse, dq, dk, dv, delta };
  const read: Record<string, Float32Array> = {};
  for (const [name, t] of Object.entries(result)) read[name] = await readF32(device, t);
  return read;
}

function check(got: Record<string, Float32Array>, d: Dims, x: ReturnType<typeof inputs>) {
  const fwd = attentionRef(f64(x.q), f64(x.k), f64(x.v), d);
  const bwd = attentionBackwardRef(f64(x.q), f64(x.k), f64(x.v), f64(x.dout), d);
  const label = `H=${d.H} KV=${d.KV} T=${d.T} hd=${d.hd}`;
  assertClose(got.out, fwd.out, { rtol: 1e-4, atol: 2e-6 * Math.sqrt(d.T), label: `out ${label}` });
  assertClose(got.lse, fwd.lse, { rtol: 1e-5, atol: 1e-5, label: `lse ${label}` });
  for (const name of ["dq", "dk", "dv"] as const) {
    assertClose(got[name], bwd[name], {
      rtol: 1e-3,
      atol: 1e-5 * Math.sqrt(d.T * d.H / d.KV),
      label: `${name} ${label}`,
    });
  }
}

Deno.test("GQA attention forward and backward match the f64 reference", async () => {
  const rng = new Rng(71);
  const cases: Dims[] = [
    { B: 2, T: 37, H: 4, KV: 2, hd: 32 },
    { B: 1, T: 45, H: 6, KV: 2, hd: 16 },
    { B: 1, T: 21, H: 4, KV: 1, hd: 64 },
    { B: 2, T: 9, H: 3, KV: 1, hd: 8 },
  ];
  for (const d of cases) {
    const x = inputs(rng, d);
    check(await runGpu(d, x), d, x);
  }
});

Deno.test("GQA attention with non-default and subgroup-shared tiles", async () => {
  const { device } = await getGpu();
  const S = fixedSubgroupSize(device);
  const d: Dims = { B: 1, T: 29, H: 4, KV: 2, hd: 12 };
  const rng = new Rng(72);
  const tiles: Partial<AttentionTiles>[] = [
    { workgroup: 16, rows: 3, block: 5 },
    { workgroup: 3, rows: 2, block: 1 },
  ];
  if (S) tiles.push({ workgroup: 2 * S, rows: 3, block: 5, subgroup: S });
  for (const t of tiles) {
    const x = inputs(rng, d);
    check(await runGpu(d, x, t), d, x);
  }
});

Deno.test("GQA forward and dq equal multi-head attention on repeated k/v bitwise; dk/dv sum the group", async () => {
  const d: Dims = { B: 2, T: 33, H: 4, KV: 2, hd: 16 };
  const x = inputs(new Rng(73), d);
  const rep = d.H / d.KV, hd = d.hd;
  const repeat = (a: Float32Array) => {
    const out = new Float32Array(d.B * d.T * d.H * hd);
    for (let bt = 0; bt < d.B * d.T; bt++) {
      for (let h = 0; h < d.H; h++) {
        const src = (bt * d.KV + Math.floor(h / rep)) * hd;
        out.set(a.subarray(src, src + hd), (bt * d.H + h) * hd);
      }
    }
    return out;
  };
  const gqa = await runGpu(d, x);
  const mha = await runGpu({ ...d, KV: d.H }, { ...x, k: repeat(x.k), v: repeat(x.v) });
  for (const name of ["out", "lse", "dq", "delta"]) {
    assert.deepEqual(new Uint32Array(gqa[name].buffer), new Uint32Array(mha[name].buffer), name);
  }
  for (const name of ["dk", "dv"]) {
    const summed = new Float32Array(gqa[name].length);
    for (let bt = 0; bt < d.B * d.T; bt++) {
      for (let h = 0; h < d.H; h++) {
        for (let i = 0; i < hd; i++) {
          summed[(bt * d.KV + Math.floor(h / rep)) * hd + i] += mha[name][(bt * d.H + h) * hd + i];
        }
      }
    }
    assertClose(gqa[name], summed, { rtol: 1e-5, atol: 1e-6, label: name });
  }
});

Deno.test("GQA backward matches finite differences of the reference", async () => {
  const d: Dims = { B: 1, T: 6, H: 4, KV: 2, hd: 8 };
  const rng = new Rng(74);
  const x = inputs(rng, d);
  const got = await runGpu(d, x);
  const nq = x.q.length, nk = x.k.length;
  const loss = (all: Float64Array) => {
    const { out } = attentionRef(
      all.subarray(0, nq),
      all.subarray(nq, nq + nk),
      all.subarray(nq + nk),
      d,
    );
    let s = 0;
    for (let i = 0; i < nq; i++) s += x.dout[i] * out[i];
    return s;
  };
  const all = new Float64Array(nq + 2 * nk);
  all.set(x.q, 0);
  all.set(x.k, nq);
  all.set(x.v, nq + nk);
  const fd = finiteDiff(loss, all, { eps: 1e-5, n: 150, rng });
  const grads = [...got.dq, ...got.dk, ...got.dv];
  assertClose(fd.index.map((i) => grads[i]), fd.grad, { rtol: 1e-3, atol: 1e-4, label: "fd" });
});

Deno.test("GQA refuses key/value heads that do not divide the query heads", async () => {
  const d: Dims = { B: 1, T: 4, H: 4, KV: 3, hd: 8 };
  await assert.rejects(
    runGpu(d, inputs(new Rng(75), d)),
    /key\/value heads 3 .* must divide the 4 query heads/,
  );
});
