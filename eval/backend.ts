/**
 * @module
 * What the evaluation harness and the compare pipeline need from the training side, as one
 * injectable value: train a run, open a checkpoint for scoring. Tests pass fakes (a count-based
 * CPU scorer, a trainer that writes a tiny folder); the CLI uses {@link defaultBackend}, the real
 * GPU implementations from `train/run.ts` and `train/scorer.ts`.
 */
import { openScorer, trainRun, type TrainRunOptions } from "@e2llm/train";
import type { Scorer, TrainRunResult } from "@e2llm/train";

/** Options of one training run: `config`, `out`, `init` / `resume` (a run folder), `quiet`. */
export type { TrainRunOptions };

/** The training side, as the evaluation harness sees it. */
export interface Backend {
  /** Train (or fine-tune) one run to completion. */
  trainRun(opts: TrainRunOptions): Promise<TrainRunResult>;
  /**
   * Load a checkpoint folder (ours or a Hugging Face LLaMA folder) into a scorer (dispose it when
   * done); `maxRows` (default 8,192) bounds batch · length per call.
   */
  openScorer(checkpointDir: string, maxRows?: number): Promise<Scorer>;
}

/** The real backend: `trainRun` from train/run.ts and `openScorer` from train/scorer.ts. */
export function defaultBackend(): Backend {
  return { trainRun, openScorer: (dir, maxRows) => openScorer(dir, maxRows) };
}
