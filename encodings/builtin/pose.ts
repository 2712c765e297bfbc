/**
 * `pose`: PoSE skip-wise training (Zhu et al. 2023, arXiv 2309.10400): a sample of c tokens is split
 * into two chunks at l1 ~ U{1 … ⌊c/2⌋}; the second chunk's ids are shifted by u ~ U{0 … L−c}, where
 * L = ⌈factor·R⌉ is the target length, so ids span up to L−1 while the sample stays short.
 * Evaluation uses ids 0 … n−1. `frequency_scaling` optionally combines it with `linear`, `ntk` or
 * `yarn` at the same factor, as the paper does.
 * @module
 */
import { z } from "npm:zod@4.6.7";
import { arange, type PositionalEncoding } from "../contract.ts";
import { defaultEncoding } from "./default.ts";
import { type BuiltinEncoding, randomInt } from "./define.ts";
import { linearEncoding } from "./linear.ts";
import { ntkEncoding } from "./ntk.ts";
import { yarnEncoding } from "./yarn.ts";

/** Frequencies of plain RoPE or of `linear` / `ntk` / `yarn` at `factor`. */
export function scaledFrequencies(
  scaling: "none" | "linear" | "ntk" | "yarn",
  factor: number,
): PositionalEncoding["frequencies"] {
  switch (scaling) {
    case "none":
      return defaultEncoding.create({ rope_type: "default" }).frequencies;
    case "linear":
      return linearEncoding.create({ rope_type: "linear", factor }).frequencies;
    case "ntk":
      return ntkEncoding.create({ rope_type: "ntk", factor }).frequencies;
    case "yarn":
      return yarnEncoding.create(yarnEncoding.schema.parse({ rope_type: "yarn", factor }))
        .frequencies;
  }
}

/** PoSE two-chunk skip-wise position ids for one sample. */
export function poseTrainPositions(
  length: number,
  targetLength: number,
  random: () => number,
): Float64Array {
  const ids = arange(length);
  if (length < 2) return ids;
  const chunk1 = randomInt(1, Math.floor(length / 2), random);
  const skip = randomInt(0, Math.max(0, targetLength - length), random);
  for (let i = chunk1; i < length; i++) ids[i] += skip;
  return ids;
}

/** Config of `pose` (after defaults). */
export interface PoseConfig {
  /** Always "pose". */
  rope_type: "pose";
  /** Target length L = ⌈factor·R⌉. */
  factor: number;
  /** Frequencies: plain RoPE ("none", default) or linear / ntk / yarn at `factor`. */
  frequency_scaling: "none" | "linear" | "ntk" | "yarn";
}

/** PoSE. */
export const poseEncoding: BuiltinEncoding<PoseConfig> = {
  name: "pose",
  description: "PoSE: two chunks, second shifted by u ~ U{0..L−c}, L = factor·R",
  schema: z.strictObject({
    rope_type: z.literal("pose"),
    factor: z.number().min(1),
    frequency_scaling: z.enum(["none", "linear", "ntk", "yarn"]).default("none"),
  }),
  example: { rope_type: "pose", factor: 8, frequency_scaling: "none" },
  create: ({ factor, frequency_scaling }) => ({
    name: "pose",
    frequencies: scaledFrequencies(frequency_scaling, factor),
    trainPositions: ({ length, trainLength, random }) =>
      poseTrainPositions(length, Math.ceil(factor * trainLength), random),
  }),
};
