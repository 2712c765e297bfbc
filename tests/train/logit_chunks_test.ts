import assert from "node:assert/strict";
import { getGpu } from "@e2llm/kernels";
import {
  createScorer,
  GpuModel,
  initParams,
  logitChunkRows,
  ModelConfig,
  paramLayout,
} from "@e2llm/train";
import { ropeInvFreq } from "@e2llm/encodings";

Deno.test("evaluation computes logits in row chunks with the same per-token NLL and hits", async () => {
  const { device } = await getGpu();
  const config = ModelConfig.parse({
    vocabSize: 300,
    dModel: 16,
    nLayers: 1,
    nHeads: 2,
    mlpWidth: 24,
    trainLength: 64,
    initStd: 0.5,
  });
  const flat = initParams(paramLayout(config), 11);
  const B = 2, T = 100, n = B * T;
  let s = 5;
  const ids = Uint32Array.from({ length: n + 1 }, () => (s = (s * 69069 + 1) >>> 0) % 300);
  const batch = {
    batch: B,
    length: T,
    inputs: ids.slice(0, n),
    targets: ids.slice(1),
    positions: Float32Array.from({ length: n }, (_, i) => i % T),
    invFreq: ropeInvFreq(8, 10000),
    attentionScale: 1,
  };
  const results = [];
  for (const logitRows of [undefined, 64]) {
    const model = new GpuModel(device, config, n, false, { logitRows });
    assert.equal(model.logitRows, logitRows ?? n);
    model.setParams(flat);
    const scorer = createScorer(device, model);
    results.push(await scorer.score(batch));
    scorer.dispose();
  }
  assert.deepEqual([...results[1].nll], [...results[0].nll]);
  assert.deepEqual([...results[1].hit], [...results[0].hit]);
  assert.ok(results[0].nll.every(Number.isFinite));
});

Deno.test("logitChunkRows: all rows when they fit one binding, else 64-row multiples that do", async () => {
  const { device } = await getGpu();
  const limit = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
  assert.equal(logitChunkRows(device, 8192, 256), 8192);
  const rows = logitChunkRows(device, 2048, 151_936);
  assert.ok(rows % 64 === 0 && rows * 151_936 * 4 <= limit, `${rows}`);
  assert.ok((rows + 64) * 151_936 * 4 > limit);
});
