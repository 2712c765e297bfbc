/**
 * Export an e2llm checkpoint as a Hugging Face `LlamaForCausalLM` folder: `config.json`,
 * `model.safetensors` (HF names, [out, in], F32/BF16/F16), `tokenizer.json` and
 * `tokenizer_config.json` for the byte vocabulary. Written atomically (a temporary folder renamed
 * into place).
 */
import { join } from "node:path";
import { replaceDirAtomic, writeFileSynced } from "../checkpoint/atomic.ts";
import { loadCheckpoint } from "../checkpoint/checkpoint.ts";
import { headDim, kvHeads, ModelConfig } from "../config.ts";
import type { HfDtype } from "./dtypes.ts";
import { toHfTensors } from "./layout.ts";
import { hfRopeKeys } from "./rope_scaling.ts";
import { encodeSafetensorsTyped } from "./safetensors_io.ts";
import { byteTokenizerConfig, byteTokenizerJson } from "./tokenizer.ts";

/** Options of {@link exportHf}. */
export interface ExportHfOptions {
  /** A run folder (holding `checkpoint/`) or a checkpoint folder. */
  run: string;
  out: string;
  dtype?: HfDtype;
  /** L: `max_position_embeddings`, and the scale g of an `e2` run. */
  targetLength?: number;
}

/** The `config.json` of an export (exported for tests). */
export function hfConfigJson(
  model: ModelConfig,
  encoding: { name: string; config: Record<string, unknown> },
  dtype: HfDtype,
  targetLength?: number,
): Record<string, unknown> {
  const rope = hfRopeKeys(encoding, {
    trainLength: model.trainLength,
    ropeBase: model.ropeBase,
    headDim: headDim(model),
  }, targetLength);
  const torchDtype = { F32: "float32", BF16: "bfloat16", F16: "float16" }[dtype];
  return {
    architectures: ["LlamaForCausalLM"],
    model_type: "llama",
    vocab_size: model.vocabSize,
    hidden_size: model.dModel,
    intermediate_size: model.mlpWidth,
    num_hidden_layers: model.nLayers,
    num_attention_heads: model.nHeads,
    num_key_value_heads: kvHeads(model),
    head_dim: headDim(model),
    hidden_act: "silu",
    max_position_embeddings: rope.max_position_embeddings,
    rms_norm_eps: model.normEps,
    rope_theta: rope.rope_theta,
    rope_scaling: rope.rope_scaling,
    tie_word_embeddings: model.tieEmbeddings,
    attention_bias: false,
    mlp_bias: false,
    initializer_range: model.initStd,
    use_cache: true,
    torch_dtype: torchDtype,
    dtype: torchDtype,
  };
}

/** Export (see the module doc); returns the files written. */
export async function exportHf(opts: ExportHfOptions): Promise<string[]> {
  const dtype = opts.dtype ?? "F32";
  const ckpt = await loadCheckpoint(await checkpointDirOf(opts.run));
  const model = ModelConfig.parse(ckpt.model);
  const enc = ckpt.encoding as { name?: unknown; config?: unknown } | undefined;
  const encoding = {
    name: typeof enc?.name === "string" ? enc.name : "default",
    config: (typeof enc?.config === "object" && enc.config !== null ? enc.config : {}) as Record<
      string,
      unknown
    >,
  };
  const config = hfConfigJson(model, encoding, dtype, opts.targetLength);
  const tensors = toHfTensors(model, ckpt.weights);
  const bytes = encodeSafetensorsTyped(tensors, dtype, { format: "pt" });
  const text = (x: unknown) => new TextEncoder().encode(JSON.stringify(x, null, 2) + "\n");
  const files: [string, Uint8Array][] = [
    ["config.json", text(config)],
    ["model.safetensors", bytes],
    ["tokenizer.json", text(byteTokenizerJson())],
    [
      "tokenizer_config.json",
      text(byteTokenizerConfig(config.max_position_embeddings as number)),
    ],
  ];
  await replaceDirAtomic(opts.out, async (tmp) => {
    for (const [name, b] of files) await writeFileSynced(join(tmp, name), b);
  });
  return files.map(([name]) => join(opts.out, name));
}

async function checkpointDirOf(run: string): Promise<string> {
  try {
    if ((await Deno.stat(join(run, "checkpoint"))).isDirectory) return join(run, "checkpoint");
  } catch {
    // not a run folder: a checkpoint folder itself
  }
  return run;
}
