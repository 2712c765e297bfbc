/**
 * @module
 * The plan of a `compare` run, a pure function of its configuration: which trainings (one base
 * per seed, one fine-tuning per method and seed) and which evaluated runs (method × variant ×
 * seed), with their encodings, budgets and folders. compare.ts executes it.
 *
 * Methods and variants:
 * - `default` / finetuned: the control, fine-tuned at R with plain RoPE;
 * - `linear`, `ntk`, `yarn` / finetuned: factor k = targetRatio, fine-tuned at k·R (batch / k
 *   rows, same tokens), evaluated with factor k at every length;
 * - `linear`, `ntk`, `yarn` / no-finetune: the base checkpoint, factor max(1, L/R) at length L;
 * - `pose` / finetuned: fine-tuned at R, skipped positions up to k·R (frequency scaling from
 *   `encodings.pose`, linear by default, as in the PoSE paper), factor k at every length;
 * - `e2` / g=auto and g=1: ONE fine-tuning at R (g ~ U{1…k}, split shift), evaluated with g from
 *   the length (⌈L/R⌉, capped at k) and with g = 1; both carry the same `trainRef`.
 */
import type { TrainConfig } from "@e2llm/train";
import { TrainConfig as TrainConfigSchema } from "@e2llm/train";
import type { CompareConfig, CompareMethod } from "./presets.ts";
import { VARIANTS } from "./results.ts";

/** JSON config of an encoding. */
export type EncodingConfig = Record<string, unknown>;

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
}

/** Everything `compare` will do. */
export interface ComparePlan {
  trainLength: number;
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
      const dir = `seed-${seed}/${method}`;
      const id = `${method}-seed${seed}`;
      const finetune = (encoding: { name: string; config: EncodingConfig }, ratio: number) => {
        const config = trainConfig(
          c,
          c.finetune,
          seed,
          encoding,
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
      };
      const run = (variant: string, encoding: RunEncoding, finetuned: boolean) =>
        runs.push({
          method,
          variant,
          seed,
          file: `${dir}/${variant}.json`,
          checkpointOf: finetuned ? id : baseId,
          ...(finetuned ? { trainRef: id } : {}),
          encoding,
        });

      if (method === "default") {
        const config = { rope_type: "default" };
        finetune({ name: method, config }, 1);
        run(VARIANTS.finetuned, { name: method, config, factorFromLength: false }, true);
      } else if (method === "linear" || method === "ntk" || method === "yarn") {
        const extra = method === "yarn" ? c.encodings.yarn : {};
        const config = { rope_type: method, ...extra, factor: k };
        finetune({ name: method, config }, k);
        run(VARIANTS.finetuned, { name: method, config, factorFromLength: false }, true);
        run(
          VARIANTS.noFinetune,
          { name: method, config: { rope_type: method, ...extra }, factorFromLength: true },
          false,
        );
      } else if (method === "pose") {
        const config = { rope_type: method, factor: k, ...c.encodings.pose };
        finetune({ name: method, config }, 1);
        run(VARIANTS.finetuned, { name: method, config, factorFromLength: false }, true);
      } else {
        const extra = c.encodings.e2;
        const config = {
          rope_type: "e2",
          ...("scales" in extra ? {} : { max_scale: k }),
          ...extra,
        };
        finetune({ name: method, config }, 1);
        run(
          VARIANTS.gAuto,
          { name: method, config: { ...config, eval_scale: "auto" }, factorFromLength: false },
          true,
        );
        run(
          VARIANTS.g1,
          { name: method, config: { ...config, eval_scale: 1 }, factorFromLength: false },
          true,
        );
      }
    }
  }
  return { trainLength: R, lengths: c.eval.ratios.map((r) => r * R), trainings, runs };
}
