/**
 * @module
 * The training steps of `compare`: a training is reused when its training.json exists, resumed
 * from its last checkpoint when interrupted, else trained (after the training it starts from).
 */
import { join, resolve } from "node:path";
import { CheckpointError, ResumeMismatchError, type TrainRunResult } from "@e2llm/train";
import {
  type CompareContext,
  message,
  TRAINING_FILE,
  type TrainingState,
} from "./compare_context.ts";
import type { PlannedTraining } from "./plan.ts";
import {
  finiteLossCurve,
  isNonEmptyDir,
  loggedSeconds,
  readTrainingRecord,
  removeIfExists,
  resolveStored,
  storedPath,
  type TrainingRecord,
  writeJsonAtomic,
} from "./run_files.ts";

/** The training with id `id` of the context's plan. */
export function plannedTraining(ctx: CompareContext, id: string): PlannedTraining {
  const t = ctx.trainings.get(id);
  if (!t) throw new Error(`the plan has no training "${id}"`);
  return t;
}

/**
 * The outcome of training `t`: remembered, found finished (training.json), a failure of the
 * training it starts from, or trained now by {@link trainNow}.
 */
export async function ensureTraining(
  ctx: CompareContext,
  t: PlannedTraining,
): Promise<TrainingState> {
  const known = ctx.states.get(t.id);
  if (known) return known;
  let state: TrainingState;
  const marker = join(ctx.out, t.dir, TRAINING_FILE);
  const saved = await readTrainingRecord(marker).catch((err) => {
    ctx.log(`${t.id}: ignoring ${marker} (${message(err)}), training again`);
    return undefined;
  });
  if (t.kind === "base" && ctx.opts.base !== undefined) {
    state = { ok: true, record: givenBase(t, resolve(ctx.opts.base)) };
  } else if (saved) {
    ctx.progress.reusedTrainings.push(t.id);
    state = { ok: true, record: saved };
  } else if (t.init !== null) {
    const init = await ensureTraining(ctx, plannedTraining(ctx, t.init));
    state = init.ok ? await trainNow(ctx, t, init.record) : init;
  } else {
    state = await trainNow(ctx, t);
  }
  ctx.states.set(t.id, state);
  return state;
}

/**
 * Train `t` now (from `init`'s checkpoint, or resuming its own interrupted folder) and write its
 * training.json; a failure is returned, not thrown.
 */
export async function trainNow(
  ctx: CompareContext,
  t: PlannedTraining,
  init?: TrainingRecord,
): Promise<TrainingState> {
  const folder = join(ctx.out, t.dir, "train");
  const c = t.config;
  const interrupted = await isNonEmptyDir(folder);
  ctx.log(
    `${t.id}: ${t.kind === "base" ? "pretraining" : "fine-tuning"} ${c.encoding.name}, ` +
      `${c.steps} steps × ${c.batchSize} × ${c.seqLength} = ${t.tokens} tokens` +
      (interrupted ? " (resuming an interrupted run)" : ""),
  );
  ctx.scorers.release();
  try {
    const { result: r, earlierSeconds } = await runTraining(ctx, t, folder, interrupted, init);
    const record: TrainingRecord = {
      id: t.id,
      seed: t.seed,
      method: t.method,
      runDir: storedPath(ctx.out, folder),
      checkpoint: storedPath(ctx.out, r.checkpointDir),
      steps: r.steps,
      trainTokens: r.trainTokens,
      trainSeconds: r.trainSeconds + earlierSeconds,
      lossCurve: finiteLossCurve(r.lossCurve),
      finalLoss: Number.isFinite(r.finalLoss) ? r.finalLoss : null,
    };
    await writeJsonAtomic(join(ctx.out, t.dir, TRAINING_FILE), record);
    ctx.progress.trained.push(t.id);
    ctx.log(
      `${t.id}: done in ${record.trainSeconds.toFixed(1)} s` +
        (record.finalLoss === null ? "" : `, final loss ${record.finalLoss.toFixed(4)}`),
    );
    return { ok: true, record };
  } catch (err) {
    const what = t.kind === "base" ? "base pretraining" : "fine-tuning";
    ctx.log(`${t.id}: FAILED: ${message(err)}`);
    return { ok: false, error: `${what} ${t.id} failed: ${message(err)}` };
  }
}

/**
 * trainRun into `folder`: resumed when interrupted (plus the seconds logged before), or from the
 * start (the folder emptied) when there is nothing to resume or the resume is refused.
 */
async function runTraining(
  ctx: CompareContext,
  t: PlannedTraining,
  folder: string,
  interrupted: boolean,
  init: TrainingRecord | undefined,
): Promise<{ result: TrainRunResult; earlierSeconds: number }> {
  const { backend, opts } = ctx;
  const fresh = async () => {
    await removeIfExists(folder);
    const from = init === undefined ? undefined : resolveStored(ctx.out, init.runDir);
    const result = await backend.trainRun({
      config: t.config,
      out: folder,
      init: from,
      quiet: opts.quiet,
    });
    return { result, earlierSeconds: 0 };
  };
  if (!interrupted) return await fresh();
  try {
    const earlierSeconds = await loggedSeconds(folder);
    const result = await backend.trainRun({
      config: t.config,
      out: folder,
      resume: folder,
      quiet: opts.quiet,
    });
    return { result, earlierSeconds };
  } catch (err) {
    if (!cannotResume(err)) throw err;
    ctx.log(`${t.id}: cannot resume (${message(err)}); training from the start`);
    return await fresh();
  }
}

/** Errors of a resume that a fresh start fixes: no (or a damaged) checkpoint, another config. */
function cannotResume(err: unknown): boolean {
  return err instanceof CheckpointError || err instanceof ResumeMismatchError;
}

/** The training record of a base given with `--base` (nothing trained: no tokens, no curve). */
function givenBase(t: PlannedTraining, dir: string): TrainingRecord {
  return {
    id: t.id,
    seed: t.seed,
    method: t.method,
    runDir: dir,
    checkpoint: dir,
    steps: 0,
    trainTokens: 0,
    trainSeconds: 0,
    lossCurve: [],
    finalLoss: null,
  };
}
