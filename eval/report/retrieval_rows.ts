/**
 * @module
 * `retrieval.csv`: one row per method × variant × seed × length × task × distance bucket, from the
 * `retrieval` cells of each run's evaluation records (eval/retrieval/), in report order; and the
 * gate: does the base (the `default` control's in-window cells) retrieve in-window?
 */
import type { ResultsDoc } from "../results.ts";
import { sortRuns } from "./summary.ts";

/** Column order of retrieval.csv. */
export const RETRIEVAL_COLUMNS = [
  "method",
  "variant",
  "seed",
  "length",
  "task",
  "distance",
  "trials",
  "exact",
  "exact_ci_low",
  "exact_ci_high",
  "char_acc",
  "answer_logprob",
] as const;

/** One row of retrieval.csv (`distance`: bucket upper bound in multiples of R, "<mR"). */
export type RetrievalRow = Record<(typeof RETRIEVAL_COLUMNS)[number], string | number>;

/** The rows of `doc` (none when no run measured retrieval). */
export function retrievalRows(doc: ResultsDoc): RetrievalRow[] {
  return sortRuns(doc.runs).flatMap((run) =>
    [...run.evals].sort((a, b) => a.length - b.length).flatMap((e) =>
      (e.retrieval ?? []).map((c) => ({
        method: run.method,
        variant: run.variant,
        seed: run.seed,
        length: e.length,
        task: c.task,
        distance: `<${c.distance}R`,
        trials: c.trials,
        exact: c.exact,
        exact_ci_low: c.exactCiLow,
        exact_ci_high: c.exactCiHigh,
        char_acc: c.charAcc,
        answer_logprob: c.answerLogprob,
      }))
    )
  );
}

/** The gate threshold: in-window exact match the base must reach. */
export const GATE_EXACT = 0.9;

/**
 * The gate statement, per task: the in-window (< R) exact match of the control (`method`, default
 * `default`) at the training length, pooled over seeds; a task passes when it reaches
 * {@link GATE_EXACT}, and only the passed tasks' accuracy beyond R is interpreted (a task the base
 * was not trained on, such as `passkey` in `standard`, fails alone). `pass`: every task passed.
 * Null when the control has no in-window cells.
 */
export function retrievalGate(
  doc: ResultsDoc,
  method = "default",
): { pass: boolean; passed: string[]; text: string } | null {
  const perTask = new Map<string, { k: number; n: number }>();
  for (const run of doc.runs) {
    if (run.method !== method) continue;
    const e = run.evals.find((x) => x.length === doc.trainLength);
    for (const c of e?.retrieval ?? []) {
      if (c.distance !== 1) continue;
      const t = perTask.get(c.task) ?? { k: 0, n: 0 };
      t.k += Math.round(c.exact * c.trials);
      t.n += c.trials;
      perTask.set(c.task, t);
    }
  }
  if (perTask.size === 0) return null;
  const describe = (tasks: [string, { k: number; n: number }][]) =>
    tasks.map(([task, t]) => `${task} ${((t.k / t.n) * 100).toFixed(0)}% (n=${t.n})`).join(", ");
  const tasks = [...perTask];
  const ok = tasks.filter(([, t]) => t.k / t.n >= GATE_EXACT);
  const failed = tasks.filter(([, t]) => t.k / t.n < GATE_EXACT);
  const passed = ok.map(([task]) => task);
  const required = `${GATE_EXACT * 100}% required`;
  let text: string;
  if (failed.length === 0) {
    text = `Gate passed: the base retrieves in-window (exact match at distance < R: ${
      describe(tasks)
    }; ≥ ${required}), so accuracy beyond R measures the extension methods.`;
  } else if (ok.length === 0) {
    text = `Gate failed: the base does not retrieve in-window (exact match at distance < R: ` +
      `${describe(tasks)}; ${required}), so accuracy beyond R says nothing ` +
      `about the extension methods and is not interpreted.`;
  } else {
    text = `Gate passed for ${passed.join(", ")}: the base retrieves in-window (exact match at ` +
      `distance < R: ${describe(ok)}; ≥ ${required}), so accuracy beyond R on ` +
      `${ok.length > 1 ? "these tasks" : "this task"} measures the extension methods. ` +
      `Failed for ${describe(failed)}: accuracy beyond R on ` +
      `${
        failed.length > 1 ? "those tasks" : "it"
      } says nothing about the methods and is not interpreted.`;
  }
  return { pass: failed.length === 0, passed, text };
}
