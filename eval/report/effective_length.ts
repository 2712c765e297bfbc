/**
 * @module
 * Effective length: the longest length L such that the perplexity at every evaluated length from
 * the training length R up to L stays within `margin` × the PPL at R (RULER's idea, with PPL).
 */
import { cellAt, type Series } from "./summary.ts";

/** Default margin: PPL may grow to 1.5× its 1× value. */
export const DEFAULT_MARGIN = 1.5;

/** The effective length of one series. */
export interface EffectiveLength {
  /** PPL at R (null when the series has no evaluation at R). */
  basePpl: number | null;
  /** margin × basePpl. */
  limit: number | null;
  /** The effective length in tokens (null when there is no evaluation at R). */
  length: number | null;
  /** True when every planned length up to the longest qualifies (the true value may be longer). */
  reachedLongest: boolean;
  /** The first length that did not qualify, and why. */
  stoppedAt: { length: number; reason: "above margin" | "not evaluated" } | null;
}

/** Check a margin: a finite number > 1. */
export function checkMargin(margin: number): number {
  if (!Number.isFinite(margin) || margin <= 1) {
    throw new RangeError(`margin must be a number > 1 (PPL ratio to its 1× value), got ${margin}`);
  }
  return margin;
}

/**
 * Effective length of `series` over the planned `lengths` (those ≥ `trainLength` count), with PPL
 * allowed up to `margin` × its value at `trainLength`. A length without an evaluation stops the
 * walk, like a failing one.
 */
export function effectiveLength(
  series: Series,
  lengths: readonly number[],
  trainLength: number,
  margin: number = DEFAULT_MARGIN,
): EffectiveLength {
  checkMargin(margin);
  const base = cellAt(series, trainLength);
  if (!base) {
    return { basePpl: null, limit: null, length: null, reachedLongest: false, stoppedAt: null };
  }
  const limit = margin * base.ppl;
  const walk = [...lengths].filter((l) => l >= trainLength).sort((a, b) => a - b);
  let best = trainLength;
  for (const l of walk) {
    const cell = cellAt(series, l);
    if (!cell || cell.ppl > limit) {
      const reason = cell ? "above margin" : "not evaluated";
      return {
        basePpl: base.ppl,
        limit,
        length: best,
        reachedLongest: false,
        stoppedAt: { length: l, reason },
      };
    }
    best = l;
  }
  return { basePpl: base.ppl, limit, length: best, reachedLongest: true, stoppedAt: null };
}
