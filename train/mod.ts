/**
 * @module
 * @e2llm/train: model and optimizer configuration, parameter layout, data + tokenizer,
 * checkpoints and the training loop.
 */
export * from "./config.ts";
export * from "./config_diff.ts";
export * from "./params.ts";
export * from "./schedule.ts";
export * from "./metrics.ts";
export * from "./progress.ts";
export * from "./data/mod.ts";
export * from "./checkpoint/mod.ts";
export * from "./run_config.ts";
export * from "./scoring.ts";
export * from "./model.ts";
export * from "./trainer.ts";
export * from "./run.ts";
export * from "./scorer.ts";
export * from "./reference_model.ts";
export * from "./limits.ts";
export {
  type ClaimOptions,
  claimRunFolder,
  currentOwner,
  describeOwner,
  folderEntries,
  LOCK_FILE,
  lockHolder,
  type LockOptions,
  type LockOwner,
  lockRunFolder,
  processAlive,
  RunFolderError,
  type RunLock,
  withRunLock,
} from "./run_lock.ts";
export * from "./hf/mod.ts";
