/**
 * Evaluation windows over held-out documents, for perplexity at any length L. A window holds
 * L + 1 tokens: the model reads `tokens[0 … L−1]` and is scored on predicting `tokens[1 … L]`,
 * from target index `scoreFrom` on.
 *
 * - Non-overlapping (stride = L, the default): windows start at 0, L, 2L, … of each document and
 *   every target is scored, so each token is predicted once.
 * - Sliding (stride S < L): windows start at 0, S, 2S, …; the first window of a document scores
 *   all L targets, later ones only their last S (the rest was scored with less context before).
 *
 * Documents shorter than L + 1 tokens give no window. `maxWindows` keeps an evenly spaced,
 * seed-free subset, so every method is scored on the same windows.
 */

/** A document as token ids. */
export interface TokenDocument {
  readonly id: string;
  readonly tokens: Uint8Array;
}

/** One evaluation window. */
export interface EvalWindow {
  /** Id of the document it comes from. */
  doc: string;
  /** Token offset of `tokens[0]` in the document. */
  start: number;
  /** L + 1 token ids. */
  tokens: Uint32Array;
  /** First target index (0 … L−1) that counts. */
  scoreFrom: number;
}

/** Options of {@link heldOutWindows}. */
export interface WindowOptions {
  /** Distance between window starts, 1 … L (default L: non-overlapping). */
  stride?: number;
  /** At most this many windows, evenly spaced over all candidates (default: all). */
  maxWindows?: number;
}

/** Cut held-out documents into windows of `length` (L) predictions. */
export function heldOutWindows(
  docs: readonly TokenDocument[],
  length: number,
  options: WindowOptions = {},
): EvalWindow[] {
  const stride = options.stride ?? length;
  if (!Number.isInteger(length) || length < 1) {
    throw new RangeError(`window length must be a positive integer, got ${length}`);
  }
  if (!Number.isInteger(stride) || stride < 1 || stride > length) {
    throw new RangeError(`stride must be an integer in [1, ${length}], got ${stride}`);
  }
  const starts: { doc: TokenDocument; start: number }[] = [];
  for (const doc of docs) {
    for (let s = 0; s + length + 1 <= doc.tokens.length; s += stride) {
      starts.push({ doc, start: s });
    }
  }
  const max = options.maxWindows ?? starts.length;
  if (!Number.isInteger(max) || max < 0) {
    throw new RangeError(`maxWindows must be a non-negative integer, got ${max}`);
  }
  const picked = max >= starts.length
    ? starts
    : Array.from({ length: max }, (_, i) => starts[Math.floor((i * starts.length) / max)]);
  return picked.map(({ doc, start }) => ({
    doc: doc.id,
    start,
    tokens: Uint32Array.from(doc.tokens.subarray(start, start + length + 1)),
    scoreFrom: start === 0 ? 0 : length - stride,
  }));
}

/** Windows of one length stacked row-major for a forward pass: `[n, L]` inputs, targets, mask. */
export function stackWindows(windows: readonly EvalWindow[]): {
  count: number;
  length: number;
  inputs: Uint32Array;
  targets: Uint32Array;
  lossMask: Float32Array;
} {
  if (!windows.length) throw new RangeError("stackWindows needs at least one window");
  const L = windows[0].tokens.length - 1;
  const n = windows.length;
  const inputs = new Uint32Array(n * L);
  const targets = new Uint32Array(n * L);
  const lossMask = new Float32Array(n * L);
  windows.forEach((w, r) => {
    if (w.tokens.length !== L + 1) {
      throw new RangeError(`window ${r} has ${w.tokens.length - 1} positions, expected ${L}`);
    }
    inputs.set(w.tokens.subarray(0, L), r * L);
    targets.set(w.tokens.subarray(1), r * L);
    lossMask.fill(1, r * L + w.scoreFrom, (r + 1) * L);
  });
  return { count: n, length: L, inputs, targets, lossMask };
}
