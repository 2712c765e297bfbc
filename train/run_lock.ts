/**
 * @module
 * Run folders nothing can clobber: one writer at a time (a lock file naming its owner), and a
 * folder that already holds a run is refused unless the caller resumes it or overwrites it.
 *
 * The lock is `<dir>/.lock` (or `<file>.lock` for a single output file), created with
 * `createNew` (atomic: of two processes exactly one gets it) and holding JSON
 * `{pid, host, started, command, slurmJob?}`. A lock whose owner is on this host and no longer
 * running is *stale* (a crash): it is reported as such, naming the owner, and only removed when
 * the caller passes `breakStale` (`--break-stale-lock`). A lock held on another host cannot be
 * checked from here and is always refused. SIGINT and SIGTERM (Ctrl-C, `scancel`) release the
 * locks this process holds before it exits, so a cancelled writer leaves no stale lock.
 */
import { basename, dirname, join } from "node:path";

/** The lock file of a run folder. */
export const LOCK_FILE = ".lock";

/** Who holds a lock. */
export interface LockOwner {
  pid: number;
  host: string;
  /** ISO time the lock was taken. */
  started: string;
  /** The command line of the owner. */
  command: string;
  /** `SLURM_JOB_ID` (with `_<task>` for an array task) when the owner ran under Slurm. */
  slurmJob?: string;
}

/** A run folder (or output file) is locked by another writer, or holds a run already. */
export class RunFolderError extends Error {
  constructor(message: string, readonly owner?: LockOwner, readonly stale = false) {
    super(message);
    this.name = "RunFolderError";
  }
}

/** A held lock; `release()` removes the lock file (idempotent). */
export interface RunLock {
  /** The lock file. */
  path: string;
  owner: LockOwner;
  release(): Promise<void>;
}

/** Options of {@link lockRunFolder}. */
export interface LockOptions {
  /** Lock a single file (`<path>.lock`) instead of a folder (`<path>/.lock`). */
  file?: boolean;
  /** Remove a lock verified stale (owner on this host, not running) instead of refusing. */
  breakStale?: boolean;
}

const held = new Set<string>();
let signalsInstalled = false;

function installSignalRelease(): void {
  if (signalsInstalled) return;
  signalsInstalled = true;
  for (const [sig, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
    try {
      Deno.addSignalListener(sig, () => {
        for (const p of held) {
          try {
            Deno.removeSync(p);
          } catch { /* already gone */ }
        }
        held.clear();
        Deno.exit(code);
      });
    } catch { /* signals unsupported on this platform */ }
  }
}

/** This process as a lock owner. */
export function currentOwner(): LockOwner {
  const job = Deno.env.get("SLURM_ARRAY_JOB_ID");
  const task = Deno.env.get("SLURM_ARRAY_TASK_ID");
  const slurmJob = job && task ? `${job}_${task}` : Deno.env.get("SLURM_JOB_ID");
  return {
    pid: Deno.pid,
    host: Deno.hostname(),
    started: new Date().toISOString(),
    command: ["deno", ...Deno.args].join(" "),
    ...(slurmJob ? { slurmJob } : {}),
  };
}

/** Whether process `pid` runs on this host (Linux: /proc; elsewhere `kill -0`). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
    try {
      Deno.statSync("/proc/self");
      return false; // /proc exists, the pid does not
    } catch {
      const r = new Deno.Command("kill", { args: ["-0", String(pid)], stderr: "null" })
        .outputSync();
      return r.success;
    }
  }
}

function describe(o: LockOwner): string {
  return `pid ${o.pid} on host ${o.host}${o.slurmJob ? ` (Slurm job ${o.slurmJob})` : ""}, ` +
    `started ${o.started}`;
}

async function readOwner(path: string): Promise<LockOwner | null> {
  try {
    const o = JSON.parse(await Deno.readTextFile(path));
    return typeof o?.pid === "number" && typeof o?.host === "string" ? o as LockOwner : null;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return null;
    return { pid: -1, host: "?", started: "?", command: "(unreadable lock file)" };
  }
}

/**
 * Take the lock of run folder (or file) `path`; throws {@link RunFolderError} naming the owner
 * when another writer holds it, or when its owner crashed (stale) and `breakStale` is not set.
 */
export async function lockRunFolder(path: string, opts: LockOptions = {}): Promise<RunLock> {
  const lockPath = opts.file ? `${path}.lock` : join(path, LOCK_FILE);
  await Deno.mkdir(dirname(lockPath), { recursive: true });
  const owner = currentOwner();
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await Deno.writeTextFile(lockPath, JSON.stringify(owner) + "\n", { createNew: true });
      held.add(lockPath);
      installSignalRelease();
      return {
        path: lockPath,
        owner,
        release: async () => {
          if (!held.delete(lockPath)) return;
          await Deno.remove(lockPath).catch(() => {});
        },
      };
    } catch (err) {
      if (!(err instanceof Deno.errors.AlreadyExists)) throw err;
    }
    const other = await readOwner(lockPath);
    if (other === null) continue; // released in between: try again
    const stale = other.host === owner.host && other.pid !== owner.pid &&
      !processAlive(other.pid);
    if (stale && opts.breakStale && attempt === 0) {
      await Deno.remove(lockPath).catch(() => {});
      continue;
    }
    if (stale) {
      throw new RunFolderError(
        `${path} has a stale lock ${lockPath}: its writer (${describe(other)}) is no longer ` +
          `running (crashed or killed); check the folder, then remove ${basename(lockPath)} ` +
          `or pass --break-stale-lock`,
        other,
        true,
      );
    }
    throw new RunFolderError(
      `${path} is locked by another writer (${describe(other)}, ${other.command}); ` +
        `wait for it to finish or use another output`,
      other,
    );
  }
  throw new RunFolderError(`${path}: could not take the lock ${lockPath}`);
}

/**
 * The owner of a live lock on `path` (folder, or file with `file`), or null when it is unlocked
 * or its lock is stale (owner on this host, not running). Takes nothing.
 */
export async function lockHolder(
  path: string,
  opts: { file?: boolean } = {},
): Promise<LockOwner | null> {
  const other = await readOwner(opts.file ? `${path}.lock` : join(path, LOCK_FILE));
  if (other === null) return null;
  const stale = other.host === Deno.hostname() && !processAlive(other.pid);
  return stale ? null : other;
}

/** One line naming a lock's owner: "pid 12 on host h (Slurm job 3_1), started …". */
export function describeOwner(o: LockOwner): string {
  return describe(o);
}

/** Entries of `dir` that are not the lock (empty when `dir` is missing). */
export async function folderEntries(dir: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) if (e.name !== LOCK_FILE) names.push(e.name);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return [];
    throw err;
  }
  return names.sort();
}

/** Options of {@link claimRunFolder}. */
export interface ClaimOptions extends LockOptions {
  /** Files whose presence means the folder holds a run (e.g. `config.json`, `metrics.jsonl`). */
  markers: readonly string[];
  /** The caller continues the run in the folder. */
  resume?: boolean;
  /** The caller replaces the run in the folder (it removes the `markers` itself). */
  overwrite?: boolean;
  /** Names the way out in the refusal: the command ("deno task train"). */
  what?: string;
}

/**
 * Lock run folder `dir`, then refuse it when it already holds a run (one of `markers` present)
 * unless `resume` or `overwrite`. With `overwrite`, the markers are removed (recursively) after
 * the lock is taken. The lock is released when the claim is refused.
 */
export async function claimRunFolder(dir: string, opts: ClaimOptions): Promise<RunLock> {
  const lock = await lockRunFolder(dir, opts);
  try {
    const present = (await folderEntries(dir)).filter((n) => opts.markers.includes(n));
    if (present.length > 0 && !opts.resume && !opts.overwrite) {
      throw new RunFolderError(
        `${dir} already holds a run (${present.join(", ")}); pass --resume to continue it or ` +
          `--overwrite to replace it${opts.what ? ` (${opts.what})` : ""}, or use another --out`,
      );
    }
    if (opts.overwrite && !opts.resume) {
      for (const n of present) await Deno.remove(join(dir, n), { recursive: true });
    }
    return lock;
  } catch (err) {
    await lock.release();
    throw err;
  }
}

/** Run `fn` while holding the lock of `path`; the lock is released however `fn` ends. */
export async function withRunLock<T>(
  path: string,
  fn: () => Promise<T>,
  opts: LockOptions = {},
): Promise<T> {
  const lock = await lockRunFolder(path, opts);
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}
