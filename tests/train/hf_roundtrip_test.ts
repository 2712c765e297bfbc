import assert from "node:assert/strict";
import { join } from "node:path";
import { defaultBackend, scoreTextFile } from "@e2llm/eval";
import {
  bf16ToF32,
  decodeSafetensorsAny,
  encodeSafetensorsTyped,
  exportHf,
  f32ToBf16,
  type HfDtype,
  initParams,
  loadHfCheckpoint,
  ModelConfig,
  paramLayout,
  saveCheckpoint,
} from "@e2llm/train";
import { hfReferenceNll, type RefLlamaConfig } from "./hf_reference.ts";

const TEXT = "The quick brown fox jumps over the lazy dog. Ünïcödé bytes, too!\n";

function tinyModel(tied: boolean): ModelConfig {
  return ModelConfig.parse({
    vocabSize: 256,
    dModel: 16,
    nLayers: 2,
    nHeads: 2,
    mlpWidth: 24,
    trainLength: 16,
    tieEmbeddings: tied,
    initStd: 0.3,
  });
}

/** A run folder with random weights (checkpoint/ inside), as `deno task train` leaves it. */
async function makeRun(
  dir: string,
  model: ModelConfig,
  encoding = { name: "default", config: {} },
) {
  const layout = paramLayout(model);
  const flat = initParams(layout, 7);
  const weights = new Map(layout.specs.map((s) => [s.name, {
    shape: s.shape,
    data: flat.slice(s.offset, s.offset + s.shape.reduce((a, b) => a * b, 1)),
  }]));
  await saveCheckpoint(join(dir, "checkpoint"), {
    step: 0,
    model: model as unknown as Record<string, unknown>,
    encoding,
    weights,
  });
  return weights;
}

/** An HF folder built with our writer: random weights, optional GQA, dtype, shards. */
async function makeHfFolder(
  dir: string,
  c: RefLlamaConfig,
  opts: { dtype: HfDtype; shards: number; seed: number },
): Promise<Map<string, Float32Array>> {
  let s = opts.seed;
  const rand = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff - 0.5) * 0.8;
  const hd = c.hidden / c.heads, D = c.hidden;
  const shapes: [string, number[]][] = [["model.embed_tokens.weight", [c.vocab, D]]];
  for (let l = 0; l < c.layers; l++) {
    const p = `model.layers.${l}.`;
    shapes.push(
      [p + "input_layernorm.weight", [D]],
      [p + "self_attn.q_proj.weight", [D, D]],
      [p + "self_attn.k_proj.weight", [c.kvHeads * hd, D]],
      [p + "self_attn.v_proj.weight", [c.kvHeads * hd, D]],
      [p + "self_attn.o_proj.weight", [D, D]],
      [p + "post_attention_layernorm.weight", [D]],
      [p + "mlp.gate_proj.weight", [c.intermediate, D]],
      [p + "mlp.up_proj.weight", [c.intermediate, D]],
      [p + "mlp.down_proj.weight", [D, c.intermediate]],
    );
  }
  shapes.push(["model.norm.weight", [D]]);
  if (!c.tied) shapes.push(["lm_head.weight", [c.vocab, D]]);
  const tensors = shapes.map(([name, shape]) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const data = Float32Array.from(
      { length: n },
      () => name.endsWith("norm.weight") ? 1 + rand() : rand(),
    );
    return { name, shape, data };
  });
  await Deno.mkdir(dir, { recursive: true });
  const config = {
    architectures: ["LlamaForCausalLM"],
    model_type: "llama",
    vocab_size: c.vocab,
    hidden_size: D,
    intermediate_size: c.intermediate,
    num_hidden_layers: c.layers,
    num_attention_heads: c.heads,
    num_key_value_heads: c.kvHeads,
    head_dim: hd,
    hidden_act: "silu",
    max_position_embeddings: 64,
    rms_norm_eps: c.eps,
    rope_theta: c.theta,
    rope_scaling: c.linearFactor ? { rope_type: "linear", factor: c.linearFactor } : null,
    tie_word_embeddings: c.tied,
    torch_dtype: "bfloat16",
  };
  await Deno.writeTextFile(join(dir, "config.json"), JSON.stringify(config));
  if (opts.shards === 1) {
    await Deno.writeFile(
      join(dir, "model.safetensors"),
      encodeSafetensorsTyped(tensors, opts.dtype),
    );
  } else {
    const map: Record<string, string> = {};
    const per = Math.ceil(tensors.length / opts.shards);
    for (let i = 0; i < opts.shards; i++) {
      const file = `model-0000${i + 1}-of-0000${opts.shards}.safetensors`;
      const part = tensors.slice(i * per, (i + 1) * per);
      for (const t of part) map[t.name] = file;
      await Deno.writeFile(join(dir, file), encodeSafetensorsTyped(part, opts.dtype));
    }
    await Deno.writeTextFile(
      join(dir, "model.safetensors.index.json"),
      JSON.stringify({ metadata: {}, weight_map: map }),
    );
  }
  // What the reader will see: the values rounded to the stored dtype.
  const round = (x: number) =>
    opts.dtype === "BF16" ? bf16ToF32(f32ToBf16(x)) : opts.dtype === "F32" ? x : x;
  return new Map(tensors.map((t) => [t.name, t.data.map(round)]));
}

Deno.test("export F32 → import gives back every weight bitwise (tied and untied)", async () => {
  for (const tied of [false, true]) {
    const dir = await Deno.makeTempDir();
    try {
      const model = tinyModel(tied);
      const weights = await makeRun(join(dir, "run"), model);
      await exportHf({ run: join(dir, "run"), out: join(dir, "hf") });
      const back = await loadHfCheckpoint(join(dir, "hf"));
      assert.deepEqual(back.model, model);
      assert.equal(back.nKvHeads, model.nHeads);
      assert.deepEqual(back.encoding, { name: "default", config: {} });
      assert.deepEqual([...back.weights.keys()].sort(), [...weights.keys()].sort());
      for (const [name, t] of weights) {
        assert.deepEqual(back.weights.get(name)!.shape, t.shape, name);
        assert.ok(back.weights.get(name)!.data.every((v, i) => Object.is(v, t.data[i])), name);
      }
      const cfg = JSON.parse(await Deno.readTextFile(join(dir, "hf", "config.json")));
      for (
        const key of [
          "architectures",
          "model_type",
          "vocab_size",
          "hidden_size",
          "intermediate_size",
          "num_hidden_layers",
          "num_attention_heads",
          "num_key_value_heads",
          "head_dim",
          "hidden_act",
          "max_position_embeddings",
          "rms_norm_eps",
          "rope_theta",
          "rope_scaling",
          "tie_word_embeddings",
          "torch_dtype",
          "dtype",
        ]
      ) assert.ok(key in cfg, key);
      assert.equal(
        "lm_head.weight" in headerOf(await Deno.readFile(join(dir, "hf", "model.safetensors"))),
        !tied,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }
});

function headerOf(bytes: Uint8Array): Record<string, unknown> {
  const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  const h = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  assert.deepEqual(h.__metadata__, { format: "pt" });
  return h;
}

Deno.test("export BF16/F16 → import gives the rounded weights exactly", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const model = tinyModel(false);
    const weights = await makeRun(join(dir, "run"), model);
    await exportHf({ run: join(dir, "run"), out: join(dir, "hf"), dtype: "BF16" });
    const back = await loadHfCheckpoint(join(dir, "hf"));
    for (const [name, t] of weights) {
      const want = t.data.map((x) => bf16ToF32(f32ToBf16(x)));
      assert.deepEqual([...back.weights.get(name)!.data], [...want], name);
    }
    // Exporting the BF16-rounded import again as F16 loses nothing where F16 represents it.
    const cfg = JSON.parse(await Deno.readTextFile(join(dir, "hf", "config.json")));
    assert.equal(cfg.torch_dtype, "bfloat16");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("GPU: export → import gives bitwise-identical per-token NLL of a text file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(dir, "t.txt"), TEXT);
    for (const tied of [false, true]) {
      const run = join(dir, `run-${tied}`), hf = join(dir, `hf-${tied}`);
      await makeRun(run, tinyModel(tied));
      await exportHf({ run, out: hf });
      const a = await scoreTextFile({
        backend: defaultBackend(),
        checkpoint: run,
        textFile: join(dir, "t.txt"),
      });
      const b = await scoreTextFile({
        backend: defaultBackend(),
        checkpoint: hf,
        textFile: join(dir, "t.txt"),
      });
      assert.equal(a.tokens, new TextEncoder().encode(TEXT).length);
      assert.equal(a.nll.length, a.tokens - 1);
      assert.deepEqual(b.nll, a.nll);
      assert.equal(b.ppl, a.ppl);
      assert.ok(a.nll.some((x) => Math.abs(x - a.nll[0]) > 1e-3), "NLL varies by token");
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("GPU: an exported model scores like an independent f64 HF LLaMA forward", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(dir, "t.txt"), TEXT);
    const model = tinyModel(false);
    await makeRun(join(dir, "run"), model);
    await exportHf({ run: join(dir, "run"), out: join(dir, "hf") });
    const hf = await loadHfCheckpoint(join(dir, "hf"));
    void hf;
    const st = decodeAll(await Deno.readFile(join(dir, "hf", "model.safetensors")));
    const ids = new TextEncoder().encode(TEXT);
    const want = hfReferenceNll(
      {
        vocab: 256,
        hidden: 16,
        layers: 2,
        heads: 2,
        kvHeads: 2,
        intermediate: 24,
        eps: 1e-5,
        theta: 10000,
        tied: false,
      },
      (n) => st.get(n)!,
      ids.subarray(0, ids.length - 1),
      ids.subarray(1),
    );
    const got = await scoreTextFile({
      backend: defaultBackend(),
      checkpoint: join(dir, "hf"),
      textFile: join(dir, "t.txt"),
    });
    for (let i = 0; i < want.length; i++) {
      assert.ok(
        Math.abs(got.nll[i] - want[i]) < 2e-4 * Math.max(1, want[i]),
        `token ${i}: ${got.nll[i]} vs ${want[i]}`,
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

function decodeAll(bytes: Uint8Array): Map<string, Float32Array> {
  const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  const h = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  const out = new Map<string, Float32Array>();
  for (const [name, e] of Object.entries(h)) {
    if (name === "__metadata__") continue;
    const [b, end] = (e as { data_offsets: number[] }).data_offsets;
    out.set(name, new Float32Array(bytes.slice(8 + n + b, 8 + n + end).buffer));
  }
  return out;
}

Deno.test("GPU: a sharded BF16 GQA checkpoint (4 heads, 2 KV heads, linear ×2) matches the f64 HF reference", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(dir, "t.txt"), TEXT);
    const c: RefLlamaConfig = {
      vocab: 256,
      hidden: 32,
      layers: 2,
      heads: 4,
      kvHeads: 2,
      intermediate: 40,
      eps: 1e-6,
      theta: 500,
      tied: true,
      linearFactor: 2,
    };
    const w = await makeHfFolder(join(dir, "hf"), c, { dtype: "BF16", shards: 3, seed: 3 });
    const ckpt = await loadHfCheckpoint(join(dir, "hf"));
    assert.equal(ckpt.nKvHeads, 2);
    assert.deepEqual(ckpt.encoding, { name: "linear", config: { rope_type: "linear", factor: 2 } });
    const ids = new TextEncoder().encode(TEXT);
    const want = hfReferenceNll(
      c,
      (n) => w.get(n)!,
      ids.subarray(0, ids.length - 1),
      ids.subarray(1),
    );
    const got = await scoreTextFile({
      backend: defaultBackend(),
      checkpoint: join(dir, "hf"),
      textFile: join(dir, "t.txt"),
    });
    assert.deepEqual(got.encoding, ckpt.encoding);
    // Round trip of the GQA model: save as an e2llm checkpoint, export, same tensors bitwise.
    await saveCheckpoint(join(dir, "run", "checkpoint"), {
      step: 0,
      model: ckpt.model as unknown as Record<string, unknown>,
      encoding: ckpt.encoding,
      weights: ckpt.weights,
    });
    await exportHf({ run: join(dir, "run"), out: join(dir, "again"), dtype: "BF16" });
    const again = decodeSafetensorsAny(
      await Deno.readFile(join(dir, "again", "model.safetensors")),
    );
    assert.deepEqual([...again.tensors.keys()].sort(), [...w.keys()].sort());
    for (const [name, data] of w) {
      assert.deepEqual([...again.tensors.get(name)!.data], [...data], name);
    }
    const cfg = JSON.parse(await Deno.readTextFile(join(dir, "again", "config.json")));
    assert.equal(cfg.num_key_value_heads, 2);
    for (let i = 0; i < want.length; i++) {
      assert.ok(
        Math.abs(got.nll[i] - want[i]) < 2e-4 * Math.max(1, want[i]),
        `token ${i}: ${got.nll[i]} vs ${want[i]}`,
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
