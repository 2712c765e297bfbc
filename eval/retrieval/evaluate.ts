/**
 * @module
 * Retrieval accuracy at one length: the fixed samples of {@link retrievalEvalSet} (L + 1 tokens
 * each, read as L inputs and L targets) scored through the same {@link Scorer} and positions as
 * perplexity, then grouped by task and needle–query distance ({@link retrievalCells}).
 */
import { minRetrievalLength, type RetrievalSample, type Scorer } from "@e2llm/train";
import { type PositionalInputs, scoreRows } from "../batching.ts";
import { type RetrievalEvalOptions, retrievalEvalSet } from "./evalset.ts";
import { type AnswerScore, type RetrievalCell, retrievalCells, scoreAnswers } from "./score.ts";

/** Score `samples` (each `length + 1` tokens) and return every answer's score. */
export async function scoreRetrievalSamples(
  scorer: Scorer,
  length: number,
  samples: readonly RetrievalSample[],
  enc: PositionalInputs,
): Promise<AnswerScore[]> {
  const rows = samples.map((s) => {
    if (s.tokens.length !== length + 1) {
      throw new RangeError(
        `a ${s.task} sample has ${s.tokens.length} tokens, expected ${length + 1}`,
      );
    }
    const tokens = Uint32Array.from(s.tokens);
    return { inputs: tokens.subarray(0, length), targets: tokens.subarray(1) };
  });
  const scores = await scoreRows(scorer, length, rows, enc);
  return samples.flatMap((s, i) => scoreAnswers(s, scores[i]));
}

/**
 * Retrieval cells at `length` model inputs over the held-out byte `stream`. Returns [] when
 * `trials` is 0; tasks whose shortest sample exceeds `length + 1` tokens are left out.
 */
export async function evalRetrieval(
  scorer: Scorer,
  length: number,
  enc: PositionalInputs,
  stream: Uint8Array,
  opts: RetrievalEvalOptions,
): Promise<RetrievalCell[]> {
  if (opts.trials === 0 || opts.depths.length === 0 || opts.tasks.length === 0) return [];
  const samples = retrievalEvalSet(
    stream,
    length + 1,
    opts,
    (t) => minRetrievalLength(t, opts.shape) <= length + 1,
  );
  if (samples.length === 0) return [];
  const answers = await scoreRetrievalSamples(scorer, length, samples, enc);
  return retrievalCells(answers, scorer.model.trainLength);
}

/** Whether the base retrieves in-window: exact ≥ `threshold` at distance < R on every task. */
export function inWindowGate(
  cells: readonly RetrievalCell[],
  threshold = 0.9,
): { pass: boolean; perTask: { task: string; exact: number; trials: number }[] } {
  const perTask = cells.filter((c) => c.distance === 1).map((c) => ({
    task: c.task,
    exact: c.exact,
    trials: c.trials,
  }));
  return { pass: perTask.length > 0 && perTask.every((t) => t.exact >= threshold), perTask };
}
