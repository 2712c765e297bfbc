import assert from "node:assert/strict";
import { getGpu, readF32 } from "@e2llm/kernels";
import { Rng } from "@e2llm/encodings";
import { GpuModel, initParams, ModelConfig, paramLayout } from "@e2llm/train";
import { referenceModel } from "@e2llm/train/testing";
import { assertClose } from "../kernels/helpers.ts";
import { submitForwardBackward } from "./model_helpers.ts";

function batchFor(c: ModelConfig, batch: number, length: number, seed: number) {
  const rng = new Rng(seed);
  const n = batch * length;
  const tokens = Uint32Array.from({ length: n }, () => rng.int(0, c.vocabSize - 1));
  const targets = Uint32Array.from({ length: n }, () => rng.int(0, c.vocabSize - 1));
  const weights = Float32Array.from({ length: n }, () => 1 / n);
  const positions = Float32Array.from({ length: n }, (_, i) => (i % length) / 1.5 + 0.25);
  const hd = c.dModel / c.nHeads;
  const invFreq = Float32Array.from({ length: hd / 2 }, (_, j) => Math.pow(10000, (-2 * j) / hd));
  return { batch, length, tokens, targets, weights, positions, invFreq, attentionScale: 1.1 };
}

Deno.test("a grouped-query model's loss and every gradient match the f64 reference model", async () => {
  const { device } = await getGpu();
  for (
    const [nHeads, nKvHeads, dModel] of [[4, 2, 32], [6, 2, 48], [4, 1, 64]] as const
  ) {
    const c = ModelConfig.parse({
      vocabSize: 32,
      dModel,
      nLayers: 2,
      nHeads,
      nKvHeads,
      mlpWidth: 24,
      trainLength: 8,
      initStd: 0.3,
    });
    const layout = paramLayout(c);
    const hd = dModel / nHeads;
    assert.deepEqual(layout.byName.get("layers.0.attn.wqkv")!.shape, [
      dModel + 2 * nKvHeads * hd,
      dModel,
    ]);
    const b = batchFor(c, 2, 7, 3);
    const params = initParams(layout, 11);
    const model = new GpuModel(device, c, b.batch * b.length, true);
    try {
      model.setParams(params);
      submitForwardBackward(device, model, b);
      const io = model.io;
      const ref = referenceModel(c, params, b);
      const label = `H ${nHeads} KV ${nKvHeads}`;
      const nll = (await readF32(device, io.loss)).subarray(0, b.batch * b.length);
      assertClose(nll, ref.nll, { rtol: 1e-4, atol: 1e-5, label: `${label} per-row loss` });
      const grads = await readF32(device, model.grads!);
      for (const spec of layout.specs) {
        const n = spec.shape.reduce((a, x) => a * x, 1);
        const expected = ref.grads.subarray(spec.offset, spec.offset + n);
        const scale = Math.max(...expected.map(Math.abs));
        assert.ok(scale > 0, `${spec.name}: reference gradient is all zero`);
        assertClose(grads.subarray(spec.offset, spec.offset + n), expected, {
          rtol: 1e-3,
          atol: 1e-4 * scale,
          label: `${label} grad ${spec.name}`,
        });
      }
    } finally {
      model.dispose();
    }
  }
});

Deno.test("the reference model's GQA gradient matches finite differences of its loss", () => {
  const c = ModelConfig.parse({
    vocabSize: 16,
    dModel: 16,
    nLayers: 1,
    nHeads: 4,
    nKvHeads: 2,
    mlpWidth: 8,
    trainLength: 8,
    initStd: 0.4,
  });
  const layout = paramLayout(c);
  const params = Float64Array.from(initParams(layout, 5));
  const b = batchFor(c, 1, 5, 8);
  const { grads } = referenceModel(c, params, b);
  const wqkv = layout.byName.get("layers.0.attn.wqkv")!;
  const rng = new Rng(2);
  for (let t = 0; t < 24; t++) {
    // rows D… of wqkv are k and v: the shared key/value weights
    const i = wqkv.offset + rng.int(16 * 16, wqkv.shape[0] * 16 - 1);
    const keep = params[i], eps = 1e-5;
    params[i] = keep + eps;
    const up = referenceModel(c, params, b).loss;
    params[i] = keep - eps;
    const down = referenceModel(c, params, b).loss;
    params[i] = keep;
    const fd = (up - down) / (2 * eps);
    assert.ok(Math.abs(fd - grads[i]) <= 1e-6 + 1e-4 * Math.abs(fd), `${i}: ${grads[i]} vs ${fd}`);
  }
});

Deno.test("nKvHeads must divide nHeads (named)", () => {
  assert.throws(
    () => ModelConfig.parse({ dModel: 32, nHeads: 4, nKvHeads: 3 }),
    /nKvHeads 3 does not divide nHeads 4/,
  );
});
