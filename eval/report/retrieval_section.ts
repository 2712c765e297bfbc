/**
 * @module
 * The report's retrieval section: the gate statement, a table of exact match by method, task and
 * distance (pooled over lengths and seeds, Wilson 95 % intervals), and the chart of exact match vs
 * needle–query distance, one panel per method / variant, one line per task.
 */
import type { ResultsDoc } from "../results.ts";
import type { ChartSpec } from "./charts.ts";
import { wilson } from "../retrieval/wilson.ts";
import { retrievalGate, retrievalRows } from "./retrieval_rows.ts";

/** A section of the report (the fields of model.ts's Section that this one uses). */
export interface RetrievalSection {
  id: "retrieval";
  title: string;
  paragraphs: string[];
  table?: { headers: string[]; align: ("left" | "right")[]; rows: string[][] };
}

interface Pooled {
  series: string;
  task: string;
  distance: number;
  k: number;
  n: number;
}

/** Exact-match counts pooled over lengths and seeds, per method / variant × task × distance. */
function pooled(doc: ResultsDoc): Pooled[] {
  const map = new Map<string, Pooled>();
  for (const r of retrievalRows(doc)) {
    const series = `${r.method} / ${r.variant}`;
    const distance = Number(String(r.distance).slice(1, -1));
    const key = `${series}\t${r.task}\t${distance}`;
    const p = map.get(key) ?? { series, task: String(r.task), distance, k: 0, n: 0 };
    p.k += Math.round(Number(r.exact) * Number(r.trials));
    p.n += Number(r.trials);
    map.set(key, p);
  }
  return [...map.values()];
}

/** The section, or null when no run measured retrieval. */
export function retrievalSection(doc: ResultsDoc): RetrievalSection | null {
  const cells = pooled(doc);
  if (cells.length === 0) return null;
  const gate = retrievalGate(doc);
  return {
    id: "retrieval",
    title: "Retrieval by needle–query distance",
    paragraphs: [
      gate?.text ?? "The control has no in-window retrieval cells: the gate cannot be stated.",
      "Exact match (teacher-forced, every answer byte the arg-max) pooled over evaluated lengths " +
      "and seeds, by distance from where the value was stated to where it is asked (buckets " +
      "< R, < 2R, …); per length in retrieval.csv, with per-character accuracy and the mean " +
      "log-probability of the answer.",
    ],
    table: {
      headers: ["method / variant", "task", "distance", "exact", "95% CI", "trials"],
      align: ["left", "left", "left", "right", "right", "right"],
      rows: cells.map((c) => {
        const w = wilson(c.k, c.n);
        return [
          c.series,
          c.task,
          `< ${c.distance}R`,
          `${(w.rate * 100).toFixed(0)}%`,
          `[${(w.low * 100).toFixed(0)}, ${(w.high * 100).toFixed(0)}]`,
          String(c.n),
        ];
      }),
    },
  };
}

/** Exact match vs distance, one panel per method / variant, one line per task; null if none. */
export function retrievalChartSpec(doc: ResultsDoc): ChartSpec | null {
  const values = pooled(doc).map((c) => ({
    series: c.series,
    task: c.task,
    distance: c.distance,
    exact: c.k / c.n,
  }));
  if (values.length === 0) return null;
  return {
    title: "Retrieval exact match vs needle–query distance (multiples of R)",
    data: { values },
    facet: { field: "series", type: "nominal", title: null },
    columns: 4,
    spec: {
      width: 170,
      height: 120,
      mark: { type: "line", point: true },
      encoding: {
        x: {
          field: "distance",
          type: "quantitative",
          title: "distance < ×R",
          scale: { type: "log", base: 2 },
        },
        y: {
          field: "exact",
          type: "quantitative",
          title: "exact match",
          scale: { domain: [0, 1] },
        },
        color: { field: "task", type: "nominal", title: "task" },
      },
    },
  };
}
