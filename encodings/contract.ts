/**
 * The positional-encoding contract: what a built-in encoding or a plugin implements.
 *
 * Data flows one way: an encoding yields inverse frequencies, a q/k attention scale and position
 * ids; the RoPE kernel rotates pair j of the token at position p by the angle p·invFreq[j]
 * (rotate-half layout) and multiplies q and k by `attentionScale`. An encoding knows nothing about
 * GPUs, so a plugin loaded from a URL runs on the shared backend without writing WGSL.
 *
 * Everything here is synchronous and pure, which is what a plugin author writes. Callers (train,
 * eval) do not call these methods directly: they use a {@link LoadedEncoding} from
 * `loadEncoding()`, whose methods are async (a plugin answers from a sandbox process), always
 * present (defaults filled in) and validated.
 *
 * @module
 */

/** What {@link PositionalEncoding.frequencies} is told. */
export interface FrequencyContext {
  /** Head dimension d (even); the result has d/2 entries. */
  headDim: number;
  /** The model's RoPE base θ (`rope_theta`, 10000 in LLaMA-2). */
  base: number;
  /** The length R the model was (pre)trained at, `original_max_position_embeddings` by default. */
  trainLength: number;
  /** The length of the sequence being processed now (dynamic NTK recomputes its base from it). */
  seqLength: number;
}

/** Per-pair inverse frequencies and the q/k scale. */
export interface Frequencies {
  /** d/2 positive finite inverse frequencies θ_j, pair j = 0 … d/2−1 (θ_0 is the highest). */
  invFreq: Float64Array;
  /**
   * The factor q and k are BOTH multiplied by (so the logits scale by its square), e.g. YaRN's
   * 0.1·ln(s)+1; 1 for plain RoPE. Same convention as Hugging Face's `attention_factor`.
   */
  attentionScale: number;
}

/** What {@link PositionalEncoding.trainPositions} is told. */
export interface TrainPositionContext {
  /** Number of tokens in the training sample (≤ trainLength in practice). */
  length: number;
  /** The training length R. */
  trainLength: number;
  /** Uniform random numbers in [0, 1): the only randomness an encoding may use (seeded). */
  random: () => number;
}

/** What {@link PositionalEncoding.evalPositions} is told. */
export interface EvalPositionContext {
  /**
   * Number of tokens evaluated, which is also the target length the encoding adapts to (E² picks
   * its scale g from it; frequencies() is called with `seqLength` equal to it).
   */
  length: number;
  /** The training length R. */
  trainLength: number;
}

/**
 * A positional encoding as a plugin author writes it: pure, synchronous functions. Optional methods
 * default to position ids 0 … n−1 (see {@link trainPositionsOf}, {@link evalPositionsOf}).
 */
export interface PositionalEncoding {
  /** Short name, shown in logs and reports. */
  readonly name: string;
  /** Per-pair inverse frequencies and the q/k scale for a sequence of `seqLength` tokens. */
  frequencies(ctx: FrequencyContext): Frequencies;
  /** Position ids for one training sample (E², PoSE, randomized positions override this). */
  trainPositions?(ctx: TrainPositionContext): Float64Array;
  /** Position ids at evaluation (E² divides by the g it picks from the target length). */
  evalPositions?(ctx: EvalPositionContext): Float64Array;
}

/** The position ids 0, 1, …, n−1. */
export function arange(n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

/** `encoding.trainPositions(ctx)`, or 0 … n−1 when the encoding does not define it. */
export function trainPositionsOf(
  encoding: PositionalEncoding,
  ctx: TrainPositionContext,
): Float64Array {
  return encoding.trainPositions ? encoding.trainPositions(ctx) : arange(ctx.length);
}

/** `encoding.evalPositions(ctx)`, or 0 … n−1 when the encoding does not define it. */
export function evalPositionsOf(
  encoding: PositionalEncoding,
  ctx: EvalPositionContext,
): Float64Array {
  return encoding.evalPositions ? encoding.evalPositions(ctx) : arange(ctx.length);
}

/** What {@link LoadedEncoding.trainPositions} is told: like the plugin's, with a seed instead. */
export interface SeededTrainPositionContext {
  /** Number of tokens in the training sample. */
  length: number;
  /** The training length R. */
  trainLength: number;
  /**
   * A u32 seed for this sample (e.g. `rng.nextU32()` from the loop's Rng); the encoding sees
   * `new Rng(seed).random`, so the same seed gives the same ids, in-process or sandboxed.
   */
  seed: number;
}

/**
 * An encoding ready for a training or evaluation loop, whatever its source (built-in, file, URL):
 * async because a plugin answers from a sandbox process; every method present (defaults filled);
 * every result validated (lengths, finite numbers, positive frequencies). `await close()` (or
 * `await using`) when done: a sandboxed plugin holds a child process.
 */
export interface LoadedEncoding {
  /** The encoding's own name. */
  readonly name: string;
  /** Where it came from: `builtin:<name>` or the plugin's URL. */
  readonly source: string;
  /** See {@link PositionalEncoding.frequencies}. */
  frequencies(ctx: FrequencyContext): Promise<Frequencies>;
  /** See {@link PositionalEncoding.trainPositions}; deterministic in `seed`. */
  trainPositions(ctx: SeededTrainPositionContext): Promise<Float64Array>;
  /** See {@link PositionalEncoding.evalPositions}. */
  evalPositions(ctx: EvalPositionContext): Promise<Float64Array>;
  /** Stop the sandbox (nothing to stop for built-ins); later calls reject. */
  close(): Promise<void>;
  /** Same as {@link close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}
