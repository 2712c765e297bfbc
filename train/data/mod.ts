/**
 * @module
 * Training and evaluation data: the npm corpora cleaned and split by document, the byte
 * tokenizer, seeded resumable training batches with passkey samples mixed in, held-out windows
 * for perplexity, and passkey samples for retrieval evaluation.
 */
import { type BatchOptions, BatchSampler, type SamplerState } from "./batches.ts";
import { type DataConfig, parseDataConfig } from "./config.ts";
import { type Document, loadCorpus } from "./corpus.ts";
import type { TokenDocument } from "./heldout.ts";
import { splitDocuments, type SplitName } from "./split.ts";
import { ByteTokenizer, type Tokenizer } from "./tokenizer.ts";

export * from "./batches.ts";
export * from "./clean.ts";
export * from "./config.ts";
export * from "./corpus.ts";
export * from "./heldout.ts";
export * from "./packages.ts";
export * from "./passkey.ts";
export * from "./retrieval.ts";
export * from "./split.ts";
export * from "./tokenizer.ts";

/** A tokenized document of a split. */
export interface DatasetDocument extends TokenDocument {
  readonly source: Document["source"];
}

/** A corpus ready to train and evaluate on. */
export interface Dataset {
  config: DataConfig;
  tokenizer: Tokenizer;
  splits: Record<SplitName, DatasetDocument[]>;
}

/** Load, clean, split and tokenize the corpus a data config names (input validated with zod). */
export async function prepareData(config: unknown = {}): Promise<Dataset> {
  const parsed = parseDataConfig(config);
  const tokenizer = new ByteTokenizer();
  const split = splitDocuments(await loadCorpus(parsed.corpus), {
    validation: parsed.validationFraction,
    test: parsed.testFraction,
  });
  const tokenize = (docs: Document[]) =>
    docs.map((d) => ({ id: d.id, source: d.source, tokens: tokenizer.encode(d.text) }));
  return {
    config: parsed,
    tokenizer,
    splits: {
      train: tokenize(split.train),
      validation: tokenize(split.validation),
      test: tokenize(split.test),
    },
  };
}

/**
 * The training batch sampler of a dataset: `batchSize` rows of `length` (R) positions, seeded by
 * the data config, or resumed from a saved {@link SamplerState}.
 */
export function createBatchSampler(
  data: Dataset,
  shape: Pick<BatchOptions, "batchSize" | "length">,
  state?: SamplerState,
): BatchSampler {
  return new BatchSampler(data.splits.train.map((d) => d.tokens), {
    ...shape,
    seed: data.config.seed,
    passkeyRate: data.config.passkeyRate,
    passkeyLoss: data.config.passkeyLoss,
    retrieval: {
      rate: data.config.retrievalRate,
      tasks: data.config.retrievalTasks,
      shape: { keyDigits: data.config.keyDigits, recallPairs: data.config.recallPairs },
      answerWeight: data.config.retrievalAnswerWeight,
    },
  }, state);
}
