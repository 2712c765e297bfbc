/**
 * @module
 * The configuration of `deno task compare`, validated by zod, and its presets.
 *
 * The pipeline (see compare.ts): per seed, one base model pretrained at R = `model.trainLength`
 * with plain RoPE; then every method gets the same extension budget — `finetune.steps` optimizer
 * steps of `finetune.batchSize × R` tokens, the same data stream seed and the same run seed — and
 * is evaluated at `eval.ratios × R`.
 *
 * Fine-tuning target: linear, ntk and yarn are fine-tuned AT the target length
 * `finetune.targetRatio × R` with factor `targetRatio` (as in the PI paper), with `batchSize /
 * targetRatio` rows per step so the tokens per step stay `batchSize × R`. The default target is
 * 16× R, the longest evaluated length, so every method is asked to reach the same length: PoSE
 * skips positions up to `targetRatio × R`; E² is the paper's (g ~ U{1…20}, its default g_max,
 * which covers 16×; evaluated with g = ⌈L/R⌉ ≤ 16), both training at R only. Fine-tuning at 16× R costs more per token (attention grows with the length: about
 * 2–4× per token at 2048 vs 128 on the software GPU); that cost is reported per method.
 */
import {
  SMOKE_RETRIEVAL_DATA,
  SMOKE_RETRIEVAL_EVAL,
  STANDARD_RETRIEVAL_DATA,
  STANDARD_RETRIEVAL_EVAL,
} from "./retrieval/presets.ts";
import type { Json, RetrievalTask } from "@e2llm/train";
import { retrievalEvalFields } from "./retrieval/config.ts";
import { z } from "zod";
import type { Exact } from "@e2llm/encodings";
import { DataConfig, ModelConfig, OptimConfig, parseOrThrow } from "@e2llm/train";
import {
  COMPARE_METHODS,
  type CompareMethod,
  DEFAULT_METHODS,
  extraEncodingDefaults,
  METHOD_RECIPES,
} from "./methods.ts";
import { DEFAULT_PASSKEY_DEPTHS } from "./passkey.ts";

export { COMPARE_METHODS, type CompareMethod } from "./methods.ts";

const int = (min: number) => z.number().int().min(min);
const uniqueInts = (min: number) =>
  z.array(int(min)).min(1).refine((a) => new Set(a).size === a.length, "has duplicates");

/** A training phase of `compare`. */
export interface PhaseConfig {
  /** Optimizer steps. */
  steps: number;
  /** Rows of R tokens per step (fine-tuning at k·R uses batchSize / k rows). */
  batchSize: number;
  optim: OptimConfig;
  /** Read the loss back every N steps. */
  logEvery: number;
  /** Checkpoint every N steps (and at the end). */
  checkpointEvery: number;
}

/** Extension fine-tuning: a phase plus the target length ratio. */
export interface FinetuneConfig extends PhaseConfig {
  /** Target length = targetRatio × R (see the module doc). */
  targetRatio: number;
}

/** How `compare` evaluates runs. */
export interface CompareEvalConfig {
  /** Evaluation lengths as multiples of R. */
  ratios: number[];
  /** Held-out split: `validation` while developing, `test` for reported numbers. */
  split: "validation" | "test";
  /** Windows per length (at least). */
  windows: number;
  /** At least this many tokens per length (more windows at short lengths); 0: off. */
  windowTokens: number;
  /** Sliding-window stride in tokens, or null for non-overlapping windows. */
  stride: number | null;
  /** Passkey samples per length × depth (0: no passkey). */
  passkeyTrials: number;
  /** Depths of the key in [0, 1]. */
  passkeyDepths: number[];
  /** Seed of the passkey keys (the same keys for every method). */
  passkeySeed: number;
  /** E² also evaluated with g fixed at each of these (variants g=<n>; see methods.ts). */
  fixedScales: number[];
  /** Retrieval samples per length × task × depth, scored by distance (0: none; eval/retrieval/). */
  retrievalTrials: number;
  /** Retrieval tasks evaluated. */
  retrievalTasks: RetrievalTask[];
  /** Depths of the needle (or recall pair block) in [0, 1]. */
  retrievalDepths: number[];
}

/** A validated `compare` configuration (see {@link CompareConfig} for the fields' meaning). */
export interface CompareConfig {
  preset: string;
  model: ModelConfig;
  data: DataConfig;
  seeds: number[];
  methods: CompareMethod[];
  base: PhaseConfig;
  finetune: FinetuneConfig;
  /** Extra encoding keys per method that takes them (methods.ts `extraDefault`): e2, pose, yarn. */
  encodings: Partial<Record<CompareMethod, Record<string, Json>>>;
  eval: CompareEvalConfig;
}

type DeepPartial<T> = T extends (infer U)[] ? U[]
  : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> }
  : T;

/** What a preset or a `--config` file may contain (defaults filled on parse). */
export type CompareConfigInput = DeepPartial<CompareConfig>;

const phaseSchema = z.strictObject({
  /** Optimizer steps. */
  steps: int(1),
  /** Rows of R tokens per step (fine-tuning at k·R uses batchSize / k rows). */
  batchSize: int(1),
  optim: OptimConfig.default(OptimConfig.parse({})),
  /** Read the loss back every N steps. */
  logEvery: int(1).default(10),
  /** Checkpoint every N steps (and at the end). */
  checkpointEvery: int(1).default(1000),
});
const finetuneSchema = phaseSchema.extend({
  /** Target length = targetRatio × R (see the module doc). */
  targetRatio: int(1).default(16),
});
const evalSchema = z.strictObject({
  /** Evaluation lengths as multiples of R. */
  ratios: uniqueInts(1).default([1, 2, 4, 8, 16]),
  /** Held-out split: `validation` while developing, `test` for reported numbers. */
  split: z.enum(["validation", "test"]).default("test"),
  /** Windows per length (at least). */
  windows: int(1).default(8),
  /** At least this many tokens per length (more windows at short lengths); 0: off. */
  windowTokens: int(0).default(0),
  /** Sliding-window stride in tokens, or null for non-overlapping windows. */
  stride: int(1).nullable().default(null),
  /** Passkey samples per length × depth (0: no passkey). */
  passkeyTrials: int(0).default(4),
  /** Depths of the key. */
  passkeyDepths: z.array(z.number().min(0).max(1)).refine(
    (a) => new Set(a).size === a.length,
    "has duplicates",
  ).default([...DEFAULT_PASSKEY_DEPTHS]),
  /** Seed of the passkey keys (the same keys for every method). */
  passkeySeed: int(0).default(1234),
  /** E² also evaluated with g fixed at each of these (variants g=<n>; see methods.ts). */
  fixedScales: uniqueInts(1).default([]),
  ...retrievalEvalFields,
});
/** `encodings`: one optional section per method of the table that takes extra keys. */
const encodingsSchema = z.strictObject(
  Object.fromEntries(
    Object.entries(extraEncodingDefaults()).map((
      [m, d],
    ) => [m, z.record(z.string(), z.json()).default(d)]),
  ),
).default(extraEncodingDefaults());
const compareSchema = z.strictObject({
  /** Name written as `preset` in results.json. */
  preset: z.string().min(1).default("custom"),
  /** The base model; `trainLength` is R. */
  model: ModelConfig.default(ModelConfig.parse({})),
  /** Training data (the corpus also gives the held-out documents); `data.seed + seed` per seed. */
  data: DataConfig.default(DataConfig.parse({})),
  /** One base and one set of runs per seed. */
  seeds: uniqueInts(0).default([0]),
  /** Which methods run. */
  methods: z.array(z.enum(COMPARE_METHODS)).min(1).refine(
    (a) => new Set(a).size === a.length,
    "has duplicates",
  ).default([...DEFAULT_METHODS]),
  /** Base pretraining at R with plain RoPE. */
  base: phaseSchema,
  /** Extension fine-tuning, the same budget for every method. */
  finetune: finetuneSchema,
  /** Extra encoding config keys per method, merged over the pipeline's (e.g. e2 `shift`). */
  encodings: encodingsSchema,
  eval: evalSchema.default(evalSchema.parse({})),
}).superRefine((c, ctx) => {
  const scaled = c.methods.filter((m) => METHOD_RECIPES[m].finetuneAt === "target");
  const k = c.finetune.targetRatio;
  if (scaled.length > 0 && c.finetune.batchSize % k !== 0) {
    ctx.addIssue({
      code: "custom",
      path: ["finetune", "batchSize"],
      message: `${c.finetune.batchSize} is not a multiple of finetune.targetRatio ${k}: ` +
        `${scaled.join(", ")} fine-tune at ${k}×R with batchSize/${k} rows per step ` +
        `(the same tokens per step)`,
    });
  }
});

/** The zod schema of the whole `compare` configuration (strict; defaults filled in). */
export const CompareConfig: z.ZodType<CompareConfig> = compareSchema;
// The written-out type above must stay exactly the schema's output (`encodings` aside: its
// schema is built from the method table at run time, so only its values are typed).
const _CompareConfigExact: Exact<
  Omit<z.output<typeof compareSchema>, "encodings">,
  Omit<CompareConfig, "encodings">
> = true;

/** The preset names. */
export const PRESET_NAMES = ["smoke", "standard", "full", "paper"] as const;
/** One of {@link PRESET_NAMES}. */
export type PresetName = (typeof PRESET_NAMES)[number];

/**
 * smoke: a tiny model (d64, 2 layers), a few steps, few windows; CI runs it (target: < 5 min on
 * 2 cores; measured 2 min 45 s on a busy machine, ~40 s of it the base).
 */
const SMOKE: CompareConfigInput = {
  preset: "smoke",
  model: { dModel: 64, nLayers: 2, nHeads: 2, mlpWidth: 160, trainLength: 128 },
  data: { corpus: "text", passkeyRate: 0.1, ...SMOKE_RETRIEVAL_DATA },
  seeds: [0],
  base: {
    steps: 120,
    batchSize: 8,
    optim: { lr: 3e-3, minLr: 3e-4, warmupSteps: 10 },
    logEvery: 20,
  },
  finetune: {
    steps: 8,
    batchSize: 16,
    targetRatio: 16,
    optim: { lr: 1e-3, minLr: 1e-4, warmupSteps: 2 },
    logEvery: 4,
  },
  eval: {
    ratios: [1, 2, 4, 8, 16],
    split: "validation",
    windows: 2,
    windowTokens: 2048,
    passkeyTrials: 1,
    passkeyDepths: [0, 0.5, 1],
    ...SMOKE_RETRIEVAL_EVAL,
  },
};

/**
 * standard: the default d128 / 4-layer model (target: < 45 min on 2 cores). The base sees 5.3M
 * tokens (1300 steps × 32 × 128 at a constant lr 1e-3, ~4k training tokens/s at R = 128 →
 * ~22 min), half of its rows needle / recall samples with answer-only loss
 * (STANDARD_RETRIEVAL_DATA). The schedule is the one measured to leave the retrieval plateau
 * (lr 3e-3 → 3e-4 keeps the digits at chance; batch 32 learned the lookup in fewer rows than
 * batch 16; the probe runs behind it are in eval/retrieval/presets.ts). Each method then
 * fine-tunes on 131k tokens (64 steps; ~1 min at R, ~2–3 min at 16×R) and is evaluated on ≥ 8
 * windows and ≥ 8k tokens per length plus 20 passkey samples (4 × 5 depths) and 40 needle / recall
 * samples (8 × 5 depths) per length.
 */
const STANDARD: CompareConfigInput = {
  preset: "standard",
  model: { trainLength: 128 },
  data: { corpus: "text", ...STANDARD_RETRIEVAL_DATA },
  seeds: [0],
  base: {
    steps: 1300,
    batchSize: 32,
    optim: { lr: 1e-3, minLr: 1e-3, warmupSteps: 30 },
    logEvery: 20,
    checkpointEvery: 250,
  },
  finetune: {
    steps: 64,
    batchSize: 16,
    targetRatio: 16,
    optim: { lr: 1e-3, minLr: 1e-4, warmupSteps: 5 },
    logEvery: 8,
  },
  eval: {
    ratios: [1, 2, 4, 8, 16],
    split: "test",
    windows: 8,
    windowTokens: 8192,
    passkeyTrials: 4,
    passkeyDepths: [0, 0.25, 0.5, 0.75, 1],
    ...STANDARD_RETRIEVAL_EVAL,
  },
};

/** full: standard over three seeds (three bases, three of every run). */
const FULL: CompareConfigInput = { ...STANDARD, preset: "full", seeds: [0, 1, 2] };

/** The fine-tuning steps of the `paper` preset (see {@link PAPER} for the measurement). */
export const PAPER_FINETUNE_STEPS = 256;

/**
 * paper: E²-LLM's experiments (arXiv 2401.06951) at R = 128 over three seeds, one base per seed
 * (`deno task compare --preset paper`; `--dry-run` prints the plan). A small model (the smoke
 * sizes: d64, 2 layers) so that 3 bases + 13 fine-tunings per seed fit the 2-hour target:
 * - Table 3: ONE E² fine-tuning (`e2`, g_max 20) evaluated with g fixed at 4, 8, 16 at every
 *   length up to g·R (variants g=4, g=8, g=16), beside the base and PI (`linear`) fine-tuned at
 *   16× R with the same token budget;
 * - Table 4: `e2` vs `e2-no-t` (scale only) vs `e2-no-g` (g fixed at 2, offset only) at 8× R;
 * - Table 5: g_max 5, 10, 20, 30 (`e2-gmax5`, `e2-gmax10`, `e2`, `e2-gmax30`) at 8× and 16× R;
 * - Fig. 5: `e2` with g = 20, 30, 40, 50 at 20–50× R (unseen scales);
 * - the g = 1 question by budget: e2 g=1 vs g=auto vs the control after 1/8, 1/2 and all of the
 *   budget (`e2-early`/`default-early`, `e2-mid`/`default-mid`, `e2`/`default`);
 * - e2llm's earlier reading (`e2-split`, random split point) as one ablation row.
 *
 * Fine-tuning budget ({@link PAPER_FINETUNE_STEPS} steps × 16 × 128 = 524,288 tokens), chosen by
 * measurement on this preset's base (seed 0, 200 steps, loss 2.074 at its end), fine-tuned with
 * the training CLI (`deno task train --config <json> --init <base>`, configs as this preset's):
 * - E² (g_max 20) and the control (plain RoPE) for 512 steps at a CONSTANT lr 1e-3, same data and
 *   seed, so their batches are identical: the paired per-step gap E² − control, in 32-step means,
 *   falls 0.250 → 0.196 → 0.178 → 0.176 by step 128, then stays at 0.19–0.21 to step 512 (slope
 *   per 64 steps −0.052 ± 0.008 over steps 1–128, then +0.014 ± 0.003, +0.005 ± 0.004,
 *   −0.009 ± 0.005): E²'s own adaptation is done after ~128 steps. Both raw curves keep falling
 *   together (E² 2.43 → 1.91) because a 200-step base is itself still learning.
 * - E² with this preset's schedule (256 steps, cosine 1e-3 → 1e-4): 32-step means 2.430, 2.253,
 *   2.233, 2.176, 2.154, 2.169, 2.123, 2.125; slope over the last 64 steps −0.010 ± 0.056 per 64
 *   steps (flat within noise), so 256 steps = twice the measured adaptation length.
 *
 * Cost (plan from `--dry-run`): training 1.23M base + 14.5M fine-tuning tokens at R + 1.57M at
 * 16× R (PI). Measured: `time deno task compare --preset paper` took 34 min 8 s on this 2-core
 * machine with `--preset standard` running beside it the whole time (32 min 46 s with 4-window
 * evaluation and small experiments beside it, the run before); fine-tunings at R run at 11–15k
 * tokens/s alone, PI's at 16× R at ~5–7k. Evaluation (16 windows per length, ≥ 16,384 tokens) is a
 * few seconds per run: windows are cheap here, and the paired comparisons of the report
 * (eval/report/paired.ts) use their per-window NLLs.
 */
const PAPER: CompareConfigInput = {
  preset: "paper",
  model: { dModel: 64, nLayers: 2, nHeads: 2, mlpWidth: 160, trainLength: 128 },
  data: { corpus: "text", passkeyRate: 0.1 },
  seeds: [0, 1, 2],
  methods: [
    "default",
    "linear",
    "e2",
    "e2-no-t",
    "e2-no-g",
    "e2-gmax5",
    "e2-gmax10",
    "e2-gmax30",
    "e2-split",
    "e2-early",
    "default-early",
    "e2-mid",
    "default-mid",
  ],
  base: {
    steps: 200,
    batchSize: 16,
    optim: { lr: 3e-3, minLr: 3e-4, warmupSteps: 20 },
    logEvery: 10,
  },
  finetune: {
    steps: PAPER_FINETUNE_STEPS,
    batchSize: 16,
    targetRatio: 16,
    optim: { lr: 1e-3, minLr: 1e-4, warmupSteps: 8 },
    logEvery: 8,
  },
  eval: {
    ratios: [1, 2, 4, 8, 16],
    fixedScales: [4, 8, 16, 20, 30, 40, 50],
    split: "test",
    windows: 16,
    windowTokens: 16384,
    passkeyTrials: 0,
  },
};

/** The presets as data (inputs of {@link CompareConfig}). */
export const PRESETS: Readonly<Record<PresetName, CompareConfigInput>> = {
  smoke: SMOKE,
  standard: STANDARD,
  full: FULL,
  paper: PAPER,
};

/** Plain-object deep merge: `over`'s objects merge into `base`'s, anything else replaces. */
export function deepMerge(base: unknown, over: unknown): unknown {
  const isObj = (x: unknown): x is Record<string, unknown> =>
    typeof x === "object" && x !== null && !Array.isArray(x);
  if (!isObj(base) || !isObj(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = deepMerge(base[k], v);
  return out;
}

/**
 * The configuration of a preset, with `override` (e.g. a `--config` file's JSON) merged over it
 * (`preset` becomes "<name>+config" unless the override names it); an override without a preset
 * starts from nothing (every required field must be given). Throws naming every bad field.
 */
export function resolveCompareConfig(
  preset: PresetName | undefined,
  override: unknown = {},
  what = "compare config",
): CompareConfig {
  if (preset !== undefined && !PRESET_NAMES.includes(preset)) {
    throw new Error(`unknown preset "${preset}" (presets: ${PRESET_NAMES.join(", ")})`);
  }
  const base: CompareConfigInput | Record<string, never> = preset === undefined
    ? {}
    : PRESETS[preset];
  const merged = deepMerge(base, override) as Record<string, unknown>;
  const overrides = typeof override === "object" && override !== null &&
    Object.keys(override).length > 0;
  // a preset changed by a config file is no longer that preset
  if (preset !== undefined && overrides && !("preset" in (override as object))) {
    merged.preset = `${preset}+config`;
  }
  return parseOrThrow(CompareConfig, merged, what);
}
