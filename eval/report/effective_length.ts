/**
 * @module
 * Effective length: the longest length L such that the perplexity at every evaluated length from
 * the training length R up to L stays within `margin` × a reference PPL (RULER's idea, with PPL).
 *
 * The reference is the BASE model's PPL at R (the runs that evaluate the base checkpoint, variant
 * `no-finetune`, same seeds), not the method's own 1× PPL: a method that loses short-context
 * quality must not win by being uniformly worse (PI fine-tuned at 16× R is flat at twice the base
 * PPL). Each series also reports its own 1× PPL and the 1× cost (own / base). Without a base run
 * for any of the series' seeds, the series' own 1× PPL is the reference, and the result says so.
 */
import type { ResultsDoc } from "../results.ts";
import { VARIANTS } from "../results.ts";
import { cellAt, compareRuns, type Series } from "./summary.ts";

/** Default margin: PPL may grow to 1.5× the base model's 1× value. */
export const DEFAULT_MARGIN = 1.5;

/** The PPL a series is measured against. */
export interface BaseReference {
  /** Geometric mean over `seeds` of the base model's PPL at R. */
  ppl: number;
  /** The seeds it comes from (those of the series that have a base evaluation at R). */
  seeds: number[];
}

/** The effective length of one series. */
export interface EffectiveLength {
  /** "base": against the base model's 1× PPL; "own": no base run, the series' own 1× PPL. */
  reference: "base" | "own" | null;
  /** The seeds of the reference PPL. */
  referenceSeeds: number[];
  /** The reference PPL (null when there is none). */
  basePpl: number | null;
  /** The series' own PPL at R (null when not evaluated). */
  ownPpl: number | null;
  /** 1× cost: ownPpl / basePpl (null when either is missing); 1 = no loss at R. */
  cost1x: number | null;
  /** margin × basePpl. */
  limit: number | null;
  /** Effective length in tokens: 0 when R itself is above the limit; null without a reference. */
  length: number | null;
  /** True when every planned length up to the longest qualifies (the true value may be longer). */
  reachedLongest: boolean;
  /** The first length that did not qualify, and why. */
  stoppedAt: { length: number; reason: "above margin" | "not evaluated" } | null;
}

/** Check a margin: a finite number > 1. */
export function checkMargin(margin: number): number {
  if (!Number.isFinite(margin) || margin <= 1) {
    throw new RangeError(
      `margin must be a number > 1 (PPL ratio to the base 1× value), got ${margin}`,
    );
  }
  return margin;
}

/**
 * The base model's PPL at R per seed: the first (report order) `no-finetune` run of that seed with
 * an evaluation at R. At R every no-finetune variant is the plain base (factor max(1, L/R) = 1).
 */
export function basePplBySeed(doc: ResultsDoc): Map<number, number> {
  const out = new Map<number, number>();
  for (const r of [...doc.runs].sort(compareRuns)) {
    if (r.variant !== VARIANTS.noFinetune || out.has(r.seed)) continue;
    const e = r.evals.find((x) => x.length === doc.trainLength);
    if (e) out.set(r.seed, e.ppl);
  }
  return out;
}

/** The base reference of `series`: over its seeds that have a base PPL; null when none has. */
export function baseReferenceFor(
  series: Series,
  bySeed: ReadonlyMap<number, number>,
): BaseReference | null {
  const seeds = [...new Set([...series.seedsOk, ...series.seedsFailed])]
    .filter((s) => bySeed.has(s))
    .sort((a, b) => a - b);
  if (seeds.length === 0) return null;
  const logMean = seeds.reduce((acc, s) => acc + Math.log(bySeed.get(s)!), 0) / seeds.length;
  return { ppl: Math.exp(logMean), seeds };
}

/**
 * Effective length of `series` over the planned `lengths` (those ≥ `trainLength` count), with PPL
 * allowed up to `margin` × `reference.ppl` (the base's 1× PPL), or × the series' own PPL at
 * `trainLength` when `reference` is null/absent. A length without an evaluation stops the walk,
 * like a failing one.
 */
export function effectiveLength(
  series: Series,
  lengths: readonly number[],
  trainLength: number,
  margin: number = DEFAULT_MARGIN,
  reference: BaseReference | null = null,
): EffectiveLength {
  checkMargin(margin);
  const own = cellAt(series, trainLength);
  const ownPpl = own ? own.ppl : null;
  const ref = reference ?? (own ? { ppl: own.ppl, seeds: own.seeds } : null);
  const kind: EffectiveLength["reference"] = reference ? "base" : own ? "own" : null;
  if (!ref) {
    return {
      reference: null,
      referenceSeeds: [],
      basePpl: null,
      ownPpl,
      cost1x: null,
      limit: null,
      length: null,
      reachedLongest: false,
      stoppedAt: null,
    };
  }
  const limit = margin * ref.ppl;
  const common = {
    reference: kind,
    referenceSeeds: ref.seeds,
    basePpl: ref.ppl,
    ownPpl,
    cost1x: ownPpl === null ? null : ownPpl / ref.ppl,
    limit,
  };
  const walk = [...lengths].filter((l) => l >= trainLength).sort((a, b) => a - b);
  let best = 0;
  for (const l of walk) {
    const cell = cellAt(series, l);
    if (!cell || cell.ppl > limit) {
      const reason = cell ? "above margin" : "not evaluated";
      return { ...common, length: best, reachedLongest: false, stoppedAt: { length: l, reason } };
    }
    best = l;
  }
  return { ...common, length: best, reachedLongest: true, stoppedAt: null };
}
