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

export {
  answerIndices,
  DEFAULT_RETRIEVAL_SHAPE,
  minRetrievalLength,
  NEEDLE_MARKER,
  needleOverhead,
  needleSample,
  needleText,
  passkeyRetrievalSample,
  randomKey,
  randomOrder,
  randomPairs,
  randomRetrievalSample,
  RECALL_NAMES,
  recallOverhead,
  recallSample,
  RETRIEVAL_TASKS,
  type RetrievalAnswer,
  type RetrievalSample,
  retrievalSampleAt,
  type RetrievalShape,
  type RetrievalTask,
} from "./retrieval.ts";
export {
  type Batch,
  type BatchOptions,
  BatchSampler,
  type PasskeyLoss,
  type SamplerState,
} from "./batches.ts";
export {
  decodeLatin1,
  decodeText,
  normalizeNewlines,
  stripGutenbergTail,
  stripLeadingLicence,
  type TextEncodingName,
  trimEnd,
} from "./clean.ts";
export { DataConfig, dataConfigNotes, parseDataConfig } from "./config.ts";
export {
  cleanGutenberg,
  type CorpusName,
  type Document,
  type DocumentSource,
  loadCorpus,
  loadGutenberg,
  loadSotu,
  loadTypeScriptLib,
  loadTypeScriptSources,
  splitBundle,
} from "./corpus.ts";
export {
  type EvalWindow,
  heldOutWindows,
  stackWindows,
  type TokenDocument,
  type WindowOptions,
} from "./heldout.ts";
export {
  CORPUS_PACKAGES,
  type CorpusPackage,
  listPackageDir,
  packageFile,
  readPackageFile,
} from "./packages.ts";
export {
  PASSKEY_DIGITS,
  PASSKEY_FILLER,
  PASSKEY_MIN_LENGTH,
  PASSKEY_QUESTION,
  passkeyEvalSet,
  passkeyNeedle,
  type PasskeySample,
  passkeySample,
  randomPasskey,
  randomPasskeySample,
} from "./passkey.ts";
export {
  fnv1a,
  splitDocuments,
  type SplitFractions,
  type SplitName,
  type Splits,
} from "./split.ts";
export { ByteTokenizer, type Tokenizer } from "./tokenizer.ts";

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
