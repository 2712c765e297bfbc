/**
 * @module
 * @e2llm/encodings — positional encodings for RoPE models: the plugin contract, strict configs with
 * Hugging Face `rope_scaling` names, the built-ins (default, linear, ntk, dynamic, yarn, e2, pose,
 * randomized) and loading of plugins from a path or URL into a permission-less sandbox process.
 *
 * Importable on its own by URL: relative imports and full `npm:` specifiers only.
 *
 * ```ts
 * const enc = await loadEncoding("yarn", { factor: 4 });
 * const { invFreq, attentionScale } = await enc.frequencies({ headDim: 64, base: 10000, trainLength: 128, seqLength: 512 });
 * const ids = await enc.trainPositions({ length: 128, trainLength: 128, seed: rng.nextU32() });
 * await enc.close();
 * ```
 */
export {
  arange,
  type EvalPositionContext,
  evalPositionsOf,
  type Frequencies,
  type FrequencyContext,
  type LoadedEncoding,
  type PositionalEncoding,
  type SeededTrainPositionContext,
  type TrainPositionContext,
  trainPositionsOf,
} from "./contract.ts";
export {
  type ConfigOptions,
  createEncoding,
  EncodingConfigError,
  isPlainObject,
  normalizeRopeType,
  type ParsedEncodingConfig,
  parseEncodingConfig,
} from "./config.ts";
export type { Exact } from "./exact.ts";
export { builtinEncodings, builtinNames, findBuiltin } from "./registry.ts";
export { wrapEncoding } from "./loaded.ts";
export { type EncodingSpec, loadEncoding, type LoadOptions, resolveEncodingSpec } from "./load.ts";
export {
  DEFAULT_PLUGIN_MEMORY_MB,
  EncodingPluginError,
  loadSandboxedEncoding,
  pluginMemoryLimitMb,
  type SandboxOptions,
} from "./sandbox.ts";
export { decodeWire, encodeWire, readLines, WIRE_PREFIX } from "./wire.ts";
export {
  CHECK_FREQUENCY_CONTEXTS,
  CHECK_LENGTHS,
  checkEncoding,
  type CheckItem,
  type CheckReport,
} from "./check.ts";
export {
  checkFrequencyContext,
  checkLength,
  checkPositionContext,
  checkSeed,
  validateFrequencies,
  validatePositions,
} from "./validate.ts";
export { ntkInvFreq, ropeInvFreq } from "./rope.ts";
export { Rng } from "./random.ts";
export { type BuiltinEncoding, randomInt } from "./builtin/define.ts";
export { type DefaultConfig, defaultEncoding } from "./builtin/default.ts";
export { type LinearConfig, linearEncoding } from "./builtin/linear.ts";
export { type NtkConfig, ntkEncoding } from "./builtin/ntk.ts";
export { type DynamicConfig, dynamicEncoding } from "./builtin/dynamic.ts";
export {
  yarnAttentionFactor,
  type YarnConfig,
  yarnCorrectionRange,
  yarnEncoding,
} from "./builtin/yarn.ts";
export {
  drawE2Sample,
  E2_DEFAULT_MAX_SCALE,
  E2_DEFAULT_SINK_TOKENS,
  type E2Config,
  e2Encoding,
  e2EvalScale,
  e2Positions,
  type E2Sample,
  e2ScaleDistribution,
} from "./builtin/e2.ts";
export {
  type PoseConfig,
  poseEncoding,
  poseTrainPositions,
  scaledFrequencies,
} from "./builtin/pose.ts";
export {
  type RandomizedConfig,
  randomizedEncoding,
  sortedSampleWithoutReplacement,
} from "./builtin/randomized.ts";
