import assert from "node:assert/strict";
import {
  fixedSubgroupSize,
  formatVariant,
  getGpu,
  matmul,
  matmulCandidates,
  type MatmulOptions,
  matmulProblem,
  type MatmulVariant,
  operandPanels,
  readF32,
  Recorder,
  type Tensor,
  type Transpose,
  upload,
} from "@e2llm/kernels";
import { matmulBackwardRef, matmulRef, type RefMatmulDims } from "@e2llm/kernels/testing";
import { Rng } from "@e2llm/encodings";
import { assertClose, finiteDiff, randn } from "./helpers.ts";

const { device } = await getGpu();

/** Tolerance scaled by √K: f32 rounding of a K-term sum grows like √K·ε·|terms|. */
function tol(k: number) {
  const t = 2e-6 * Math.sqrt(Math.max(k, 1));
  return { rtol: t, atol: t };
}

function aShape(trans: Transpose, m: number, k: number) {
  return trans === "TN" ? [k, m] : [m, k];
}
function bShape(trans: Transpose, k: number, n: number) {
  return trans === "NT" ? [n, k] : [k, n];
}

async function run(
  a: Tensor,
  b: Tensor,
  c: Tensor,
  options: MatmulOptions,
): Promise<{ out: Float32Array; variant: MatmulVariant; dispatches: number }> {
  const rec = new Recorder(device);
  const variant = matmul(rec, a, b, c, options);
  const dispatches = rec.dispatchCount;
  rec.submit();
  return { out: await readF32(device, c), variant, dispatches };
}

// Shapes that are not tile multiples; the texture variant needs the contiguous dims % 4 == 0.
const TEXTURE_SHAPES: Record<Transpose, [number, number, number]> = {
  NN: [37, 28, 20], // m, n, k: N % 4 == 0 (vec4 stores), M odd
  NT: [37, 29, 20], // N odd: scalar stores
  TN: [28, 20, 37], // K odd: tail loop
};
const ODD: [number, number, number] = [13, 19, 17];

/** Subgroup-sharing variants (every R | S), where the device has fixed-size subgroups. */
const SUBGROUP = fixedSubgroupSize(device);
const SHARED: MatmulVariant[] = [1, 2, 4, 8].filter((r) => SUBGROUP % r === 0 && r <= SUBGROUP)
  .map((sgRows) => ({ source: "texture", tm: 8, tn: 4, wg: 2 * SUBGROUP, sgRows }));
const BATCH_VARIANTS: MatmulVariant[] = [
  { source: "texture", tm: 4, tn: 8, wg: 64 },
  { source: "buffer", tm: 4, tn: 8, wg: 64 },
  ...SHARED,
];

for (const trans of ["NN", "NT", "TN"] as const) {
  Deno.test(`matmul ${trans}: every variant matches the f64 reference on odd shapes`, async () => {
    const rng = new Rng(100 + trans.charCodeAt(1));
    for (const [[m, n, k], textureOk] of [[TEXTURE_SHAPES[trans], true], [ODD, false]] as const) {
      const A = randn(rng, m * k), B = randn(rng, k * n);
      const ta = upload(device, A, aShape(trans, m, k)),
        tb = upload(device, B, bShape(trans, k, n));
      const ref = matmulRef(A, B, { trans, m, n, k });
      for (
        const variant of [...matmulCandidates(textureOk, SUBGROUP), ...(textureOk ? SHARED : [])]
      ) {
        const tc = upload(device, new Float32Array(m * n).fill(NaN), [m, n]);
        const { out, variant: used } = await run(ta, tb, tc, { trans, variant });
        assert.deepEqual(used, variant);
        assertClose(out, ref, {
          ...tol(k),
          label: `${trans} ${m}x${k}x${n} ${JSON.stringify(variant)}`,
        });
      }
    }
  });

  Deno.test(`matmul ${trans}: residual, accumulate and alpha epilogues`, async () => {
    const rng = new Rng(200 + trans.charCodeAt(1));
    const [m, n, k] = TEXTURE_SHAPES[trans];
    const A = randn(rng, m * k), B = randn(rng, k * n), R = randn(rng, m * n);
    const ta = upload(device, A, aShape(trans, m, k)), tb = upload(device, B, bShape(trans, k, n));
    const dims: RefMatmulDims = { trans, m, n, k };
    // The epilogue code is shared by both sources: the buffer source is checked on NN only.
    for (const source of trans === "NN" ? ["texture", "buffer"] as const : ["texture"] as const) {
      const variant: MatmulVariant = { source, tm: 4, tn: 8, wg: 64 };
      // C = R + A·B with R a separate tensor
      const tr = upload(device, R, [m, n]), tc = upload(device, new Float32Array(m * n), [m, n]);
      const sep = await run(ta, tb, tc, { trans, residual: tr, variant });
      assertClose(sep.out, matmulRef(A, B, dims, R), { ...tol(k), label: `${source} residual` });
      // C += 0.25·A·B (R = C): accumulate twice
      const acc = upload(device, R, [m, n]);
      await run(ta, tb, acc, { trans, residual: acc, alpha: 0.25, variant });
      const twice = await run(ta, tb, acc, { trans, residual: acc, alpha: 0.25, variant });
      const once = matmulRef(A, B, { ...dims, alpha: 0.25 }, R);
      assertClose(twice.out, matmulRef(A, B, { ...dims, alpha: 0.25 }, once), {
        ...tol(k),
        label: `${source} accumulate`,
      });
      // alpha alone
      const scaled = await run(ta, tb, tc, { trans, alpha: -1.5, variant });
      assertClose(scaled.out, matmulRef(A, B, { ...dims, alpha: -1.5 }), {
        ...tol(k),
        label: `${source} alpha`,
      });
    }
  });
}

Deno.test("matmul batched: leading dims, explicit strides with gaps, shared B, epilogue", async () => {
  const rng = new Rng(300);
  for (const trans of ["NN", "NT", "TN"] as const) {
    const [m, n, k] = TEXTURE_SHAPES[trans];
    const batch = 3;
    for (const variant of BATCH_VARIANTS) {
      const source = formatVariant(variant);
      // Leading dims: A [3, ...], B [3, ...], C [3, m, n]
      const A = randn(rng, batch * m * k), B = randn(rng, batch * k * n);
      const ta = upload(device, A, [batch, ...aShape(trans, m, k)]);
      const tb = upload(device, B, [batch, ...bShape(trans, k, n)]);
      const tc = upload(device, new Float32Array(batch * m * n), [batch, m, n]);
      const got = await run(ta, tb, tc, { trans, variant });
      assertClose(got.out, matmulRef(A, B, { trans, m, n, k, batch }), {
        ...tol(k),
        label: `${trans} ${source} batched`,
      });
      // Explicit strides with gaps (A padded by 8, C by 4), one B shared, residual R = C.
      const sA = m * k + 8, sC = m * n + 4;
      const A2 = randn(rng, (batch - 1) * sA + m * k), B2 = randn(rng, k * n);
      const C0 = randn(rng, (batch - 1) * sC + m * n);
      const ta2 = upload(device, A2, [A2.length]);
      const tb2 = upload(device, B2, [B2.length]);
      const tc2 = upload(device, C0, [C0.length]);
      const opts: MatmulOptions = {
        trans,
        dims: { m, n, k },
        batch,
        strideA: sA,
        strideB: 0,
        strideC: sC,
        residual: tc2,
        alpha: 2,
        variant,
      };
      const strided = await run(ta2, tb2, tc2, opts);
      const dims: RefMatmulDims = {
        trans,
        m,
        n,
        k,
        batch,
        strideA: sA,
        strideB: 0,
        strideC: sC,
        alpha: 2,
      };
      assertClose(strided.out, matmulRef(A2, B2, dims, C0), {
        ...tol(k),
        label: `${trans} ${source} strided`,
      });
    }
  }
});

Deno.test("matmul panels: operands staged as panels where shapes allow, bitwise the flat layout", async () => {
  const rng = new Rng(350);
  // [trans, m, n, k, batch, B shared, expected operandPanels]: an operand gets panels when its
  // row-major matrix has a multiple of 64 columns (K for A of NN/NT and B of NT, M for A of TN, N
  // for B of NN/TN); the entry is its rows per batch entry (0: one matrix). K odd exercises the
  // tail loop, a batch the row offsets.
  const cases: [Transpose, number, number, number, number, boolean, object][] = [
    ["NN", 37, 128, 20, 1, false, { b: 0 }],
    ["NN", 21, 64, 12, 3, false, { b: 12 }],
    ["NN", 21, 192, 12, 2, true, { b: 0 }],
    ["NN", 37, 28, 64, 2, false, { a: 37 }],
    ["NT", 21, 29, 64, 3, false, { a: 21, b: 29 }],
    ["NT", 37, 16, 128, 2, true, { a: 37, b: 0 }],
    ["NT", 37, 29, 20, 1, false, {}],
    ["TN", 64, 128, 37, 1, false, { a: 0, b: 0 }],
    ["TN", 128, 64, 9, 2, false, { a: 9, b: 9 }],
    ["TN", 64, 192, 8, 3, true, { a: 8, b: 0 }],
  ];
  for (const [trans, m, n, k, batch, shared, expected] of cases) {
    const A = randn(rng, batch * m * k), B = randn(rng, (shared ? 1 : batch) * k * n);
    const ta = upload(device, A, [batch, ...aShape(trans, m, k)]);
    const tb = upload(device, B, [...(shared ? [] : [batch]), ...bShape(trans, k, n)]);
    const ref = matmulRef(A, B, { trans, m, n, k, batch, strideB: shared ? 0 : k * n });
    const c = upload(device, new Float32Array(batch * m * n), [batch, m, n]);
    const p = matmulProblem(device, ta, tb, c, { trans });
    const texture: MatmulVariant = { source: "texture", tm: 8, tn: 8, wg: 64 };
    const panels = operandPanels(device, p, texture, ta, tb);
    const rowsPerBatch = Object.entries(panels).filter(([, v]) => v !== undefined)
      .map(([name, v]) => [name, v!.rowsPerBatch]);
    assert.deepEqual(Object.fromEntries(rowsPerBatch), expected, `${trans} ${m}x${k}x${n}`);
    // The staged matrix: an operand along k is [rows, K] in 16-float panels, else [K, cols] in 64.
    const operands = [
      [panels.a, trans !== "TN", m],
      [panels.b, trans === "NT", n],
    ] as const;
    for (const [staged, alongK, dim] of operands) {
      if (!staged) continue;
      assert.deepEqual(staged, {
        rowsPerBatch: staged.rowsPerBatch,
        rows: (alongK ? dim : k) * (staged.rowsPerBatch ? batch : 1),
        cols: alongK ? k : dim,
        width: alongK ? 16 : 64,
      });
    }
    assert.deepEqual(operandPanels(device, p, { ...texture, panels: false }, ta, tb), {});
    for (const v of [texture, { ...texture, tm: 4, tn: 16, wg: 32 }, ...SHARED]) {
      const label = `${trans} ${m}x${k}x${n} batch ${batch}${shared ? " shared B" : ""} ${
        formatVariant(v)
      }`;
      const outs: Uint32Array[] = [];
      for (const variant of [v, { ...v, panels: false as const }]) {
        const tc = upload(device, new Float32Array(batch * m * n).fill(NaN), [batch, m, n]);
        const { out } = await run(ta, tb, tc, { trans, variant });
        assertClose(out, ref, { ...tol(k), label });
        outs.push(new Uint32Array(out.buffer));
      }
      assert.deepEqual(outs[0], outs[1], `${label}: panels differ from the flat layout`);
    }
  }
});

Deno.test("matmul is bitwise deterministic across runs and across variants", async () => {
  const rng = new Rng(400);
  const [m, n, k] = [64, 48, 96];
  const A = randn(rng, m * k), B = randn(rng, n * k), R = randn(rng, m * n);
  const ta = upload(device, A, [m, k]), tb = upload(device, B, [n, k]);
  const outs: Uint32Array[] = [];
  const variants: (MatmulVariant | undefined)[] = [
    undefined,
    undefined,
    { source: "texture", tm: 8, tn: 8, wg: 64 },
    { source: "buffer", tm: 8, tn: 8, wg: 64 },
    ...SHARED.map((v) => ({ ...v, tm: 8, tn: 8 })),
  ];
  for (const variant of variants) {
    const tc = upload(device, R, [m, n]);
    const { out } = await run(ta, tb, tc, { trans: "NT", residual: tc, variant });
    outs.push(new Uint32Array(out.buffer));
  }
  for (let i = 1; i < outs.length; i++) {
    assert.deepEqual(outs[i], outs[0], `run ${i} (${JSON.stringify(variants[i])}) differs`);
  }
});

Deno.test("matmul validates shapes and limits before dispatching", () => {
  const t = (shape: number[]) =>
    upload(device, new Float32Array(shape.reduce((a, b) => a * b)), shape);
  const rec = new Recorder(device);
  assert.throws(
    () => matmul(rec, t([8, 16]), t([24, 12]), t([8, 24]), { trans: "NT" }),
    (e: Error) =>
      e instanceof RangeError && /matmul NT/.test(e.message) && /\[8, 16\]/.test(e.message) &&
      /\[24, 12\]/.test(e.message),
  );
  assert.throws(() => matmul(rec, t([8, 16]), t([16, 12]), t([8, 10])), /matmul NN.*columns/);
  assert.throws(() => matmul(rec, t([2, 8, 4]), t([4, 4]), t([3, 8, 4])), /batch entries/);
  assert.throws(
    () => matmul(rec, t([8, 4]), t([4, 4]), t([8, 4]), { batch: 2, strideC: 16 }),
    /too small|overlap/,
  );
  const shared = upload(device, new Float32Array(64), [8, 8]);
  assert.throws(() => matmul(rec, shared, t([8, 8]), shared), /shares C's buffer/);
  assert.throws(
    () =>
      matmul(rec, t([4, 4]), t([4, 4]), t([4, 4]), {
        variant: { source: "buffer", tm: 3, tn: 4, wg: 64 },
      }),
    /bad variant/,
  );
  assert.throws(
    () =>
      matmul(rec, t([4, 5]), t([5, 4]), t([4, 4]), {
        variant: { source: "texture", tm: 4, tn: 4, wg: 64 },
      }),
    /texture variant cannot run/,
  );
  assert.throws(
    () =>
      matmul(rec, t([4, 4]), t([4, 4]), t([4, 4]), {
        variant: { source: "buffer", tm: 4, tn: 4, wg: 64, sgRows: 2 },
      }),
    /sg2 needs texture operands/,
  );
  // A C binding larger than maxStorageBufferBindingSize (a shape-only tensor: never bound).
  const limit = device.limits.maxStorageBufferBindingSize;
  const rows = Math.ceil(limit / 4 / 1024) + 1;
  const huge: Tensor = { buffer: t([4]).buffer, shape: [rows, 1024], dtype: "f32" };
  const ha: Tensor = { buffer: t([4]).buffer, shape: [rows, 4], dtype: "f32" };
  assert.throws(
    () => matmul(rec, ha, t([4, 1024]), huge),
    (e: Error) => e instanceof RangeError && /maxStorageBufferBindingSize/.test(e.message),
  );
  assert.equal(rec.dispatchCount, 0);
});

Deno.test("linear layer backward = matmul NN and accumulating TN, vs reference and finite diffs", async () => {
  // y = x·Wᵀ (NT); dx = dy·W (NN); dW += dyᵀ·x (TN, accumulate).
  const rng = new Rng(500);
  const [rows, din, dout] = [24, 20, 12];
  const x = randn(rng, rows * din), w = randn(rng, dout * din), dy = randn(rng, rows * dout);
  const dW0 = randn(rng, dout * din);
  const fwd: RefMatmulDims = { trans: "NT", m: rows, n: dout, k: din };
  const { dA, dB } = matmulBackwardRef(x, w, dy, fwd);
  // The reference backward agrees with finite differences of the reference forward.
  const loss = (xv: Float64Array, wv: Float64Array) =>
    matmulRef(xv, wv, fwd).reduce((s, v, i) => s + v * dy[i], 0);
  const x64 = Float64Array.from(x), w64 = Float64Array.from(w);
  const fx = finiteDiff((v) => loss(v, w64), x64, { n: 20, rng });
  fx.index.forEach((i, j) =>
    assert.ok(Math.abs(fx.grad[j] - dA[i]) < 1e-6 * (1 + Math.abs(dA[i])))
  );
  const fw = finiteDiff((v) => loss(x64, v), w64, { n: 20, rng });
  fw.index.forEach((i, j) =>
    assert.ok(Math.abs(fw.grad[j] - dB[i]) < 1e-6 * (1 + Math.abs(dB[i])))
  );
  // The GPU composition matches the reference backward.
  const tx = upload(device, x, [rows, din]), tw = upload(device, w, [dout, din]);
  const tdy = upload(device, dy, [rows, dout]);
  const tdx = upload(device, new Float32Array(rows * din), [rows, din]);
  const tdw = upload(device, dW0, [dout, din]);
  const rec = new Recorder(device);
  matmul(rec, tdy, tw, tdx, { trans: "NN" });
  matmul(rec, tdy, tx, tdw, { trans: "TN", residual: tdw });
  rec.submit();
  assertClose(await readF32(device, tdx), dA, { ...tol(dout), label: "dx" });
  assertClose(await readF32(device, tdw), dB.map((v, i) => v + dW0[i]), {
    ...tol(rows),
    label: "dW",
  });
});
