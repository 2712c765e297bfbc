/**
 * @module
 * Keeps the last opened scorer, so that consecutive evaluations of one checkpoint load it once.
 */
import type { Scorer } from "@e2llm/train";
import type { Backend } from "./backend.ts";

/** The last opened scorer of a backend; {@link ScorerCache.release} before training. */
export class ScorerCache {
  #dir: string | undefined;
  #scorer: Scorer | undefined;
  readonly #backend: Backend;

  /** A cache opening scorers with `backend`. */
  constructor(backend: Backend) {
    this.#backend = backend;
  }

  /** The scorer of the checkpoint in `dir` (the held one when it is the same checkpoint). */
  async open(dir: string): Promise<Scorer> {
    if (this.#scorer && this.#dir === dir) return this.#scorer;
    this.release();
    this.#scorer = await this.#backend.openScorer(dir);
    this.#dir = dir;
    return this.#scorer;
  }

  /** Dispose the held scorer (before training, and at the end). */
  release(): void {
    this.#scorer?.dispose();
    this.#scorer = undefined;
    this.#dir = undefined;
  }
}
