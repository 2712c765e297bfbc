/**
 * @module
 * Every kernel wrapper: record an op onto a {@link Recorder}; each has an f64 reference in
 * `kernels/ref/`.
 */
export {
  adamw,
  ADAMW_HYPER,
  ADAMW_HYPER_LENGTH,
  adamwHyper,
  type AdamWOptions,
  type AdamWSettings,
  CLIP,
  gradNormClip,
} from "./adamw.ts";
export {
  attention,
  attentionBackward,
  type AttentionOptions,
  type AttentionTiles,
  attentionTiles,
  MAX_HEAD_DIM,
} from "./attention.ts";
export { crossEntropy, type CrossEntropyOptions } from "./cross_entropy.ts";
export { add, copy, fill, scale } from "./elementwise.ts";
export { embedding, embeddingBackward, embeddingBackwardScratchLength } from "./embedding.ts";
export {
  defaultMatmulVariant,
  formatVariant,
  matmul,
  MATMUL_TUNE_KEY,
  type MatmulOptions,
  type MatmulProblem,
  matmulProblem,
  matmulShapeClass,
  type MatmulSource,
  type MatmulVariant,
  type OperandPanels,
  operandPanels,
  subgroupOk,
  textureApplicable,
  type Transpose,
} from "./matmul.ts";
export {
  finishShader,
  partialLayout,
  recordPartials,
  REDUCE_SCRATCH_LENGTH,
  type ReduceOptions,
  type ReduceTerm,
  sum,
  sumOfSquares,
  weightedSum,
} from "./reduce.ts";
export {
  rmsnorm,
  rmsnormBackward,
  type RmsnormBackwardOptions,
  rmsnormBackwardScratchLength,
} from "./rmsnorm.ts";
export {
  ROPE_SPLIT_BACKWARD_VEC4_WGSL,
  ROPE_SPLIT_BACKWARD_WGSL,
  ROPE_SPLIT_VEC4_WGSL,
  ROPE_SPLIT_WGSL,
  type RopeOptions,
  ropeSplit,
  ropeSplitBackward,
} from "./rope.ts";
export { swiglu, swigluBackward } from "./swiglu.ts";
