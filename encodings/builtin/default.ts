/**
 * `default`: plain RoPE, θ_j = base^(−2j/d); the base comes from the model (`rope_theta`).
 * @module
 */
import { z } from "npm:zod@4.6.7";
import { ropeInvFreq } from "../rope.ts";
import type { BuiltinEncoding } from "./define.ts";

/** Config of `default`. */
export interface DefaultConfig {
  /** Always "default". */
  rope_type: "default";
}

/** Plain RoPE. */
export const defaultEncoding: BuiltinEncoding<DefaultConfig> = {
  name: "default",
  description: "plain RoPE, θ_j = base^(−2j/d) (base from the model's rope_theta)",
  schema: z.strictObject({ rope_type: z.literal("default") }),
  example: { rope_type: "default" },
  create: () => ({
    name: "default",
    frequencies: ({ headDim, base }) => ({
      invFreq: ropeInvFreq(headDim, base),
      attentionScale: 1,
    }),
  }),
};
