import assert from "node:assert/strict";
import { join } from "node:path";
import { initParams, ModelConfig, paramLayout, saveCheckpoint } from "@e2llm/train";
import { runCli } from "./helpers.ts";

async function makeRun(dir: string, encoding: Record<string, unknown>) {
  const model = ModelConfig.parse({
    dModel: 16,
    nLayers: 1,
    nHeads: 2,
    mlpWidth: 24,
    trainLength: 16,
    initStd: 0.3,
  });
  const layout = paramLayout(model);
  const flat = initParams(layout, 3);
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
}

Deno.test("deno task export --format hf, then eval --checkpoint <hf> --text-file --json", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const run = join(dir, "run"), hf = join(dir, "hf"), text = join(dir, "t.txt");
    await makeRun(run, { name: "e2", config: { rope_type: "e2", max_scale: 4 } });
    await Deno.writeTextFile(text, "hello, world — a short text to score.\n");
    const noTarget = await runCli("export", run, "--format", "hf", "--out", hf);
    assert.equal(noTarget.code, 1);
    assert.match(noTarget.stderr, /give --target-length/);
    const bad = await runCli("export", run, "--out", hf, "--dtype", "f64");
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /--dtype/);
    const ok = await runCli(
      "export",
      run,
      "--format",
      "hf",
      "--out",
      hf,
      "--dtype",
      "bf16",
      "--target-length",
      "48",
    );
    assert.equal(ok.code, 0, ok.stderr);
    for (
      const f of ["config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"]
    ) {
      assert.ok((await Deno.stat(join(hf, f))).isFile, f);
    }
    const cfg = JSON.parse(await Deno.readTextFile(join(hf, "config.json")));
    assert.deepEqual(cfg.rope_scaling, {
      rope_type: "linear",
      factor: 3,
      original_max_position_embeddings: 16,
    });
    assert.equal(cfg.max_position_embeddings, 48);
    assert.equal(cfg.torch_dtype, "bfloat16");
    const scored = await runCli("eval", "--checkpoint", hf, "--text-file", text, "--json");
    assert.equal(scored.code, 0, scored.stderr);
    const json = JSON.parse(scored.stdout);
    const n = new TextEncoder().encode(await Deno.readTextFile(text)).length;
    assert.equal(json.tokens, n);
    assert.equal(json.nll.length, n - 1);
    assert.deepEqual(json.encoding, { name: "linear", config: { rope_type: "linear", factor: 3 } });
    const mean = json.nll.reduce((a: number, b: number) => a + b, 0) / json.nll.length;
    assert.ok(Math.abs(json.ppl - Math.exp(mean)) < 1e-9 * json.ppl);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
