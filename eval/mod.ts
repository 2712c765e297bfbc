/**
 * @module
 * @e2llm/eval: results schema, report writers (and, later, the evaluation harness).
 */
export * from "./report/mod.ts";
