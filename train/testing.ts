/**
 * @module
 * Test hooks of @e2llm/train: the f64 reference model the GPU model is checked against.
 */
export { type ReferenceBatch, referenceModel, type ReferenceResult } from "./reference_model.ts";
