/** The configuration of one training run (`deno task train --config file.json`), validated by zod. */
import { z } from "zod";
import type { Exact } from "@e2llm/encodings";
import { DataConfig } from "./data/mod.ts";
import { ModelConfig, OptimConfig } from "./config.ts";

const trainEncodingSchema = z.strictObject({
  /** Built-in name (`default`, `linear`, `e2`, …), a file path or an http(s) URL. */
  name: z.string().min(1).default("default"),
  /** The encoding's config (Hugging Face `rope_scaling` keys), validated by the encoding. */
  config: z.record(z.string(), z.unknown()).default({}),
});

/** Which positional encoding a run uses: a built-in name, a path or a URL, plus its config. */
export const TrainEncoding: z.ZodType<TrainEncoding> = trainEncodingSchema;
// The written-out type must stay exactly the schema's output (deno check fails otherwise).
const _TrainEncodingExact: Exact<z.output<typeof trainEncodingSchema>, TrainEncoding> = true;
/** A validated run encoding (name + config). */
export type TrainEncoding = {
  /** Built-in name (`default`, `linear`, `e2`, …), a file path or an http(s) URL. */
  name: string;
  /** The encoding's config (Hugging Face `rope_scaling` keys), validated by the encoding. */
  config: Record<string, unknown>;
};

const trainConfigSchema = z.strictObject({
  model: ModelConfig.default(ModelConfig.parse({})),
  optim: OptimConfig.default(OptimConfig.parse({})),
  data: DataConfig.default(DataConfig.parse({})),
  encoding: TrainEncoding.default({ name: "default", config: {} }),
  /** Optimizer steps. */
  steps: z.number().int().min(1).default(300),
  /** Sequences per step. */
  batchSize: z.number().int().min(1).default(16),
  /** Tokens per training sequence; defaults to the model's training length R. */
  seqLength: z.number().int().min(8).optional(),
  /** Seed of weight init (when not initialised from a checkpoint) and the run's RNG. */
  seed: z.number().int().min(0).default(0),
  /** Read the loss back (and log) every N steps: each readback costs ≥10 ms in Deno. */
  logEvery: z.number().int().min(1).default(10),
  /** Write a checkpoint every N steps (and at the end). */
  checkpointEvery: z.number().int().min(1).default(100),
});

/** One training run. Omitted fields take the built-in default (the README's main job). */
export const TrainConfig: z.ZodType<TrainConfig> = trainConfigSchema;
// The written-out type must stay exactly the schema's output (deno check fails otherwise).
const _TrainConfigExact: Exact<z.output<typeof trainConfigSchema>, TrainConfig> = true;
/** A validated training configuration. */
export type TrainConfig = {
  model: ModelConfig;
  optim: OptimConfig;
  data: DataConfig;
  encoding: TrainEncoding;
  /** Optimizer steps. */
  steps: number;
  /** Sequences per step. */
  batchSize: number;
  /** Tokens per training sequence; defaults to the model's training length R. */
  seqLength?: number | undefined;
  /** Seed of weight init (when not initialised from a checkpoint) and the run's RNG. */
  seed: number;
  /** Read the loss back (and log) every N steps. */
  logEvery: number;
  /** Write a checkpoint every N steps (and at the end). */
  checkpointEvery: number;
};
