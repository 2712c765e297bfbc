/**
 * @module
 * Passkey retrieval accuracy at one length, by depth of the key. A sample of L + 1 tokens (the
 * key sentence at a depth in filler, the question, the 5 answer digits last) is read as L inputs
 * and L next-token targets; it counts as retrieved when the model's arg-max prediction is right at
 * all 5 answer digits, teacher-forced (each digit predicted from the true preceding ones).
 * Deterministic: the same keys (from `seed`) for every method and length.
 */
import { PASSKEY_MIN_LENGTH, passkeyEvalSet } from "@e2llm/train";
import type { Scorer } from "@e2llm/train";
import type { PasskeyCell } from "./results.ts";
import { type PositionalInputs, scoreRows } from "./batching.ts";

/** The depths of the key measured by default: start, quarters, end. */
export const DEFAULT_PASSKEY_DEPTHS: readonly number[] = [0, 0.25, 0.5, 0.75, 1];

/** The shortest length (model inputs) a passkey sample fits in. */
export const PASSKEY_MIN_EVAL_LENGTH = PASSKEY_MIN_LENGTH - 1;

/** Options of {@link evalPasskey}. */
export interface PasskeyOptions {
  /** Depths of the key in [0, 1], each a cell of the result. */
  depths: readonly number[];
  /** Samples per depth. */
  trials: number;
  /** Seed of the keys. */
  seed: number;
}

/** True when all of `answerTargets` are hits. */
export function allHit(hit: Uint8Array, answerTargets: readonly number[]): boolean {
  return answerTargets.every((t) => hit[t] === 1);
}

/**
 * Accuracy by depth at `length` model inputs. Returns [] when `trials` is 0 or the length is
 * below {@link PASSKEY_MIN_EVAL_LENGTH} (no sample fits).
 */
export async function evalPasskey(
  scorer: Scorer,
  length: number,
  enc: PositionalInputs,
  opts: PasskeyOptions,
): Promise<PasskeyCell[]> {
  if (opts.trials === 0 || length < PASSKEY_MIN_EVAL_LENGTH || opts.depths.length === 0) {
    return [];
  }
  const samples = passkeyEvalSet(length + 1, opts.depths, opts.trials, opts.seed);
  const rows = samples.map((s) => {
    const tokens = Uint32Array.from(s.tokens);
    return { inputs: tokens.subarray(0, length), targets: tokens.subarray(1) };
  });
  const scores = await scoreRows(scorer, length, rows, enc);
  return opts.depths.map((depth, d) => {
    let correct = 0;
    for (let i = d * opts.trials; i < (d + 1) * opts.trials; i++) {
      // answer digit at sample index j is the target at j − 1
      if (allHit(scores[i].hit, samples[i].answerIndices.map((j) => j - 1))) correct++;
    }
    return { depth, acc: correct / opts.trials, n: opts.trials };
  });
}

/** The n-weighted accuracy over cells, or null when none were measured. */
export function passkeyAccuracy(cells: readonly PasskeyCell[]): number | null {
  const n = cells.reduce((s, c) => s + c.n, 0);
  return n === 0 ? null : cells.reduce((s, c) => s + c.acc * c.n, 0) / n;
}
