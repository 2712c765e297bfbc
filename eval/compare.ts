/**
 * @module
 * `deno task compare`: execute a {@link ComparePlan} into an output folder, resumably.
 *
 * Folder layout (everything relative to `out`):
 *
 *     compare.json                 the resolved configuration (a resume must use the same one)
 *     plan.json                    trainings with their token budgets, runs with their encodings
 *     seed-0/base/train/           the base pretraining (trainRun's folder, checkpoint inside)
 *     seed-0/base/training.json    written when it finished
 *     seed-0/linear/train/ …       the method's fine-tuning, and its training.json
 *     seed-0/linear/finetuned.json the run's result (a RunRecord, ok or failed)
 *     seed-0/linear/no-finetune.json
 *     seed-0/e2/g=auto.json, g=1.json   (one fine-tuning, two evaluations)
 *     results.json, results.csv, report.md, report.html
 *
 * Resume: a training with a training.json and a run with an `ok` result are not repeated; a
 * training folder without training.json (interrupted) is resumed from its last checkpoint
 * (`trainRun({resume})`; its cost adds the seconds logged before), or trained from the start
 * when it holds none; failed runs are retried. A training or evaluation that throws is recorded as a failed run with its error
 * (and the lengths it finished); the other runs still run and are reported.
 */
import { isAbsolute, join, relative } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { CheckpointError, countParams, MetricsLog, paramLayout } from "@e2llm/train";
import type { Scorer, TokenDocument, TrainRunResult } from "@e2llm/train";
import type { Backend } from "./backend.ts";
import { type EncodingLoader, evaluateLengths, EvaluationError } from "./evaluate.ts";
import { heldOutDescription, heldOutDocuments } from "./heldout.ts";
import { scoringDescription } from "./perplexity.ts";
import {
  type ComparePlan,
  encodingAtLength,
  planCompare,
  type PlannedRun,
  type PlannedTraining,
  recordedRunEncoding,
} from "./plan.ts";
import type { CompareConfig } from "./presets.ts";
import { writeReport } from "./report/folder.ts";
import { sortRuns } from "./report/summary.ts";
import {
  type BaseRecord,
  type EvalRecord,
  type ModelSummary,
  parseResults,
  RESULTS_SCHEMA_VERSION,
  type ResultsDoc,
  runKey,
  type RunRecord,
} from "./results.ts";
import {
  finiteLossCurve,
  readJsonIfExists,
  readRunRecord,
  readTrainingRecord,
  type TrainingRecord,
  writeJsonAtomic,
} from "./run_files.ts";

/** The configuration file of an output folder. */
export const COMPARE_CONFIG_FILE = "compare.json";
/** The plan file of an output folder. */
export const PLAN_FILE = "plan.json";
/** The finished-training marker inside a training folder. */
export const TRAINING_FILE = "training.json";

/** Options of {@link runCompare}. */
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
}

/** What {@link runCompare} did. */
export interface CompareOutcome {
  doc: ResultsDoc;
  /** The report files written. */
  files: string[];
  /** Ids of trainings run now, and of those found finished. */
  trained: string[];
  reusedTrainings: string[];
  /** runKey of runs evaluated now, and of those found finished. */
  evaluated: string[];
  reusedRuns: string[];
  /** runKey of failed runs. */
  failed: string[];
}

type TrainingState = { ok: true; record: TrainingRecord } | { ok: false; error: string };

function message(err: unknown): string {
  return (err as Error)?.message ?? String(err);
}

/** The first path where two JSON values differ ("finetune.steps"), or null when equal. */
export function firstJsonDifference(a: unknown, b: unknown, path = ""): string | null {
  if (isDeepStrictEqual(a, b)) return null;
  const isObj = (x: unknown): x is Record<string, unknown> =>
    typeof x === "object" && x !== null && !Array.isArray(x);
  if (isObj(a) && isObj(b)) {
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      const d = firstJsonDifference(a[k], b[k], path ? `${path}.${k}` : k);
      if (d !== null) return d;
    }
  }
  return path || "(root)";
}

function valueAt(x: unknown, path: string): string {
  let v = x;
  for (const k of path.split(".")) v = (v as Record<string, unknown> | undefined)?.[k];
  return JSON.stringify(v) ?? "absent";
}

/** Write compare.json, or check that the folder's one matches `config`. */
async function claimFolder(out: string, config: CompareConfig): Promise<boolean> {
  const path = join(out, COMPARE_CONFIG_FILE);
  const json = JSON.parse(JSON.stringify(config));
  const saved = await readJsonIfExists(path);
  if (saved === undefined) {
    await writeJsonAtomic(path, json);
    return false;
  }
  const d = firstJsonDifference(saved, json);
  if (d !== null) {
    throw new Error(
      `${out} holds a compare run with another configuration (${d}: ${valueAt(saved, d)} there, ` +
        `${valueAt(json, d)} now); use another --out, or remove the folder to start over`,
    );
  }
  return true;
}

/** The base model's summary for results.json. */
export function modelSummary(config: CompareConfig): ModelSummary {
  const m = config.model;
  return {
    name: `d${m.dModel}-L${m.nLayers}-H${m.nHeads}`,
    params: countParams(paramLayout(m)),
    layers: m.nLayers,
    heads: m.nHeads,
    dModel: m.dModel,
    headDim: m.dModel / m.nHeads,
    vocabSize: m.vocabSize,
    ropeBase: m.ropeBase,
  };
}

/** Run the comparison described by `opts.config` (see the module doc). */
export async function runCompare(opts: CompareOptions): Promise<CompareOutcome> {
  const { config, out, backend } = opts;
  const log = opts.log ?? ((line: string) => console.error(line));
  const plan = planCompare(config);
  await Deno.mkdir(out, { recursive: true });
  const resumed = await claimFolder(out, config);
  await writeJsonAtomic(join(out, PLAN_FILE), planSummary(plan));
  log(
    `compare ${config.preset}: ${plan.trainings.length} trainings, ${plan.runs.length} runs, ` +
      `lengths ${plan.lengths.join(", ")} → ${out}${resumed ? " (resuming)" : ""}`,
  );

  const outcome: Omit<CompareOutcome, "doc" | "files"> = {
    trained: [],
    reusedTrainings: [],
    evaluated: [],
    reusedRuns: [],
    failed: [],
  };
  const trainings = new Map(plan.trainings.map((t) => [t.id, t]));
  const states = new Map<string, TrainingState>();
  let docs: readonly TokenDocument[] | undefined;
  const scorers = new ScorerCache(backend);

  const ensureTraining = async (t: PlannedTraining): Promise<TrainingState> => {
    const known = states.get(t.id);
    if (known) return known;
    let state: TrainingState;
    const marker = join(out, t.dir, TRAINING_FILE);
    const saved = await readTrainingRecord(marker).catch((err) => {
      log(`${t.id}: ignoring ${marker} (${message(err)}), training again`);
      return undefined;
    });
    if (saved) {
      outcome.reusedTrainings.push(t.id);
      state = { ok: true, record: saved };
    } else if (t.init !== null && !(await ensureTraining(trainings.get(t.init)!)).ok) {
      state = states.get(t.init)!;
    } else {
      state = await train(t, marker);
    }
    states.set(t.id, state);
    return state;
  };

  const train = async (t: PlannedTraining, marker: string): Promise<TrainingState> => {
    const folder = join(out, t.dir, "train");
    const c = t.config;
    const init = t.init === null ? undefined : runFolder(out, states.get(t.init)!);
    const interrupted = await isNonEmptyDir(folder);
    log(
      `${t.id}: ${t.kind === "base" ? "pretraining" : "fine-tuning"} ${c.encoding.name}, ` +
        `${c.steps} steps × ${c.batchSize} × ${c.seqLength} = ${t.tokens} tokens` +
        (interrupted ? " (resuming an interrupted run)" : ""),
    );
    await scorers.release();
    try {
      let r: TrainRunResult;
      let earlierSeconds = 0;
      const fresh = async () => {
        await removeIfExists(folder);
        return await backend.trainRun({ config: c, out: folder, init, quiet: opts.quiet });
      };
      if (interrupted) {
        try {
          earlierSeconds = await loggedSeconds(folder);
          r = await backend.trainRun({ config: c, out: folder, resume: folder, quiet: opts.quiet });
        } catch (err) {
          if (!cannotResume(err)) throw err;
          log(`${t.id}: cannot resume (${message(err)}); training from the start`);
          earlierSeconds = 0;
          r = await fresh();
        }
      } else r = await fresh();
      const record: TrainingRecord = {
        id: t.id,
        seed: t.seed,
        method: t.method,
        runDir: storedPath(out, folder),
        checkpoint: storedPath(out, r.checkpointDir),
        steps: r.steps,
        trainTokens: r.trainTokens,
        trainSeconds: r.trainSeconds + earlierSeconds,
        lossCurve: finiteLossCurve(r.lossCurve),
        finalLoss: Number.isFinite(r.finalLoss) ? r.finalLoss : null,
      };
      await writeJsonAtomic(marker, record);
      outcome.trained.push(t.id);
      log(
        `${t.id}: done in ${record.trainSeconds.toFixed(1)} s` +
          (record.finalLoss === null ? "" : `, final loss ${record.finalLoss.toFixed(4)}`),
      );
      return { ok: true, record };
    } catch (err) {
      const what = t.kind === "base" ? "base pretraining" : "fine-tuning";
      log(`${t.id}: FAILED: ${message(err)}`);
      return { ok: false, error: `${what} ${t.id} failed: ${message(err)}` };
    }
  };

  const evaluate = async (run: PlannedRun): Promise<RunRecord> => {
    const key = runKey(run);
    const ft = run.trainRef ? await ensureTraining(trainings.get(run.trainRef)!) : undefined;
    const source = await ensureTraining(trainings.get(run.checkpointOf)!);
    const cost = ft?.ok
      ? {
        trainTokens: ft.record.trainTokens,
        trainSeconds: ft.record.trainSeconds,
        lossCurve: ft.record.lossCurve,
      }
      : { trainTokens: 0, trainSeconds: 0, lossCurve: [] };
    const record = (evals: EvalRecord[], error?: string): RunRecord => ({
      method: run.method,
      variant: run.variant,
      seed: run.seed,
      encoding: JSON.parse(JSON.stringify(recordedRunEncoding(run.encoding))),
      status: error === undefined ? "ok" : "failed",
      ...(error === undefined ? {} : { error }),
      ...(run.trainRef ? { trainRef: run.trainRef } : {}),
      ...cost,
      evals,
    });
    if (!source.ok) return record([], source.error);
    log(`${key}: evaluating at ${plan.lengths.join(", ")}`);
    try {
      docs ??= await (opts.loadDocs ?? defaultLoadDocs)(config);
      const scorer = await scorers.open(checkpointPath(out, source));
      const started = performance.now();
      const evals = await evaluateLengths({
        scorer,
        docs,
        lengths: plan.lengths,
        encoding: run.encoding.factorFromLength
          ? (l) => encodingAtLength(run.encoding, l, plan.trainLength)
          : { name: run.encoding.name, config: run.encoding.config },
        windows: config.eval.windows,
        windowTokens: config.eval.windowTokens,
        stride: config.eval.stride,
        passkey: {
          trials: config.eval.passkeyTrials,
          depths: config.eval.passkeyDepths,
          seed: config.eval.passkeySeed,
        },
        loadEncoding: opts.loadEncoding,
        onRecord: (e) =>
          log(
            `${key}: L=${e.length} ppl ${e.ppl.toFixed(3)} [${e.pplCiLow.toFixed(3)}, ` +
              `${e.pplCiHigh.toFixed(3)}]` +
              (e.passkeyAcc === null ? "" : ` passkey ${(e.passkeyAcc * 100).toFixed(0)}%`),
          ),
      });
      log(`${key}: evaluated in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      return record(evals);
    } catch (err) {
      if (err instanceof EvaluationError) return record(err.completed, err.message);
      return record([], `evaluation failed: ${message(err)}`);
    }
  };

  const runs: RunRecord[] = [];
  try {
    for (const run of executionOrder(plan)) {
      const key = runKey(run);
      const path = join(out, run.file);
      const saved = await readRunRecord(path).catch((err) => {
        log(`${key}: ignoring ${path} (${message(err)}), evaluating again`);
        return undefined;
      });
      if (saved?.status === "ok") {
        outcome.reusedRuns.push(key);
        runs.push(saved);
        continue;
      }
      const result = await evaluate(run);
      await writeJsonAtomic(path, result);
      outcome.evaluated.push(key);
      if (result.status === "failed") {
        outcome.failed.push(key);
        log(`${key}: FAILED: ${result.error}`);
      }
      runs.push(result);
    }
  } finally {
    await scorers.release();
  }

  const bases: BaseRecord[] = [];
  for (const t of plan.trainings.filter((t) => t.kind === "base")) {
    const s = states.get(t.id) ??
      (await readTrainingRecord(join(out, t.dir, TRAINING_FILE)).then(
        (r) => r ? { ok: true as const, record: r } : undefined,
        () => undefined,
      ));
    if (!s?.ok) continue;
    bases.push({
      seed: t.seed,
      checkpoint: s.record.checkpoint,
      trainTokens: s.record.trainTokens,
      trainSeconds: s.record.trainSeconds,
      lossCurve: s.record.lossCurve,
    });
  }
  const doc = parseResults(
    {
      schemaVersion: RESULTS_SCHEMA_VERSION,
      createdAt: (opts.now?.() ?? new Date()).toISOString(),
      command: opts.command ?? `deno task compare --preset ${config.preset}`,
      preset: config.preset,
      trainLength: plan.trainLength,
      lengths: plan.lengths,
      model: modelSummary(config),
      bases,
      protocol: {
        dataset: heldOutDescription(config.data.corpus, config.eval.split),
        scoring: scoringDescription(config.eval.stride),
        stride: config.eval.stride,
        ciLevel: 0.95,
        passkeyTrials: config.eval.passkeyTrials,
      },
      runs: sortRuns(runs),
    },
    join(out, "results.json"),
  );
  const files = await writeReport(doc, out);
  log(
    `compare: ${runs.length - outcome.failed.length} runs ok, ${outcome.failed.length} failed ` +
      `(${outcome.reusedRuns.length} reused); report in ${out}`,
  );
  return { doc, files, ...outcome };
}

/**
 * Runs in the order they execute: per seed, the runs on the base checkpoint first (one scorer
 * load for all no-finetune variants), then the others in plan order.
 */
export function executionOrder(plan: ComparePlan): PlannedRun[] {
  const base = new Set(plan.trainings.filter((t) => t.kind === "base").map((t) => t.id));
  const rank = (r: PlannedRun) => base.has(r.checkpointOf) ? 0 : 1;
  return plan.runs
    .map((r, i) => ({ r, i }))
    .sort((a, b) => a.r.seed - b.r.seed || rank(a.r) - rank(b.r) || a.i - b.i)
    .map((x) => x.r);
}

/** The held-out documents of the config's corpus and eval split. */
function defaultLoadDocs(config: CompareConfig): Promise<readonly TokenDocument[]> {
  return heldOutDocuments(config.data, config.eval.split);
}

function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
}

/** A path as stored in a record: relative to `out` when inside it, else absolute. */
function storedPath(out: string, path: string): string {
  return isAbsolute(path) && !isInside(out, path) ? path : relative(out, path);
}

function resolveStored(out: string, path: string): string {
  return isAbsolute(path) ? path : join(out, path);
}

function checkpointPath(out: string, s: TrainingState): string {
  if (!s.ok) throw new Error(s.error);
  return resolveStored(out, s.record.checkpoint);
}

function runFolder(out: string, s: TrainingState): string {
  if (!s.ok) throw new Error(s.error);
  return resolveStored(out, s.record.runDir);
}

/**
 * Seconds an interrupted run already trained, from its `metrics.jsonl`: `elapsedSeconds` restarts
 * in each process, so the sum of each process's last value (0 when there is no log).
 */
export async function loggedSeconds(runDir: string): Promise<number> {
  let records: { elapsedSeconds: number }[];
  try {
    records = await MetricsLog.read(join(runDir, "metrics.jsonl"));
  } catch {
    return 0;
  }
  let total = 0, last = 0;
  for (const r of records) {
    const e = Number(r.elapsedSeconds);
    if (!Number.isFinite(e)) continue;
    if (e < last) total += last;
    last = e;
  }
  return total + last;
}

/** Errors of a resume that a fresh start fixes: no (or a damaged) checkpoint, another config. */
function cannotResume(err: unknown): boolean {
  return err instanceof CheckpointError || /^cannot resume/.test(message(err));
}

async function isNonEmptyDir(path: string): Promise<boolean> {
  try {
    for await (const _ of Deno.readDir(path)) return true;
    return false;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound || err instanceof Deno.errors.NotADirectory) {
      return false;
    }
    throw err;
  }
}

async function removeIfExists(path: string): Promise<void> {
  await Deno.remove(path, { recursive: true }).catch((err) => {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  });
}

/** plan.json: what will be trained (with token budgets) and evaluated. */
function planSummary(plan: ComparePlan) {
  return {
    trainLength: plan.trainLength,
    lengths: plan.lengths,
    trainings: plan.trainings.map((t) => ({
      id: t.id,
      kind: t.kind,
      seed: t.seed,
      method: t.method,
      dir: t.dir,
      init: t.init,
      encoding: t.config.encoding,
      steps: t.config.steps,
      batchSize: t.config.batchSize,
      seqLength: t.config.seqLength,
      tokens: t.tokens,
    })),
    runs: plan.runs.map((r) => ({
      method: r.method,
      variant: r.variant,
      seed: r.seed,
      file: r.file,
      checkpointOf: r.checkpointOf,
      trainRef: r.trainRef ?? null,
      encoding: recordedRunEncoding(r.encoding),
    })),
  };
}

/** Keeps the last opened scorer, so consecutive runs on one checkpoint load it once. */
class ScorerCache {
  #dir: string | undefined;
  #scorer: Scorer | undefined;
  constructor(private readonly backend: Backend) {}

  async open(dir: string): Promise<Scorer> {
    if (this.#scorer && this.#dir === dir) return this.#scorer;
    await this.release();
    this.#scorer = await this.backend.openScorer(dir);
    this.#dir = dir;
    return this.#scorer;
  }

  /** Dispose the held scorer (before training, and at the end). */
  release(): Promise<void> {
    this.#scorer?.dispose();
    this.#scorer = undefined;
    this.#dir = undefined;
    return Promise.resolve();
  }
}
