/**
 * @module
 * Number and label formatting shared by the Markdown and HTML reports (deterministic, no locale).
 */

/** A perplexity with 4 significant digits (whole numbers from 1000 up). */
export function fmtPpl(x: number): string {
  return x >= 1000 ? x.toFixed(0) : x.toPrecision(4);
}

/** "4.099 [3.950, 4.251]". */
export function fmtPplCi(ppl: number, low: number, high: number): string {
  return `${fmtPpl(ppl)} [${fmtPpl(low)}, ${fmtPpl(high)}]`;
}

/** A multiple of the training length: "2×", "0.5×", "1.25×". */
export function fmtRatio(length: number, trainLength: number): string {
  const r = length / trainLength;
  return `${Number.isInteger(r) ? r : Number(r.toFixed(2))}×`;
}

/** "256 (2×)". */
export function fmtLength(length: number, trainLength: number): string {
  return `${length} (${fmtRatio(length, trainLength)})`;
}

/** An accuracy in [0, 1] as a whole percentage: "75%". */
export function fmtPct(acc: number): string {
  return `${(acc * 100).toFixed(0)}%`;
}

/** An integer with thin grouping: 1234567 → "1,234,567". */
export function fmtInt(x: number): string {
  const s = Math.round(x).toString();
  return s.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** Seconds with one decimal: "12.3 s". */
export function fmtSeconds(x: number): string {
  return `${x.toFixed(1)} s`;
}

/** "0, 1, 2", or "—" for none. */
export function fmtList(xs: readonly (string | number)[]): string {
  return xs.length === 0 ? "—" : xs.join(", ");
}

/** "a, b and c". */
export function fmtAnd(xs: readonly string[]): string {
  if (xs.length <= 1) return xs.join("");
  return `${xs.slice(0, -1).join(", ")} and ${xs[xs.length - 1]}`;
}
