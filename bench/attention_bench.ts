/**
 * Attention and RoPE benches at the training shape (B 16 × T 128, H 4, hd 32) and the
 * evaluation shape (T 2,048 = 16× the training length). Value: tokens/s (B·T per call); extra
 * fields: `ms` per call (wall), `cpuMs` (process CPU time per call: llvmpipe's threads are
 * ours, so this is what the work costs when other processes share the cores) and `gflops`, useful
 * causal flops per wall second (forward 4·hd per (query, key ≤ query) pair, backward 14·hd: the
 * dq and dk/dv kernels each recompute scores). Timing: one warm-up call (compiles), then the best
 * of 3 batches of calls, each batch one submit.
 */
import type { Gpu } from "@e2llm/kernels";
import {
  attention,
  attentionBackward,
  ropeSplit,
  ropeSplitBackward,
  type Tensor,
  upload,
} from "@e2llm/kernels";
import { timePerCall } from "./time_per_call.ts";
import { Rng } from "@e2llm/encodings";
import type { BenchCase, BenchResult } from "./types.ts";

function randomTensor(gpu: Gpu, rng: Rng, shape: number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = rng.normal();
  return upload(gpu.device, data, shape);
}

interface Shape {
  B: number;
  T: number;
  H: number;
  hd: number;
}

function result(
  name: string,
  shape: Shape,
  time: { seconds: number; cpuMs: number },
  flops: number,
): BenchResult {
  return {
    name,
    unit: "tokens/s",
    value: Math.round((shape.B * shape.T) / time.seconds),
    ms: +(time.seconds * 1000).toFixed(2),
    cpuMs: +time.cpuMs.toFixed(1),
    gflops: +(flops / time.seconds / 1e9).toFixed(2),
    config: shape,
  };
}

/** Useful flops of causal attention per hd-FMA-pair unit: pairs·hd·perPair. */
export function causalFlops(s: Shape, perPair: number): number {
  return s.B * s.H * ((s.T * (s.T + 1)) / 2) * s.hd * perPair;
}

function attentionCase(kind: "fwd" | "bwd", shape: Shape): BenchCase {
  const { B, T, H, hd } = shape;
  const name = `attention ${kind} T=${T} B=${B} H=${H} hd=${hd}`;
  return {
    name,
    async run(gpu) {
      const rng = new Rng(1);
      const heads = [B, T, H, hd], rows = [B, H, T];
      const [q, k, v, out, dout, dq, dk, dv] = Array.from(
        { length: 8 },
        () => randomTensor(gpu, rng, heads),
      );
      const lse = randomTensor(gpu, rng, rows), delta = randomTensor(gpu, rng, rows);
      const time = await timePerCall(gpu, (rec) => {
        if (kind === "fwd") attention(rec, q, k, v, out, lse);
        else attentionBackward(rec, q, k, v, out, lse, dout, delta, dq, dk, dv);
      });
      return [result(name, shape, time, causalFlops(shape, kind === "fwd" ? 4 : 14))];
    },
  };
}

function ropeCase(kind: "fwd" | "bwd", shape: Shape): BenchCase {
  const { B, T, H, hd } = shape;
  const name = `rope ${kind} T=${T} B=${B} H=${H} hd=${hd}`;
  return {
    name,
    async run(gpu) {
      const rng = new Rng(2);
      const heads = [B, T, H, hd];
      const qkv = randomTensor(gpu, rng, [B * T, 3 * H * hd]);
      const positions = upload(
        gpu.device,
        Float32Array.from({ length: B * T }, (_, i) => (i % T) * 1.37),
        [B, T],
      );
      const invFreq = upload(
        gpu.device,
        Float32Array.from({ length: hd / 2 }, (_, j) => 10000 ** (-2 * j / hd)),
      );
      const [q, k, v] = Array.from({ length: 3 }, () => randomTensor(gpu, rng, heads));
      const time = await timePerCall(gpu, (rec) => {
        if (kind === "fwd") ropeSplit(rec, qkv, positions, invFreq, q, k, v, { scale: 1.1 });
        else ropeSplitBackward(rec, q, k, v, positions, invFreq, qkv, { scale: 1.1 });
      });
      return [result(name, shape, time, 0)];
    },
  };
}

const TRAIN: Shape = { B: 16, T: 128, H: 4, hd: 32 };
const EVAL: Shape = { B: 1, T: 2048, H: 4, hd: 32 };
const EVAL_HD64: Shape = { B: 1, T: 2048, H: 2, hd: 64 };

/** The attention and RoPE bench cases. */
export const benches: BenchCase[] = [
  attentionCase("fwd", TRAIN),
  attentionCase("bwd", TRAIN),
  attentionCase("fwd", EVAL),
  attentionCase("bwd", EVAL),
  attentionCase("fwd", EVAL_HD64),
  attentionCase("bwd", EVAL_HD64),
  ropeCase("fwd", TRAIN),
  ropeCase("bwd", TRAIN),
];
