/**
 * @module
 * Per-token scoring of a text file: `deno task eval --checkpoint <dir> --text-file <file> --json`.
 * Tokenised by the folder's `tokenizer.json` when it has one (see train/hf/text_tokenizer.ts),
 * else by bytes.
 * The whole file is one sequence at its natural positions 0 … n−2 (as the encoding maps them at
 * length n − 1); each of the n − 1 next-token predictions gets its NLL.
 */
import { loadTextTokenizer } from "@e2llm/train";
import { loadEncoding as loadEncodingReal } from "@e2llm/encodings";
import type { Backend } from "./backend.ts";
import { checkpointEncoding } from "./checkpoint_info.ts";
import { type EncodingChoice, type EncodingLoader, positionalInputs } from "./evaluate.ts";

/** What `eval --text-file --json` prints. */
export interface TextScore {
  checkpoint: string;
  textFile: string;
  encoding: EncodingChoice;
  /** "bytes" or "tokenizer.json". */
  tokenizer: string;
  /** Tokens in the file (n); n − 1 are predicted. */
  tokens: number;
  /** NLL (natural log) of each predicted token 1 … n−1. */
  nll: number[];
  /** exp(mean NLL). */
  ppl: number;
}

/** Options of {@link scoreTextFile}. */
export interface ScoreTextOptions {
  backend: Backend;
  checkpoint: string;
  textFile: string;
  /** Default: the checkpoint's own encoding. */
  encoding?: EncodingChoice;
  loadEncoding?: EncodingLoader;
}

/** Score a text file as one sequence (see the module doc). */
export async function scoreTextFile(opts: ScoreTextOptions): Promise<TextScore> {
  const text = await Deno.readTextFile(opts.textFile);
  const tokenizer = await loadTextTokenizer(opts.checkpoint);
  const ids = tokenizer.encode(text);
  if (ids.length < 2) {
    throw new Error(`--text-file ${opts.textFile}: ${ids.length} tokens, need at least 2`);
  }
  const encoding = opts.encoding ?? await checkpointEncoding(opts.checkpoint);
  const load = opts.loadEncoding ?? ((name, config) => loadEncodingReal(name, config));
  const length = ids.length - 1;
  const scorer = await opts.backend.openScorer(opts.checkpoint, length);
  try {
    const top = ids.reduce((a, b) => Math.max(a, b), 0);
    if (top >= scorer.model.vocabSize) {
      throw new Error(
        `checkpoint ${opts.checkpoint}: the ${tokenizer.kind} tokenizer gives id ${top}, ` +
          `outside the model's vocabulary of ${scorer.model.vocabSize}`,
      );
    }
    if (length > scorer.maxTokens) {
      throw new Error(
        `--text-file ${opts.textFile}: ${length + 1} tokens; the scorer takes at most ` +
          `${scorer.maxTokens + 1}`,
      );
    }
    const enc = await load(encoding.name, encoding.config);
    const pos = await positionalInputs(enc, scorer.model, length);
    const scores = await scorer.score({
      batch: 1,
      length,
      inputs: Uint32Array.from(ids.subarray(0, length)),
      targets: Uint32Array.from(ids.subarray(1)),
      positions: pos.positions,
      invFreq: pos.invFreq,
      attentionScale: pos.attentionScale,
    });
    const nll = [...scores.nll];
    const mean = nll.reduce((a, b) => a + b, 0) / nll.length;
    return {
      checkpoint: opts.checkpoint,
      textFile: opts.textFile,
      encoding,
      tokenizer: tokenizer.kind,
      tokens: ids.length,
      nll,
      ppl: Math.exp(mean),
    };
  } finally {
    scorer.dispose();
  }
}
