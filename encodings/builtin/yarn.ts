/**
 * `yarn`: YaRN (Peng et al. 2023, arXiv 2309.00071), NTK-by-parts interpolation plus an attention
 * scale, as in Hugging Face's `_compute_yarn_parameters`.
 *
 * corr(r) = d·ln(R/(2πr)) / (2·ln b) is the pair index whose wavelength fits r times in R;
 * lo = max(floor(corr(β_fast)), 0), hi = min(ceil(corr(β_slow)), d−1);
 * ramp_j = clamp((j−lo)/(hi−lo), 0, 1); θ'_j = θ_j·(1−ramp_j) + (θ_j/s)·ramp_j.
 * Pairs below lo (high frequency) are kept, pairs from hi on are interpolated by s.
 * q and k are both multiplied by `attention_factor`, 0.1·ln(s)+1 by default.
 * R is `original_max_position_embeddings` (the training length when absent), never the current length.
 * @module
 */
import { z } from "npm:zod@4.6.7";
import { ropeInvFreq } from "../rope.ts";
import type { BuiltinEncoding } from "./define.ts";

/** The (lo, hi) pair-index range of YaRN's ramp, as Hugging Face computes it. */
export function yarnCorrectionRange(
  headDim: number,
  base: number,
  originalLength: number,
  betaFast: number,
  betaSlow: number,
): { lo: number; hi: number } {
  const corr = (rotations: number) =>
    (headDim * Math.log(originalLength / (rotations * 2 * Math.PI))) / (2 * Math.log(base));
  return {
    lo: Math.max(Math.floor(corr(betaFast)), 0),
    hi: Math.min(Math.ceil(corr(betaSlow)), headDim - 1),
  };
}

/** YaRN's default attention factor: 0.1·ln(s)+1 for s > 1, else 1. */
export function yarnAttentionFactor(factor: number): number {
  return factor <= 1 ? 1 : 0.1 * Math.log(factor) + 1;
}

/** Config of `yarn` (after defaults). */
export interface YarnConfig {
  /** Always "yarn". */
  rope_type: "yarn";
  /** s ≥ 1. */
  factor: number;
  /** R; the training length when absent. */
  original_max_position_embeddings?: number;
  /** The q/k scale; 0.1·ln(factor)+1 when absent. */
  attention_factor?: number;
  /** Rotations that bound the kept (high-frequency) pairs; 32 by default. */
  beta_fast: number;
  /** Rotations that bound the interpolated (low-frequency) pairs; 1 by default. */
  beta_slow: number;
}

/** YaRN (NTK-by-parts + attention scale). */
export const yarnEncoding: BuiltinEncoding<YarnConfig> = {
  name: "yarn",
  description: "YaRN: NTK-by-parts ramp between beta_fast/beta_slow + attention scale",
  schema: z.strictObject({
    rope_type: z.literal("yarn"),
    factor: z.number().min(1),
    /** R; the training length when absent. */
    original_max_position_embeddings: z.int().positive().optional(),
    /** The q/k scale; 0.1·ln(factor)+1 when absent. */
    attention_factor: z.number().positive().optional(),
    beta_fast: z.number().positive().default(32),
    beta_slow: z.number().positive().default(1),
  }).refine((c) => c.beta_fast > c.beta_slow, {
    path: ["beta_fast"],
    message: "beta_fast must be greater than beta_slow",
  }),
  example: { rope_type: "yarn", factor: 4, beta_fast: 32, beta_slow: 1 },
  create: (cfg) => ({
    name: "yarn",
    frequencies: ({ headDim, base, trainLength }) => {
      const original = cfg.original_max_position_embeddings ?? trainLength;
      const { lo, hi } = yarnCorrectionRange(headDim, base, original, cfg.beta_fast, cfg.beta_slow);
      const span = hi === lo ? 0.001 : hi - lo; // Hugging Face's guard against a singular ramp
      const invFreq = ropeInvFreq(headDim, base).map((theta, j) => {
        const ramp = Math.min(Math.max((j - lo) / span, 0), 1);
        return theta * (1 - ramp) + (theta / cfg.factor) * ramp;
      });
      return { invFreq, attentionScale: cfg.attention_factor ?? yarnAttentionFactor(cfg.factor) };
    },
  }),
};
