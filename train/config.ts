/** Model and training configuration: zod schemas, presets, and validation with named errors. */
import { z } from "zod";
import type { Exact } from "@e2llm/encodings";

const modelConfigSchema = z.strictObject({
  vocabSize: z.number().int().min(2).default(256),
  dModel: z.number().int().min(8).default(128),
  nLayers: z.number().int().min(1).default(4),
  nHeads: z.number().int().min(1).default(4),
  /** Key/value heads (grouped-query attention), dividing nHeads; absent: nHeads. */
  nKvHeads: z.number().int().min(1).optional(),
  /** SwiGLU hidden width F. */
  mlpWidth: z.number().int().min(1).default(320),
  /** Training (original) context length R. */
  trainLength: z.number().int().min(8).default(128),
  ropeBase: z.number().positive().default(10000),
  tieEmbeddings: z.boolean().default(false),
  normEps: z.number().positive().default(1e-5),
  initStd: z.number().positive().default(0.02),
}).superRefine((c, ctx) => {
  if (c.dModel % c.nHeads !== 0) {
    ctx.addIssue({
      code: "custom",
      path: ["nHeads"],
      message: `dModel ${c.dModel} is not divisible by nHeads ${c.nHeads}`,
    });
  } else if (c.nKvHeads !== undefined && c.nHeads % c.nKvHeads !== 0) {
    ctx.addIssue({
      code: "custom",
      path: ["nKvHeads"],
      message: `nKvHeads ${c.nKvHeads} does not divide nHeads ${c.nHeads}`,
    });
  } else if ((c.dModel / c.nHeads) % 2 !== 0) {
    ctx.addIssue({
      code: "custom",
      path: ["nHeads"],
      message: `head dim ${c.dModel / c.nHeads} must be even for RoPE`,
    });
  }
});

/** A small LLaMA-style decoder (zod schema; every field has a default). */
export const ModelConfig: z.ZodType<ModelConfig> = modelConfigSchema;
// The written-out type must stay exactly the schema's output (deno check fails otherwise).
const _ModelConfigExact: Exact<z.output<typeof modelConfigSchema>, ModelConfig> = true;
/** A validated model configuration. */
export type ModelConfig = {
  vocabSize: number;
  dModel: number;
  nLayers: number;
  nHeads: number;
  /** Key/value heads (grouped-query attention), dividing nHeads; absent: nHeads. */
  nKvHeads?: number;
  /** SwiGLU hidden width F. */
  mlpWidth: number;
  /** Training (original) context length R. */
  trainLength: number;
  ropeBase: number;
  tieEmbeddings: boolean;
  normEps: number;
  initStd: number;
};

const optimConfigSchema = z.strictObject({
  lr: z.number().positive().default(3e-3),
  minLr: z.number().nonnegative().default(3e-4),
  warmupSteps: z.number().int().nonnegative().default(20),
  weightDecay: z.number().nonnegative().default(0.1),
  beta1: z.number().min(0).max(1).default(0.9),
  beta2: z.number().min(0).max(1).default(0.95),
  eps: z.number().positive().default(1e-8),
  gradClip: z.number().positive().default(1.0),
});

/** Optimizer and schedule: AdamW, linear warmup then cosine decay to `minLr`. */
export const OptimConfig: z.ZodType<OptimConfig> = optimConfigSchema;
// The written-out type must stay exactly the schema's output (deno check fails otherwise).
const _OptimConfigExact: Exact<z.output<typeof optimConfigSchema>, OptimConfig> = true;
/** A validated optimizer configuration. */
export type OptimConfig = {
  lr: number;
  minLr: number;
  warmupSteps: number;
  weightDecay: number;
  beta1: number;
  beta2: number;
  eps: number;
  gradClip: number;
};

/** Head dimension of a model config. */
export function headDim(c: ModelConfig): number {
  return c.dModel / c.nHeads;
}

/** Key/value heads of a model config (nHeads unless grouped-query). */
export function kvHeads(c: ModelConfig): number {
  return c.nKvHeads ?? c.nHeads;
}

/** Format zod issues as `path: message` lines, naming `what` (e.g. the config file). */
export function formatZodError(what: string, error: z.ZodError): string {
  const lines = error.issues.map((i) => {
    const path = i.path.length ? i.path.join(".") : "(root)";
    const keys = "keys" in i && Array.isArray(i.keys) ? ` (${i.keys.join(", ")})` : "";
    return `  ${path}: ${i.message}${keys}`;
  });
  return `invalid ${what}:\n${lines.join("\n")}`;
}

/** Parse with `schema`, throwing an Error whose message names every bad field. */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new Error(formatZodError(what, result.error));
  return result.data;
}
