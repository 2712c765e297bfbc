/**
 * The shape of a built-in encoding: a name, a strict zod schema for its config (Hugging Face
 * `rope_scaling` key names) and a factory.
 * @module
 */
import type { z } from "npm:zod@4.6.7";
import type { PositionalEncoding } from "../contract.ts";

/** A built-in encoding: validated config (type C) in, {@link PositionalEncoding} out. */
// deno-lint-ignore no-explicit-any
export interface BuiltinEncoding<C = any> {
  /** The `rope_type` that selects it. */
  readonly name: string;
  /** One line for `encoding list`. */
  readonly description: string;
  /** Strict schema of its config, `rope_type` included; its output has the defaults filled in. */
  readonly schema: z.ZodType<C>;
  /** A valid example config, shown by `encoding list`. */
  readonly example: Record<string, unknown>;
  /** Build the encoding from a config that passed `schema`. */
  create(config: C): PositionalEncoding;
}

/** Uniform integer in [lo, hi] (inclusive) from a `random()` in [0, 1). */
export function randomInt(lo: number, hi: number, random: () => number): number {
  return lo + Math.floor(random() * (hi - lo + 1));
}
