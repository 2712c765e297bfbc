/**
 * Does the whole stack learn something that needs attention over relative positions? A copy task
 * (32 random letters, then the same 32 again) can only be solved by attending back 32 tokens
 * (an induction head); chance on the copied half is ln 26 ≈ 3.26 nats.
 */
import assert from "node:assert/strict";
import { loadEncoding, Rng } from "@e2llm/encodings";
import { getGpu } from "@e2llm/kernels";
import type { Batch } from "@e2llm/train";
import { initParams, TrainConfig, Trainer } from "@e2llm/train";

const HALF = 32, B = 16, T = 2 * HALF, STEPS = 160;

function copyBatch(rng: Rng, index: number): Batch {
  const inputs = new Uint32Array(B * T), targets = new Uint32Array(B * T);
  const lossMask = new Float32Array(B * T);
  for (let b = 0; b < B; b++) {
    const half = Array.from({ length: HALF }, () => 65 + rng.int(0, 25));
    const row = [...half, ...half, 65];
    for (let t = 0; t < T; t++) {
      inputs[b * T + t] = row[t];
      targets[b * T + t] = row[t + 1];
      lossMask[b * T + t] = t >= HALF ? 1 : 0; // only the copied half is scored
    }
  }
  return {
    index,
    batchSize: B,
    length: T,
    inputs,
    targets,
    lossMask,
    answerMask: new Uint8Array(B * T),
    passkey: [],
    retrieval: new Array(B).fill(null),
  };
}

Deno.test("the decoder learns a copy task that needs attention 32 tokens back", async () => {
  const { device } = await getGpu();
  const config = TrainConfig.parse({
    model: { dModel: 64, nLayers: 2, nHeads: 2, mlpWidth: 128, trainLength: T },
    batchSize: B,
    logEvery: 20,
  });
  const trainer = new Trainer(device, config, await loadEncoding("default"));
  try {
    await trainer.load({ params: initParams(trainer.model.layout, 0) });
    const data = new Rng(3), positions = new Rng(4);
    for (let step = 0; step < STEPS; step++) {
      await trainer.step(step, copyBatch(data, step), positions, 3e-3);
    }
    const last = await trainer.readHistory(STEPS - 20, STEPS);
    const late = last.reduce((s, r) => s + r.loss, 0) / last.length;
    assert.ok(late < 0.5, `copy-half loss ${late.toFixed(3)} after ${STEPS} steps (chance 3.26)`);
  } finally {
    trainer.dispose();
    await trainer.encoding.close();
  }
});
