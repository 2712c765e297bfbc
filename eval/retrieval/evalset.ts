/**
 * @module
 * Fixed retrieval evaluation samples at one length: for each task and depth, `trials` samples
 * with keys from `new Rng(seed)` and book-text filler cut from the held-out documents at offsets
 * drawn from the same RNG (same seed, same samples, for every method compared).
 */
import { Rng } from "@e2llm/encodings";
import {
  type RetrievalSample,
  retrievalSampleAt,
  type RetrievalShape,
  type RetrievalTask,
  type TokenDocument,
} from "@e2llm/train";

/** Options of {@link retrievalEvalSet}. */
export interface RetrievalEvalOptions {
  /** Tasks to evaluate. */
  tasks: readonly RetrievalTask[];
  /** Depths of the needle (or pair block) in [0, 1]. */
  depths: readonly number[];
  /** Samples per task and depth (0: no retrieval evaluation). */
  trials: number;
  /** Seed of keys, names and filler offsets. */
  seed: number;
  /** Key digits and recall pairs (use the training data's). */
  shape: RetrievalShape;
}

/** The held-out documents as one byte stream (documents back to back). */
export function fillerStream(docs: readonly TokenDocument[]): Uint8Array {
  const n = docs.reduce((s, d) => s + d.tokens.length, 0);
  if (n === 0) throw new RangeError("retrieval filler: the held-out documents are empty");
  const out = new Uint8Array(n);
  let at = 0;
  for (const d of docs) {
    for (let i = 0; i < d.tokens.length; i++) out[at + i] = d.tokens[i];
    at += d.tokens.length;
  }
  return out;
}

/** `n` bytes of `stream` from `start`, wrapping around when the stream is shorter. */
function cut(stream: Uint8Array, start: number, n: number): Uint8Array {
  if (start + n <= stream.length) return stream.subarray(start, start + n);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = stream[(start + i) % stream.length];
  return out;
}

/**
 * The samples of `length` tokens (model inputs + 1), ordered task-major, then depth, then trial.
 * Samples that do not fit `length` for a task are skipped (that task yields none).
 */
export function retrievalEvalSet(
  stream: Uint8Array,
  length: number,
  opts: RetrievalEvalOptions,
  fits: (task: RetrievalTask) => boolean,
): RetrievalSample[] {
  const out: RetrievalSample[] = [];
  for (const task of opts.tasks) {
    if (!fits(task)) continue;
    const rng = new Rng(opts.seed + 7919 * (1 + ["needle", "recall", "passkey"].indexOf(task)));
    for (const depth of opts.depths) {
      for (let i = 0; i < opts.trials; i++) {
        const start = rng.int(0, Math.max(0, stream.length - 1));
        out.push(
          retrievalSampleAt(rng, task, length, depth, cut(stream, start, length), opts.shape),
        );
      }
    }
  }
  return out;
}
