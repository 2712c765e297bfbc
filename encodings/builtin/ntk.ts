/**
 * `ntk`: NTK-aware scaling (bloc97 2023): base' = base · s^(d/(d−2)). The highest pair keeps its
 * frequency, the lowest gets exactly θ/s.
 * @module
 */
import { z } from "npm:zod@4.6.7";
import { ntkInvFreq } from "../rope.ts";
import type { BuiltinEncoding } from "./define.ts";

/** Config of `ntk`. */
export interface NtkConfig {
  /** Always "ntk". */
  rope_type: "ntk";
  /** s ≥ 1: base' = base · s^(d/(d−2)). */
  factor: number;
}

/** NTK-aware base scaling. */
export const ntkEncoding: BuiltinEncoding<NtkConfig> = {
  name: "ntk",
  description: "NTK-aware: base' = base · factor^(d/(d−2))",
  schema: z.strictObject({ rope_type: z.literal("ntk"), factor: z.number().min(1) }),
  example: { rope_type: "ntk", factor: 4 },
  create: ({ factor }) => ({
    name: "ntk",
    frequencies: ({ headDim, base }) => ({
      invFreq: ntkInvFreq(headDim, base, factor),
      attentionScale: 1,
    }),
  }),
};
