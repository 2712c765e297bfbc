import assert from "node:assert/strict";
import { getGpu, poolFor, readF32 } from "@e2llm/kernels";
import { Rng } from "@e2llm/encodings";
import { createScorer, GpuModel, initParams, ModelConfig, paramLayout } from "@e2llm/train";
import { referenceModel } from "@e2llm/train/testing";
import { assertClose } from "../kernels/helpers.ts";
import { submitForwardBackward } from "./model_helpers.ts";

const tiny = ModelConfig.parse({
  vocabSize: 32,
  dModel: 16,
  nLayers: 2,
  nHeads: 2,
  mlpWidth: 24,
  trainLength: 8,
  initStd: 0.3,
});

function tinyBatch(batch: number, length: number, seed: number) {
  const rng = new Rng(seed);
  const n = batch * length;
  const tokens = Uint32Array.from({ length: n }, () => rng.int(0, tiny.vocabSize - 1));
  const targets = Uint32Array.from({ length: n }, () => rng.int(0, tiny.vocabSize - 1));
  const mask = Float32Array.from({ length: n }, (_, i) => (i % 5 === 3 ? 0 : 1));
  const count = mask.reduce((a, b) => a + b, 0);
  const weights = mask.map((m) => m / count);
  // Scaled, shifted positions, as E² produces: (i + t) / g.
  const positions = Float32Array.from(
    { length: n },
    (_, i) => ((i % length) + 3 * (i >= length ? 1 : 0)) / 1.5,
  );
  const hd = tiny.dModel / tiny.nHeads;
  const invFreq = Float32Array.from({ length: hd / 2 }, (_, j) => Math.pow(10000, (-2 * j) / hd));
  return { batch, length, tokens, targets, weights, positions, invFreq, attentionScale: 1.1 };
}

Deno.test("GPU model loss and every gradient match the f64 reference model", async () => {
  const { device } = await getGpu();
  const b = tinyBatch(2, 7, 3);
  const layout = paramLayout(tiny);
  const params = initParams(layout, 11);
  const model = new GpuModel(device, tiny, b.batch * b.length, true);
  try {
    model.setParams(params);
    submitForwardBackward(device, model, b);
    const io = model.io;
    const ref = referenceModel(tiny, params, b);
    const nll = (await readF32(device, io.loss)).subarray(0, b.batch * b.length);
    assertClose(nll, ref.nll, { rtol: 1e-4, atol: 1e-5, label: "per-row loss" });
    const grads = await readF32(device, model.grads!);
    for (const spec of layout.specs) {
      const n = spec.shape.reduce((a, x) => a * x, 1);
      const expected = ref.grads.subarray(spec.offset, spec.offset + n);
      const scale = Math.max(...expected.map(Math.abs));
      assert.ok(scale > 0, `${spec.name}: reference gradient is all zero`);
      assertClose(grads.subarray(spec.offset, spec.offset + n), expected, {
        rtol: 1e-3,
        atol: 1e-4 * scale,
        label: `grad ${spec.name}`,
      });
    }
  } finally {
    model.dispose();
  }
});

Deno.test("the scorer's per-token NLL matches the reference and hits are 0/1", async () => {
  const { device } = await getGpu();
  const b = tinyBatch(3, 5, 9);
  const params = initParams(paramLayout(tiny), 4);
  const model = new GpuModel(device, tiny, 32, false);
  const scorer = createScorer(device, model);
  try {
    model.setParams(params);
    const out = await scorer.score({
      batch: b.batch,
      length: b.length,
      inputs: b.tokens,
      targets: b.targets,
      positions: b.positions,
      invFreq: b.invFreq,
      attentionScale: b.attentionScale,
    });
    const ref = referenceModel(tiny, params, b);
    assertClose(out.nll, ref.nll, { rtol: 1e-4, atol: 1e-5, label: "nll" });
    assert.ok(out.hit.every((h) => h === 0 || h === 1));
    await assert.rejects(
      () => scorer.score({ ...b, inputs: b.tokens, batch: 4 }),
      /inputs has 15 values, expected 4×5/,
    );
  } finally {
    scorer.dispose();
  }
});

Deno.test("a model beyond the device limits is refused before allocation, with the numbers", async () => {
  const { device } = await getGpu();
  const rows = Math.ceil(device.limits.maxStorageBufferBindingSize / 4 / tiny.vocabSize) + 1;
  assert.throws(
    // training: evaluation computes logits in row chunks, so there logits never exceed the limit
    () => new GpuModel(device, tiny, rows, true),
    (err: Error) => {
      assert.ok(err instanceof RangeError);
      assert.match(err.message, /logits \[rows, vocab\] needs \d+ bytes/);
      assert.match(err.message, new RegExp(`${rows} rows`));
      assert.match(err.message, new RegExp(`allows ${device.limits.maxStorageBufferBindingSize}`));
      return true;
    },
  );
});

Deno.test("a disposed model's buffers go back to the device pool and are reused", async () => {
  const { device } = await getGpu();
  const pool = poolFor(device);
  const before = pool.liveBytes;
  const first = new GpuModel(device, tiny, 24, false);
  const params = first.params.buffer;
  assert.equal(pool.liveBytes - before, first.allocatedBytes);
  first.dispose();
  assert.equal(pool.liveBytes, before);
  const second = new GpuModel(device, tiny, 24, false);
  try {
    assert.equal(second.params.buffer, params, "the same-sized buffer was reused");
  } finally {
    second.dispose();
  }
});
