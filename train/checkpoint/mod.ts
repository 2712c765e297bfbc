/**
 * @module
 * Checkpoints: safetensors weights and optimizer state, JSON metadata, SHA-256 checksums,
 * atomic replacement, strict verified loading.
 */
export { oldPath, replaceDirAtomic, resolveCommitted, writeFileSynced } from "./atomic.ts";
export {
  type Checkpoint,
  CHECKPOINT_FILES,
  type CheckpointInput,
  loadCheckpoint,
  type LoadExpectations,
  type OptimizerState,
  type OptimizerStateInput,
  saveCheckpoint,
  type SaveOptions,
  verifyCheckpoint,
} from "./checkpoint.ts";
export { formatSums, parseSums, sha256Hex, SUMS_FILE } from "./checksum.ts";
export { CheckpointError, type CheckpointErrorKind } from "./errors.ts";
export {
  type Json,
  type JsonDifference,
  jsonDifferences,
  type JsonObject,
  show,
  toJson,
} from "./json.ts";
export {
  decodeSafetensors,
  encodeSafetensors,
  type F32Tensor,
  type SafetensorsFile,
  tensorEntries,
  type TensorInput,
} from "./safetensors.ts";
