/**
 * @module
 * Paired comparisons of two series of one results folder. Per seed they share the base model, the
 * data order and — at one length — the evaluation windows, so most of what widens each one's own
 * interval (which seed, which text) is common to both and cancels in their ratio. Comparing the
 * two intervals for overlap throws that pairing away; here the ratio A / (f·B) gets its own 95%
 * interval, on the log scale:
 *
 * - per seed s: d_s = ln PPL_A(s) − ln PPL_B(s) − ln f; the estimate is exp(mean d_s);
 * - seeds (n ≥ 2): Student-t half-width over the d_s (training noise);
 * - windows (same length, per-window NLLs recorded, W ≥ 2): the per-window differences
 *   nll_A(s, w) − nll_B(s, w) averaged over the seeds, Student-t half-width over the W windows
 *   (evaluation noise: which text was scored);
 * - the interval uses the wider of the two half-widths, so neither source of noise is hidden
 *   (as {@link combineSeeds} does for one series).
 *
 * With neither (one seed and no per-window NLLs, or one seed at two different lengths) there is
 * no paired interval and callers fall back to comparing the two intervals.
 */
import type { RunRecord } from "../results.ts";
import { meanWithHalfWidth95 } from "./stats.ts";
import type { Series } from "./summary.ts";
import type { Verdict } from "./verdict.ts";

/** The ratio A / (f·B) with its 95% interval, and what the interval rests on. */
export interface PairedRatio {
  ratio: number;
  low: number;
  high: number;
  /** The seeds paired. */
  seeds: number[];
  /** Windows paired per seed (0 when the windows were not compared one by one). */
  windows: number;
}

type Eval = RunRecord["evals"][number];

function evalsBySeed(s: Series, length: number): Map<number, Eval> {
  const out = new Map<number, Eval>();
  for (const run of s.runs) {
    const e = run.evals.find((x) => x.length === length);
    if (e && Number.isFinite(e.ppl)) out.set(run.seed, e);
  }
  return out;
}

/**
 * The paired ratio PPL_A(aLength) / (factor × PPL_B(bLength)) over the seeds both series
 * evaluated (see the module doc), or null when it has no interval.
 */
export function pairedRatio(
  a: Series,
  aLength: number,
  b: Series,
  bLength: number,
  factor = 1,
): PairedRatio | null {
  if (!(factor > 0)) throw new RangeError(`factor must be > 0, got ${factor}`);
  const ea = evalsBySeed(a, aLength), eb = evalsBySeed(b, bLength);
  const seeds = [...ea.keys()].filter((s) => eb.has(s)).sort((x, y) => x - y);
  if (seeds.length === 0) return null;
  const lnF = Math.log(factor);
  const d = seeds.map((s) => Math.log(ea.get(s)!.ppl) - Math.log(eb.get(s)!.ppl) - lnF);
  const mean = d.reduce((x, y) => x + y, 0) / d.length;
  const halves: number[] = [];
  if (seeds.length >= 2) halves.push(meanWithHalfWidth95(d).half);
  let windows = 0;
  const wa = seeds.map((s) => ea.get(s)!.windowNll), wb = seeds.map((s) => eb.get(s)!.windowNll);
  const w = wa[0]?.length ?? 0;
  const sameWindows = aLength === bLength && w >= 2 &&
    [...wa, ...wb].every((x) => x !== undefined && x.length === w);
  if (sameWindows) {
    const perWindow = Array.from(
      { length: w },
      (_, i) => seeds.reduce((acc, _s, k) => acc + wa[k]![i] - wb[k]![i] - lnF, 0) / seeds.length,
    );
    halves.push(meanWithHalfWidth95(perWindow).half);
    windows = w;
  }
  if (halves.length === 0) return null;
  const half = Math.max(...halves);
  return {
    ratio: Math.exp(mean),
    low: Math.exp(mean - half),
    high: Math.exp(mean + half),
    seeds,
    windows,
  };
}

/** "A ≤ f·B" judged on the paired ratio: agrees below 1, disagrees above 1, else inconclusive. */
export function pairedVerdict(p: PairedRatio): Verdict {
  if (p.high < 1) return "agrees";
  if (p.low > 1) return "disagrees";
  return "inconclusive";
}

/** "×0.962 [0.934, 0.991], 3 seeds × 4 windows". */
export function fmtPaired(p: PairedRatio | null): string {
  if (!p) return "—";
  const f = (x: number) => x.toFixed(3);
  const basis = `${p.seeds.length} seed${p.seeds.length === 1 ? "" : "s"}` +
    (p.windows > 0 ? ` × ${p.windows} windows` : "");
  return `×${f(p.ratio)} [${f(p.low)}, ${f(p.high)}], ${basis}`;
}
