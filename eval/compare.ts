/**
 * @module
 * `deno task compare`: execute a {@link ComparePlan} into an output folder, resumably.
 *
 * Folder layout (everything relative to `out`):
 *
 *     compare.json                 the resolved configuration (a resume must use the same one)
 *     plan.json                    trainings with their token budgets, runs with their encodings
 *     seed-0/base/train/           the base pretraining (trainRun's folder, checkpoint inside)
 *     seed-0/base/training.json    written when it finished
 *     seed-0/linear/train/ …       the method's fine-tuning, and its training.json
 *     seed-0/linear/finetuned.json the run's result (a RunRecord, ok or failed)
 *     seed-0/linear/no-finetune.json
 *     seed-0/e2/g=auto.json, g=1.json   (one fine-tuning, two evaluations)
 *     results.json, results.csv, report.md, report.html
 *
 * Resume: a training with a training.json and a run with an `ok` result are not repeated; a
 * training folder without training.json (interrupted) is resumed from its last checkpoint
 * (`trainRun({resume})`; its cost adds the seconds logged before), or trained from the start
 * when it holds none; failed runs are retried. A training or evaluation that throws is recorded
 * as a failed run with its error (and the lengths it finished); the other runs still run and
 * are reported.
 *
 * The steps, each usable on its own (e.g. to run one unit of work of {@link workUnits}):
 * {@link openCompare} (claim the folder, write the plan) → {@link ensureTraining} per training
 * → {@link runOrReuse} per run → {@link finishCompare} (results.json and the report).
 */
import { join } from "node:path";
import { countParams, paramLayout } from "@e2llm/train";
import {
  type CompareContext,
  type CompareOptions,
  type CompareOutcome,
  openCompare,
  TRAINING_FILE,
} from "./compare_context.ts";
import { runOrReuse } from "./compare_eval.ts";
import { heldOutDescription } from "./heldout.ts";
import { scoringDescription } from "./perplexity.ts";
import type { ComparePlan, PlannedRun } from "./plan.ts";
import type { CompareConfig } from "./presets.ts";
import { writeReport } from "./report/folder.ts";
import { sortRuns } from "./report/summary.ts";
import {
  type BaseRecord,
  type ModelSummary,
  parseResults,
  RESULTS_SCHEMA_VERSION,
  type ResultsDoc,
  type RunRecord,
} from "./results.ts";
import { readTrainingRecord } from "./run_files.ts";

export {
  claimFolder,
  COMPARE_CONFIG_FILE,
  type CompareContext,
  type CompareOptions,
  type CompareOutcome,
  type CompareProgress,
  openCompare,
  PLAN_FILE,
  TRAINING_FILE,
  type TrainingState,
} from "./compare_context.ts";
export { ensureTraining, plannedTraining, trainNow } from "./compare_train.ts";
export { evaluateRun, runOrReuse } from "./compare_eval.ts";
export { loggedSeconds } from "./run_files.ts";

/** Run the comparison described by `opts.config` (see the module doc). */
export async function runCompare(opts: CompareOptions): Promise<CompareOutcome> {
  const ctx = await openCompare(opts);
  const runs: RunRecord[] = [];
  try {
    for (const run of executionOrder(ctx.plan)) runs.push(await runOrReuse(ctx, run));
  } finally {
    ctx.scorers.release();
  }
  return await finishCompare(ctx, runs);
}

/**
 * Runs in the order they execute: per seed, the runs on the base checkpoint first (one scorer
 * load for all no-finetune variants), then the others in plan order.
 */
export function executionOrder(plan: ComparePlan): PlannedRun[] {
  const base = new Set(plan.trainings.filter((t) => t.kind === "base").map((t) => t.id));
  const rank = (r: PlannedRun) => base.has(r.checkpointOf) ? 0 : 1;
  return plan.runs
    .map((r, i) => ({ r, i }))
    .sort((a, b) => a.r.seed - b.r.seed || rank(a.r) - rank(b.r) || a.i - b.i)
    .map((x) => x.r);
}

/** The last step: results.json from `runs` and the finished bases, then the report files. */
export async function finishCompare(
  ctx: CompareContext,
  runs: readonly RunRecord[],
): Promise<CompareOutcome> {
  const doc = resultsDoc(ctx, runs, await finishedBases(ctx));
  const files = await writeReport(doc, ctx.out);
  const { progress } = ctx;
  ctx.log(
    `compare: ${runs.length - progress.failed.length} runs ok, ${progress.failed.length} failed ` +
      `(${progress.reusedRuns.length} reused); report in ${ctx.out}`,
  );
  return { doc, files, ...progress };
}

/** The base records of the bases that finished (met in this execution, or found on disk). */
export async function finishedBases(ctx: CompareContext): Promise<BaseRecord[]> {
  const bases: BaseRecord[] = [];
  for (const t of ctx.plan.trainings.filter((t) => t.kind === "base")) {
    const s = ctx.states.get(t.id) ??
      (await readTrainingRecord(join(ctx.out, t.dir, TRAINING_FILE)).then(
        (r) => r ? { ok: true as const, record: r } : undefined,
        () => undefined,
      ));
    if (!s?.ok) continue;
    bases.push({
      seed: t.seed,
      checkpoint: s.record.checkpoint,
      trainTokens: s.record.trainTokens,
      trainSeconds: s.record.trainSeconds,
      lossCurve: s.record.lossCurve,
    });
  }
  return bases;
}

/** The validated results document of the execution. */
export function resultsDoc(
  ctx: CompareContext,
  runs: readonly RunRecord[],
  bases: BaseRecord[],
): ResultsDoc {
  const { config, plan, opts } = ctx;
  return parseResults(
    {
      schemaVersion: RESULTS_SCHEMA_VERSION,
      createdAt: (opts.now?.() ?? new Date()).toISOString(),
      command: opts.command ?? `deno task compare --preset ${config.preset}`,
      preset: config.preset,
      trainLength: plan.trainLength,
      lengths: plan.lengths,
      model: modelSummary(config),
      bases,
      protocol: {
        dataset: heldOutDescription(config.data.corpus, config.eval.split),
        scoring: scoringDescription(config.eval.stride),
        stride: config.eval.stride,
        ciLevel: 0.95,
        passkeyTrials: config.eval.passkeyTrials,
      },
      runs: sortRuns(runs),
    },
    join(ctx.out, "results.json"),
  );
}

/** The base model's summary for results.json. */
export function modelSummary(config: CompareConfig): ModelSummary {
  const m = config.model;
  return {
    name: `d${m.dModel}-L${m.nLayers}-H${m.nHeads}`,
    params: countParams(paramLayout(m)),
    layers: m.nLayers,
    heads: m.nHeads,
    dModel: m.dModel,
    headDim: m.dModel / m.nHeads,
    vocabSize: m.vocabSize,
    ropeBase: m.ropeBase,
  };
}
