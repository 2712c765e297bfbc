import assert from "node:assert/strict";
import { join } from "node:path";
import {
  byteTokenizerJson,
  byteToUnicode,
  encodeSafetensorsTyped,
  encodingFromRopeScaling,
  hfRopeKeys,
  hfTensorShapes,
  importHfConfig,
  isByteTokenizerJson,
  loadHfCheckpoint,
} from "@e2llm/train";

const base = {
  architectures: ["LlamaForCausalLM"],
  model_type: "llama",
  vocab_size: 16,
  hidden_size: 8,
  intermediate_size: 4,
  num_hidden_layers: 1,
  num_attention_heads: 2,
  num_key_value_heads: 1,
  max_position_embeddings: 32,
  tie_word_embeddings: true,
};

Deno.test("config.json: unsupported architecture, hidden_act, head_dim, biases, KV heads are named", () => {
  const bad = (patch: Record<string, unknown>, pattern: RegExp) =>
    assert.throws(() => importHfConfig({ ...base, ...patch }), pattern);
  bad(
    { architectures: ["MistralForCausalLM"], model_type: "mistral" },
    /architectures: unsupported/,
  );
  bad({ hidden_act: "gelu" }, /hidden_act: unsupported "gelu"/);
  bad({ head_dim: 8 }, /head_dim: 8 ≠ hidden_size \/ num_attention_heads = 4/);
  bad({ attention_bias: true }, /attention_bias/);
  bad({ num_key_value_heads: 3 }, /num_key_value_heads: 3 must divide/);
  bad({ vocab_size: "x" }, /vocab_size/);
  bad({ rope_scaling: { rope_type: "llama3", factor: 8 } }, /rope_type "llama3" is not supported/);
  bad({ rope_scaling: { rope_type: "linear" } }, /rope_scaling[\s\S]*factor/);
  const ok = importHfConfig({ ...base, rope_theta: 1e6, rms_norm_eps: 1e-6 });
  assert.equal(ok.nKvHeads, 1);
  assert.equal(ok.model.ropeBase, 1e6);
  assert.equal(ok.model.normEps, 1e-6);
  assert.equal(ok.model.tieEmbeddings, true);
  assert.equal(ok.model.trainLength, 32);
});

Deno.test("rope_scaling → encoding: HF key names, legacy `type`, original length as R", () => {
  assert.deepEqual(encodingFromRopeScaling(null, 64), {
    encoding: { name: "default", config: {} },
    trainLength: 64,
  });
  assert.deepEqual(
    encodingFromRopeScaling(
      { type: "linear", factor: 4, original_max_position_embeddings: 16 },
      64,
    ),
    { encoding: { name: "linear", config: { rope_type: "linear", factor: 4 } }, trainLength: 16 },
  );
  const yarn = encodingFromRopeScaling({
    rope_type: "yarn",
    factor: 4,
    original_max_position_embeddings: 16,
    beta_fast: 32,
    beta_slow: 1,
  }, 64);
  assert.equal(yarn.encoding.name, "yarn");
  assert.equal(yarn.trainLength, 16);
});

Deno.test("encoding → rope_scaling: e2 is linear by g at the target length; ntk folds into rope_theta; others refused", () => {
  const m = { trainLength: 128, ropeBase: 10000, headDim: 32 };
  assert.deepEqual(hfRopeKeys({ name: "default", config: {} }, m), {
    rope_theta: 10000,
    rope_scaling: null,
    max_position_embeddings: 128,
  });
  const e2 = hfRopeKeys({ name: "e2", config: { rope_type: "e2", max_scale: 16 } }, m, 1000);
  assert.deepEqual(e2.rope_scaling, {
    rope_type: "linear",
    factor: 8,
    original_max_position_embeddings: 128,
  });
  assert.equal(e2.max_position_embeddings, 1000);
  assert.throws(() => hfRopeKeys({ name: "e2", config: {} }, m), /give --target-length/);
  const ntk = hfRopeKeys({ name: "ntk", config: { factor: 4 } }, m);
  assert.equal(ntk.rope_scaling, null);
  assert.equal(ntk.rope_theta, 10000 * 4 ** (32 / 30));
  assert.equal(
    hfRopeKeys({ name: "linear", config: { factor: 4 } }, m).max_position_embeddings,
    512,
  );
  assert.throws(
    () => hfRopeKeys({ name: "pose", config: { factor: 4 } }, m),
    /"pose" has no Hugging Face rope_scaling/,
  );
  assert.throws(() => hfRopeKeys({ name: "./mine.ts", config: {} }, m), /not a built-in/);
});

Deno.test("missing, extra and wrongly shaped tensors are named", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const { model } = importHfConfig(base);
    await Deno.writeTextFile(join(dir, "config.json"), JSON.stringify(base));
    const all = [...hfTensorShapes(model)].map(([name, shape]) => ({
      name,
      shape,
      data: new Float32Array(shape.reduce((a, b) => a * b, 1)),
    }));
    const write = (ts: typeof all) =>
      Deno.writeFile(join(dir, "model.safetensors"), encodeSafetensorsTyped(ts, "F16"));
    await write(all);
    const ok = await loadHfCheckpoint(dir);
    // grouped-query: q (8 rows) | k (1 head of 4) | v (4)
    assert.deepEqual(ok.weights.get("layers.0.attn.wqkv")!.shape, [16, 8]);
    assert.equal(ok.model.nKvHeads, 1);
    await write(all.filter((t) => t.name !== "model.layers.0.mlp.up_proj.weight"));
    await assert.rejects(
      () => loadHfCheckpoint(dir),
      /missing tensor model\.layers\.0\.mlp\.up_proj\.weight/,
    );
    await write([...all, {
      name: "model.layers.0.self_attn.q_proj.bias",
      shape: [8],
      data: new Float32Array(8),
    }]);
    await assert.rejects(
      () => loadHfCheckpoint(dir),
      /unexpected tensor model\.layers\.0\.self_attn\.q_proj\.bias/,
    );
    await write(all.map((t) => t.name === "model.norm.weight" ? { ...t, shape: [4, 2] } : t));
    await assert.rejects(
      () => loadHfCheckpoint(dir),
      /tensor model\.norm\.weight has shape \[4,2\], expected \[8\]/,
    );
    await Deno.remove(join(dir, "model.safetensors"));
    await assert.rejects(() => loadHfCheckpoint(dir), /neither model\.safetensors nor/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the byte tokenizer.json maps every byte value to its own id and back", () => {
  const tok = byteTokenizerJson();
  assert.ok(isByteTokenizerJson(JSON.parse(JSON.stringify(tok))));
  const chars = byteToUnicode();
  assert.equal(new Set(chars).size, 256);
  const vocab = (tok.model as { vocab: Record<string, number> }).vocab;
  const inverse = new Map(Object.entries(vocab).map(([c, id]) => [id, c]));
  for (let b = 0; b < 256; b++) {
    const c = chars[b];
    assert.equal(vocab[c], b); // encode: byte → ByteLevel char → id
    assert.equal(chars.indexOf(inverse.get(b)!), b); // decode: id → char → byte
  }
  // GPT-2's alphabet: printable ASCII maps to itself, space to Ġ (U+0120).
  assert.equal(chars[0x41], "A");
  assert.equal(chars[0x20], "\u0120");
});
