import { Command, InvalidArgumentError, Option } from "@commander-js/extra-typings";
import { claimRunFolder, dataConfigNotes, parseOrThrow, TrainConfig, trainRun } from "@e2llm/train";
import { readJsonFile, readRunConfig, TRAIN_RUN_MARKERS } from "./json_file.ts";

/** Parse a non-negative integer flag value, naming the flag on error. */
export function intFlag(flag: string, min = 0) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) {
      throw new InvalidArgumentError(`${flag} must be an integer ≥ ${min}, got "${value}"`);
    }
    return n;
  };
}

/** Parse a JSON object flag value, naming the flag on error. */
export function jsonFlag(flag: string) {
  return (value: string): Record<string, unknown> => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch (err) {
      throw new InvalidArgumentError(`${flag} is not valid JSON: ${(err as Error).message}`);
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new InvalidArgumentError(`${flag} must be a JSON object`);
    }
    return parsed as Record<string, unknown>;
  };
}

/** `train`: train the decoder with any encoding; with no flags, the built-in default config. */
export function trainCommand() {
  return new Command("train")
    .description("train the LLaMA-style decoder on WebGPU (built-in default config without flags)")
    .option("--config <file>", "JSON training config (see train/run_config.ts)")
    .option("--encoding <spec>", "encoding: built-in name, file path or http(s) URL")
    .option(
      "--encoding-config <json>",
      "the encoding's config (rope_scaling keys)",
      jsonFlag("--encoding-config"),
    )
    .option("--steps <n>", "optimizer steps", intFlag("--steps", 1))
    .option("--seed <n>", "seed for weights, data and positions", intFlag("--seed"))
    .addOption(
      new Option("--corpus <corpus>", "training text: books + speeches, or TypeScript code")
        .choices(["text", "code"] as const),
    )
    .option("--out <dir>", "run folder (config, metrics.jsonl, checkpoint/)")
    .option("--resume <dir>", "continue the run in this folder exactly where it stopped")
    .option("--init <dir>", "start from this run's checkpoint weights (e.g. a base model)")
    .option("--overwrite", "replace the run already in --out (refused without it or --resume)")
    .option("--break-stale-lock", "remove a lock left by a crashed writer of --out")
    .option("--quiet", "no progress output")
    .action(async (opts) => {
      const fromFile = opts.config
        ? await readJsonFile(
          opts.config,
          "--config",
          "a JSON training config, see train/run_config.ts",
        )
        : {};
      const merged = { ...(fromFile as Record<string, unknown>) };
      if (opts.steps !== undefined) merged.steps = opts.steps;
      if (opts.corpus) merged.data = { ...(merged.data as object ?? {}), corpus: opts.corpus };
      if (opts.seed !== undefined) {
        merged.seed = opts.seed;
        merged.data = { ...(merged.data as object ?? {}), seed: opts.seed };
      }
      if (opts.encoding || opts.encodingConfig) {
        const prev = (merged.encoding ?? {}) as Record<string, unknown>;
        merged.encoding = {
          name: opts.encoding ?? prev.name ?? "default",
          config: opts.encodingConfig ?? prev.config ?? {},
        };
      }
      let config = parseOrThrow(
        TrainConfig,
        merged,
        opts.config ? `config ${opts.config}` : "config",
      );
      if (opts.resume) {
        const saved = await readRunConfig(opts.resume, "--resume") as Record<string, unknown>;
        config = parseOrThrow(TrainConfig, {
          ...saved,
          ...(opts.steps ? { steps: opts.steps } : {}),
        }, `config in ${opts.resume}`);
      } else {
        for (const note of dataConfigNotes(merged.data, config.data)) {
          console.error(`note: ${note}`);
        }
      }
      const out = opts.out ?? opts.resume ??
        `runs/train-${new Date().toISOString().replace(/[:.]/g, "-")}`;
      const lock = await claimRunFolder(out, {
        markers: TRAIN_RUN_MARKERS,
        resume: opts.resume !== undefined && opts.resume === out,
        overwrite: opts.overwrite,
        breakStale: opts.breakStaleLock,
        what: "deno task train",
      });
      let result;
      try {
        result = await trainRun({
          config,
          out,
          init: opts.init,
          resume: opts.resume,
          quiet: opts.quiet,
        });
      } finally {
        await lock.release();
      }
      console.log(
        `trained ${result.steps} steps, ${result.trainTokens} tokens in ${
          result.trainSeconds.toFixed(1)
        } s ` +
          `(${(result.trainTokens / result.trainSeconds).toFixed(0)} tokens/s); final loss ${
            result.finalLoss.toFixed(4)
          }; ` +
          `checkpoint ${result.checkpointDir}`,
      );
    });
}
