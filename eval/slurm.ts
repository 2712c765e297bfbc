/**
 * @module
 * `compare --slurm`: one `sbatch --array` per stage with unfinished cells (each task runs
 * `compare … --stage S --cell auto`, which reads `SLURM_ARRAY_TASK_ID`), each stage
 * `--dependency=afterok:` on the one before (`--kill-on-invalid-dep=yes`, so a failure cancels
 * what depends on it), then one job writing the report. Finished cells are left out, so
 * resubmitting the same command runs only what is missing. The output folder must be on a
 * filesystem every node sees at the same path.
 */
import { join, resolve } from "node:path";
import { type Cell, CELL_STAGES, cellDone } from "./cells.ts";

/** Options of {@link submitSlurm}. */
export interface SlurmSubmitOptions {
  cells: readonly Cell[];
  /** Output folder (made absolute). */
  out: string;
  /** The compare arguments that select the plan (preset, config, methods, seeds, --out). */
  compareArgs: string[];
  /** Extra sbatch options, split on whitespace ("--partition=gpu --time=2:00:00"). */
  sbatchExtra?: string;
  /** The sbatch program (default: "sbatch"). */
  sbatch?: string;
  log?: (line: string) => void;
}

/** One submitted job array (or the report job). */
export interface SubmittedJob {
  stage: string;
  jobId: string;
  /** Stage-relative task indices (empty for the report job). */
  tasks: number[];
}

/** Throws a one-line error when `program` is not an executable on the PATH. */
export async function requireOnPath(program: string, why: string): Promise<string> {
  if (program.includes("/")) return program;
  for (const dir of (Deno.env.get("PATH") ?? "").split(":").filter(Boolean)) {
    const p = join(dir, program);
    try {
      const s = await Deno.stat(p);
      if (s.isFile && ((s.mode ?? 0o111) & 0o111)) return p;
    } catch { /* not here */ }
  }
  throw new Error(`${why}: ${program} is not on the PATH (run this on a Slurm login node)`);
}

/** Single-quote `s` for sh. */
function shQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`;
}

/** `--array` list of stage-relative indices: "0-3" or "0,2,5". */
export function arraySpec(tasks: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < tasks.length; i++) {
    let j = i;
    while (j + 1 < tasks.length && tasks[j + 1] === tasks[j] + 1) j++;
    parts.push(j > i ? `${tasks[i]}-${tasks[j]}` : `${tasks[i]}`);
    i = j;
  }
  return parts.join(",");
}

/** The log file of a cell under Slurm. */
export function cellLog(out: string, c: Cell): string {
  return join(out, "logs", `${c.stage}-${c.stageIndex}.log`);
}

async function sbatch(program: string, args: string[]): Promise<string> {
  const r = await new Deno.Command(program, { args, stdout: "piped", stderr: "piped" }).output();
  const dec = new TextDecoder();
  if (!r.success) {
    throw new Error(`sbatch failed: ${dec.decode(r.stderr).trim().split("\n").join("; ")}`);
  }
  return dec.decode(r.stdout).trim().split(";")[0];
}

/** Submit the missing cells and the report job (see the module doc). */
export async function submitSlurm(opts: SlurmSubmitOptions): Promise<SubmittedJob[]> {
  const program = await requireOnPath(opts.sbatch ?? "sbatch", "--slurm");
  const out = resolve(opts.out);
  const log = opts.log ?? ((l: string) => console.log(l));
  await Deno.mkdir(join(out, "logs"), { recursive: true });
  const extra = (opts.sbatchExtra ?? "").split(/\s+/).filter(Boolean);
  const main = new URL("../cli/main.ts", import.meta.url).pathname;
  const base = [Deno.execPath(), "run", "-A", main, "compare", ...opts.compareArgs];
  const jobs: SubmittedJob[] = [];
  let previous: string | undefined;
  for (const stage of CELL_STAGES) {
    const tasks: number[] = [];
    for (const c of opts.cells.filter((c) => c.stage === stage)) {
      if (!(await cellDone(out, c))) tasks.push(c.stageIndex);
    }
    if (tasks.length === 0) continue;
    const cmd = [...base, "--stage", stage, "--cell", "auto", "--quiet"].map(shQuote).join(" ");
    const jobId = await sbatch(program, [
      "--parsable",
      `--job-name=e2llm-${stage}`,
      `--array=${arraySpec(tasks)}`,
      `--chdir=${Deno.cwd()}`,
      `--output=${join(out, "logs", `${stage}-%a.log`)}`,
      "--kill-on-invalid-dep=yes",
      ...(previous ? [`--dependency=afterok:${previous}`] : []),
      ...extra,
      `--wrap=${cmd}`,
    ]);
    jobs.push({ stage, jobId, tasks });
    log(`submitted stage ${stage}: job array ${jobId} (tasks ${arraySpec(tasks)})`);
    previous = jobId;
  }
  const reportCmd = [...base, "--stage", "report"].map(shQuote).join(" ");
  const reportId = await sbatch(program, [
    "--parsable",
    "--job-name=e2llm-report",
    `--chdir=${Deno.cwd()}`,
    `--output=${join(out, "logs", "report.log")}`,
    "--kill-on-invalid-dep=yes",
    ...(previous ? [`--dependency=afterok:${previous}`] : []),
    ...extra,
    `--wrap=${reportCmd}`,
  ]);
  jobs.push({ stage: "report", jobId: reportId, tasks: [] });
  log(`submitted report: job ${reportId}`);
  log(
    `follow progress: squeue -j ${jobs.map((j) => j.jobId).join(",")}; logs in ` +
      `${join(out, "logs")}/<stage>-<task>.log; a finished cell has its marker ` +
      `(compare --list-cells --out ${out} shows which); sacct -j <id> where accounting is on`,
  );
  return jobs;
}

/** Job ids (array job ids for arrays) still in the queue, from `squeue`. */
export async function queuedJobs(squeue = "squeue"): Promise<Set<string>> {
  const r = await new Deno.Command(squeue, {
    args: ["-h", "-o", "%F %i"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!r.success) throw new Error(`squeue failed: ${new TextDecoder().decode(r.stderr).trim()}`);
  const ids = new Set<string>();
  for (const line of new TextDecoder().decode(r.stdout).split("\n")) {
    for (const id of line.trim().split(/\s+/)) if (id) ids.add(id.split("_")[0]);
  }
  return ids;
}

/** Options of {@link waitSlurm}. */
export interface SlurmWaitOptions {
  cells: readonly Cell[];
  out: string;
  jobs: readonly SubmittedJob[];
  /** Poll period (default 5 s). */
  pollMs?: number;
  log?: (line: string) => void;
}

/**
 * Block until none of `jobs` is queued, then return when the report job wrote results.csv
 * after submission; otherwise throw naming the cells that did not finish and their logs.
 */
export async function waitSlurm(opts: SlurmWaitOptions): Promise<void> {
  const out = resolve(opts.out);
  const mine = new Set(opts.jobs.map((j) => j.jobId));
  const since = Date.now();
  const log = opts.log ?? ((l: string) => console.error(l));
  let lastDone = -1;
  while (true) {
    const queued = [...(await queuedJobs())].filter((id) => mine.has(id));
    let done = 0;
    for (const c of opts.cells) if (await cellDone(out, c)) done++;
    if (done !== lastDone) log(`slurm: ${done}/${opts.cells.length} cells finished`);
    lastDone = done;
    if (queued.length === 0) break;
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 5000));
  }
  const failed: string[] = [];
  for (const c of opts.cells) {
    if (!(await cellDone(out, c))) {
      failed.push(`cell ${c.index} ${c.stage}/${c.stageIndex} ${c.id} (log ${cellLog(out, c)})`);
    }
  }
  let reportAt = 0;
  try {
    reportAt = (await Deno.stat(join(out, "results.csv"))).mtime?.getTime() ?? 0;
  } catch { /* none */ }
  if (failed.length === 0 && reportAt >= since - 2000) return;
  throw new Error(
    `slurm: ${failed.length ? `${failed.length} cells did not finish: ${failed.join("; ")}` : ""}` +
      `${failed.length ? "; " : ""}report ${
        reportAt >= since - 2000
          ? "written"
          : `not written (log ${join(out, "logs", "report.log")})`
      }; resubmit the same command to run what is missing`,
  );
}
