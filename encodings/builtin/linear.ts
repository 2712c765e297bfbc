/**
 * `linear`: Position Interpolation (Chen et al. 2023, arXiv 2306.15595): p → p/s, written as
 * θ_j/s so the position ids stay 0 … n−1.
 * @module
 */
import { z } from "npm:zod@4.6.7";
import { ropeInvFreq } from "../rope.ts";
import type { BuiltinEncoding } from "./define.ts";

/** Config of `linear`. */
export interface LinearConfig {
  /** Always "linear". */
  rope_type: "linear";
  /** s ≥ 1: positions are divided by it. */
  factor: number;
}

/** Position Interpolation. */
export const linearEncoding: BuiltinEncoding<LinearConfig> = {
  name: "linear",
  description: "Position Interpolation: positions divided by factor (θ_j / factor)",
  schema: z.strictObject({ rope_type: z.literal("linear"), factor: z.number().min(1) }),
  example: { rope_type: "linear", factor: 4 },
  create: ({ factor }) => ({
    name: "linear",
    frequencies: ({ headDim, base }) => ({
      invFreq: ropeInvFreq(headDim, base).map((t) => t / factor),
      attentionScale: 1,
    }),
  }),
};
