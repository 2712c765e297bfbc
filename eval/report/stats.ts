/**
 * @module
 * The few statistics the report needs: a Student-t quantile and the mean of perplexities over
 * seeds with a confidence interval, both on the log scale (log PPL is the mean NLL per token).
 */

/** Two-sided 95% Student-t quantiles t(0.975, df) for df = 1 … 30. */
const T975 = [
  12.706,
  4.303,
  3.182,
  2.776,
  2.571,
  2.447,
  2.365,
  2.306,
  2.262,
  2.228,
  2.201,
  2.179,
  2.16,
  2.145,
  2.131,
  2.12,
  2.11,
  2.101,
  2.093,
  2.086,
  2.08,
  2.074,
  2.069,
  2.064,
  2.06,
  2.056,
  2.052,
  2.048,
  2.045,
  2.042,
];

/** t(0.975, df); beyond df = 30 the tabulated value of the next lower df in {30, 40, 60, 120, ∞}. */
export function tQuantile975(df: number): number {
  if (!(df >= 1)) throw new RangeError(`degrees of freedom must be >= 1, got ${df}`);
  if (df <= 30) return T975[Math.floor(df) - 1];
  if (df < 40) return 2.042;
  if (df < 60) return 2.021;
  if (df < 120) return 2.0;
  return 1.98;
}

/** Mean of `xs` (n ≥ 2) and the half-width of its 95% Student-t interval. */
export function meanWithHalfWidth95(xs: readonly number[]): { mean: number; half: number } {
  const n = xs.length;
  if (n < 2) throw new RangeError(`a t-interval needs at least 2 values, got ${n}`);
  const mean = xs.reduce((s, x) => s + x, 0) / n;
  const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1);
  return { mean, half: tQuantile975(n - 1) * Math.sqrt(variance / n) };
}

/** A perplexity with its interval. */
export interface PplInterval {
  ppl: number;
  low: number;
  high: number;
}

/**
 * Combine one evaluation per seed into one perplexity with a 95% interval.
 * One seed: its own value and window interval. Several seeds: the geometric mean of the PPLs
 * (= exp of the mean NLL), and the wider of (a) the t-interval over seeds on log PPL and (b) the
 * geometric mean of the seeds' window intervals — so neither training noise (seeds) nor eval
 * noise (windows) is hidden.
 */
export function combineSeeds(values: readonly PplInterval[]): PplInterval {
  const n = values.length;
  if (n === 0) throw new RangeError("combineSeeds needs at least one value");
  if (n === 1) return { ...values[0] };
  const { mean, half } = meanWithHalfWidth95(values.map((v) => Math.log(v.ppl)));
  const windowLow = Math.exp(values.reduce((s, v) => s + Math.log(v.low), 0) / n);
  const windowHigh = Math.exp(values.reduce((s, v) => s + Math.log(v.high), 0) / n);
  return {
    ppl: Math.exp(mean),
    low: Math.min(Math.exp(mean - half), windowLow),
    high: Math.max(Math.exp(mean + half), windowHigh),
  };
}
