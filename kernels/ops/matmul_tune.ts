/**
 * Matmul autotuning: time the candidate variants for a problem once per adapter and shape class,
 * cache the fastest on disk (kernels/autotune.ts); {@link matmul} then picks it up by itself.
 * Tuning submits and waits: call it before training (or from a bench), never inside a step.
 */
import { autotuneEnabled, lookupTuned, storeTuned, type TunedEntry } from "../autotune.ts";
import { timeInterleaved } from "../profile.ts";
import type { Recorder } from "../recorder.ts";
import { fixedSubgroupSize } from "../device.ts";
import { usesTextureStaging } from "../staging.ts";
import type { Tensor } from "../tensor.ts";
import {
  defaultMatmulVariant,
  formatVariant,
  matmul,
  MATMUL_TUNE_KEY,
  matmulProblem,
  matmulShapeClass,
  type MatmulVariant,
  subgroupOk,
  textureApplicable,
  type Transpose,
} from "./matmul.ts";

/** A problem to tune for (no tensors needed). */
export interface MatmulTuneProblem {
  trans: Transpose;
  m: number;
  n: number;
  k: number;
  batch?: number;
}

/** The result of tuning one problem. */
export interface MatmulTuneResult {
  problem: string;
  shapeClass: string;
  choice: MatmulVariant;
  ms: number;
  /** "cache": taken from the cache file; "measured": just timed; "default": tuning disabled. */
  from: "cache" | "measured" | "default";
}

/**
 * Candidate variants: texture ones when usable (else buffer ones); subgroup-sharing ones (see
 * {@link MatmulVariant.sgRows}) only with a fixed subgroup width `subgroup` dividing their wg;
 * buffer ones too unless `staging` (texture staging is the adapter's default).
 */
export function matmulCandidates(
  textureOk: boolean,
  subgroup = 0,
  staging = true,
): MatmulVariant[] {
  const tex: MatmulVariant[] = [
    { source: "texture", tm: 16, tn: 16, wg: 32 },
    { source: "texture", tm: 16, tn: 8, wg: 32 },
    { source: "texture", tm: 8, tn: 16, wg: 32 },
    { source: "texture", tm: 8, tn: 8, wg: 64 },
    { source: "texture", tm: 4, tn: 8, wg: 64 },
  ];
  // [tm, tn, wg, sgRows]: the best of a sweep on llvmpipe (S = 8), 1024³ and the model's shapes.
  const shared = ([
    [16, 16, 32, 2],
    [16, 16, 32, 1],
    [16, 16, 64, 2],
    [16, 8, 32, 1],
    [16, 8, 32, 2],
    [8, 16, 32, 4],
    [8, 8, 64, 2],
    [8, 8, 32, 1],
    [16, 4, 32, 1],
    [8, 4, 32, 1],
    [8, 4, 16, 1],
  ] as const)
    .filter(([, , wg, rows]) => subgroup > 0 && wg % subgroup === 0 && subgroup % rows === 0)
    .map(([tm, tn, wg, sgRows]): MatmulVariant => ({ source: "texture", tm, tn, wg, sgRows }));
  const buf: MatmulVariant[] = [
    { source: "buffer", tm: 8, tn: 8, wg: 64 },
    { source: "buffer", tm: 4, tn: 4, wg: 64 },
  ];
  // Where staging is the adapter's default (software adapters) the buffer kernels are ~10×
  // slower than the texture ones: measuring them would only slow tuning down.
  if (!textureOk) return buf;
  return staging ? [...shared, ...tex] : [...shared, ...tex, ...buf];
}

/**
 * The variants {@link tuneMatmul} times on `device` for a problem (texture operands usable or
 * not), i.e. every variant the tuner may cache and {@link matmul} may then run: the
 * {@link matmulCandidates} for the device's staging default and subgroup width, those the device
 * can run. Every one gives bitwise the same result as {@link defaultMatmulVariant} (same k order,
 * one `fma` per k into each accumulator from 0): tests/kernels/matmul_tuner_bitwise_test.ts.
 */
export function tunerCandidates(device: GPUDevice, textureOk: boolean): MatmulVariant[] {
  // Subgroup sharing is offered where it was built and checked: software adapters (8 lanes).
  const staging = usesTextureStaging(device);
  const subgroup = staging ? fixedSubgroupSize(device) : 0;
  return matmulCandidates(textureOk, subgroup, staging)
    .filter((v) => (v.source === "buffer" || textureOk) && subgroupOk(device, v));
}

/** Label a problem like the bench names: `NT 2048x128x384` (M×K×N), `x8` for a batch. */
export function problemName(p: MatmulTuneProblem): string {
  const batch = (p.batch ?? 1) > 1 ? ` x${p.batch}` : "";
  return `${p.trans} ${p.m}x${p.k}x${p.n}${batch}`;
}

/** Zero-filled tensors for `p` (A, B, C), to time kernels on. */
export function problemTensors(device: GPUDevice, p: MatmulTuneProblem): [Tensor, Tensor, Tensor] {
  const batch = p.batch ?? 1;
  const make = (rows: number, cols: number, label: string): Tensor => ({
    buffer: device.createBuffer({
      label,
      size: Math.max(16, batch * rows * cols * 4),
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
    }),
    shape: batch > 1 ? [batch, rows, cols] : [rows, cols],
    dtype: "f32",
  });
  const a = p.trans === "TN" ? make(p.k, p.m, "A") : make(p.m, p.k, "A");
  const b = p.trans === "NT" ? make(p.n, p.k, "B") : make(p.k, p.n, "B");
  return [a, b, make(p.m, p.n, "C")];
}

/**
 * Tune each problem: reuse the cached choice unless `force`, else time every candidate
 * (`reps` interleaved rounds, median kept) and cache the fastest. With tuning disabled returns the
 * defaults.
 */
export async function tuneMatmul(
  device: GPUDevice,
  problems: readonly MatmulTuneProblem[],
  options: {
    reps?: number;
    force?: boolean;
    candidates?: MatmulVariant[];
    log?: (line: string) => void;
  } = {},
): Promise<MatmulTuneResult[]> {
  const results: MatmulTuneResult[] = [];
  for (const problem of problems) {
    const [a, b, c] = problemTensors(device, problem);
    try {
      const batch = problem.batch ?? 1;
      const p = matmulProblem(device, a, b, c, { trans: problem.trans });
      const textureOk = textureApplicable(device, p, a, b);
      const shapeClass = matmulShapeClass(p, textureOk);
      const name = problemName(problem);
      if (!autotuneEnabled()) {
        results.push({
          problem: name,
          shapeClass,
          choice: defaultMatmulVariant(device, textureOk),
          ms: NaN,
          from: "default",
        });
        continue;
      }
      const cached = options.force
        ? undefined
        : lookupTuned<MatmulVariant>(device, MATMUL_TUNE_KEY, shapeClass);
      if (cached) {
        results.push({ problem: name, shapeClass, choice: cached, ms: NaN, from: "cache" });
        continue;
      }
      const measured: { choice: MatmulVariant; ms: number }[] = [];
      const candidates = options.candidates
        ? options.candidates.filter((v) =>
          (v.source === "buffer" || textureOk) && subgroupOk(device, v)
        )
        : tunerCandidates(device, textureOk);
      // Interleaved rounds, median per candidate: the machine's speed drifts (other tenants),
      // and timing candidates one after another would mostly measure that drift.
      const times = await timeInterleaved(
        device,
        candidates.map((variant) => (rec: Recorder) =>
          matmul(rec, a, b, c, { trans: problem.trans, variant })
        ),
        { rounds: options.reps ?? 5 },
      );
      candidates.forEach((variant, i) => {
        const ms = times[i].ms;
        measured.push({ choice: variant, ms });
        const gflops = (2 * batch * p.m * p.n * p.k) / ms / 1e6;
        options.log?.(
          `${name}: ${formatVariant(variant)} ${ms.toFixed(2)} ms ${gflops.toFixed(1)} GFLOP/s`,
        );
      });
      const best = measured.reduce((x, y) => (y.ms < x.ms ? y : x));
      const entry: TunedEntry<MatmulVariant> = {
        choice: best.choice,
        ms: best.ms,
        measured,
        problem: name,
        at: new Date().toISOString(),
      };
      storeTuned(device, MATMUL_TUNE_KEY, shapeClass, entry);
      results.push({
        problem: name,
        shapeClass,
        choice: best.choice,
        ms: best.ms,
        from: "measured",
      });
    } finally {
      for (const t of [a, b, c]) t.buffer.destroy();
    }
  }
  return results;
}
