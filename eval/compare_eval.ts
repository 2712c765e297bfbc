/**
 * @module
 * The evaluation steps of `compare`: a run with an `ok` result file is reused; otherwise its
 * trainings are ensured, its checkpoint evaluated at every length, and its result file written
 * (ok, or failed with the error and the lengths it finished).
 */
import { retrievalOptions } from "./retrieval/config.ts";
import { join } from "node:path";
import type { TokenDocument } from "@e2llm/train";
import { type CompareContext, message, type TrainingState } from "./compare_context.ts";
import { ensureTraining, plannedTraining } from "./compare_train.ts";
import { evaluateLengths, EvaluationError } from "./evaluate.ts";
import { heldOutDocuments } from "./heldout.ts";
import { encodingAtLength, type PlannedRun, recordedRunEncoding } from "./plan.ts";
import type { CompareConfig } from "./presets.ts";
import { type EvalRecord, runKey, type RunRecord } from "./results.ts";
import { readRunRecord, resolveStored, writeJsonAtomic } from "./run_files.ts";

/** The run's saved `ok` result, or the result of evaluating it now (written to its file). */
export async function runOrReuse(ctx: CompareContext, run: PlannedRun): Promise<RunRecord> {
  const key = runKey(run);
  const path = join(ctx.out, run.file);
  const saved = await readRunRecord(path).catch((err) => {
    ctx.log(`${key}: ignoring ${path} (${message(err)}), evaluating again`);
    return undefined;
  });
  if (saved?.status === "ok") {
    ctx.progress.reusedRuns.push(key);
    return saved;
  }
  const result = await evaluateRun(ctx, run);
  await writeJsonAtomic(path, result);
  ctx.progress.evaluated.push(key);
  if (result.status === "failed") {
    ctx.progress.failed.push(key);
    ctx.log(`${key}: FAILED: ${result.error}`);
  }
  return result;
}

/** The run's record: its cost from its fine-tuning, its evaluations (or the error). */
function runRecord(
  run: PlannedRun,
  ft: TrainingState | undefined,
  evals: EvalRecord[],
  error?: string,
): RunRecord {
  const cost = ft?.ok
    ? {
      trainTokens: ft.record.trainTokens,
      trainSeconds: ft.record.trainSeconds,
      lossCurve: ft.record.lossCurve,
    }
    : { trainTokens: 0, trainSeconds: 0, lossCurve: [] };
  return {
    method: run.method,
    variant: run.variant,
    seed: run.seed,
    encoding: JSON.parse(JSON.stringify(recordedRunEncoding(run.encoding))),
    status: error === undefined ? "ok" : "failed",
    ...(error === undefined ? {} : { error }),
    ...(run.trainRef ? { trainRef: run.trainRef } : {}),
    ...cost,
    evals,
  };
}

/**
 * Evaluate `run` now: ensure the training it owes its cost to and the one it evaluates, then
 * perplexity and passkey at every length of the plan. Failures are returned as failed records.
 */
export async function evaluateRun(ctx: CompareContext, run: PlannedRun): Promise<RunRecord> {
  const { config, plan, log, opts } = ctx;
  const key = runKey(run);
  const ft = run.trainRef
    ? await ensureTraining(ctx, plannedTraining(ctx, run.trainRef))
    : undefined;
  const source = await ensureTraining(ctx, plannedTraining(ctx, run.checkpointOf));
  if (!source.ok) return runRecord(run, ft, [], source.error);
  log(`${key}: evaluating at ${run.lengths.join(", ")}`);
  try {
    ctx.docs ??= await (opts.loadDocs ?? defaultLoadDocs)(config);
    const scorer = await ctx.scorers.open(resolveStored(ctx.out, source.record.checkpoint));
    const started = performance.now();
    const evals = await evaluateLengths({
      scorer,
      docs: ctx.docs,
      lengths: run.lengths,
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
      retrieval: retrievalOptions(config),
      loadEncoding: opts.loadEncoding,
      onRecord: (e) =>
        log(
          `${key}: L=${e.length} ppl ${e.ppl.toFixed(3)} [${e.pplCiLow.toFixed(3)}, ` +
            `${e.pplCiHigh.toFixed(3)}]` +
            (e.passkeyAcc === null ? "" : ` passkey ${(e.passkeyAcc * 100).toFixed(0)}%`),
        ),
    });
    log(`${key}: evaluated in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return runRecord(run, ft, evals);
  } catch (err) {
    if (err instanceof EvaluationError) return runRecord(run, ft, err.completed, err.message);
    return runRecord(run, ft, [], `evaluation failed: ${message(err)}`);
  }
}

/** The held-out documents of the config's corpus and eval split. */
function defaultLoadDocs(config: CompareConfig): Promise<readonly TokenDocument[]> {
  return heldOutDocuments(config.data, config.eval.split);
}
