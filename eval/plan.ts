/**
 * @module
 * The plan of a `compare` run, a pure function of its configuration: which trainings (one base
 * per seed, one fine-tuning per method and seed) and which evaluated runs (method × variant ×
 * seed), with their encodings, budgets and folders. compare.ts executes it.
 *
 * The methods, their encodings, fine-tuning lengths and variants come from the table in
 * methods.ts. Each training and run is a unit of work with a stage and the units it needs
 * ({@link workUnits}).
 */
import type { TrainConfig } from "@e2llm/train";
import { TrainConfig as TrainConfigSchema } from "@e2llm/train";
import {
  type CompareMethod,
  type EncodingConfig,
  type MethodRecipe,
  methodRecipe,
  type RecipeContext,
} from "./methods.ts";
import type { CompareConfig } from "./presets.ts";
import { runKey } from "./results.ts";

export type { EncodingConfig } from "./methods.ts";

/** One training: a base pretraining or an extension fine-tuning. */
export interface PlannedTraining {
  /** Unique id, also the `trainRef` of the runs it feeds: "base-seed0", "e2-seed0". */
  id: string;
  kind: "base" | "finetune";
  seed: number;
  /** The method fine-tuned (null for a base). */
  method: CompareMethod | null;
  /** Its folder, relative to the compare output folder. */
  dir: string;
  /** Id of the training whose checkpoint it starts from (null: random init). */
  init: string | null;
  config: TrainConfig;
  /** steps × batchSize × seqLength. */
  tokens: number;
}

/** How a run picks its encoding at each evaluation length. */
export interface RunEncoding {
  name: string;
  config: EncodingConfig;
  /** When true, the config gets `factor: max(1, L/R)` at length L (no fine-tuning). */
  factorFromLength: boolean;
}

/** One evaluated run: method × variant × seed. */
export interface PlannedRun {
  method: CompareMethod;
  variant: string;
  seed: number;
  /** Its result file, relative to the output folder. */
  file: string;
  /** The training whose checkpoint it evaluates (the base for no-finetune variants). */
  checkpointOf: string;
  /** The fine-tuning it owes its cost to (absent without fine-tuning). */
  trainRef?: string;
  encoding: RunEncoding;
  /** The lengths it is evaluated at (the config's ratios × R unless its variant says otherwise). */
  lengths: number[];
}

/** Everything `compare` will do. */
export interface ComparePlan {
  trainLength: number;
  /** Every length some run is evaluated at, increasing (the report's columns). */
  lengths: number[];
  trainings: PlannedTraining[];
  runs: PlannedRun[];
}

/** The encoding config at length L of a run (`factor` from L when `factorFromLength`). */
export function encodingAtLength(
  enc: RunEncoding,
  length: number,
  trainLength: number,
): { name: string; config: EncodingConfig } {
  if (!enc.factorFromLength) return { name: enc.name, config: enc.config };
  return { name: enc.name, config: { ...enc.config, factor: Math.max(1, length / trainLength) } };
}

/** The config recorded in a run record (for factor-from-length runs: `factor: "L/R"`). */
export function recordedRunEncoding(enc: RunEncoding): Record<string, unknown> {
  return enc.factorFromLength
    ? { rope_type: enc.name, ...enc.config, factor: "max(1, L/R)" }
    : { rope_type: enc.name, ...enc.config };
}

function trainConfig(
  c: CompareConfig,
  phase: CompareConfig["base"],
  seed: number,
  encoding: { name: string; config: EncodingConfig },
  seqLength: number,
  batchSize: number,
): TrainConfig {
  return TrainConfigSchema.parse({
    model: c.model,
    optim: phase.optim,
    data: { ...c.data, seed: c.data.seed + seed },
    encoding,
    steps: phase.steps,
    batchSize,
    seqLength,
    seed,
    logEvery: phase.logEvery,
    checkpointEvery: phase.checkpointEvery,
  });
}

/** The plan of `config` (see the module doc). */
export function planCompare(c: CompareConfig): ComparePlan {
  const R = c.model.trainLength;
  const k = c.finetune.targetRatio;
  const trainings: PlannedTraining[] = [];
  const runs: PlannedRun[] = [];
  const tokensOf = (t: TrainConfig) => t.steps * t.batchSize * (t.seqLength ?? R);

  for (const seed of c.seeds) {
    const baseId = `base-seed${seed}`;
    const baseConfig = trainConfig(
      c,
      c.base,
      seed,
      { name: "default", config: { rope_type: "default" } },
      R,
      c.base.batchSize,
    );
    trainings.push({
      id: baseId,
      kind: "base",
      seed,
      method: null,
      dir: `seed-${seed}/base`,
      init: null,
      config: baseConfig,
      tokens: tokensOf(baseConfig),
    });
    for (const method of c.methods) {
      const recipe: MethodRecipe = methodRecipe(method);
      const ctx: RecipeContext = {
        targetRatio: k,
        extra: c.encodings[method] ?? {},
        ratios: c.eval.ratios,
        fixedScales: c.eval.fixedScales,
      };
      const dir = `seed-${seed}/${method}`;
      const id = `${method}-seed${seed}`;
      const ratio = recipe.finetuneAt === "target" ? k : 1;
      const finetuned = recipe.finetune(ctx);
      const steps = Math.max(1, Math.round(c.finetune.steps * (recipe.budget ?? 1)));
      const config = trainConfig(
        c,
        { ...c.finetune, steps },
        seed,
        { name: recipe.encoding, config: finetuned },
        ratio * R,
        c.finetune.batchSize / ratio,
      );
      trainings.push({
        id,
        kind: "finetune",
        seed,
        method,
        dir,
        init: baseId,
        config,
        tokens: tokensOf(config),
      });
      for (const v of [...recipe.variants, ...(recipe.extraVariants?.(ctx) ?? [])]) {
        const onFinetuned = v.checkpoint === "finetuned";
        runs.push({
          method,
          variant: v.name,
          seed,
          file: `${dir}/${v.name}.json`,
          checkpointOf: onFinetuned ? id : baseId,
          ...(onFinetuned ? { trainRef: id } : {}),
          encoding: {
            name: recipe.encoding,
            config: v.encoding(finetuned, ctx),
            factorFromLength: v.factorFromLength ?? false,
          },
          lengths: (v.ratios ?? c.eval.ratios).map((r) => r * R),
        });
      }
    }
  }
  const lengths = [
    ...new Set([...c.eval.ratios.map((r) => r * R), ...runs.flatMap((r) => r.lengths)]),
  ]
    .sort((a, b) => a - b);
  return { trainLength: R, lengths, trainings, runs };
}

/** The stage of a unit of work: base pretraining, extension fine-tuning, evaluation. */
export type WorkStage = "base" | "finetune" | "evaluate";

/** One unit of work of a plan: a training (by its id) or an evaluated run (by its runKey). */
export interface WorkUnit {
  /** The training id ("base-seed0", "e2-seed0") or the run's key ("e2/g=1/seed 0"). */
  id: string;
  stage: WorkStage;
  /** Ids of the units that must be finished first. */
  needs: string[];
}

/**
 * The plan's units of work in plan order, each with its stage and the units it needs: a
 * fine-tuning needs its base; a run needs the training it evaluates and the one it owes its
 * cost to.
 */
export function workUnits(plan: ComparePlan): WorkUnit[] {
  return [
    ...plan.trainings.map((t): WorkUnit => ({
      id: t.id,
      stage: t.kind,
      needs: t.init === null ? [] : [t.init],
    })),
    ...plan.runs.map((r): WorkUnit => ({
      id: runKey(r),
      stage: "evaluate",
      needs: [...new Set([r.checkpointOf, ...(r.trainRef ? [r.trainRef] : [])])],
    })),
  ];
}

function sameLengths(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** plan.json: what will be trained (with token budgets) and evaluated. */
export function planSummary(plan: ComparePlan): Record<string, unknown> {
  return {
    trainLength: plan.trainLength,
    lengths: plan.lengths,
    trainings: plan.trainings.map((t) => ({
      id: t.id,
      kind: t.kind,
      seed: t.seed,
      method: t.method,
      dir: t.dir,
      init: t.init,
      encoding: t.config.encoding,
      steps: t.config.steps,
      batchSize: t.config.batchSize,
      seqLength: t.config.seqLength,
      tokens: t.tokens,
    })),
    runs: plan.runs.map((r) => ({
      method: r.method,
      variant: r.variant,
      seed: r.seed,
      file: r.file,
      checkpointOf: r.checkpointOf,
      trainRef: r.trainRef ?? null,
      encoding: recordedRunEncoding(r.encoding),
      // only where a run's lengths differ from the plan's (plans of the other presets unchanged)
      ...(sameLengths(r.lengths, plan.lengths) ? {} : { lengths: r.lengths }),
    })),
  };
}
