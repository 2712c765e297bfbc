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
export * from "./contract.ts";
export * from "./config.ts";
export * from "./registry.ts";
export * from "./loaded.ts";
export * from "./load.ts";
export * from "./sandbox.ts";
export * from "./wire.ts";
export * from "./check.ts";
export * from "./validate.ts";
export * from "./rope.ts";
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
