/**
 * @module
 * @e2llm/encodings (filled in by its issue).
 */
export {};
