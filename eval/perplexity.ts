/**
 * @module
 * Perplexity at one length over held-out windows, with a 95% confidence interval.
 *
 * Which tokens count: every target from a window's `scoreFrom` on (see train/data/heldout.ts).
 * Non-overlapping windows (the default) score every target, so each held-out token is predicted
 * once, with 0 … L−1 tokens of context. Sliding windows (stride S < L) score a document's first
 * window fully and then only the last S targets of each window, so every scored token but those
 * at a document's start has at least L − S tokens of context.
 *
 * The estimate: PPL = exp(mean NLL over all scored tokens). The interval: a Student-t interval
 * over windows, mean NLL ± t(0.975, n−1) · sd(per-window mean NLL) / √n, then exp. With equal
 * scored tokens per window (non-overlapping) the centre is exactly the mean of the window means;
 * with one window the interval collapses to the point.
 */
import { type EvalWindow, heldOutWindows, type TokenDocument } from "@e2llm/train";
import type { Scorer } from "@e2llm/train";
import { type PositionalInputs, scoreRows } from "./batching.ts";
import { meanWithHalfWidth95 } from "./report/stats.ts";

/** The NLL summed over a window's scored targets, and how many there are. */
export interface WindowScore {
  nllSum: number;
  tokens: number;
}

/** A perplexity with its 95% interval. */
export interface PplEstimate {
  /** Mean NLL per scored token (natural log). */
  meanNll: number;
  /** Half-width of the interval on the NLL scale. */
  nllHalfWidth: number;
  ppl: number;
  pplCiLow: number;
  pplCiHigh: number;
  windows: number;
  tokensScored: number;
  /** Mean NLL per scored token of each window, in window order (for paired comparisons). */
  windowNll: number[];
}

/** PPL and its t-interval over windows (see the module doc). */
export function pplWithInterval(windows: readonly WindowScore[]): PplEstimate {
  const n = windows.length;
  if (n === 0) throw new RangeError("perplexity needs at least one window");
  let nll = 0, tokens = 0;
  for (const w of windows) {
    if (!(w.tokens > 0)) throw new RangeError(`a window with ${w.tokens} scored tokens`);
    if (!Number.isFinite(w.nllSum)) throw new RangeError(`a window with NLL sum ${w.nllSum}`);
    nll += w.nllSum;
    tokens += w.tokens;
  }
  const meanNll = nll / tokens;
  const windowNll = windows.map((w) => w.nllSum / w.tokens);
  const half = n > 1 ? meanWithHalfWidth95(windowNll).half : 0;
  const est = {
    meanNll,
    nllHalfWidth: half,
    ppl: Math.exp(meanNll),
    pplCiLow: Math.exp(meanNll - half),
    pplCiHigh: Math.exp(meanNll + half),
    windows: n,
    tokensScored: tokens,
    windowNll,
  };
  if (!Number.isFinite(est.pplCiHigh) || !(est.pplCiLow > 0)) {
    throw new RangeError(
      `perplexity out of range: mean NLL ${meanNll.toFixed(3)} ± ${half.toFixed(3)} nats/token`,
    );
  }
  return est;
}

/** Which tokens a window set scores, in words (for the output and the report). */
export function scoringDescription(stride: number | null): string {
  return stride === null
    ? "all L targets of each window (each held-out token predicted once, with 0…L−1 tokens " +
      "of context)"
    : `a document's first window scores all L targets, later windows their last ${stride} ` +
      `(scored tokens have ≥ L−${stride} tokens of context except at document starts; ` +
      `non-overlapping at L ≤ ${stride})`;
}

/** How many windows to evaluate at `length`: `windows`, or more to reach `windowTokens`. */
export function windowsAt(length: number, windows: number, windowTokens = 0): number {
  return Math.max(windows, Math.ceil(windowTokens / length));
}

/**
 * The evaluation windows at `length`: evenly spaced over all candidates of the documents (the
 * same for every method). `stride` null, or ≥ `length`, means non-overlapping.
 */
export function evalWindows(
  docs: readonly TokenDocument[],
  length: number,
  maxWindows: number,
  stride: number | null,
): EvalWindow[] {
  const s = stride === null || stride >= length ? length : stride;
  const windows = heldOutWindows(docs, length, { stride: s, maxWindows });
  if (windows.length === 0) {
    throw new RangeError(`no held-out document has the ${length + 1} tokens a window needs`);
  }
  return windows;
}

/** Score `windows` (all of one length) and return the perplexity over their scored targets. */
export async function windowPerplexity(
  scorer: Scorer,
  windows: readonly EvalWindow[],
  enc: PositionalInputs,
): Promise<PplEstimate> {
  const length = windows[0].tokens.length - 1;
  const rows = windows.map((w) => ({
    inputs: w.tokens.subarray(0, length),
    targets: w.tokens.subarray(1),
  }));
  const scores = await scoreRows(scorer, length, rows, enc);
  const perWindow = windows.map((w, i) => {
    const nll = scores[i].nll;
    let sum = 0;
    for (let t = w.scoreFrom; t < length; t++) sum += nll[t];
    if (!Number.isFinite(sum)) {
      throw new RangeError(`scorer returned a non-finite NLL at length ${length} (window ${i})`);
    }
    return { nllSum: sum, tokens: length - w.scoreFrom };
  });
  return pplWithInterval(perWindow);
}
