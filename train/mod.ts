/**
 * @module
 * @e2llm/train (filled in by its issue).
 */
export {};
