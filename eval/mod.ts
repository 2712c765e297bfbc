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
export * from "./score_text.ts";
export * from "./presets.ts";
export * from "./plan.ts";
export * from "./run_files.ts";
export * from "./compare.ts";
