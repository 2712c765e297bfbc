/**
 * @module
 * Every kernel wrapper: record an op onto a {@link Recorder}; each has an f64 reference in
 * `kernels/ref/`.
 */
export * from "./adamw.ts";
export * from "./attention.ts";
export * from "./cross_entropy.ts";
export * from "./elementwise.ts";
export * from "./embedding.ts";
export * from "./matmul.ts";
export * from "./reduce.ts";
export * from "./rmsnorm.ts";
export * from "./rope.ts";
export * from "./swiglu.ts";
