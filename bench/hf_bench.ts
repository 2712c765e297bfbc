/**
 * `hf smollm-shape`: load a Hugging Face LLaMA folder of SmolLM-135M's shape (hidden 576, 30
 * layers, 9 heads, 3 KV heads, SwiGLU 1,536, vocab 49,152, tied; random BF16 weights written by
 * our writer) and score 2,048 tokens as one sequence: seconds for load (read + validate + BF16 →
 * f32 + upload) and for scoring, and the process's peak resident memory over both (VmHWM, reset
 * before loading where the kernel allows it). The folder is written by a child process, so its
 * memory does not count.
 */
import { join } from "node:path";
import { defaultEncoding } from "@e2llm/encodings";
import { encodeSafetensorsTyped, openScorer } from "@e2llm/train";
import type { BenchCase, BenchResult } from "./types.ts";

/** The shape of a LLaMA to bench (HF config keys). */
export interface HfBenchShape {
  vocab_size: number;
  hidden_size: number;
  intermediate_size: number;
  num_hidden_layers: number;
  num_attention_heads: number;
  num_key_value_heads: number;
  tie_word_embeddings: boolean;
}

/** SmolLM-135M's shape. */
export const SMOLLM_135M: HfBenchShape = {
  vocab_size: 49_152,
  hidden_size: 576,
  intermediate_size: 1_536,
  num_hidden_layers: 30,
  num_attention_heads: 9,
  num_key_value_heads: 3,
  tie_word_embeddings: true,
};

/** Write an HF folder of `shape` with random BF16 weights (seeded) to `dir`. */
export async function writeRandomHfFolder(dir: string, shape: HfBenchShape, seed = 1) {
  const D = shape.hidden_size, hd = D / shape.num_attention_heads;
  const kvD = hd * shape.num_key_value_heads, F = shape.intermediate_size;
  const names: [string, number[]][] = [["model.embed_tokens.weight", [shape.vocab_size, D]]];
  for (let l = 0; l < shape.num_hidden_layers; l++) {
    const p = `model.layers.${l}.`;
    names.push(
      [p + "input_layernorm.weight", [D]],
      [p + "self_attn.q_proj.weight", [D, D]],
      [p + "self_attn.k_proj.weight", [kvD, D]],
      [p + "self_attn.v_proj.weight", [kvD, D]],
      [p + "self_attn.o_proj.weight", [D, D]],
      [p + "post_attention_layernorm.weight", [D]],
      [p + "mlp.gate_proj.weight", [F, D]],
      [p + "mlp.up_proj.weight", [F, D]],
      [p + "mlp.down_proj.weight", [D, F]],
    );
  }
  names.push(["model.norm.weight", [D]]);
  if (!shape.tie_word_embeddings) names.push(["lm_head.weight", [shape.vocab_size, D]]);
  let s = seed >>> 0;
  const tensors = names.map(([name, dims]) => {
    const n = dims.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    if (name.endsWith("norm.weight")) data.fill(1);
    else {
      for (let i = 0; i < n; i++) {
        s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
        data[i] = (s / 2 ** 32 - 0.5) * 0.08;
      }
    }
    return { name, shape: dims, data };
  });
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(
    join(dir, "config.json"),
    JSON.stringify({
      architectures: ["LlamaForCausalLM"],
      model_type: "llama",
      ...shape,
      head_dim: hd,
      hidden_act: "silu",
      max_position_embeddings: 2048,
      rms_norm_eps: 1e-5,
      rope_theta: 10000,
      rope_scaling: null,
      torch_dtype: "bfloat16",
    }),
  );
  await Deno.writeFile(
    join(dir, "model.safetensors"),
    encodeSafetensorsTyped(tensors, "BF16", { format: "pt" }),
  );
}

/** Peak resident set size of this process in bytes (VmHWM), or NaN off Linux. */
function peakRss(): number {
  try {
    const m = Deno.readTextFileSync("/proc/self/status").match(/VmHWM:\s+(\d+) kB/);
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** Reset VmHWM to the current RSS (Linux ≥ 4.0); false where not allowed. */
function resetPeakRss(): boolean {
  try {
    Deno.writeTextFileSync("/proc/self/clear_refs", "5");
    return true;
  } catch {
    return false;
  }
}

/** Load `dir` and score `tokens` random tokens as one sequence; seconds and peak RSS. */
export async function benchHfScore(dir: string, tokens: number): Promise<BenchResult[]> {
  const reset = resetPeakRss();
  const t0 = performance.now();
  const scorer = await openScorer(dir, tokens);
  const t1 = performance.now();
  try {
    const m = scorer.model;
    let s = 7;
    const ids = Uint32Array.from({ length: tokens + 1 }, () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s % m.vocabSize;
    });
    const enc = defaultEncoding.create({ rope_type: "default" });
    const { invFreq, attentionScale } = enc.frequencies({
      headDim: m.dModel / m.nHeads,
      base: m.ropeBase,
      trainLength: m.trainLength,
      seqLength: tokens,
    });
    const scores = await scorer.score({
      batch: 1,
      length: tokens,
      inputs: ids.slice(0, tokens),
      targets: ids.slice(1),
      positions: Float32Array.from({ length: tokens }, (_, i) => i),
      invFreq,
      attentionScale,
    });
    const t2 = performance.now();
    const meanNll = scores.nll.reduce((a, b) => a + b, 0) / tokens;
    if (!Number.isFinite(meanNll)) throw new Error(`bench: non-finite NLL ${meanNll}`);
    const extra = {
      tokens,
      shape: `d${m.dModel} L${m.nLayers} H${m.nHeads} V${m.vocabSize}`,
      meanNll,
      peakRssReset: reset,
    };
    return [
      { name: "hf load", unit: "s", value: (t1 - t0) / 1000, ...extra },
      { name: "hf score", unit: "s", value: (t2 - t1) / 1000, ...extra },
      { name: "hf load+score peak RSS", unit: "MiB", value: peakRss() / 2 ** 20, ...extra },
    ];
  } finally {
    scorer.dispose();
  }
}

/** Bench cases of this file. */
export const benches: BenchCase[] = [{
  name: "hf smollm-shape load+score 2048",
  async run() {
    const dir = await Deno.makeTempDir({ prefix: "e2llm-hf-bench-" });
    try {
      const child = new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", new URL(import.meta.url).pathname, "--write", dir],
        stdout: "inherit",
        stderr: "inherit",
      });
      const { code } = await child.output();
      if (code !== 0) throw new Error(`bench: writing the HF folder failed (${code})`);
      return (await benchHfScore(dir, 2048)).map((r) => ({ ...r, name: `${r.name} smollm-shape` }));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
}];

if (import.meta.main && Deno.args[0] === "--write") {
  await writeRandomHfFolder(Deno.args[1], SMOLLM_135M);
}
