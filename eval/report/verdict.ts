/**
 * @module
 * Verdicts on the paper's claims from our intervals. A claim is "A ≤ factor × B" between two of
 * our cells (lower perplexity is better; factor 1: "A beats B", factor > 1: "A costs at most
 * factor × B"). With the 95% intervals over seeds (and windows) of A and B:
 * - agrees: A's upper bound < factor × B's lower bound;
 * - disagrees: A's lower bound > factor × B's upper bound;
 * - inconclusive: otherwise (the intervals overlap);
 * - missing: a cell was not evaluated.
 *
 * The report prefers the paired form of the same rule where it exists (eval/report/paired.ts:
 * the ratio A / (f·B) over the same seeds and windows, agrees when its interval lies below 1).
 */

/** The outcome for one claim. */
export type Verdict = "agrees" | "disagrees" | "inconclusive" | "missing";

/** A perplexity with its 95% interval. */
export interface Interval {
  ppl: number;
  low: number;
  high: number;
}

/** Judge "A ≤ factor × B" from the intervals (see the module doc). */
export function verdictOf(
  a: Interval | undefined | null,
  b: Interval | undefined | null,
  factor = 1,
): Verdict {
  if (!a || !b) return "missing";
  if (!(factor > 0)) throw new RangeError(`factor must be > 0, got ${factor}`);
  if (a.high < factor * b.low) return "agrees";
  if (a.low > factor * b.high) return "disagrees";
  return "inconclusive";
}

/** How a verdict reads in a table cell (`paired`: judged on a paired ratio, eval/report/paired.ts). */
export function fmtVerdict(v: Verdict, paired = false): string {
  return v === "agrees"
    ? "**agrees**"
    : v === "disagrees"
    ? "**disagrees**"
    : v === "inconclusive"
    ? paired ? "inconclusive (the ratio's interval contains 1)" : "inconclusive (intervals overlap)"
    : "not evaluated";
}

/** Count verdicts: "2 agree, 1 disagrees, 3 inconclusive". */
export function tallyVerdicts(vs: readonly Verdict[]): Record<Verdict, number> {
  const out: Record<Verdict, number> = { agrees: 0, disagrees: 0, inconclusive: 0, missing: 0 };
  for (const v of vs) out[v]++;
  return out;
}
