/**
 * @module
 * Wilson score intervals for a success rate, and the trials needed to tell two rates apart.
 */

/** z of a two-sided 95 % interval. */
export const Z95 = 1.959963984540054;

/** A Wilson interval [low, high] around `successes / trials`. */
export interface WilsonInterval {
  rate: number;
  low: number;
  high: number;
}

/**
 * The Wilson score interval of `successes` out of `trials` at normal quantile `z` (default 95 %):
 * centre (p̂ + z²/2n) / (1 + z²/n), half-width z·√(p̂(1−p̂)/n + z²/4n²) / (1 + z²/n).
 */
export function wilson(successes: number, trials: number, z = Z95): WilsonInterval {
  if (!Number.isInteger(trials) || trials < 1) {
    throw new RangeError(`wilson: trials must be a positive integer, got ${trials}`);
  }
  if (!(successes >= 0 && successes <= trials)) {
    throw new RangeError(`wilson: ${successes} successes out of ${trials} trials`);
  }
  const p = successes / trials, z2 = z * z, d = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / d;
  const half = (z / d) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return {
    rate: p,
    low: p === 0 ? 0 : Math.max(0, centre - half),
    high: p === 1 ? 1 : Math.min(1, centre + half),
  };
}

/**
 * The fewest trials n at which the Wilson 95 % intervals of rates `a` < `b` (observed exactly,
 * a·n and b·n rounded) no longer overlap: enough trials per cell to tell `a` from `b`.
 */
export function trialsToSeparate(a: number, b: number, z = Z95, max = 100_000): number {
  if (!(a >= 0 && b <= 1 && a < b)) throw new RangeError(`trialsToSeparate: need 0 ≤ a < b ≤ 1`);
  for (let n = 1; n <= max; n++) {
    if (wilson(Math.round(a * n), n, z).high < wilson(Math.round(b * n), n, z).low) return n;
  }
  throw new RangeError(`trialsToSeparate: ${a} and ${b} need more than ${max} trials`);
}
