/**
 * Training is bitwise reproducible only if the autotuned matmul tile cannot change a result: the
 * tuner picks by timing, so two machines (or two runs on a busy one) may pick differently. These
 * tests run every variant the tuner may pick — on this device ({@link tunerCandidates}) and on
 * the other kinds of adapter (buffer-only, no texture staging) — and require the bits of the
 * default variant's result, for the default model's training shapes (K = 128, the dW sum over
 * 2,048 rows), its epilogues (separate residual, accumulate, alpha), a batch, and odd shapes.
 */
import assert from "node:assert/strict";
import {
  defaultMatmulVariant,
  fixedSubgroupSize,
  formatVariant,
  getGpu,
  matmul,
  type MatmulOptions,
  matmulProblem,
  type MatmulVariant,
  readF32,
  Recorder,
  type Tensor,
  textureApplicable,
  type Transpose,
  upload,
} from "@e2llm/kernels";
import { matmulCandidates, tunerCandidates } from "../../kernels/ops/matmul_tune.ts";
import { matmulRef } from "@e2llm/kernels/testing";
import { Rng } from "@e2llm/encodings";
import { assertClose, randn } from "./helpers.ts";

const { device } = await getGpu();
const SUBGROUP = fixedSubgroupSize(device);

/** A problem: [trans, M, N, K], with an optional epilogue and batch. */
interface Case {
  trans: Transpose;
  m: number;
  n: number;
  k: number;
  batch?: number;
  epilogue?: "residual" | "accumulate";
  alpha?: number;
}

/**
 * Every variant any adapter's tuner may cache, that this device can run: this device's own set,
 * the set of an adapter without texture staging (buffer variants too) and the buffer-only set,
 * plus the defaults (software and GPU), without duplicates.
 */
function allCandidates(textureOk: boolean): MatmulVariant[] {
  const sets = [
    tunerCandidates(device, textureOk),
    matmulCandidates(textureOk, SUBGROUP, false),
    matmulCandidates(false),
    [{ source: textureOk ? "texture" : "buffer", tm: 8, tn: 8, wg: 64 } as MatmulVariant],
  ];
  const seen = new Map<string, MatmulVariant>();
  for (const v of sets.flat()) {
    if (v.sgRows !== undefined && SUBGROUP === 0) continue;
    if (v.source === "texture" && !textureOk) continue;
    seen.set(formatVariant(v), v);
  }
  return [...seen.values()];
}

async function runCase(c: Case, rng: Rng): Promise<void> {
  const { trans, m, n, k } = c;
  const batch = c.batch ?? 1;
  const lead = batch > 1 ? [batch] : [];
  const A = randn(rng, batch * m * k), B = randn(rng, batch * k * n), R = randn(rng, batch * m * n);
  const ta = upload(device, A, [...lead, ...(trans === "TN" ? [k, m] : [m, k])]);
  const tb = upload(device, B, [...lead, ...(trans === "NT" ? [n, k] : [k, n])]);
  const tr = upload(device, R, [...lead, m, n]);
  const probe = upload(device, new Float32Array(batch * m * n), [...lead, m, n]);
  const textureOk = textureApplicable(
    device,
    matmulProblem(device, ta, tb, probe, { trans }),
    ta,
    tb,
  );
  const label = `${trans} ${m}x${k}x${n}${batch > 1 ? ` x${batch}` : ""}${
    c.epilogue ? ` ${c.epilogue}` : ""
  }${c.alpha ? ` alpha ${c.alpha}` : ""}`;

  const run = async (variant: MatmulVariant): Promise<Uint32Array> => {
    const start = c.epilogue === "accumulate" ? R : new Float32Array(batch * m * n).fill(NaN);
    const tc: Tensor = upload(device, start, [...lead, m, n]);
    const opts: MatmulOptions = { trans, variant, alpha: c.alpha };
    if (c.epilogue === "residual") opts.residual = tr;
    if (c.epilogue === "accumulate") opts.residual = tc;
    const rec = new Recorder(device);
    const used = matmul(rec, ta, tb, tc, opts);
    rec.submit();
    assert.deepEqual(used, variant, `${label}: asked for ${formatVariant(variant)}`);
    const out = await readF32(device, tc);
    for (const t of [tc]) t.buffer.destroy();
    return new Uint32Array(out.buffer);
  };

  const base = defaultMatmulVariant(device, textureOk);
  const expected = await run(base);
  // The default itself is right (so that "all equal" cannot mean "all equally wrong").
  const ref = matmulRef(A, B, {
    trans,
    m,
    n,
    k,
    batch,
    alpha: c.alpha,
  }, c.epilogue ? R : undefined);
  const tol = 2e-6 * Math.sqrt(k);
  assertClose(new Float32Array(expected.buffer), ref, { rtol: tol, atol: tol, label });

  const candidates = allCandidates(textureOk);
  assert.ok(candidates.length >= (textureOk ? 5 : 2), `${label}: ${candidates.length} candidates`);
  const differing: string[] = [];
  for (const v of candidates) {
    const got = await run(v);
    let diff = 0, first = -1;
    for (let i = 0; i < got.length; i++) {
      if (got[i] !== expected[i]) {
        diff++;
        if (first < 0) first = i;
      }
    }
    if (diff > 0) {
      differing.push(`${formatVariant(v)}: ${diff} of ${got.length} (first at ${first})`);
    }
  }
  for (const t of [ta, tb, tr, probe]) t.buffer.destroy();
  assert.deepEqual(
    differing,
    [],
    `${label}: variants differ from the default ${formatVariant(base)}:\n${differing.join("\n")}`,
  );
}

// The default model (d128, 4 heads, SwiGLU 320, 16 × 128 rows): y = x·Wᵀ (K = 128), the fused
// residual of wo, dx = dy·W, dW = dyᵀ·x (K = 2,048 rows).
const TRAINING: Case[] = [
  { trans: "NT", m: 2048, n: 384, k: 128 },
  { trans: "NT", m: 2048, n: 128, k: 128, epilogue: "residual" },
  { trans: "NN", m: 2048, n: 128, k: 384 },
  { trans: "TN", m: 384, n: 128, k: 2048 },
];

// Odd shapes: edges of every tile, K tails, scalar stores, shapes only buffer variants can run.
// (Each case compiles a shader per variant: kept few, the whole file takes ~2 min on llvmpipe.)
const ODD: Case[] = [
  { trans: "NT", m: 37, n: 29, k: 20, alpha: 0.5 },
  { trans: "TN", m: 28, n: 20, k: 37, epilogue: "residual" },
  { trans: "NN", m: 13, n: 19, k: 17, epilogue: "accumulate", alpha: -1.5 },
  { trans: "NT", m: 21, n: 64, k: 64, batch: 3 },
];

Deno.test("matmul tuner candidates: bitwise the default on the training shapes (K = 128, dW over 2,048 rows)", async () => {
  const rng = new Rng(900);
  for (const c of TRAINING) await runCase(c, rng);
});

Deno.test("matmul tuner candidates: bitwise the default on odd shapes, epilogues and batches", async () => {
  const rng = new Rng(901);
  for (const c of ODD) await runCase(c, rng);
});

Deno.test("matmul tuner candidates: the test sees a variant with another summation order", async () => {
  // A deliberately different order (k descending, via reversed K of both operands) must be caught
  // by the same bit comparison: the comparison is not vacuous.
  const rng = new Rng(902);
  const [m, n, k] = [64, 48, 128];
  const A = randn(rng, m * k), B = randn(rng, n * k);
  const rev = (x: Float32Array, rows: number) => {
    const out = new Float32Array(x.length);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < k; j++) out[r * k + j] = x[r * k + (k - 1 - j)];
    }
    return out;
  };
  const bits = async (a: Float32Array, b: Float32Array) => {
    const ta = upload(device, a, [m, k]), tb = upload(device, b, [n, k]);
    const tc = upload(device, new Float32Array(m * n), [m, n]);
    const rec = new Recorder(device);
    matmul(rec, ta, tb, tc, { trans: "NT" });
    rec.submit();
    return new Uint32Array((await readF32(device, tc)).buffer);
  };
  const forward = await bits(A, B), backward = await bits(rev(A, m), rev(B, n));
  let diff = 0;
  for (let i = 0; i < forward.length; i++) diff += forward[i] !== backward[i] ? 1 : 0;
  assert.ok(diff > 0, "a reversed k order gave the same bits: the bitwise check could not fail");
});
