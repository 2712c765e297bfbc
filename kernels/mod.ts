/**
 * @module
 * The WebGPU backend: device acquisition, buffer pool, pipeline cache, the one-pass step
 * recorder, and the kernels (each with an f64 CPU reference).
 */
export * from "./context.ts";
export * from "./device.ts";
export * from "./pipelines.ts";
export * from "./pool.ts";
export * from "./recorder.ts";
export * from "./staging.ts";
export * from "./tensor.ts";
export * from "./uniforms.ts";
