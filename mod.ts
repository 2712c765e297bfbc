/**
 * @module
 * e2llm's public API: positional encodings, the WebGPU kernels, training and evaluation.
 */
export * from "./encodings/mod.ts";
export * from "./kernels/mod.ts";
export * from "./kernels/ops/mod.ts";
export * from "./train/mod.ts";
export * from "./eval/mod.ts";
