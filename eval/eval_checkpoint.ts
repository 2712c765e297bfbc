/**
 * @module
 * `deno task eval`: one checkpoint, one encoding, several lengths. Produces an {@link EvalOutput}
 * (JSON; its `evals` are results.ts `EvalRecord`s) and a short table.
 */
import type { DataConfig, TokenDocument } from "@e2llm/train";
import type { Backend } from "./backend.ts";
import { checkpointEncoding } from "./checkpoint_info.ts";
import { type EncodingChoice, type EncodingLoader, evaluateLengths } from "./evaluate.ts";
import { heldOutDescription, heldOutDocuments, type HeldOutSplit } from "./heldout.ts";
import { DEFAULT_PASSKEY_DEPTHS } from "./passkey.ts";
import type { RetrievalEvalOptions } from "./retrieval/evalset.ts";
import { formatRetrievalTable } from "./retrieval/table.ts";
import { scoringDescription } from "./perplexity.ts";
import { encodingAtLength } from "./plan.ts";
import type { EvalProtocol, EvalRecord } from "./results.ts";

/** Options of {@link evalCheckpoint}. */
export interface EvalCheckpointOptions {
  backend: Backend;
  checkpoint: string;
  /** Encoding (default: the one the checkpoint was trained with, from its meta.json). */
  encoding?: EncodingChoice;
  /** Set `factor` to max(1, L/R) at each length L (extension without fine-tuning). */
  factorFromLength?: boolean;
  /** Lengths (default: 1, 2, 4, 8, 16 × R). */
  lengths?: number[];
  stride?: number | null;
  windows?: number;
  windowTokens?: number;
  passkeyTrials?: number;
  passkeyDepths?: number[];
  passkeySeed?: number;
  /** Retrieval samples per task and depth (0 or absent: none), with their tasks and shape. */
  retrieval?: RetrievalEvalOptions;
  split?: HeldOutSplit;
  corpus?: DataConfig["corpus"];
  /** Held-out documents (default: `corpus`'s `split`). */
  docs?: readonly TokenDocument[];
  loadEncoding?: EncodingLoader;
  log?: (line: string) => void;
}

/** What `deno task eval --json` prints. */
export interface EvalOutput {
  checkpoint: string;
  /** The encoding; with `factorFromLength`, each record's `encoding` has the config used. */
  encoding: EncodingChoice & { factorFromLength: boolean };
  /** R: the model's training length. */
  trainLength: number;
  model: { dModel: number; nLayers: number; nHeads: number; vocabSize: number; ropeBase: number };
  protocol: EvalProtocol;
  evals: EvalRecord[];
}

/** Evaluate one checkpoint (see the module doc). */
export async function evalCheckpoint(opts: EvalCheckpointOptions): Promise<EvalOutput> {
  const encoding = opts.encoding ?? await checkpointEncoding(opts.checkpoint);
  const split = opts.split ?? "test";
  const corpus = opts.corpus ?? "text";
  const stride = opts.stride ?? null;
  const passkeyTrials = opts.passkeyTrials ?? 4;
  const docs = opts.docs ?? await heldOutDocuments({ corpus }, split);
  const scorer = await opts.backend.openScorer(opts.checkpoint);
  try {
    const R = scorer.model.trainLength;
    const lengths = opts.lengths ?? [1, 2, 4, 8, 16].map((k) => k * R);
    const factorFromLength = opts.factorFromLength ?? false;
    const run = { ...encoding, factorFromLength };
    const evals = await evaluateLengths({
      scorer,
      docs,
      lengths,
      encoding: factorFromLength ? (l) => encodingAtLength(run, l, R) : encoding,
      windows: opts.windows ?? 16,
      windowTokens: opts.windowTokens ?? 0,
      stride,
      passkey: {
        trials: passkeyTrials,
        depths: opts.passkeyDepths ?? [...DEFAULT_PASSKEY_DEPTHS],
        seed: opts.passkeySeed ?? 1234,
      },
      retrieval: opts.retrieval,
      loadEncoding: opts.loadEncoding,
      onRecord: (e) => opts.log?.(`length ${e.length}: ppl ${e.ppl.toFixed(3)}`),
    });
    const m = scorer.model;
    return {
      checkpoint: opts.checkpoint,
      encoding: run,
      trainLength: R,
      model: {
        dModel: m.dModel,
        nLayers: m.nLayers,
        nHeads: m.nHeads,
        vocabSize: m.vocabSize,
        ropeBase: m.ropeBase,
      },
      protocol: {
        dataset: heldOutDescription(corpus, split),
        scoring: scoringDescription(stride),
        stride,
        ciLevel: 0.95,
        passkeyTrials,
      },
      evals,
    };
  } finally {
    scorer.dispose();
  }
}

/** A short plain-text table of an evaluation: one row per length. */
export function formatEvalTable(out: EvalOutput): string {
  const R = out.trainLength;
  const header = ["length", "×R", "PPL", "95% CI", "windows", "tokens", "passkey"];
  const rows = out.evals.map((e) => [
    String(e.length),
    fmtNum(e.length / R),
    fmtNum(e.ppl),
    `[${fmtNum(e.pplCiLow)}, ${fmtNum(e.pplCiHigh)}]`,
    String(e.windows),
    String(e.tokensScored),
    e.passkeyAcc === null
      ? "—"
      : `${Math.round(e.passkeyAcc * 100)}% (n=${e.passkey.reduce((s, c) => s + c.n, 0)})`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 3 || i === 6 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join("  ").trimEnd();
  const enc = `${out.encoding.name} ${JSON.stringify(out.encoding.config)}` +
    (out.encoding.factorFromLength ? " (factor = L/R)" : "");
  return [
    `checkpoint ${out.checkpoint}, encoding ${enc}, R = ${R}`,
    `${out.protocol.dataset}; scored: ${out.protocol.scoring}`,
    line(header),
    ...rows.map(line),
    ...formatRetrievalTable(out.evals, R),
  ].join("\n");
}

function fmtNum(x: number): string {
  if (Number.isInteger(x)) return String(x);
  return x >= 100 ? x.toFixed(1) : x >= 10 ? x.toFixed(2) : x.toFixed(3);
}
