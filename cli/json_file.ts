/** Read a JSON file a user named on the command line, with errors that say what was expected. */

/** Files whose presence means a folder holds a training run (what `deno task train` writes). */
export const TRAIN_RUN_MARKERS: readonly string[] = ["config.json", "metrics.jsonl", "checkpoint"];

/**
 * Parse the JSON file at `path`. Throws a one-line Error naming `flag` and the path when the file is
 * missing, is a folder, cannot be read or is not JSON; `expected` says what should be there.
 */
export async function readJsonFile(path: string, flag: string, expected: string): Promise<unknown> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) {
      throw new Error(`${flag} ${path}: no such file (expected ${expected})`);
    }
    if (err instanceof Deno.errors.IsADirectory) {
      throw new Error(`${flag} ${path}: is a folder (expected ${expected})`);
    }
    throw new Error(`${flag} ${path}: cannot read it: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`${flag} ${path}: not valid JSON (${(err as Error).message})`);
  }
}

/**
 * The saved config of the run folder `dir` (for `--resume`). Throws a one-line Error when `dir` is
 * missing, is not a folder, or holds no `config.json` (i.e. is not a run folder).
 */
export async function readRunConfig(dir: string, flag: string): Promise<unknown> {
  const what = "a run folder written by `deno task train --out <dir>` " +
    `(${TRAIN_RUN_MARKERS.join(", ")}/)`;
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(dir);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) {
      throw new Error(`${flag} ${dir}: no such folder (expected ${what})`);
    }
    throw err;
  }
  if (!info.isDirectory) throw new Error(`${flag} ${dir}: is a file (expected ${what})`);
  const file = `${dir.replace(/\/+$/, "")}/config.json`;
  try {
    await Deno.stat(file);
  } catch {
    throw new Error(`${flag} ${dir}: not a run folder, it has no config.json (expected ${what})`);
  }
  return await readJsonFile(file, flag, what);
}
