/**
 * Atomic replacement of a directory. The new contents are written into a sibling
 * `<dir>.tmp-<random>` directory and synced; then the old `<dir>` is renamed to `<dir>.old`, the
 * temporary one renamed to `<dir>`, and `<dir>.old` removed. At every instant either `<dir>` or
 * `<dir>.old` is a complete checkpoint: a crash while writing leaves `<dir>` untouched (plus a
 * stale temporary directory, removed by the next write), and a crash between the two renames
 * leaves the last good one at `<dir>.old`, which {@link resolveCommitted} finds and the next write
 * moves back. One writer per directory at a time.
 */
import { basename, dirname, join } from "node:path";

/** Where the previous version waits during the swap. */
export function oldPath(dir: string): string {
  return `${trimSlash(dir)}.old`;
}

/** The directory holding the last complete write: `dir`, or `<dir>.old` after an interrupted swap. */
export async function resolveCommitted(dir: string): Promise<string | undefined> {
  if (await isDir(dir)) return dir;
  if (await isDir(oldPath(dir))) return oldPath(dir);
  return undefined;
}

/**
 * Replace `dir` atomically by what `write(tmpDir)` puts in a fresh temporary directory.
 * `beforeSwapIn` runs after the old directory moved aside and before the new one moves in: a
 * fault-injection point for tests (an error there is not rolled back, exactly like a crash).
 */
export async function replaceDirAtomic(
  dir: string,
  write: (tmpDir: string) => Promise<void>,
  beforeSwapIn?: () => void | Promise<void>,
): Promise<void> {
  dir = trimSlash(dir);
  const old = oldPath(dir);
  // Finish an interrupted swap: `<dir>.old` is the last good version when `<dir>` is missing.
  if (await isDir(old)) {
    if (await isDir(dir)) await Deno.remove(old, { recursive: true });
    else await Deno.rename(old, dir);
  }
  await removeStaleTemps(dir);
  const tmp = `${dir}.tmp-${crypto.randomUUID().slice(0, 8)}`;
  await Deno.mkdir(tmp, { recursive: true });
  try {
    await write(tmp);
    await syncPath(tmp);
  } catch (e) {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
    throw e;
  }
  const hadOld = await isDir(dir);
  if (hadOld) await Deno.rename(dir, old);
  await beforeSwapIn?.();
  await Deno.rename(tmp, dir);
  await syncPath(dirname(dir));
  if (hadOld) await Deno.remove(old, { recursive: true });
}

/** Write a file and flush it to disk before returning. */
export async function writeFileSynced(path: string, bytes: Uint8Array): Promise<void> {
  const file = await Deno.open(path, { write: true, create: true, truncate: true });
  try {
    let at = 0;
    while (at < bytes.length) at += await file.write(bytes.subarray(at));
    await file.sync();
  } finally {
    file.close();
  }
}

async function removeStaleTemps(dir: string): Promise<void> {
  const parent = dirname(dir);
  const prefix = `${basename(dir)}.tmp-`;
  try {
    for await (const e of Deno.readDir(parent)) {
      if (e.isDirectory && e.name.startsWith(prefix)) {
        await Deno.remove(join(parent, e.name), { recursive: true });
      }
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
}

/** fsync a directory so renames inside it are durable (best effort: not every OS allows it). */
async function syncPath(path: string): Promise<void> {
  try {
    const f = await Deno.open(path, { read: true });
    try {
      await f.sync();
    } finally {
      f.close();
    }
  } catch {
    // Directories cannot be opened for sync on some platforms; the rename is still atomic.
  }
}

async function isDir(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

function trimSlash(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, "") : path;
}
