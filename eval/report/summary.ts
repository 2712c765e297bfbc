/**
 * @module
 * Aggregate a results document into one series per method × variant: perplexity and passkey per
 * length (combined over seeds), which seeds ran or failed, and the fine-tuning cost.
 */
import { COMPARE_METHODS, variantOrder } from "../methods.ts";
import type { ResultsDoc, RunRecord } from "../results.ts";
import { combineSeeds } from "./stats.ts";

/**
 * Method report order: the compare methods in their table's order (methods.ts, the control
 * first); others (built-in encodings evaluated on their own, plugins) follow alphabetically.
 */
export const METHOD_ORDER: readonly string[] = COMPARE_METHODS;

/** Variant report order: the compare methods' variants in table order; others alphabetically. */
export const VARIANT_ORDER: readonly string[] = variantOrder();

function rank(order: readonly string[], x: string): number {
  const i = order.indexOf(x);
  return i < 0 ? order.length : i;
}

/** Compare method × variant (× seed) in report order. */
export function compareRuns(
  a: { method: string; variant: string; seed?: number },
  b: { method: string; variant: string; seed?: number },
): number {
  return rank(METHOD_ORDER, a.method) - rank(METHOD_ORDER, b.method) ||
    (a.method < b.method ? -1 : a.method > b.method ? 1 : 0) ||
    rank(VARIANT_ORDER, a.variant) - rank(VARIANT_ORDER, b.variant) ||
    (a.variant < b.variant ? -1 : a.variant > b.variant ? 1 : 0) ||
    (a.seed ?? 0) - (b.seed ?? 0);
}

/** Runs in report order (a new array). */
export function sortRuns(runs: readonly RunRecord[]): RunRecord[] {
  return [...runs].sort(compareRuns);
}

/** One method × variant at one length, combined over the seeds that evaluated it. */
export interface LengthCell {
  length: number;
  /** Seeds with an evaluation at this length (failed runs' finished evaluations included). */
  seeds: number[];
  /** Geometric mean over seeds, with the interval from {@link combineSeeds}. */
  ppl: number;
  pplCiLow: number;
  pplCiHigh: number;
  /** n-weighted passkey accuracy over seeds and depths; null when not measured. */
  passkeyAcc: number | null;
  passkeyN: number;
  /** Passkey accuracy per depth (n-weighted over seeds), by increasing depth. */
  passkeyByDepth: { depth: number; acc: number; n: number }[];
}

/** One method × variant over all its seeds. */
export interface Series {
  method: string;
  variant: string;
  /** "method / variant". */
  label: string;
  seedsOk: number[];
  seedsFailed: number[];
  /** Cells by increasing length; a length nobody evaluated has no cell. */
  cells: LengthCell[];
  /** Mean fine-tuning cost over the ok seeds (null when no seed finished). */
  trainTokens: number | null;
  trainSeconds: number | null;
  /** Other variants of this method that share its fine-tuning run (same trainRef and seed). */
  sharesTrainingWith: string[];
  runs: RunRecord[];
}

/** The cell of `series` at `length`, if any. */
export function cellAt(series: Series, length: number): LengthCell | undefined {
  return series.cells.find((c) => c.length === length);
}

/** "method / variant". */
export function seriesLabel(method: string, variant: string): string {
  return `${method} / ${variant}`;
}

function mean(xs: number[]): number | null {
  return xs.length === 0 ? null : xs.reduce((s, x) => s + x, 0) / xs.length;
}

function buildCell(length: number, runs: RunRecord[]): LengthCell | undefined {
  const hits = runs.flatMap((r) => {
    const e = r.evals.find((x) => x.length === length);
    return e ? [{ seed: r.seed, e }] : [];
  });
  if (hits.length === 0) return undefined;
  const ppl = combineSeeds(
    hits.map(({ e }) => ({ ppl: e.ppl, low: e.pplCiLow, high: e.pplCiHigh })),
  );
  const byDepth = new Map<number, { correct: number; n: number }>();
  for (const { e } of hits) {
    for (const c of e.passkey) {
      const d = byDepth.get(c.depth) ?? { correct: 0, n: 0 };
      d.correct += c.acc * c.n;
      d.n += c.n;
      byDepth.set(c.depth, d);
    }
  }
  const passkeyByDepth = [...byDepth.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([depth, d]) => ({ depth, acc: d.correct / d.n, n: d.n }));
  const passkeyN = passkeyByDepth.reduce((s, c) => s + c.n, 0);
  const correct = passkeyByDepth.reduce((s, c) => s + c.acc * c.n, 0);
  return {
    length,
    seeds: hits.map((h) => h.seed).sort((a, b) => a - b),
    ppl: ppl.ppl,
    pplCiLow: ppl.low,
    pplCiHigh: ppl.high,
    passkeyAcc: passkeyN === 0 ? null : correct / passkeyN,
    passkeyN,
    passkeyByDepth,
  };
}

/** Group the runs of `doc` into series (report order) and combine each length over seeds. */
export function summarize(doc: ResultsDoc): Series[] {
  const groups = new Map<string, RunRecord[]>();
  for (const r of sortRuns(doc.runs)) {
    const key = JSON.stringify([r.method, r.variant]);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const lengths = [...doc.lengths].sort((a, b) => a - b);
  const series: Series[] = [];
  for (const runs of groups.values()) {
    const { method, variant } = runs[0];
    const ok = runs.filter((r) => r.status === "ok");
    const shares = new Set<string>();
    for (const r of runs) {
      if (r.trainRef === undefined) continue;
      for (const o of doc.runs) {
        if (
          o.method === method && o.variant !== variant && o.seed === r.seed &&
          o.trainRef === r.trainRef
        ) shares.add(o.variant);
      }
    }
    series.push({
      method,
      variant,
      label: seriesLabel(method, variant),
      seedsOk: ok.map((r) => r.seed),
      seedsFailed: runs.filter((r) => r.status === "failed").map((r) => r.seed),
      cells: lengths.flatMap((l) => buildCell(l, runs) ?? []),
      trainTokens: mean(ok.map((r) => r.trainTokens)),
      trainSeconds: mean(ok.map((r) => r.trainSeconds)),
      sharesTrainingWith: [...shares].sort((a, b) =>
        compareRuns({ method, variant: a }, { method, variant: b })
      ),
      runs,
    });
  }
  return series;
}
