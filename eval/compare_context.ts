/**
 * @module
 * The state one `compare` execution shares between its steps (compare_train.ts,
 * compare_eval.ts, compare.ts), and the first step: claim the output folder and write the plan.
 */
import { join } from "node:path";
import {
  firstDifference,
  isHfCheckpoint,
  readHfConfig,
  ResumeMismatchError,
  type TokenDocument,
} from "@e2llm/train";
import type { Backend } from "./backend.ts";
import type { EncodingLoader } from "./evaluate.ts";
import { type ComparePlan, planCompare, type PlannedTraining, planSummary } from "./plan.ts";
import type { CompareConfig } from "./presets.ts";
import type { ResultsDoc } from "./results.ts";
import { readJsonIfExists, type TrainingRecord, writeJsonAtomic } from "./run_files.ts";
import { ScorerCache } from "./scorer_cache.ts";

/** The configuration file of an output folder. */
export const COMPARE_CONFIG_FILE = "compare.json";
/** The plan file of an output folder. */
export const PLAN_FILE = "plan.json";
/** The finished-training marker inside a training folder. */
export const TRAINING_FILE = "training.json";

/** Options of `runCompare`. */
export interface CompareOptions {
  config: CompareConfig;
  /** Output folder (created; resumed when it holds an earlier run of the same config). */
  out: string;
  backend: Backend;
  /** Held-out documents (default: the config's corpus, split `config.eval.split`). */
  loadDocs?: (config: CompareConfig) => Promise<readonly TokenDocument[]>;
  /** Encoding loader (default: `loadEncoding`). */
  loadEncoding?: EncodingLoader;
  /** Recorded in results.json (default: "deno task compare --preset <preset>"). */
  command?: string;
  /** Passed to trainRun: no training progress output. */
  quiet?: boolean;
  /** Progress lines (default: console.error). */
  log?: (line: string) => void;
  /** Clock for `createdAt` (tests). */
  now?: () => Date;
  /**
   * An existing base instead of pretraining one (`compare --base <dir>`): a run folder, a
   * checkpoint or a Hugging Face LLaMA folder whose model matches `config.model`. Every seed's
   * fine-tunes start from it and its own runs score it.
   */
  base?: string;
}

/** What the steps did so far: trainings and runs done now or found done. */
export interface CompareProgress {
  /** Ids of trainings run now, and of those found finished. */
  trained: string[];
  reusedTrainings: string[];
  /** runKey of runs evaluated now, and of those found finished. */
  evaluated: string[];
  reusedRuns: string[];
  /** runKey of failed runs. */
  failed: string[];
}

/** What `runCompare` did. */
export interface CompareOutcome extends CompareProgress {
  doc: ResultsDoc;
  /** The report files written. */
  files: string[];
}

/** A training's outcome: its record, or why it (or the training it starts from) failed. */
export type TrainingState = { ok: true; record: TrainingRecord } | { ok: false; error: string };

/** The state shared by the steps of one execution (made by {@link openCompare}). */
export interface CompareContext {
  readonly opts: CompareOptions;
  readonly config: CompareConfig;
  readonly out: string;
  readonly backend: Backend;
  readonly plan: ComparePlan;
  readonly log: (line: string) => void;
  /** The plan's trainings by id. */
  readonly trainings: ReadonlyMap<string, PlannedTraining>;
  /** Outcomes of the trainings met so far, by id. */
  readonly states: Map<string, TrainingState>;
  readonly scorers: ScorerCache;
  /** The held-out documents, loaded at the first evaluation. */
  docs?: readonly TokenDocument[];
  readonly progress: CompareProgress;
}

/** An error's message. */
export function message(err: unknown): string {
  return (err as Error)?.message ?? String(err);
}

/**
 * Write compare.json, or check that the folder's one matches `config`; true when the folder
 * already held this configuration (a resume). Another configuration: a ResumeMismatchError
 * naming the first differing field.
 */
export async function claimFolder(out: string, config: CompareConfig): Promise<boolean> {
  const path = join(out, COMPARE_CONFIG_FILE);
  const json = JSON.parse(JSON.stringify(config));
  const saved = await readJsonIfExists(path);
  if (saved === undefined) {
    await writeJsonAtomic(path, json);
    return false;
  }
  const d = firstDifference(saved, json);
  if (d !== null) {
    throw new ResumeMismatchError(
      `${out} holds a compare run with another configuration`,
      d,
      "use another --out, or remove the folder to start over",
    );
  }
  return true;
}

/**
 * The first step: plan the config, claim the output folder (compare.json), write plan.json and
 * return the context the other steps share.
 */
export async function openCompare(opts: CompareOptions): Promise<CompareContext> {
  const { config, out, backend } = opts;
  const log = opts.log ?? ((line: string) => console.error(line));
  const plan = planCompare(config);
  if (opts.base !== undefined) await checkGivenBase(opts.base, config);
  await Deno.mkdir(out, { recursive: true });
  const resumed = await claimFolder(out, config);
  await writeJsonAtomic(join(out, PLAN_FILE), planSummary(plan));
  log(
    `compare ${config.preset}: ${plan.trainings.length} trainings, ${plan.runs.length} runs, ` +
      `lengths ${plan.lengths.join(", ")} → ${out}${resumed ? " (resuming)" : ""}`,
  );
  return {
    opts,
    config,
    out,
    backend,
    plan,
    log,
    trainings: new Map(plan.trainings.map((t) => [t.id, t])),
    states: new Map(),
    scorers: new ScorerCache(backend),
    progress: { trained: [], reusedTrainings: [], evaluated: [], reusedRuns: [], failed: [] },
  };
}

/** A Hugging Face `--base` must have the compare config's model (the differing key is named). */
async function checkGivenBase(dir: string, config: CompareConfig): Promise<void> {
  if (!(await isHfCheckpoint(dir))) return;
  const { model } = await readHfConfig(dir);
  const keys = [
    "vocabSize",
    "dModel",
    "nLayers",
    "nHeads",
    "nKvHeads",
    "mlpWidth",
    "tieEmbeddings",
    "ropeBase",
    "normEps",
  ] as const;
  for (const key of keys) {
    if (model[key] !== config.model[key]) {
      throw new Error(
        `--base ${dir}: model.${key} is ${model[key]} in its config.json but ` +
          `${config.model[key]} in the compare config (set "model" in --config to match)`,
      );
    }
  }
}
