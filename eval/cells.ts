/**
 * @module
 * The cells of a `compare` plan: its units of work, each runnable alone (`compare --cell`) in any
 * process on any node sharing the output folder, in three stages:
 *
 * - `base`: one base pretraining per seed (no dependency);
 * - `finetune`: one fine-tuning per method and seed (depends on its seed's base);
 * - `eval`: one evaluated run per method × variant × seed (depends on the training(s) it uses);
 *
 * then the `report` stage (not a cell) writes results.json and the report from the finished
 * cells. A cell writes into the same files as the single-process `compare`, so its folder can
 * be reported, resumed or merged like any other. A cell is idempotent: its completion marker
 * (`training.json` for a training, the run's result file with status "ok" for an evaluation) is
 * written last, by an atomic rename; a finished cell is skipped, an interrupted training resumes
 * from its last checkpoint, and a lock file (`<marker>.lock`, owner pid and host) keeps two
 * processes from running the same cell.
 */
import { isAbsolute, join, relative } from "node:path";
import { lockRunFolder, type TokenDocument, type TrainRunResult } from "@e2llm/train";
import { CheckpointError } from "@e2llm/train";
import type { Backend } from "./backend.ts";
import { firstJsonDifference, loggedSeconds, TRAINING_FILE } from "./compare.ts";
import { evaluateLengths, EvaluationError } from "./evaluate.ts";
import { heldOutDocuments } from "./heldout.ts";
import {
  type ComparePlan,
  encodingAtLength,
  type PlannedRun,
  type PlannedTraining,
  recordedRunEncoding,
} from "./plan.ts";
import type { CompareConfig } from "./presets.ts";
import { type EvalRecord, runKey, type RunRecord } from "./results.ts";
import {
  finiteLossCurve,
  readJsonIfExists,
  readRunRecord,
  readTrainingRecord,
  type TrainingRecord,
  writeJsonAtomic,
} from "./run_files.ts";

/** The stages, in the order they run. */
export const CELL_STAGES = ["base", "finetune", "eval"] as const;
/** One of {@link CELL_STAGES}. */
export type CellStage = (typeof CELL_STAGES)[number];

/** One unit of work of a plan. */
export interface Cell {
  /** Global index (0-based, in stage order). */
  index: number;
  stage: CellStage;
  /** Index inside its stage (what a Slurm array task or an Indexed Job pod gets). */
  stageIndex: number;
  /** "base-seed0", "linear-seed0" (trainings) or runKey ("linear/finetuned/seed 0"). */
  id: string;
  /** Completion marker, relative to the output folder. */
  marker: string;
  /** Global indices of the cells it needs finished. */
  deps: number[];
  training?: PlannedTraining;
  run?: PlannedRun;
}

/** The cells of `plan`: bases, then fine-tunings, then evaluations (plan order in each). */
export function planCells(plan: ComparePlan): Cell[] {
  const cells: Cell[] = [];
  const byTraining = new Map<string, number>();
  const push = (c: Omit<Cell, "index" | "stageIndex">) => {
    const stageIndex = cells.filter((x) => x.stage === c.stage).length;
    cells.push({ ...c, index: cells.length, stageIndex });
  };
  for (const kind of ["base", "finetune"] as const) {
    for (const t of plan.trainings.filter((t) => t.kind === kind)) {
      byTraining.set(t.id, cells.length);
      push({
        stage: kind,
        id: t.id,
        marker: join(t.dir, TRAINING_FILE),
        deps: t.init === null ? [] : [byTraining.get(t.init)!],
        training: t,
      });
    }
  }
  for (const r of plan.runs) {
    const deps = [...new Set([r.checkpointOf, ...(r.trainRef ? [r.trainRef] : [])])]
      .map((id) => byTraining.get(id)!);
    push({ stage: "eval", id: runKey(r), marker: r.file, deps, run: r });
  }
  return cells;
}

/** Whether cell `c`'s completion marker is in `out` (an evaluation: with status "ok"). */
export async function cellDone(out: string, c: Cell): Promise<boolean> {
  const path = join(out, c.marker);
  try {
    if (c.training) return (await readTrainingRecord(path)) !== undefined;
    return (await readRunRecord(path))?.status === "ok";
  } catch {
    return false;
  }
}

/**
 * The cell a process should run: `given` (a number, or "auto"), else (or for "auto")
 * `SLURM_ARRAY_TASK_ID`, else `JOB_COMPLETION_INDEX`; relative to `stage` when one is given.
 * Throws a one-line error when no index is found or it is out of range.
 */
export function selectCell(
  cells: readonly Cell[],
  given: string | undefined,
  stage: CellStage | undefined,
  env: (name: string) => string | undefined = (n) => Deno.env.get(n),
): Cell {
  let raw = given;
  let source = "--cell";
  if (raw === undefined || raw === "auto") {
    for (const name of ["SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX"]) {
      const v = env(name);
      if (v !== undefined && v !== "") {
        raw = v;
        source = name;
        break;
      }
    }
    if (raw === undefined || raw === "auto") {
      throw new Error(
        "--cell auto: neither SLURM_ARRAY_TASK_ID nor JOB_COMPLETION_INDEX is set; " +
          "give the cell index (see --list-cells)",
      );
    }
  }
  const pool = stage ? cells.filter((c) => c.stage === stage) : cells;
  const i = Number(raw);
  if (!/^\d+$/.test(raw) || i >= pool.length) {
    const where = stage
      ? `stage ${stage} has cells 0-${pool.length - 1}`
      : `cells 0-${pool.length - 1}`;
    throw new Error(`${source} ${raw} is out of range (${where}; see --list-cells)`);
  }
  return pool[i];
}

/** Check (or write) the folder's compare.json against `config` (a cell must use the same). */
export async function checkCellConfig(out: string, config: CompareConfig): Promise<void> {
  const path = join(out, "compare.json");
  const json = JSON.parse(JSON.stringify(config));
  const saved = await readJsonIfExists(path);
  if (saved === undefined) {
    await Deno.mkdir(out, { recursive: true });
    await writeJsonAtomic(path, json);
    return;
  }
  const d = firstJsonDifference(saved, json);
  if (d !== null) {
    throw new Error(
      `${out} holds a compare run with another configuration (differs at ${d}); ` +
        "use the same preset, --config, --methods and --seeds as the run there, or another --out",
    );
  }
}

/** Options of {@link runCell}. */
export interface RunCellOptions {
  config: CompareConfig;
  plan: ComparePlan;
  cells: readonly Cell[];
  cell: Cell;
  out: string;
  backend: Backend;
  quiet?: boolean;
  log?: (line: string) => void;
  /** Held-out documents (default: the config's corpus and split). */
  loadDocs?: (config: CompareConfig) => Promise<readonly TokenDocument[]>;
  /** Remove a stale lock of this cell (its owner crashed on this host). */
  breakStaleLock?: boolean;
}

/** What {@link runCell} did. */
export type CellOutcome = "skipped" | "done";

/**
 * Run one cell (see the module doc): skipped when finished; refused (one-line error) when a
 * dependency has not finished or another process holds its lock; throws when it fails (a failed
 * evaluation's record is written first, like `compare` does).
 */
export async function runCell(opts: RunCellOptions): Promise<CellOutcome> {
  const { out, cell, cells } = opts;
  const log = opts.log ?? ((l: string) => console.error(l));
  await checkCellConfig(out, opts.config);
  const lock = await lockRunFolder(join(out, cell.marker), {
    file: true,
    breakStale: opts.breakStaleLock,
  });
  try {
    if (await cellDone(out, cell)) {
      log(`cell ${cell.index} (${cell.id}): already finished, skipped`);
      return "skipped";
    }
    for (const d of cell.deps) {
      if (!(await cellDone(out, cells[d]))) {
        throw new Error(
          `cell ${cell.index} (${cell.id}) needs cell ${d} (${cells[d].id}), which has not ` +
            `finished (no ${join(out, cells[d].marker)}); run stage ${cells[d].stage} first`,
        );
      }
    }
    if (cell.training) await trainCell(opts, cell.training, log);
    else await evalCell(opts, cell.run!, log);
    return "done";
  } finally {
    await lock.release();
  }
}

function message(err: unknown): string {
  return (err as Error)?.message ?? String(err);
}

async function trainingOf(out: string, plan: ComparePlan, id: string): Promise<TrainingRecord> {
  const t = plan.trainings.find((x) => x.id === id)!;
  const r = await readTrainingRecord(join(out, t.dir, TRAINING_FILE));
  if (!r) {
    throw new Error(`training ${id} has not finished (no ${join(out, t.dir, TRAINING_FILE)})`);
  }
  return r;
}

const resolveStored = (out: string, p: string) => (isAbsolute(p) ? p : join(out, p));

async function isNonEmptyDir(path: string): Promise<boolean> {
  try {
    for await (const _ of Deno.readDir(path)) return true;
  } catch { /* missing */ }
  return false;
}

/** A training cell: the same steps and record as `compare`'s own training. */
async function trainCell(
  opts: RunCellOptions,
  t: PlannedTraining,
  log: (l: string) => void,
): Promise<void> {
  const { out, backend } = opts;
  const folder = join(out, t.dir, "train");
  const c = t.config;
  const init = t.init === null
    ? undefined
    : resolveStored(out, (await trainingOf(out, opts.plan, t.init)).runDir);
  const interrupted = await isNonEmptyDir(folder);
  log(
    `${t.id}: ${t.kind === "base" ? "pretraining" : "fine-tuning"} ${c.encoding.name}, ` +
      `${c.steps} steps × ${c.batchSize} × ${c.seqLength} = ${t.tokens} tokens` +
      (interrupted ? " (resuming an interrupted run)" : ""),
  );
  const fresh = async () => {
    await Deno.remove(folder, { recursive: true }).catch(() => {});
    return await backend.trainRun({ config: c, out: folder, init, quiet: opts.quiet });
  };
  let r: TrainRunResult;
  let earlierSeconds = 0;
  if (interrupted) {
    try {
      earlierSeconds = await loggedSeconds(folder);
      r = await backend.trainRun({ config: c, out: folder, resume: folder, quiet: opts.quiet });
    } catch (err) {
      if (!(err instanceof CheckpointError || /^cannot resume/.test(message(err)))) throw err;
      log(`${t.id}: cannot resume (${message(err)}); training from the start`);
      earlierSeconds = 0;
      r = await fresh();
    }
  } else r = await fresh();
  const rel = (p: string) => {
    const r = relative(out, p);
    return isAbsolute(p) && (r.startsWith("..") || isAbsolute(r)) ? p : r;
  };
  const record: TrainingRecord = {
    id: t.id,
    seed: t.seed,
    method: t.method,
    runDir: rel(folder),
    checkpoint: rel(r.checkpointDir),
    steps: r.steps,
    trainTokens: r.trainTokens,
    trainSeconds: r.trainSeconds + earlierSeconds,
    lossCurve: finiteLossCurve(r.lossCurve),
    finalLoss: Number.isFinite(r.finalLoss) ? r.finalLoss : null,
  };
  await writeJsonAtomic(join(out, t.dir, TRAINING_FILE), record);
  log(`${t.id}: done in ${record.trainSeconds.toFixed(1)} s`);
}

/** An evaluation cell: the same evaluation and record as `compare`'s own. */
async function evalCell(
  opts: RunCellOptions,
  run: PlannedRun,
  log: (l: string) => void,
): Promise<void> {
  const { out, plan, config } = opts;
  const key = runKey(run);
  const ft = run.trainRef ? await trainingOf(out, plan, run.trainRef) : undefined;
  const source = await trainingOf(out, plan, run.checkpointOf);
  const cost = ft
    ? { trainTokens: ft.trainTokens, trainSeconds: ft.trainSeconds, lossCurve: ft.lossCurve }
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
  log(`${key}: evaluating at ${plan.lengths.join(", ")}`);
  let result: RunRecord;
  const scorer = await opts.backend.openScorer(resolveStored(out, source.checkpoint));
  try {
    const docs = await (opts.loadDocs ?? ((c) => heldOutDocuments(c.data, c.eval.split)))(config);
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
    });
    result = record(evals);
  } catch (err) {
    result = err instanceof EvaluationError
      ? record(err.completed, err.message)
      : record([], `evaluation failed: ${message(err)}`);
  } finally {
    scorer.dispose();
  }
  await writeJsonAtomic(join(out, run.file), result);
  if (result.status === "failed") throw new Error(`${key} failed: ${result.error}`);
  log(`${key}: done`);
}
