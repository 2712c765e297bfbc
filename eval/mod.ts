/**
 * @module
 * @e2llm/eval (filled in by its issue).
 */
export {};
