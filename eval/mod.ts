/**
 * @module
 * @e2llm/eval: the evaluation harness (perplexity with confidence intervals, passkey retrieval),
 * the comparison pipeline behind `deno task compare` (presets, plan, resumable execution), the
 * results schema and the report writers.
 */
export * from "./report/mod.ts";
export * from "./backend.ts";
export * from "./batching.ts";
export * from "./perplexity.ts";
export * from "./passkey.ts";
export * from "./evaluate.ts";
export * from "./heldout.ts";
export * from "./checkpoint_info.ts";
export * from "./eval_checkpoint.ts";
export * from "./methods.ts";
export * from "./score_text.ts";
export * from "./presets.ts";
export * from "./plan.ts";
export * from "./run_files.ts";
export * from "./compare.ts";
export {
  type Cell,
  CELL_STAGES,
  cellDone,
  type CellOutcome,
  type CellStage,
  planCells,
  refuseWholeRun,
  runCell,
  type RunCellOptions,
  selectCell,
} from "./cells.ts";
export {
  arraySpec,
  cellLog,
  queuedJobs,
  requireOnPath,
  type SlurmSubmitOptions,
  type SlurmWaitOptions,
  submitSlurm,
  type SubmittedJob,
  waitSlurm,
} from "./slurm.ts";
export { trialsToSeparate, wilson, type WilsonInterval, Z95 } from "./retrieval/wilson.ts";
export {
  type AnswerScore,
  distanceBucket,
  type RetrievalCell,
  retrievalCells,
  scoreAnswers,
} from "./retrieval/score.ts";
export { fillerStream, type RetrievalEvalOptions, retrievalEvalSet } from "./retrieval/evalset.ts";
export { evalRetrieval, inWindowGate, scoreRetrievalSamples } from "./retrieval/evaluate.ts";
