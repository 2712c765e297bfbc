/**
 * Matmul throughput: 1024³ and the reference model's training shapes (forward NT, input-gradient
 * NN, weight-gradient TN), in GFLOP/s. Each entry first tunes its shape class (measured once per
 * adapter, cached under .cache/e2llm), then times the chosen variant. Names read M×K×N.
 */
import type { BenchCase, BenchResult } from "./types.ts";
import {
  formatVariant,
  matmul,
  type MatmulTuneProblem,
  type MatmulVariant,
  problemName,
  problemTensors,
  timeRecorded,
  tuneMatmul,
} from "@e2llm/kernels";

/** Time `problem` with `variant` (or the tuned/default choice) and report GFLOP/s. */
async function measure(
  device: GPUDevice,
  name: string,
  problem: MatmulTuneProblem,
  variant?: MatmulVariant,
): Promise<BenchResult> {
  const [tuned] = variant ? [undefined] : await tuneMatmul(device, [problem]);
  const choice = variant ?? tuned!.choice;
  const tensors = problemTensors(device, problem);
  try {
    const t = await timeRecorded(
      device,
      (rec) => matmul(rec, ...tensors, { trans: problem.trans, variant: choice }),
      { reps: 9 },
    );
    const flops = 2 * (problem.batch ?? 1) * problem.m * problem.n * problem.k;
    return {
      name,
      unit: "GFLOP/s",
      value: Number((flops / t.ms / 1e6).toFixed(2)),
      best: Number((flops / t.min / 1e6).toFixed(2)),
      ms: Number(t.ms.toFixed(3)),
      tile: formatVariant(choice),
      variant: choice,
      tuned: tuned?.from ?? "forced",
      timing: t.mode,
      problem: problemName(problem),
      backend: Deno.env.get("DENO_WEBGPU_BACKEND") ?? "auto",
    };
  } finally {
    for (const x of tensors) x.buffer.destroy();
  }
}

function entry(name: string, problem: MatmulTuneProblem, variant?: MatmulVariant): BenchCase {
  return { name, run: async (gpu) => [await measure(gpu.device, name, problem, variant)] };
}

/** Forward y = x·Wᵀ shapes of the reference model (M×K×N), plus their backward transposes. */
const TRAINING: [number, number, number][] = [[2048, 128, 384], [2048, 384, 128], [2048, 128, 128]];

/** The matmul bench cases. */
export const benches: BenchCase[] = [
  entry("matmul 1024x1024x1024", { trans: "NN", m: 1024, k: 1024, n: 1024 }),
  ...TRAINING.map(([m, k, n]) => entry(`matmul NT ${m}x${k}x${n}`, { trans: "NT", m, k, n })),
  // input gradient dx[M,K] = dy[M,N]·W[N,K]
  ...TRAINING.map(([m, k, n]) => entry(`matmul NN ${m}x${n}x${k}`, { trans: "NN", m, k: n, n: k })),
  // weight gradient dW[N,K] = dyᵀ[N,M]·x[M,K]
  ...TRAINING.map(([m, k, n]) =>
    entry(`matmul TN ${n}x${m}x${k}`, { trans: "TN", m: n, k: m, n: k })
  ),
  // batched attention-style product: 64 heads of 128×32 · 32×128
  entry("matmul NT batch64 128x32x128", { trans: "NT", m: 128, k: 32, n: 128, batch: 64 }),
  // the plain storage-buffer kernel, for comparison with the texture one
  entry("matmul buffer-source 512x512x512", { trans: "NN", m: 512, k: 512, n: 512 }, {
    source: "buffer",
    tm: 8,
    tn: 8,
    wg: 64,
  }),
];
