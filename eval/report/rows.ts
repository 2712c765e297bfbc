/**
 * @module
 * The tidy table: one row per method × variant × seed × planned length, in report order. A length
 * a run did not evaluate (it failed, or stopped early) still has its row, with empty metrics.
 */
import type { ResultsDoc, TidyRow } from "../results.ts";
import { sortRuns } from "./summary.ts";

/** Column order of results.csv (the keys of {@link TidyRow}). */
export const TIDY_COLUMNS = [
  "method",
  "variant",
  "seed",
  "length",
  "length_ratio",
  "status",
  "ppl",
  "ppl_ci_low",
  "ppl_ci_high",
  "windows",
  "tokens_scored",
  "passkey_acc",
  "passkey_n",
  "train_tokens",
  "train_seconds",
  "error",
] as const satisfies readonly (keyof TidyRow)[];

/** The tidy rows of `doc`. */
export function tidyRows(doc: ResultsDoc): TidyRow[] {
  const lengths = [...doc.lengths].sort((a, b) => a - b);
  return sortRuns(doc.runs).flatMap((run) =>
    lengths.map((length): TidyRow => {
      const e = run.evals.find((x) => x.length === length);
      return {
        method: run.method,
        variant: run.variant,
        seed: run.seed,
        length,
        length_ratio: length / doc.trainLength,
        status: run.status,
        ppl: e?.ppl ?? null,
        ppl_ci_low: e?.pplCiLow ?? null,
        ppl_ci_high: e?.pplCiHigh ?? null,
        windows: e?.windows ?? null,
        tokens_scored: e?.tokensScored ?? null,
        passkey_acc: e?.passkeyAcc ?? null,
        passkey_n: e ? e.passkey.reduce((s, c) => s + c.n, 0) : null,
        train_tokens: run.trainTokens,
        train_seconds: run.trainSeconds,
        error: run.error ?? "",
      };
    })
  );
}
