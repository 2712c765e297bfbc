/**
 * @module
 * Evaluate one checkpoint (a {@link Scorer}) with one encoding at several lengths: perplexity on
 * held-out windows and passkey accuracy by depth, one {@link EvalRecord} per length. At each
 * length L the encoding is asked for `frequencies({seqLength: L})` and `evalPositions({length:
 * L})` (R = the model's training length), and both are handed to the scorer.
 *
 * The encoding is either fixed (a fine-tuned run keeps the factor it was trained with) or chosen
 * per length (e.g. no fine-tuning: factor L/R); in the second case each record carries the config
 * used at its length.
 */
import { type LoadedEncoding, loadEncoding as loadEncodingReal } from "@e2llm/encodings";
import type { Scorer, TokenDocument } from "@e2llm/train";
import type { PositionalInputs } from "./batching.ts";
import { evalPasskey, passkeyAccuracy, type PasskeyOptions } from "./passkey.ts";
import { evalWindows, windowPerplexity, windowsAt } from "./perplexity.ts";
import { evalRetrieval } from "./retrieval/evaluate.ts";
import { fillerStream, type RetrievalEvalOptions } from "./retrieval/evalset.ts";
import { type EvalRecord, EvalRecordSchema } from "./results.ts";

/** An encoding to load: a built-in name, a path or URL, and its config. */
export interface EncodingChoice {
  name: string;
  config: Record<string, unknown>;
}

/** Loads an encoding (`loadEncoding` from encodings/mod.ts, injectable for tests). */
export type EncodingLoader = (name: string, config: unknown) => Promise<LoadedEncoding>;

/** Options of {@link evaluateLengths}. */
export interface EvaluateOptions {
  scorer: Scorer;
  /** Held-out documents (token ids). */
  docs: readonly TokenDocument[];
  /** Lengths L (model inputs per window) to evaluate, in order. */
  lengths: readonly number[];
  /** One encoding for every length, or one per length (recorded in each record). */
  encoding: EncodingChoice | ((length: number) => EncodingChoice);
  /** Windows per length (at least). */
  windows: number;
  /** Evaluate at least this many tokens per length (more windows at short lengths); 0: off. */
  windowTokens?: number;
  /** Sliding-window stride, or null for non-overlapping windows. */
  stride: number | null;
  /** Passkey trials per depth (0: no passkey), depths and key seed. */
  passkey: PasskeyOptions;
  /** Retrieval tasks by distance (eval/retrieval/); absent or 0 trials: not measured. */
  retrieval?: RetrievalEvalOptions;
  /** Default: `loadEncoding` from encodings/mod.ts. */
  loadEncoding?: EncodingLoader;
  /** Called after each length with its record. */
  onRecord?: (record: EvalRecord) => void;
}

/** An evaluation stopped by an error; `completed` holds the lengths it finished. */
export class EvaluationError extends Error {
  override name = "EvaluationError";
  /** Records of the lengths finished before the error. */
  readonly completed: EvalRecord[];
  constructor(message: string, completed: EvalRecord[], cause: unknown) {
    super(message, { cause });
    this.completed = completed;
  }
}

/** The positions, frequencies and q/k scale `encoding` yields for a model at length L. */
export async function positionalInputs(
  encoding: LoadedEncoding,
  model: Scorer["model"],
  length: number,
): Promise<PositionalInputs> {
  const trainLength = model.trainLength;
  const { invFreq, attentionScale } = await encoding.frequencies({
    headDim: model.dModel / model.nHeads,
    base: model.ropeBase,
    trainLength,
    seqLength: length,
  });
  const positions = await encoding.evalPositions({ length, trainLength });
  return { positions, invFreq, attentionScale };
}

/**
 * Evaluate at each length; throws an {@link EvaluationError} carrying the finished records when a
 * length fails.
 */
export async function evaluateLengths(opts: EvaluateOptions): Promise<EvalRecord[]> {
  const load: EncodingLoader = opts.loadEncoding ??
    ((name, config) => loadEncodingReal(name, config));
  const perLength = typeof opts.encoding === "function";
  const choose = (l: number): EncodingChoice =>
    typeof opts.encoding === "function" ? opts.encoding(l) : opts.encoding;
  const records: EvalRecord[] = [];
  let fixed: LoadedEncoding | undefined;
  try {
    for (const length of opts.lengths) {
      const choice = choose(length);
      try {
        let encoding: LoadedEncoding;
        if (perLength) encoding = await load(choice.name, choice.config);
        else encoding = fixed ??= await load(choice.name, choice.config);
        let record: EvalRecord;
        try {
          record = await evaluateLength(opts, encoding, length);
        } finally {
          if (perLength) encoding.close();
        }
        if (perLength) record.encoding = recordedConfig(choice);
        records.push(EvalRecordSchema.parse(record));
        opts.onRecord?.(record);
      } catch (err) {
        throw new EvaluationError(
          `evaluation at length ${length} failed: ${(err as Error)?.message ?? err}`,
          records,
          err,
        );
      }
    }
  } finally {
    fixed?.close();
  }
  return records;
}

async function evaluateLength(
  opts: EvaluateOptions,
  encoding: LoadedEncoding,
  length: number,
): Promise<EvalRecord> {
  const enc = await positionalInputs(encoding, opts.scorer.model, length);
  const windows = evalWindows(
    opts.docs,
    length,
    windowsAt(length, opts.windows, opts.windowTokens ?? 0),
    opts.stride,
  );
  const ppl = await windowPerplexity(opts.scorer, windows, enc);
  const passkey = await evalPasskey(opts.scorer, length, enc, opts.passkey);
  const retrieval = opts.retrieval && opts.retrieval.trials > 0
    ? await evalRetrieval(opts.scorer, length, enc, fillerStream(opts.docs), opts.retrieval)
    : undefined;
  return {
    length,
    ppl: ppl.ppl,
    pplCiLow: ppl.pplCiLow,
    pplCiHigh: ppl.pplCiHigh,
    windows: ppl.windows,
    tokensScored: ppl.tokensScored,
    windowNll: ppl.windowNll,
    passkey,
    passkeyAcc: passkeyAccuracy(passkey),
    ...(retrieval ? { retrieval } : {}),
  };
}

/** The config of a choice as recorded in results (`rope_type` named, JSON only). */
export function recordedConfig(choice: EncodingChoice): NonNullable<EvalRecord["encoding"]> {
  const config = { rope_type: choice.name, ...choice.config };
  return JSON.parse(JSON.stringify(config));
}
