/**
 * Training batches: `batchSize` rows of `length + 1` tokens (inputs and next-token targets), each
 * row a window of one training document drawn uniformly over all window starts (so documents are
 * weighted by length; documents shorter than `length + 1` tokens are never drawn), or — with
 * probability `passkeyRate` — a passkey sample at a random depth, or — with probability
 * `retrieval.rate` among the other rows — a needle / recall / passkey sample from
 * data/retrieval.ts whose loss falls on its answer bytes only. Everything random comes from
 * one {@link Rng}, so the stream is fixed by the seed, and {@link BatchSampler.state} (the RNG
 * words and a batch counter, plain JSON) resumes it exactly.
 */
import { Rng } from "@e2llm/encodings";
import { PASSKEY_MIN_LENGTH, randomPasskeySample } from "./passkey.ts";
import {
  answerIndices,
  minRetrievalLength,
  randomRetrievalSample,
  type RetrievalShape,
  type RetrievalTask,
} from "./retrieval.ts";

/** Which targets of a passkey row count in the loss: all of them, or only the 5 answer digits. */
export type PasskeyLoss = "all" | "answer";

/** What the sampler draws. */
export interface BatchOptions {
  /** Rows per batch (B). */
  batchSize: number;
  /** Tokens per row fed to the model (R); each row holds R + 1 tokens. */
  length: number;
  /** Seed of the sampler's RNG (ignored when resuming from a state). */
  seed: number;
  /** Probability that a row is a passkey sample instead of text, in [0, 1]. */
  passkeyRate: number;
  /** Loss positions of passkey rows. */
  passkeyLoss: PasskeyLoss;
  /**
   * Retrieval rows (answer-only loss): with probability `rate`, a row that is not a passkey row is
   * a sample of one of `tasks` (drawn uniformly) with book-text filler from a training window.
   * Absent or rate 0: no retrieval rows and no extra random draws.
   */
  retrieval?: {
    rate: number;
    tasks: readonly RetrievalTask[];
    shape: RetrievalShape;
    /** Loss weight of an answer byte (a text target weighs 1); default 1. */
    answerWeight?: number;
  };
}

/** The sampler's resumable state: JSON-serialisable. */
export interface SamplerState {
  /** The RNG's four u32 words. */
  rng: number[];
  /** Batches drawn so far. */
  batches: number;
}

/** One batch, row-major `[batchSize, length]`. */
export interface Batch {
  /** Index of this batch in the stream (0 for the first). */
  index: number;
  batchSize: number;
  length: number;
  /** Token ids fed to the model. */
  inputs: Uint32Array;
  /** The next token at every input position. */
  targets: Uint32Array;
  /** Loss weight of each target: 1 where it counts, 0 where not, `answerWeight` on retrieval answers. */
  lossMask: Float32Array;
  /** 1 where the target is a passkey or retrieval answer byte (whatever the loss is), else 0. */
  answerMask: Uint8Array;
  /** Whether each row is a passkey sample. */
  passkey: boolean[];
  /** The retrieval task of each row, or null for text and passkey rows. */
  retrieval: (RetrievalTask | null)[];
}

/** Draws {@link Batch}es from training documents (their byte tokens). */
export class BatchSampler {
  readonly options: Readonly<BatchOptions>;
  #rng: Rng;
  #batches: number;
  #data: Uint8Array;
  /** Per document: offset into #data, and cumulative count of window starts up to and incl. it. */
  #offsets: number[] = [];
  #cumStarts: number[] = [];
  #totalStarts = 0;

  /** `state` (from {@link BatchSampler.state}) resumes a stream; otherwise it starts at `seed`. */
  constructor(docs: readonly Uint8Array[], options: BatchOptions, state?: SamplerState) {
    const { batchSize, length, passkeyRate, passkeyLoss } = options;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
    }
    if (!Number.isInteger(length) || length < 1) {
      throw new RangeError(`length must be a positive integer, got ${length}`);
    }
    if (!(passkeyRate >= 0 && passkeyRate <= 1)) {
      throw new RangeError(`passkeyRate must be in [0, 1], got ${passkeyRate}`);
    }
    if (passkeyRate > 0 && length + 1 < PASSKEY_MIN_LENGTH) {
      throw new RangeError(
        `length ${length} is too short for passkey rows (they need ${PASSKEY_MIN_LENGTH} tokens, ` +
          `length ≥ ${PASSKEY_MIN_LENGTH - 1}); set passkeyRate to 0`,
      );
    }
    if (passkeyLoss !== "all" && passkeyLoss !== "answer") {
      throw new RangeError(`passkeyLoss must be "all" or "answer", got ${passkeyLoss}`);
    }
    const r = options.retrieval;
    if (r && r.rate > 0) {
      if (!(r.rate <= 1)) throw new RangeError(`retrieval rate must be in [0, 1], got ${r.rate}`);
      if (r.tasks.length === 0) throw new RangeError("retrieval rate > 0 needs at least one task");
      for (const t of r.tasks) {
        const min = minRetrievalLength(t, r.shape);
        if (length + 1 < min) {
          throw new RangeError(
            `length ${length} is too short for ${t} rows (they need ${min} tokens); ` +
              `lower retrievalRate to 0 or drop ${t}`,
          );
        }
      }
    } else if (r && !(r.rate >= 0)) {
      throw new RangeError(`retrieval rate must be in [0, 1], got ${r.rate}`);
    }
    this.options = { ...options };
    this.#data = new Uint8Array(docs.reduce((n, d) => n + d.length, 0));
    let at = 0;
    for (const d of docs) {
      this.#data.set(d, at);
      this.#offsets.push(at);
      this.#totalStarts += Math.max(0, d.length - length);
      this.#cumStarts.push(this.#totalStarts);
      at += d.length;
    }
    if (this.#totalStarts === 0 && passkeyRate < 1) {
      throw new RangeError(`no training document has the ${length + 1} tokens a window needs`);
    }
    if (state) {
      if (!Number.isInteger(state.batches) || state.batches < 0) {
        throw new RangeError(`sampler state has a bad batch counter ${state.batches}`);
      }
      this.#rng = new Rng(state.rng);
      this.#batches = state.batches;
    } else {
      this.#rng = new Rng(options.seed);
      this.#batches = 0;
    }
  }

  /** The state to save in a checkpoint; `new BatchSampler(docs, options, state)` continues. */
  get state(): SamplerState {
    return { rng: this.#rng.state, batches: this.#batches };
  }

  /** Number of distinct text windows (window starts over all documents). */
  get windowCount(): number {
    return this.#totalStarts;
  }

  /** Draw the next batch. */
  next(): Batch {
    const { batchSize: B, length: R, passkeyRate, passkeyLoss } = this.options;
    const inputs = new Uint32Array(B * R);
    const targets = new Uint32Array(B * R);
    const lossMask = new Float32Array(B * R);
    const answerMask = new Uint8Array(B * R);
    const passkey: boolean[] = [];
    const retrieval: (RetrievalTask | null)[] = [];
    const r = this.options.retrieval;
    for (let b = 0; b < B; b++) {
      const isPasskey = this.#rng.next() < passkeyRate;
      passkey.push(isPasskey);
      const task = !isPasskey && r && r.rate > 0 && this.#rng.next() < r.rate
        ? r.tasks[this.#rng.int(0, r.tasks.length - 1)]
        : null;
      retrieval.push(task);
      let row: Uint8Array;
      if (task !== null) {
        const filler = task === "passkey" ? new Uint8Array(0) : this.#window();
        const sample = randomRetrievalSample(this.#rng, task, R + 1, filler, r!.shape);
        row = sample.tokens;
        for (const i of answerIndices(sample)) {
          answerMask[b * R + i - 1] = 1;
          lossMask[b * R + i - 1] = r!.answerWeight ?? 1;
        }
      } else if (isPasskey) {
        const sample = randomPasskeySample(this.#rng, R + 1);
        row = sample.tokens;
        for (const i of sample.answerIndices) answerMask[b * R + i - 1] = 1;
        if (passkeyLoss === "answer") {
          for (const i of sample.answerIndices) lossMask[b * R + i - 1] = 1;
        } else lossMask.fill(1, b * R, (b + 1) * R);
      } else {
        row = this.#window();
        lossMask.fill(1, b * R, (b + 1) * R);
      }
      for (let t = 0; t < R; t++) {
        inputs[b * R + t] = row[t];
        targets[b * R + t] = row[t + 1];
      }
    }
    const index = this.#batches++;
    return {
      index,
      batchSize: B,
      length: R,
      inputs,
      targets,
      lossMask,
      answerMask,
      passkey,
      retrieval,
    };
  }

  /** A uniformly drawn window of R + 1 tokens. */
  #window(): Uint8Array {
    const g = Math.floor(this.#rng.next() * this.#totalStarts);
    let lo = 0, hi = this.#cumStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#cumStarts[mid] > g) hi = mid;
      else lo = mid + 1;
    }
    const before = lo ? this.#cumStarts[lo - 1] : 0;
    const start = this.#offsets[lo] + (g - before);
    return this.#data.subarray(start, start + this.options.length + 1);
  }
}
