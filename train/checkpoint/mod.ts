/**
 * @module
 * Checkpoints: safetensors weights and optimizer state, JSON metadata, SHA-256 checksums,
 * atomic replacement, strict verified loading.
 */
export * from "./atomic.ts";
export * from "./checkpoint.ts";
export * from "./checksum.ts";
export * from "./errors.ts";
export * from "./json.ts";
export * from "./safetensors.ts";
