/**
 * The contract between a trained model and the evaluation harness: score next-token predictions
 * for a batch of sequences under the positions and frequencies an encoding chose.
 */
import type { ModelConfig } from "./config.ts";

/** One scoring call: `batch` sequences of `length` tokens. */
export interface ScoreBatch {
  batch: number;
  length: number;
  /** Input token ids, [batch · length]. */
  inputs: Uint32Array;
  /** Next-token targets, [batch · length]. */
  targets: Uint32Array;
  /** Position ids per token, [batch · length] (scaled/shifted positions allowed). */
  positions: Float32Array | Float64Array;
  /** Per-pair inverse frequencies, [headDim / 2]. */
  invFreq: Float32Array | Float64Array;
  /** The factor q and k are both multiplied by. */
  attentionScale: number;
}

/** Per-token results of a {@link ScoreBatch}, [batch · length] each. */
export interface TokenScores {
  /** Negative log-likelihood of each target (natural log). */
  nll: Float32Array;
  /** 1 where the arg-max prediction equals the target (ties: lowest id), else 0. */
  hit: Uint8Array;
}

/** A loaded model that scores batches on the GPU. */
export interface Scorer {
  readonly model: ModelConfig;
  /** The most tokens (batch · length) one {@link score} call of several rows accepts. */
  readonly maxTokens: number;
  /**
   * The longest single row a call accepts (absent: `maxTokens`). A row longer than `maxTokens`
   * is scored alone, on buffers grown to its length (attention keeps O(T) memory).
   */
  readonly maxRowLength?: number;
  score(batch: ScoreBatch): Promise<TokenScores>;
  /** Free GPU buffers. */
  dispose(): void;
}

/** What a finished (or resumed) training run reports. */
export interface TrainRunResult {
  outDir: string;
  /** The final checkpoint folder (loadable by the scorer and by `--init` / `--resume`). */
  checkpointDir: string;
  steps: number;
  /** Tokens processed by this run (batch · seqLength · steps), resumed parts included. */
  trainTokens: number;
  /** Wall-clock seconds of training in this process. */
  trainSeconds: number;
  lossCurve: { step: number; loss: number }[];
  finalLoss: number;
}
