/**
 * Benches for the non-matmul ops at the reference model's shapes (N = 2048 rows = 16 × 128,
 * D = 128, F = 320, V = 256, 821,376 parameters), plus cross-entropy at an evaluation size.
 * Each result: GB/s of compulsory traffic (bytes each kernel must read and write at least once),
 * with `ms` (wall, best of 3 batches) and `cpuMs` (process CPU time) per call and, for row ops,
 * `rowsPerSec`.
 */
import type { Gpu } from "@e2llm/kernels";
import {
  adamw,
  adamwHyper,
  add,
  crossEntropy,
  embedding,
  embeddingBackward,
  embeddingBackwardScratchLength,
  fill,
  gradNormClip,
  type Recorder,
  REDUCE_SCRATCH_LENGTH,
  rmsnorm,
  rmsnormBackward,
  rmsnormBackwardScratchLength,
  swiglu,
  swigluBackward,
  type Tensor,
  upload,
  weightedSum,
} from "@e2llm/kernels";
import { timePerCall } from "./time_per_call.ts";
import { Rng } from "@e2llm/encodings";
import type { BenchCase, BenchResult } from "./types.ts";

const N = 2048, D = 128, F = 320, V = 256;
/** Parameters of the reference model (4 layers): the flat buffer AdamW and clipping walk. */
const PARAMS = 821_376;
const EVAL_ROWS = 16_384;

function f32(gpu: Gpu, n: number, rng: Rng, shape?: number[]): Tensor {
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = rng.normal();
  return upload(gpu.device, data, shape ?? [n]);
}

function u32(gpu: Gpu, n: number, rng: Rng, hi: number): Tensor {
  return upload(gpu.device, Uint32Array.from({ length: n }, () => rng.int(0, hi - 1)));
}

/** One bench case: `setup` builds inputs and returns the recording function and its traffic. */
function bench(
  name: string,
  setup: (gpu: Gpu, rng: Rng) => { record: (rec: Recorder) => void; bytes: number; rows?: number },
): BenchCase {
  return {
    name,
    async run(gpu: Gpu): Promise<BenchResult[]> {
      const { record, bytes, rows } = setup(gpu, new Rng(1));
      const { seconds, cpuMs } = await timePerCall(gpu, record);
      const result: BenchResult = {
        name,
        unit: "GB/s",
        value: bytes / seconds / 1e9,
        ms: seconds * 1e3,
        cpuMs,
      };
      if (rows) result.rowsPerSec = rows / seconds;
      return [result];
    },
  };
}

/** The benches of this file; `deno task bench --filter <name part>` picks some. */
export const benches: BenchCase[] = [
  bench(`embedding forward ${N}x${D} V${V}`, (gpu, rng) => {
    const tokens = u32(gpu, N, rng, V), table = f32(gpu, V * D, rng, [V, D]);
    const out = f32(gpu, N * D, rng, [N, D]);
    return {
      record: (rec) => embedding(rec, tokens, table, out),
      bytes: 4 * (N + 2 * N * D),
      rows: N,
    };
  }),
  bench(`embedding backward ${N}x${D} V${V}`, (gpu, rng) => {
    const tokens = u32(gpu, N, rng, V), dout = f32(gpu, N * D, rng, [N, D]);
    const dtable = f32(gpu, V * D, rng, [V, D]);
    const scratch = upload(gpu.device, new Uint32Array(embeddingBackwardScratchLength(N, V)));
    return {
      record: (rec) => embeddingBackward(rec, tokens, dout, dtable, scratch, { accumulate: true }),
      bytes: 4 * (N + N * D + 2 * V * D),
      rows: N,
    };
  }),
  bench(`rmsnorm forward ${N}x${D}`, (gpu, rng) => {
    const x = f32(gpu, N * D, rng, [N, D]), w = f32(gpu, D, rng), y = f32(gpu, N * D, rng);
    const rstd = f32(gpu, N, rng);
    return { record: (rec) => rmsnorm(rec, x, w, y, rstd), bytes: 4 * (2 * N * D + N), rows: N };
  }),
  bench(`rmsnorm backward ${N}x${D}`, (gpu, rng) => {
    const x = f32(gpu, N * D, rng, [N, D]), w = f32(gpu, D, rng), dy = f32(gpu, N * D, rng);
    const rstd = f32(gpu, N, rng), dx = f32(gpu, N * D, rng), dw = f32(gpu, D, rng);
    const scratch = f32(gpu, rmsnormBackwardScratchLength(N, D), rng);
    return {
      record: (rec) =>
        rmsnormBackward(rec, x, w, rstd, dy, dx, dw, scratch, {
          accumulateDx: true,
          accumulateDw: true,
        }),
      bytes: 4 * (4 * N * D + N),
      rows: N,
    };
  }),
  bench(`swiglu forward ${N}x${F}`, (gpu, rng) => {
    const gu = f32(gpu, N * 2 * F, rng, [N, 2 * F]), m = f32(gpu, N * F, rng, [N, F]);
    return { record: (rec) => swiglu(rec, gu, m), bytes: 4 * 3 * N * F, rows: N };
  }),
  bench(`swiglu backward ${N}x${F}`, (gpu, rng) => {
    const gu = f32(gpu, N * 2 * F, rng, [N, 2 * F]), dm = f32(gpu, N * F, rng, [N, F]);
    const dgu = f32(gpu, N * 2 * F, rng, [N, 2 * F]);
    return { record: (rec) => swigluBackward(rec, gu, dm, dgu), bytes: 4 * 5 * N * F, rows: N };
  }),
  bench(`cross_entropy train ${N}x${V}`, (gpu, rng) => {
    // In place: the gradient overwrites the logits, as training does.
    const logits = f32(gpu, N * V, rng, [N, V]), targets = u32(gpu, N, rng, V);
    const weight = f32(gpu, N, rng), loss = f32(gpu, N, rng), hit = f32(gpu, N, rng);
    return {
      record: (rec) => crossEntropy(rec, logits, targets, weight, loss, hit, logits),
      bytes: 4 * (2 * N * V + 4 * N),
      rows: N,
    };
  }),
  bench(`cross_entropy eval ${EVAL_ROWS}x${V}`, (gpu, rng) => {
    const logits = f32(gpu, EVAL_ROWS * V, rng, [EVAL_ROWS, V]);
    const targets = u32(gpu, EVAL_ROWS, rng, V);
    const loss = f32(gpu, EVAL_ROWS, rng), hit = f32(gpu, EVAL_ROWS, rng);
    return {
      record: (rec) => crossEntropy(rec, logits, targets, null, loss, hit, null),
      bytes: 4 * (EVAL_ROWS * V + 3 * EVAL_ROWS),
      rows: EVAL_ROWS,
    };
  }),
  bench(`weighted loss sum ${N}`, (gpu, rng) => {
    const loss = f32(gpu, N, rng), weight = f32(gpu, N, rng), out = f32(gpu, 1, rng);
    const scratch = f32(gpu, REDUCE_SCRATCH_LENGTH, rng);
    return { record: (rec) => weightedSum(rec, loss, weight, out, scratch), bytes: 4 * 2 * N };
  }),
  bench(`grad norm clip ${PARAMS} params`, (gpu, rng) => {
    const grads = f32(gpu, PARAMS, rng), clip = f32(gpu, 2, rng);
    const scratch = f32(gpu, REDUCE_SCRATCH_LENGTH, rng);
    return { record: (rec) => gradNormClip(rec, grads, clip, scratch, 1), bytes: 4 * PARAMS };
  }),
  bench(`adamw ${PARAMS} params`, (gpu, rng) => {
    const [p, g, m] = [f32(gpu, PARAMS, rng), f32(gpu, PARAMS, rng), f32(gpu, PARAMS, rng)];
    const v = upload(gpu.device, new Float32Array(PARAMS).fill(1));
    const clip = upload(gpu.device, Float32Array.from([0.5, 2]));
    const hyper = upload(
      gpu.device,
      adamwHyper({ lr: 1e-3, beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1, step: 10 }),
    );
    return { record: (rec) => adamw(rec, p, g, m, v, hyper, clip), bytes: 4 * 7 * PARAMS };
  }),
  bench(`fill ${PARAMS}`, (gpu, rng) => {
    const a = f32(gpu, PARAMS, rng);
    return { record: (rec) => fill(rec, a), bytes: 4 * PARAMS };
  }),
  bench(`add ${PARAMS}`, (gpu, rng) => {
    const a = f32(gpu, PARAMS, rng), b = f32(gpu, PARAMS, rng);
    return { record: (rec) => add(rec, a, b, 1e-3), bytes: 4 * 3 * PARAMS };
  }),
];
