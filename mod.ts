/**
 * @module
 * e2llm's public API: encodings, kernels, training and evaluation.
 */
export * from "./kernels/mod.ts";
