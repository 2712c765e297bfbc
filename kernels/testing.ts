/**
 * @module
 * Test hooks and f64 CPU references of the kernels.
 */
export { setTextureStaging } from "./staging.ts";
export { forgetTileCaches } from "./autotune.ts";
export { forgetTileFiles, tileFilesOf } from "./context.ts";
export { declaredUniforms } from "./uniforms.ts";
export { adamwRefStep, gradNormClipRef } from "./ref/adamw.ts";
export { attentionBackwardRef, type AttentionDims, attentionRef } from "./ref/attention.ts";
export { crossEntropyRef } from "./ref/cross_entropy.ts";
export { addRef, fillRef, scaleRef } from "./ref/elementwise.ts";
export { embeddingBackwardRef, embeddingRef } from "./ref/embedding.ts";
export {
  matmulBackwardRef,
  matmulRef,
  type RefMatmulDims,
  type RefTranspose,
} from "./ref/matmul.ts";
export { sumOfSquaresRef, sumRef, weightedSumRef } from "./ref/reduce.ts";
export { rmsnormBackwardRef, rmsnormRef } from "./ref/rmsnorm.ts";
export { ropeAngleRef, type RopeDims, ropeSplitBackwardRef, ropeSplitRef } from "./ref/rope.ts";
export { swigluBackwardRef, swigluRef } from "./ref/swiglu.ts";
