/**
 * `dynamic`: dynamic NTK (Hugging Face `rope_type: "dynamic"`): for a current length ℓ above the
 * original length R, base' = base · (s·ℓ/R − (s−1))^(d/(d−2)); at or below R, plain RoPE.
 * The frequencies depend on `seqLength`: recompute them for every length (never cache them from
 * another length — a known trap).
 * @module
 */
import { z } from "npm:zod@4.6.7";
import { ntkInvFreq, ropeInvFreq } from "../rope.ts";
import type { BuiltinEncoding } from "./define.ts";

/** Config of `dynamic`. */
export interface DynamicConfig {
  /** Always "dynamic". */
  rope_type: "dynamic";
  /** s ≥ 1. */
  factor: number;
  /** R; the training length when absent. */
  original_max_position_embeddings?: number;
}

/** Dynamic NTK. */
export const dynamicEncoding: BuiltinEncoding<DynamicConfig> = {
  name: "dynamic",
  description: "dynamic NTK: base recomputed from the current length, = default up to R",
  schema: z.strictObject({
    rope_type: z.literal("dynamic"),
    factor: z.number().min(1),
    /** R; the training length when absent. */
    original_max_position_embeddings: z.int().positive().optional(),
  }),
  example: { rope_type: "dynamic", factor: 4 },
  create: ({ factor, original_max_position_embeddings }) => ({
    name: "dynamic",
    frequencies: ({ headDim, base, trainLength, seqLength }) => {
      const original = original_max_position_embeddings ?? trainLength;
      const invFreq = seqLength > original
        ? ntkInvFreq(headDim, base, (factor * seqLength) / original - (factor - 1))
        : ropeInvFreq(headDim, base);
      return { invFreq, attentionScale: 1 };
    },
  }),
};
