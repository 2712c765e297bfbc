/**
 * @module
 * Is a fine-tuning's loss curve flat at its end? The least-squares slope of the recorded loss
 * over the last quarter of the steps, expressed as the change over that quarter, with its
 * standard error; "flat" when |change| ≤ 2 standard errors (no trend the noise cannot explain).
 */

/** The end of one loss curve. */
export interface LossTail {
  /** Change of the fitted line over the last quarter of the steps. */
  change: number;
  /** Its standard error. */
  se: number;
  /** Points in the fit. */
  n: number;
  /** |change| ≤ 2 se. */
  flat: boolean;
}

/** The last quarter's trend of `curve`; null with fewer than 4 points there. */
export function lossTail(curve: readonly { step: number; loss: number }[]): LossTail | null {
  if (curve.length === 0) return null;
  const last = Math.max(...curve.map((p) => p.step));
  const from = last * 0.75;
  const pts = curve.filter((p) => p.step > from && Number.isFinite(p.loss));
  const n = pts.length;
  if (n < 4) return null;
  const mx = pts.reduce((a, p) => a + p.step, 0) / n;
  const my = pts.reduce((a, p) => a + p.loss, 0) / n;
  const sxx = pts.reduce((a, p) => a + (p.step - mx) ** 2, 0);
  if (sxx === 0) return null;
  const slope = pts.reduce((a, p) => a + (p.step - mx) * (p.loss - my), 0) / sxx;
  const rss = pts.reduce((a, p) => a + (p.loss - (my + slope * (p.step - mx))) ** 2, 0);
  const seSlope = Math.sqrt(rss / (n - 2) / sxx);
  const span = last - from;
  const change = slope * span, se = seSlope * span;
  return { change, se, n, flat: Math.abs(change) <= 2 * se };
}
