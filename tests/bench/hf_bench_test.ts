import assert from "node:assert/strict";
import { benchHfScore, writeRandomHfFolder } from "../../bench/hf_bench.ts";

Deno.test("hf bench: writes a random GQA folder, loads it and scores a sequence", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await writeRandomHfFolder(dir, {
      vocab_size: 300,
      hidden_size: 48,
      intermediate_size: 64,
      num_hidden_layers: 2,
      num_attention_heads: 6,
      num_key_value_heads: 2,
      tie_word_embeddings: true,
    });
    const results = await benchHfScore(dir, 100);
    assert.deepEqual(results.map((r) => r.name), ["hf load", "hf score", "hf load+score peak RSS"]);
    for (const r of results) assert.ok(r.value > 0, `${r.name} ${r.value}`);
    // Random weights near zero: NLL close to ln(vocab).
    const nll = results[0].meanNll as number;
    assert.ok(Math.abs(nll - Math.log(300)) < 0.5, `mean NLL ${nll}`);
    assert.equal(results[0].shape, "d48 L2 H6 V300");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
