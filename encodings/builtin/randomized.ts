/**
 * `randomized`: randomized positional encodings (Ruoss et al. 2023, arXiv 2305.16843): the ids of a
 * training sample of n tokens are sort(n distinct integers drawn uniformly from [0, N)), with
 * N = ⌈factor·R⌉ (at least n). Evaluation uses ids 0 … n−1 (deterministic: the eval contract has
 * no randomness). Frequencies are plain RoPE.
 * @module
 */
import { z } from "npm:zod@4.6.7";
import { ropeInvFreq } from "../rope.ts";
import { type BuiltinEncoding, randomInt } from "./define.ts";

/** n distinct integers from [0, range), sorted ascending (Floyd's sampling, O(n)). */
export function sortedSampleWithoutReplacement(
  n: number,
  range: number,
  random: () => number,
): Float64Array {
  const chosen = new Set<number>();
  for (let j = range - n; j < range; j++) {
    const t = randomInt(0, j, random);
    chosen.add(chosen.has(t) ? j : t);
  }
  return Float64Array.from(chosen).sort();
}

/** Config of `randomized`. */
export interface RandomizedConfig {
  /** Always "randomized". */
  rope_type: "randomized";
  /** N = ⌈factor·R⌉: ids are drawn from [0, N). */
  factor: number;
}

/** Randomized positions. */
export const randomizedEncoding: BuiltinEncoding<RandomizedConfig> = {
  name: "randomized",
  description: "randomized positions: sorted sample without replacement from [0, factor·R)",
  schema: z.strictObject({ rope_type: z.literal("randomized"), factor: z.number().min(1) }),
  example: { rope_type: "randomized", factor: 8 },
  create: ({ factor }) => ({
    name: "randomized",
    frequencies: ({ headDim, base }) => ({
      invFreq: ropeInvFreq(headDim, base),
      attentionScale: 1,
    }),
    trainPositions: ({ length, trainLength, random }) =>
      sortedSampleWithoutReplacement(
        length,
        Math.max(length, Math.ceil(factor * trainLength)),
        random,
      ),
  }),
};
