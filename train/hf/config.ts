/**
 * Hugging Face `config.json` of a `LlamaForCausalLM` ↔ e2llm's {@link ModelConfig} and encoding.
 * Import validates with zod (unknown keys allowed: HF configs carry many we do not use) and
 * refuses, naming the key, what our decoder cannot run: another architecture or `hidden_act`,
 * attention/MLP biases, a `head_dim` other than hidden_size / num_attention_heads, a
 * `rope_scaling` type without a built-in encoding of that name.
 */
import { z } from "zod";
import type { Exact } from "@e2llm/encodings";
import { findBuiltin } from "@e2llm/encodings";
import { formatZodError, ModelConfig } from "../config.ts";

const hfLlamaConfigSchema = z.looseObject({
  architectures: z.array(z.string()).optional(),
  model_type: z.string(),
  vocab_size: z.int().min(2),
  hidden_size: z.int().min(1),
  intermediate_size: z.int().min(1),
  num_hidden_layers: z.int().min(1),
  num_attention_heads: z.int().min(1),
  num_key_value_heads: z.int().min(1).optional(),
  head_dim: z.int().min(1).optional(),
  hidden_act: z.string().default("silu"),
  max_position_embeddings: z.int().min(1).default(2048),
  rms_norm_eps: z.number().positive().default(1e-6),
  rope_theta: z.number().positive().default(10000),
  rope_scaling: z.record(z.string(), z.unknown()).nullable().optional(),
  tie_word_embeddings: z.boolean().default(false),
  attention_bias: z.boolean().default(false),
  mlp_bias: z.boolean().default(false),
  initializer_range: z.number().positive().optional(),
});

/** The keys of a LLaMA `config.json` that e2llm reads (others are ignored). */
export const HfLlamaConfig: z.ZodType<HfLlamaConfig> = hfLlamaConfigSchema;
// The written-out type must stay exactly the schema's output (deno check fails otherwise).
const _HfLlamaConfigExact: Exact<z.output<typeof hfLlamaConfigSchema>, HfLlamaConfig> = true;
/** A parsed LLaMA `config.json` (the keys e2llm reads; others are kept as they are). */
export type HfLlamaConfig = {
  architectures?: string[];
  model_type: string;
  vocab_size: number;
  hidden_size: number;
  intermediate_size: number;
  num_hidden_layers: number;
  num_attention_heads: number;
  num_key_value_heads?: number;
  head_dim?: number;
  hidden_act: string;
  max_position_embeddings: number;
  rms_norm_eps: number;
  rope_theta: number;
  rope_scaling?: Record<string, unknown> | null;
  tie_word_embeddings: boolean;
  attention_bias: boolean;
  mlp_bias: boolean;
  initializer_range?: number;
  [key: string]: unknown;
};

/** What an imported config means for e2llm. */
export interface ImportedConfig {
  model: ModelConfig;
  /** Key/value heads (≤ nHeads; `model.nKvHeads` when fewer: grouped-query attention). */
  nKvHeads: number;
  /** The encoding its `rope_scaling` names (default RoPE when absent). */
  encoding: { name: string; config: Record<string, unknown> };
}

/** Validate a `config.json` value and map it (throws one clear error naming the key). */
export function importHfConfig(raw: unknown, file = "config.json"): ImportedConfig {
  const r = HfLlamaConfig.safeParse(raw);
  if (!r.success) throw new Error(formatZodError(file, r.error));
  const c = r.data;
  const fail = (key: string, why: string) => new Error(`${file}: ${key}: ${why}`);
  const arch = c.architectures ?? ["LlamaForCausalLM"];
  if (c.model_type !== "llama" || !arch.includes("LlamaForCausalLM")) {
    throw fail(
      "architectures",
      `unsupported architecture ${JSON.stringify(arch)} / model_type "${c.model_type}" ` +
        `(only LlamaForCausalLM, model_type "llama")`,
    );
  }
  if (c.hidden_act !== "silu") {
    throw fail("hidden_act", `unsupported "${c.hidden_act}" (only "silu", i.e. SwiGLU)`);
  }
  if (c.attention_bias) throw fail("attention_bias", "biases are not supported");
  if (c.mlp_bias) throw fail("mlp_bias", "biases are not supported");
  const H = c.num_attention_heads, kv = c.num_key_value_heads ?? H;
  if (c.hidden_size % H !== 0) {
    throw fail("num_attention_heads", `${H} does not divide hidden_size ${c.hidden_size}`);
  }
  const hd = c.hidden_size / H;
  if (c.head_dim !== undefined && c.head_dim !== hd) {
    throw fail(
      "head_dim",
      `${c.head_dim} ≠ hidden_size / num_attention_heads = ${hd} (not supported)`,
    );
  }
  if (kv > H || H % kv !== 0) {
    throw fail("num_key_value_heads", `${kv} must divide num_attention_heads ${H}`);
  }
  const { encoding, trainLength } = encodingFromRopeScaling(
    c.rope_scaling ?? null,
    c.max_position_embeddings,
    file,
  );
  const model = ModelConfig.safeParse({
    vocabSize: c.vocab_size,
    dModel: c.hidden_size,
    nLayers: c.num_hidden_layers,
    nHeads: H,
    ...(kv !== H ? { nKvHeads: kv } : {}),
    mlpWidth: c.intermediate_size,
    trainLength: Math.max(8, trainLength),
    ropeBase: c.rope_theta,
    tieEmbeddings: c.tie_word_embeddings,
    normEps: c.rms_norm_eps,
    ...(c.initializer_range !== undefined ? { initStd: c.initializer_range } : {}),
  });
  if (!model.success) throw new Error(formatZodError(`${file} (as an e2llm model)`, model.error));
  return { model: model.data, nKvHeads: kv, encoding };
}

/** Keys of `rope_scaling` that HF writes but an encoding of ours does not take. */
const DROPPED: Record<string, string[]> = {
  linear: ["original_max_position_embeddings"],
};

/**
 * `rope_scaling` → our encoding (the HF key names are ours) and the training length R
 * (`original_max_position_embeddings` when given, else `max_position_embeddings`).
 */
export function encodingFromRopeScaling(
  scaling: Record<string, unknown> | null,
  maxPositions: number,
  file = "config.json",
): { encoding: { name: string; config: Record<string, unknown> }; trainLength: number } {
  if (!scaling) return { encoding: { name: "default", config: {} }, trainLength: maxPositions };
  const type = scaling.rope_type ?? scaling.type;
  if (typeof type !== "string") {
    throw new Error(`${file}: rope_scaling: no "rope_type" (or "type") string`);
  }
  const original = scaling.original_max_position_embeddings;
  const trainLength = Number.isSafeInteger(original) ? original as number : maxPositions;
  if (type === "default") return { encoding: { name: "default", config: {} }, trainLength };
  const builtin = findBuiltin(type);
  if (!builtin || !["linear", "dynamic", "yarn", "ntk"].includes(type)) {
    throw new Error(
      `${file}: rope_scaling: rope_type "${type}" is not supported (linear, dynamic, yarn)`,
    );
  }
  const config: Record<string, unknown> = { rope_type: type };
  for (const [k, v] of Object.entries(scaling)) {
    if (k === "type" || k === "rope_type" || (DROPPED[type] ?? []).includes(k)) continue;
    config[k] = v;
  }
  const parsed = builtin.schema.safeParse(config);
  if (!parsed.success) throw new Error(formatZodError(`${file} rope_scaling`, parsed.error));
  return { encoding: { name: type, config }, trainLength };
}
