/**
 * @module
 * The retrieval lines of `deno task eval`'s table: per length, task and distance bucket, exact
 * match with its Wilson 95 % interval, per-character accuracy and mean answer log-probability.
 */
import type { EvalRecord } from "../results.ts";

/** Plain-text lines (none when no record has retrieval cells). */
export function formatRetrievalTable(evals: readonly EvalRecord[], trainLength: number): string[] {
  const rows: string[][] = [];
  for (const e of evals) {
    for (const c of e.retrieval ?? []) {
      rows.push([
        String(e.length),
        c.task,
        `<${c.distance}R`,
        String(c.trials),
        `${pct(c.exact)} [${pct(c.exactCiLow)}, ${pct(c.exactCiHigh)}]`,
        pct(c.charAcc),
        c.answerLogprob.toFixed(3),
      ]);
    }
  }
  if (rows.length === 0) return [];
  const header = ["length", "task", "distance", "trials", "exact [95% CI]", "char", "logprob"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i])).join("  ");
  return [
    `retrieval (R = ${trainLength}; distance: needle→query tokens, bucket < m·R)`,
    line(header),
    ...rows.map(line),
  ];
}

function pct(x: number): string {
  return `${(x * 100).toFixed(0)}%`;
}
