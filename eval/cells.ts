/**
 * @module
 * The cells of a `compare` plan: its units of work, each runnable alone (`compare --cell`) in any
 * process on any node sharing the output folder, in three stages:
 *
 * - `base`: one base pretraining per seed (no dependency);
 * - `finetune`: one fine-tuning per method and seed (depends on its seed's base);
 * - `evaluate`: one evaluated run per method × variant × seed (depends on the training(s) it uses);
 *
 * then the `report` stage (not a cell) writes results.json and the report from the finished
 * cells. A cell writes into the same files as the single-process `compare`, so its folder can
 * be reported, resumed or merged like any other. A cell is idempotent: its completion marker
 * (`training.json` for a training, the run's result file with status "ok" for an evaluation) is
 * written last, by an atomic rename; a finished cell is skipped, an interrupted training resumes
 * from its last checkpoint, and a lock file (`<marker>.lock`, owner pid and host) keeps two
 * processes from running the same cell.
 */
import { join } from "node:path";
import {
  describeOwner,
  lockHolder,
  lockRunFolder,
  RunFolderError,
  type TokenDocument,
} from "@e2llm/train";
import type { Backend } from "./backend.ts";
import { claimFolder, type CompareContext, openCompare, TRAINING_FILE } from "./compare_context.ts";
import { runOrReuse } from "./compare_eval.ts";
import { plannedTraining, trainNow } from "./compare_train.ts";
import { type ComparePlan, type PlannedRun, type PlannedTraining, workUnits } from "./plan.ts";
import type { CompareConfig } from "./presets.ts";
import { runKey } from "./results.ts";
import { readRunRecord, readTrainingRecord } from "./run_files.ts";

/** The stages, in the order they run. */
export const CELL_STAGES = ["base", "finetune", "evaluate"] as const;
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

/**
 * The cells of `plan`: its units of work (`workUnits`) ordered bases, fine-tunings, evaluations
 * (plan order inside each stage), with their markers and dependencies as cell indices.
 */
export function planCells(plan: ComparePlan): Cell[] {
  const units = workUnits(plan);
  const trainings = new Map(plan.trainings.map((t) => [t.id, t]));
  const runs = new Map(plan.runs.map((r) => [runKey(r), r]));
  const ordered = CELL_STAGES.flatMap((stage) => units.filter((u) => u.stage === stage));
  const indexOf = new Map(ordered.map((u, i) => [u.id, i]));
  const perStage = new Map<CellStage, number>();
  return ordered.map((u, index): Cell => {
    const stageIndex = perStage.get(u.stage) ?? 0;
    perStage.set(u.stage, stageIndex + 1);
    const training = trainings.get(u.id);
    const run = u.stage === "evaluate" ? runs.get(u.id) : undefined;
    return {
      index,
      stage: u.stage,
      stageIndex,
      id: u.id,
      marker: training ? join(training.dir, TRAINING_FILE) : run!.file,
      deps: u.needs.map((id) => indexOf.get(id)!),
      ...(training ? { training } : { run }),
    };
  });
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

/** Options of {@link runCell}. */
export interface RunCellOptions {
  config: CompareConfig;
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
 * Run one cell (see the module doc) with the same steps as the single-process `compare`
 * (`trainNow`, `runOrReuse`): skipped when finished; refused (one-line error) when a dependency
 * has not finished or another process holds its lock; throws when it fails (a failed
 * evaluation's record is written first, as `compare` does).
 */
export async function runCell(opts: RunCellOptions): Promise<CellOutcome> {
  const { out, cell, cells } = opts;
  const log = opts.log ?? ((l: string) => console.error(l));
  await Deno.mkdir(out, { recursive: true });
  await claimFolder(out, opts.config);
  await refuseWholeRun(out);
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
    const ctx = await openCompare({
      config: opts.config,
      out,
      backend: opts.backend,
      quiet: opts.quiet,
      log,
      loadDocs: opts.loadDocs,
    });
    try {
      if (cell.training) await trainCell(ctx, cell.training);
      else await evaluateCell(ctx, cell.run!);
    } finally {
      ctx.scorers.release();
    }
    return "done";
  } finally {
    await lock.release();
  }
}

/** A training cell: `trainNow` from its (finished) init training. */
async function trainCell(ctx: CompareContext, t: PlannedTraining): Promise<void> {
  let init;
  if (t.init !== null) {
    const from = plannedTraining(ctx, t.init);
    init = await readTrainingRecord(join(ctx.out, from.dir, TRAINING_FILE));
    if (!init) throw new Error(`training ${t.init} has not finished`);
  }
  const state = await trainNow(ctx, t, init);
  if (!state.ok) throw new Error(state.error);
}

/** An evaluation cell: `runOrReuse` (its trainings are finished, so only the evaluation runs). */
async function evaluateCell(ctx: CompareContext, run: PlannedRun): Promise<void> {
  const record = await runOrReuse(ctx, run);
  if (record.status !== "ok") throw new Error(`${runKey(run)} failed: ${record.error}`);
}

/**
 * Throws when a single-process `compare` holds `out`'s own lock: it may be running any cell
 * (cells lock their markers; the single-process run locks the folder).
 */
export async function refuseWholeRun(out: string): Promise<void> {
  const owner = await lockHolder(out);
  if (owner) {
    throw new RunFolderError(
      `${out} is being written by a single-process compare (${describeOwner(owner)}); ` +
        "wait for it to finish or stop it before running cells there",
      owner,
    );
  }
}
