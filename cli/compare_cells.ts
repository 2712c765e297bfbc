/**
 * @module
 * The cell and cluster modes of `compare`: `--list-cells`, `--cell I|auto [--stage S]`,
 * `--stage report`, and `--slurm [--sbatch "<options>"] [--wait]` (see eval/cells.ts and
 * eval/slurm.ts).
 */
import { resolve } from "node:path";
import type { Backend, CompareConfig } from "@e2llm/eval";
import {
  type Cell,
  CELL_STAGES,
  cellDone,
  type CellStage,
  claimFolder,
  planCells,
  planCompare,
  refuseWholeRun,
  requireOnPath,
  runCell,
  selectCell,
  submitSlurm,
  waitSlurm,
} from "@e2llm/eval";

/** Stages accepted by `--stage`: the cell stages and `report`. */
export const STAGE_NAMES = [...CELL_STAGES, "report"] as const;

/** The cell-mode flags of `compare`. */
export interface CellFlags {
  listCells?: boolean;
  cell?: string;
  stage?: (typeof STAGE_NAMES)[number];
  slurm?: boolean;
  sbatch?: string;
  wait?: boolean;
  breakStaleLock?: boolean;
  quiet?: boolean;
}

/** Whether any cell-mode flag is set (otherwise `compare` runs the whole plan in-process). */
export function cellMode(f: CellFlags): boolean {
  return Boolean(
    f.listCells || f.cell !== undefined || f.stage || f.slurm || f.wait || f.sbatch !== undefined,
  );
}

/** `--list-cells`: one line per cell (index, stage/index, id, dependencies, status). */
export async function listCells(cells: readonly Cell[], out: string): Promise<void> {
  console.log(`cells of ${out} (stage order: ${CELL_STAGES.join(", ")}, then report):`);
  for (const c of cells) {
    const status = (await cellDone(out, c)) ? "done" : "missing";
    console.log(
      `${String(c.index).padStart(3)}  ${`${c.stage}/${c.stageIndex}`.padEnd(12)} ` +
        `${c.id.padEnd(28)} needs ${c.deps.length ? c.deps.join(",") : "-"}`.padEnd(52) +
        `  ${status}`,
    );
  }
}

/** Run the cell-mode action; `runWhole` runs the whole plan (the report stage's last step). */
export async function cellAction(
  f: CellFlags,
  config: CompareConfig,
  out: string,
  compareArgs: string[],
  backend: () => Backend,
  runWhole: () => Promise<void>,
): Promise<void> {
  if ((f.wait || f.sbatch !== undefined) && !f.slurm) {
    throw new Error(`${f.wait ? "--wait" : "--sbatch"} needs --slurm`);
  }
  const plan = planCompare(config);
  const cells = planCells(plan);
  if (f.listCells) return await listCells(cells, out);
  if (f.slurm) {
    if (f.cell !== undefined || f.stage) {
      throw new Error("--slurm submits every stage; drop --cell/--stage");
    }
    await requireOnPath("sbatch", "--slurm");
    await Deno.mkdir(out, { recursive: true });
    await claimFolder(out, config);
    await refuseWholeRun(out);
    const jobs = await submitSlurm({ cells, out, compareArgs, sbatchExtra: f.sbatch });
    if (f.wait) await waitSlurm({ cells, out, jobs });
    return;
  }
  if (f.stage === "report") {
    const missing: string[] = [];
    for (const c of cells) if (!(await cellDone(out, c))) missing.push(`${c.index} (${c.id})`);
    if (missing.length) {
      throw new Error(`--stage report: cells not finished: ${missing.join(", ")}`);
    }
    return await runWhole();
  }
  const cell = selectCell(cells, f.cell, f.stage as CellStage | undefined);
  await runCell({
    config,
    cells,
    cell,
    out: resolve(out),
    backend: backend(),
    quiet: f.quiet,
    breakStaleLock: f.breakStaleLock,
  });
}
