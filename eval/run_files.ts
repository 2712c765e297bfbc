/**
 * @module
 * The files `compare` keeps per training and per run, so that an interrupted sweep resumes where
 * it stopped: JSON written atomically (temporary file, then rename), read back validated.
 */
import { dirname, isAbsolute, join, relative } from "node:path";
import { z } from "zod";
import type { Exact } from "@e2llm/encodings";
import { MetricsLog } from "@e2llm/train";
import { type LossPoint, LossPointSchema, type RunRecord, RunRecordSchema } from "./results.ts";

/** A finished training (`training.json` in its folder). */
export interface TrainingRecord {
  /** The training's id (the runs' `trainRef`). */
  id: string;
  seed: number;
  /** The method fine-tuned; null for a base. */
  method: string | null;
  /** trainRun's output folder (what `init` and `resume` take), relative to the compare folder. */
  runDir: string;
  /** The final checkpoint, relative to the compare output folder when inside it. */
  checkpoint: string;
  steps: number;
  trainTokens: number;
  trainSeconds: number;
  lossCurve: LossPoint[];
  /** Null when the final loss was not finite. */
  finalLoss: number | null;
}

const trainingRecordSchemaDef = z.strictObject({
  id: z.string().min(1),
  seed: z.number().int().min(0),
  method: z.string().nullable(),
  runDir: z.string().min(1),
  checkpoint: z.string().min(1),
  steps: z.number().int().min(0),
  trainTokens: z.number().int().min(0),
  trainSeconds: z.number().min(0),
  lossCurve: z.array(LossPointSchema),
  finalLoss: z.number().nullable(),
});

/** zod schema of {@link TrainingRecord}. */
export const TrainingRecordSchema: z.ZodType<TrainingRecord> = trainingRecordSchemaDef;
// The written-out type must stay exactly the schema's output (deno check fails otherwise).
const _TrainingRecordSchemaExact: Exact<z.output<typeof trainingRecordSchemaDef>, TrainingRecord> =
  true;

/**
 * Write `value` as JSON to `path` atomically (parent folders created). The temporary file is
 * unique to the call, so concurrent writers (cells of one sweep writing plan.json) never rename
 * each other's half-written file.
 */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${Deno.pid}-${crypto.randomUUID().slice(0, 8)}.tmp`;
  await Deno.writeTextFile(tmp, JSON.stringify(value, null, 2) + "\n");
  await Deno.rename(tmp, path);
}

/** Read JSON from `path`; undefined when the file does not exist. */
export async function readJsonIfExists(path: string): Promise<unknown | undefined> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return undefined;
    throw err;
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`${path} is not valid JSON (${(err as Error).message}); remove it to redo`);
  }
}

/** Parse with `schema`, naming the file and the first bad field on error. */
function parseFile<S extends z.ZodType>(schema: S, json: unknown, path: string): z.infer<S> {
  const r = schema.safeParse(json);
  if (r.success) return r.data;
  const i = r.error.issues[0];
  throw new Error(
    `${path} is invalid at ${i.path.join(".") || "(root)"}: ${i.message}; remove it to redo`,
  );
}

/** The finished training saved at `path`, or undefined. */
export async function readTrainingRecord(path: string): Promise<TrainingRecord | undefined> {
  const json = await readJsonIfExists(path);
  return json === undefined ? undefined : parseFile(TrainingRecordSchema, json, path);
}

/** The run result saved at `path` (ok or failed), or undefined. */
export async function readRunRecord(path: string): Promise<RunRecord | undefined> {
  const json = await readJsonIfExists(path);
  return json === undefined ? undefined : parseFile(RunRecordSchema, json, path);
}

/** Loss points with a finite loss only (a diverged run's NaN points are dropped). */
export function finiteLossCurve(curve: readonly LossPoint[]): LossPoint[] {
  return curve.filter((p) => Number.isFinite(p.loss)).map((p) => ({ step: p.step, loss: p.loss }));
}

function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
}

/** A path as stored in a record: relative to `out` when inside it, else absolute. */
export function storedPath(out: string, path: string): string {
  return isAbsolute(path) && !isInside(out, path) ? path : relative(out, path);
}

/** A path stored by {@link storedPath}, resolved against `out`. */
export function resolveStored(out: string, path: string): string {
  return isAbsolute(path) ? path : join(out, path);
}

/** True when `path` is a folder with at least one entry (false when absent or a file). */
export async function isNonEmptyDir(path: string): Promise<boolean> {
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

/** Remove `path` recursively; nothing when it does not exist. */
export async function removeIfExists(path: string): Promise<void> {
  await Deno.remove(path, { recursive: true }).catch((err) => {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  });
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
