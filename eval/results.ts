/**
 * @module
 * The results record that `deno task compare` (and `deno task eval`) write, one `results.json` per
 * output folder, and that `deno task report` reads. A folder may hold a *partial* sweep (some
 * methods, some seeds); `deno task report --merge` combines folders.
 *
 * Conventions the compare pipeline follows:
 * - one record in `runs` per method × variant × seed; `variant` names what differs within a
 *   method: `finetuned` / `no-finetune`, and for E² the inference scale `g=auto` (g from the
 *   target length) / `g=1`;
 * - every run is evaluated at the planned `lengths` (1×–16× `trainLength`); a run that fails keeps
 *   the evaluations it finished, `status: "failed"` and its `error`;
 * - variants that evaluate one fine-tuned checkpoint (E² `g=auto` and `g=1`) carry the same
 *   `trainRef`, so the report counts that training cost once.
 *
 * Objects are strict: an unknown key is an error naming it. `rows` (the tidy table) is derived by
 * the report writer; a reader ignores it and recomputes it from `runs`.
 */
import { z } from "zod";
import type { Exact } from "@e2llm/encodings";
import { type Json, RETRIEVAL_TASKS } from "@e2llm/train";
import type { RetrievalCell } from "./retrieval/score.ts";

/** Version of this schema, written as `schemaVersion`. */
export const RESULTS_SCHEMA_VERSION = 1;

/** Variant names the compare pipeline uses (free strings are allowed; these are the conventions). */
export const VARIANTS = {
  finetuned: "finetuned",
  noFinetune: "no-finetune",
  gAuto: "g=auto",
  g1: "g=1",
} as const;

const finite = z.number().refine(Number.isFinite, "must be a finite number");
const positive = finite.refine((x) => x > 0, "must be > 0");
const nonNegative = finite.refine((x) => x >= 0, "must be >= 0");
const count = z.number().int().nonnegative();
const fraction = finite.refine((x) => x >= 0 && x <= 1, "must be in [0, 1]");
const name = z.string().min(1).max(200);

const lossPointSchemaDef = z.strictObject({
  step: count,
  loss: finite,
});

/** One point of a training loss curve. */
export const LossPointSchema: z.ZodType<LossPoint> = lossPointSchemaDef;
// The written-out type must stay exactly the schema's output (deno check fails otherwise).
const _LossPointSchemaExact: Exact<z.output<typeof lossPointSchemaDef>, LossPoint> = true;

const passkeyCellSchemaDef = z.strictObject({
  depth: fraction,
  acc: fraction,
  n: z.number().int().positive(),
});

/** Passkey accuracy at one depth of the key (0 = start of the context, 1 = end), over `n` trials. */
export const PasskeyCellSchema: z.ZodType<PasskeyCell> = passkeyCellSchemaDef;
// The written-out type must stay exactly the schema's output (deno check fails otherwise).
const _PasskeyCellSchemaExact: Exact<z.output<typeof passkeyCellSchemaDef>, PasskeyCell> = true;

const retrievalCellSchemaDef = z.strictObject({
  task: z.enum(RETRIEVAL_TASKS),
  /** Bucket upper bound in multiples of R: distance < distance·R. */
  distance: z.number().int().positive(),
  trials: z.number().int().positive(),
  exact: fraction,
  exactCiLow: fraction,
  exactCiHigh: fraction,
  charAcc: fraction,
  answerLogprob: z.number().max(0),
});

/** Retrieval accuracy of one task in one needle–query distance bucket (eval/retrieval/). */
export const RetrievalCellSchema: z.ZodType<RetrievalCell> = retrievalCellSchemaDef;
// The written-out type must stay exactly the schema's output (deno check fails otherwise).
const _RetrievalCellSchemaExact: Exact<z.output<typeof retrievalCellSchemaDef>, RetrievalCell> =
  true;

const evalRecordSchemaDef = z
  .strictObject({
    length: z.number().int().positive(),
    /** Perplexity over the scored tokens, and its 95% confidence interval over windows. */
    ppl: positive,
    pplCiLow: positive,
    pplCiHigh: positive,
    /** Number of evaluation windows and of scored tokens behind `ppl`. */
    windows: z.number().int().positive(),
    tokensScored: z.number().int().positive(),
    /**
     * Mean NLL per scored token of each window, in window order; every run of a folder is scored
     * on the same windows at a length, so two runs can be compared window by window. Absent in
     * folders written before it was recorded.
     */
    windowNll: z.array(z.number().nonnegative()).optional(),
    /** Passkey accuracy by depth of the key; empty when passkey was not measured. */
    passkey: z.array(PasskeyCellSchema),
    /** Accuracy over all depths (n-weighted mean of `passkey`); null when not measured. */
    passkeyAcc: fraction.nullable(),
    /** Encoding config actually used at this length when it differs from the run's (e.g. g). */
    encoding: z.record(z.string(), z.json()).optional(),
    /** Retrieval by task and distance bucket; absent when not measured. */
    retrieval: z.array(RetrievalCellSchema).optional(),
  })
  .check((ctx) => {
    const e = ctx.value;
    if (!(e.pplCiLow <= e.ppl && e.ppl <= e.pplCiHigh)) {
      ctx.issues.push({
        code: "custom",
        input: e.pplCiLow,
        path: ["pplCiLow"],
        message:
          `need pplCiLow <= ppl <= pplCiHigh, got ${e.pplCiLow} <= ${e.ppl} <= ${e.pplCiHigh}`,
      });
    }
    if (e.windowNll !== undefined && e.windowNll.length !== e.windows) {
      ctx.issues.push({
        code: "custom",
        input: e.windowNll,
        path: ["windowNll"],
        message: `must hold one value per window (${e.windows}), got ${e.windowNll.length}`,
      });
    }
    const trials = e.passkey.reduce((s, c) => s + c.n, 0);
    if (trials === 0 && e.passkeyAcc !== null) {
      ctx.issues.push({
        code: "custom",
        input: e.passkeyAcc,
        path: ["passkeyAcc"],
        message: "must be null when passkey is empty",
      });
    }
    if (trials > 0) {
      const acc = e.passkey.reduce((s, c) => s + c.acc * c.n, 0) / trials;
      if (e.passkeyAcc === null || Math.abs(e.passkeyAcc - acc) > 1e-6) {
        ctx.issues.push({
          code: "custom",
          input: e.passkeyAcc,
          path: ["passkeyAcc"],
          message: `must be the n-weighted mean of passkey (${acc}), got ${e.passkeyAcc}`,
        });
      }
    }
    const depths = e.passkey.map((c) => c.depth);
    if (new Set(depths).size !== depths.length) {
      ctx.issues.push({
        code: "custom",
        input: depths,
        path: ["passkey"],
        message: "duplicate depth",
      });
    }
  });

/** One evaluation of a run at one length (tokens of context). */
export const EvalRecordSchema: z.ZodType<EvalRecord> = evalRecordSchemaDef;
// The written-out type must stay exactly the schema's output (deno check fails otherwise).
const _EvalRecordSchemaExact: Exact<z.output<typeof evalRecordSchemaDef>, EvalRecord> = true;

const runRecordSchemaDef = z
  .strictObject({
    /** Encoding name: default, linear, ntk, dynamic, yarn, pose, randomized, e2, or a plugin's. */
    method: name,
    /** What differs within a method: finetuned, no-finetune, g=auto, g=1, … */
    variant: name,
    seed: count,
    /** The encoding config (Hugging Face `rope_scaling` keys) the run used. */
    encoding: z.record(z.string(), z.json()),
    status: z.enum(["ok", "failed"]),
    /** Why the run failed (required when status is "failed", absent otherwise). */
    error: z.string().min(1).optional(),
    /** Runs with the same method, seed and trainRef share one fine-tuning run (cost counted once). */
    trainRef: name.optional(),
    /** Extension fine-tuning cost (0 for variants without fine-tuning). */
    trainTokens: count,
    trainSeconds: nonNegative,
    lossCurve: z.array(LossPointSchema),
    evals: z.array(EvalRecordSchema),
  })
  .check((ctx) => {
    const r = ctx.value;
    if (r.status === "failed" && r.error === undefined) {
      ctx.issues.push({
        code: "custom",
        input: r.error,
        path: ["error"],
        message: 'required when status is "failed"',
      });
    }
    if (r.status === "ok" && r.error !== undefined) {
      ctx.issues.push({
        code: "custom",
        input: r.error,
        path: ["error"],
        message: 'must be absent when status is "ok"',
      });
    }
    const seen = new Set<number>();
    r.evals.forEach((e, i) => {
      if (seen.has(e.length)) {
        ctx.issues.push({
          code: "custom",
          input: e.length,
          path: ["evals", i, "length"],
          message: `duplicate evaluation at length ${e.length}`,
        });
      }
      seen.add(e.length);
    });
  });

/** One method × variant × seed: its extension training (possibly none) and its evaluations. */
export const RunRecordSchema: z.ZodType<RunRecord> = runRecordSchemaDef;
// The written-out type must stay exactly the schema's output (deno check fails otherwise).
const _RunRecordSchemaExact: Exact<z.output<typeof runRecordSchemaDef>, RunRecord> = true;

const modelSummarySchemaDef = z.strictObject({
  name: name.optional(),
  params: z.number().int().positive(),
  layers: z.number().int().positive(),
  heads: z.number().int().positive(),
  dModel: z.number().int().positive(),
  headDim: z.number().int().positive(),
  vocabSize: z.number().int().positive(),
  ropeBase: positive,
});

/** Size of the base model (what every run in a results folder starts from). */
export const ModelSummarySchema: z.ZodType<ModelSummary> = modelSummarySchemaDef;
// The written-out type must stay exactly the schema's output (deno check fails otherwise).
const _ModelSummarySchemaExact: Exact<z.output<typeof modelSummarySchemaDef>, ModelSummary> = true;

const baseRecordSchemaDef = z.strictObject({
  seed: count,
  checkpoint: z.string().min(1).optional(),
  trainTokens: count,
  trainSeconds: nonNegative,
  lossCurve: z.array(LossPointSchema),
});

/** The pretraining of a base model at `trainLength` with plain RoPE (shared by all methods). */
export const BaseRecordSchema: z.ZodType<BaseRecord> = baseRecordSchemaDef;
// The written-out type must stay exactly the schema's output (deno check fails otherwise).
const _BaseRecordSchemaExact: Exact<z.output<typeof baseRecordSchemaDef>, BaseRecord> = true;

const evalProtocolSchemaDef = z.strictObject({
  /** Held-out data, e.g. "gutenberg+sotu held-out documents". */
  dataset: z.string().min(1),
  /** Which tokens of a window are scored, e.g. "all tokens of non-overlapping windows". */
  scoring: z.string().min(1),
  /** Sliding-window stride in tokens, or null for non-overlapping windows. */
  stride: z.number().int().positive().nullable(),
  /** Confidence level of pplCiLow/pplCiHigh. */
  ciLevel: fraction,
  /** Passkey trials per length × depth cell. */
  passkeyTrials: count.optional(),
});

/** How perplexity and passkey were measured (printed in the report). */
export const EvalProtocolSchema: z.ZodType<EvalProtocol> = evalProtocolSchemaDef;
// The written-out type must stay exactly the schema's output (deno check fails otherwise).
const _EvalProtocolSchemaExact: Exact<z.output<typeof evalProtocolSchemaDef>, EvalProtocol> = true;

const sourceRecordSchemaDef = z.strictObject({
  folder: z.string().min(1),
  createdAt: z.iso.datetime({ offset: true }),
  command: z.string(),
  preset: z.string(),
  runs: count,
});

/** Where a merged folder's runs came from. */
export const SourceRecordSchema: z.ZodType<SourceRecord> = sourceRecordSchemaDef;
// The written-out type must stay exactly the schema's output (deno check fails otherwise).
const _SourceRecordSchemaExact: Exact<z.output<typeof sourceRecordSchemaDef>, SourceRecord> = true;

const tidyRowSchemaDef = z.strictObject({
  method: z.string(),
  variant: z.string(),
  seed: count,
  length: z.number().int().positive(),
  length_ratio: positive,
  status: z.enum(["ok", "failed"]),
  ppl: positive.nullable(),
  ppl_ci_low: positive.nullable(),
  ppl_ci_high: positive.nullable(),
  windows: count.nullable(),
  tokens_scored: count.nullable(),
  passkey_acc: fraction.nullable(),
  passkey_n: count.nullable(),
  train_tokens: count,
  train_seconds: nonNegative,
  error: z.string(),
});

/** One row of the tidy table (results.csv and `rows` in results.json): method × variant × seed × length. */
export const TidyRowSchema: z.ZodType<TidyRow> = tidyRowSchemaDef;
// The written-out type must stay exactly the schema's output (deno check fails otherwise).
const _TidyRowSchemaExact: Exact<z.output<typeof tidyRowSchemaDef>, TidyRow> = true;

const resultsDocSchemaDef = z
  .strictObject({
    schemaVersion: z.literal(RESULTS_SCHEMA_VERSION),
    createdAt: z.iso.datetime({ offset: true }),
    /** The command line that produced the folder, e.g. "deno task compare --preset smoke". */
    command: z.string(),
    /** smoke | standard | full | custom | mixed (after merging folders of different presets). */
    preset: z.string().min(1),
    /** R: the length the base model was pretrained at. */
    trainLength: z.number().int().positive(),
    /** Planned evaluation lengths (tokens), every run's evals are at a subset of these. */
    lengths: z.array(z.number().int().positive()).min(1),
    model: ModelSummarySchema,
    bases: z.array(BaseRecordSchema),
    protocol: EvalProtocolSchema.optional(),
    mergedFrom: z.array(SourceRecordSchema).optional(),
    runs: z.array(RunRecordSchema),
    /** Derived tidy table; ignored on read (recomputed from runs). */
    rows: z.array(TidyRowSchema).optional(),
  })
  .check((ctx) => {
    const doc = ctx.value;
    const planned = new Set(doc.lengths);
    if (planned.size !== doc.lengths.length) {
      ctx.issues.push({
        code: "custom",
        input: doc.lengths,
        path: ["lengths"],
        message: "duplicate length",
      });
    }
    const keys = new Map<string, number>();
    doc.runs.forEach((r, i) => {
      const key = runKey(r);
      const prev = keys.get(key);
      if (prev !== undefined) {
        ctx.issues.push({
          code: "custom",
          input: key,
          path: ["runs", i],
          message: `duplicate run ${key} (also runs[${prev}])`,
        });
      }
      keys.set(key, i);
      r.evals.forEach((e, j) => {
        if (!planned.has(e.length)) {
          ctx.issues.push({
            code: "custom",
            input: e.length,
            path: ["runs", i, "evals", j, "length"],
            message: `length ${e.length} is not in lengths [${doc.lengths.join(", ")}]`,
          });
        }
      });
    });
    const baseSeeds = doc.bases.map((b) => b.seed);
    if (new Set(baseSeeds).size !== baseSeeds.length) {
      ctx.issues.push({
        code: "custom",
        input: baseSeeds,
        path: ["bases"],
        message: "duplicate base seed",
      });
    }
  });

/** A whole results.json. */
export const ResultsDocSchema: z.ZodType<ResultsDoc> = resultsDocSchemaDef;
// The written-out type must stay exactly the schema's output (deno check fails otherwise).
const _ResultsDocSchemaExact: Exact<z.output<typeof resultsDocSchemaDef>, ResultsDoc> = true;

/** One point of a training loss curve. */
export type LossPoint = {
  step: number;
  loss: number;
};

/** Passkey accuracy at one depth of the key (0 = start, 1 = end), over `n` trials. */
export type PasskeyCell = {
  depth: number;
  acc: number;
  n: number;
};

/** One evaluation of a run at one length (see {@link EvalRecordSchema} for the field rules). */
export type EvalRecord = {
  length: number;
  /** Perplexity over the scored tokens, and its 95% confidence interval over windows. */
  ppl: number;
  pplCiLow: number;
  pplCiHigh: number;
  /** Number of evaluation windows and of scored tokens behind `ppl`. */
  windows: number;
  tokensScored: number;
  /** Mean NLL per token of each window, in window order; absent in older folders. */
  windowNll?: number[] | undefined;
  /** Passkey accuracy by depth of the key; empty when passkey was not measured. */
  passkey: PasskeyCell[];
  /** Accuracy over all depths (n-weighted mean of `passkey`); null when not measured. */
  passkeyAcc: number | null;
  /** Encoding config actually used at this length when it differs from the run's (e.g. g). */
  encoding?: Record<string, Json> | undefined;
  /** Retrieval accuracy by task and needle–query distance; absent when not measured. */
  retrieval?: RetrievalCell[] | undefined;
};

/** One method × variant × seed (see {@link RunRecordSchema}). */
export type RunRecord = {
  /** Encoding name: default, linear, ntk, dynamic, yarn, pose, randomized, e2, or a plugin's. */
  method: string;
  /** What differs within a method: finetuned, no-finetune, g=auto, g=1, … */
  variant: string;
  seed: number;
  /** The encoding config (Hugging Face `rope_scaling` keys) the run used. */
  encoding: Record<string, Json>;
  status: "ok" | "failed";
  /** Why the run failed (present exactly when status is "failed"). */
  error?: string | undefined;
  /** Runs with the same method, seed and trainRef share one fine-tuning run. */
  trainRef?: string | undefined;
  /** Extension fine-tuning cost (0 for variants without fine-tuning). */
  trainTokens: number;
  trainSeconds: number;
  lossCurve: LossPoint[];
  evals: EvalRecord[];
};

/** Size of the base model. */
export type ModelSummary = {
  name?: string | undefined;
  params: number;
  layers: number;
  heads: number;
  dModel: number;
  headDim: number;
  vocabSize: number;
  ropeBase: number;
};

/** Base-model pretraining record. */
export type BaseRecord = {
  seed: number;
  checkpoint?: string | undefined;
  trainTokens: number;
  trainSeconds: number;
  lossCurve: LossPoint[];
};

/** How evaluation was done (see {@link EvalProtocolSchema}). */
export type EvalProtocol = {
  dataset: string;
  scoring: string;
  stride: number | null;
  ciLevel: number;
  passkeyTrials?: number | undefined;
};

/** Provenance of a merged folder. */
export type SourceRecord = {
  folder: string;
  createdAt: string;
  command: string;
  preset: string;
  runs: number;
};

/** One row of the tidy table. */
export type TidyRow = {
  method: string;
  variant: string;
  seed: number;
  length: number;
  length_ratio: number;
  status: "ok" | "failed";
  ppl: number | null;
  ppl_ci_low: number | null;
  ppl_ci_high: number | null;
  windows: number | null;
  tokens_scored: number | null;
  passkey_acc: number | null;
  passkey_n: number | null;
  train_tokens: number;
  train_seconds: number;
  error: string;
};

/** A whole results.json (see {@link ResultsDocSchema}). */
export type ResultsDoc = {
  schemaVersion: typeof RESULTS_SCHEMA_VERSION;
  createdAt: string;
  command: string;
  preset: string;
  trainLength: number;
  lengths: number[];
  model: ModelSummary;
  bases: BaseRecord[];
  protocol?: EvalProtocol | undefined;
  mergedFrom?: SourceRecord[] | undefined;
  runs: RunRecord[];
  rows?: TidyRow[] | undefined;
};

/** The identity of a run inside a results folder: "method/variant/seed". */
export function runKey(r: Pick<RunRecord, "method" | "variant" | "seed">): string {
  return `${r.method}/${r.variant}/seed ${r.seed}`;
}

/** Invalid results: the message names the source and every bad field (`runs[2].evals[0].ppl`). */
export class ResultsError extends Error {
  override name = "ResultsError";
}

/** `["runs", 2, "evals", 0, "ppl"]` → `runs[2].evals[0].ppl`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out === "" ? String(p) : `.${String(p)}`;
  }
  return out === "" ? "(root)" : out;
}

/**
 * Validate parsed JSON as a results document. Throws a {@link ResultsError} whose message starts
 * with `source` (e.g. the file path) and lists each bad field as `path: problem`.
 */
export function parseResults(json: unknown, source: string): ResultsDoc {
  const parsed = ResultsDocSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.slice(0, 20).map((i) =>
    `  ${formatPath(i.path)}: ${i.message}`
  );
  const more = parsed.error.issues.length > 20
    ? `\n  … and ${parsed.error.issues.length - 20} more`
    : "";
  throw new ResultsError(`invalid results in ${source}:\n${lines.join("\n")}${more}`);
}
