import assert from "node:assert/strict";
import { getGpu } from "@e2llm/kernels";
import { Rng } from "@e2llm/encodings";
import { createScorer, GpuModel, initParams, ModelConfig, paramLayout } from "@e2llm/train";
import { rowsPerCall, scoreRows } from "@e2llm/eval";

const tiny = ModelConfig.parse({
  dModel: 16,
  nLayers: 2,
  nHeads: 2,
  mlpWidth: 24,
  trainLength: 32,
});

function rows(count: number, length: number, seed: number) {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => {
    const t = Uint32Array.from({ length: length + 1 }, () => rng.int(0, 255));
    return { inputs: t.subarray(0, length), targets: t.subarray(1) };
  });
}

function enc(length: number) {
  return {
    positions: Float64Array.from({ length }, (_, i) => i),
    invFreq: Float64Array.from({ length: 4 }, (_, i) => 10000 ** (-i / 4)),
    attentionScale: 1,
  };
}

async function scorerWith(maxRows: number, maxRowLength?: number) {
  const { device } = await getGpu();
  const model = new GpuModel(device, tiny, maxRows, false);
  model.setParams(initParams(paramLayout(tiny), 3));
  return createScorer(device, model, maxRowLength);
}

Deno.test("rowsPerCall: one row per call beyond maxTokens up to the longest row, else an error", () => {
  assert.equal(rowsPerCall(100, 1000), 10);
  assert.equal(rowsPerCall(16384, 8192, 65536), 1);
  assert.throws(() => rowsPerCall(16384, 8192), /one row needs 16384 tokens, maxTokens is 8192$/);
  assert.throws(() => rowsPerCall(70000, 8192, 65536), /can grow to is 65536/);
});

Deno.test("rows longer than maxTokens score alone on grown buffers, equal to a large scorer", async () => {
  const length = 384;
  const rs = rows(3, length, 1);
  const small = await scorerWith(128);
  const large = await scorerWith(2048);
  try {
    assert.equal(small.maxTokens, 128);
    const a = await scoreRows(small, length, rs, enc(length));
    const b = await scoreRows(large, length, rs, enc(length));
    for (let r = 0; r < 3; r++) {
      for (let t = 0; t < length; t++) {
        assert.ok(Math.abs(a[r].nll[t] - b[r].nll[t]) <= 1e-5, `row ${r} t ${t}`);
      }
      assert.deepEqual(a[r].hit, b[r].hit);
    }
    // short rows still pack several per call on the grown scorer, with the same results
    const short = rows(5, 32, 2);
    const c = await scoreRows(small, 32, short, enc(32));
    const d = await scoreRows(large, 32, short, enc(32));
    for (let r = 0; r < 5; r++) {
      for (let t = 0; t < 32; t++) assert.ok(Math.abs(c[r].nll[t] - d[r].nll[t]) <= 1e-5);
    }
  } finally {
    small.dispose();
    large.dispose();
  }
});

Deno.test("a 16,384-token row scores on a scorer sized for 8,192 tokens", async () => {
  const length = 16384;
  const s = await scorerWith(8192);
  try {
    const [r] = await scoreRows(s, length, rows(1, length, 5), enc(length));
    assert.equal(r.nll.length, length);
    assert.ok(r.nll.every((x) => Number.isFinite(x) && x > 0));
  } finally {
    s.dispose();
  }
  const capped = await scorerWith(8192, 8192);
  try {
    await assert.rejects(
      () => scoreRows(capped, length, rows(1, length, 5), enc(length)),
      /one row needs 16384 tokens, maxTokens is 8192/,
    );
  } finally {
    capped.dispose();
  }
});
