/** Invariants between the built-in encodings, over a grid of shapes. */
import assert from "node:assert/strict";
import {
  builtinEncodings,
  createEncoding,
  type FrequencyContext,
  yarnCorrectionRange,
} from "@e2llm/encodings";

const SHAPES = [
  { headDim: 8, base: 10000, trainLength: 128 },
  { headDim: 64, base: 10000, trainLength: 128 },
  { headDim: 128, base: 500000, trainLength: 2048 },
];

const frequenciesOf = (config: unknown, ctx: FrequencyContext) =>
  createEncoding(config).frequencies(ctx);

Deno.test("linear with factor 1 equals default", () => {
  for (const shape of SHAPES) {
    const ctx = { ...shape, seqLength: shape.trainLength * 4 };
    const lin = frequenciesOf({ rope_type: "linear", factor: 1 }, ctx);
    const def = frequenciesOf({ rope_type: "default" }, ctx);
    assert.deepEqual([...lin.invFreq], [...def.invFreq]);
    assert.equal(lin.attentionScale, def.attentionScale);
  }
});

Deno.test("dynamic equals default at or below the original length, differs above", () => {
  for (const shape of SHAPES) {
    const def = frequenciesOf({ rope_type: "default" }, { ...shape, seqLength: 1 });
    for (const seqLength of [1, shape.trainLength >> 1, shape.trainLength]) {
      const dyn = frequenciesOf({ rope_type: "dynamic", factor: 8 }, { ...shape, seqLength });
      assert.deepEqual([...dyn.invFreq], [...def.invFreq], `seqLength ${seqLength}`);
    }
    const above = frequenciesOf(
      { rope_type: "dynamic", factor: 8 },
      { ...shape, seqLength: shape.trainLength + 1 },
    );
    const last = shape.headDim / 2 - 1;
    assert.ok(above.invFreq[last] < def.invFreq[last], "lowest frequency decreases above R");
    assert.equal(above.invFreq[0], def.invFreq[0], "highest frequency unchanged");
  }
});

Deno.test("ntk keeps the highest frequency and divides the lowest by exactly factor", () => {
  for (const shape of SHAPES) {
    const ctx = { ...shape, seqLength: shape.trainLength };
    const ntk = frequenciesOf({ rope_type: "ntk", factor: 4 }, ctx).invFreq;
    const def = frequenciesOf({ rope_type: "default" }, ctx).invFreq;
    const last = def.length - 1;
    assert.equal(ntk[0], def[0]);
    assert.ok(Math.abs(ntk[last] - def[last] / 4) <= 1e-12 * def[last]);
  }
});

Deno.test("yarn keeps the highest frequencies and divides the lowest by factor", () => {
  for (const shape of SHAPES) {
    const ctx = { ...shape, seqLength: shape.trainLength * 8 };
    const yarn = frequenciesOf({ rope_type: "yarn", factor: 8 }, ctx).invFreq;
    const def = frequenciesOf({ rope_type: "default" }, ctx).invFreq;
    const { lo, hi } = yarnCorrectionRange(shape.headDim, shape.base, shape.trainLength, 32, 1);
    assert.ok(hi < def.length, "the test shape has interpolated pairs");
    for (let j = 0; j <= lo; j++) assert.equal(yarn[j], def[j], `pair ${j} kept`);
    for (let j = hi; j < def.length; j++) {
      assert.ok(Math.abs(yarn[j] - def[j] / 8) <= 1e-15 * def[j], `pair ${j} divided by 8`);
    }
    for (let j = lo + 1; j < hi; j++) {
      assert.ok(yarn[j] < def[j] && yarn[j] > def[j] / 8, `pair ${j} in between`);
    }
  }
});

Deno.test("every built-in gives d/2 positive finite frequencies for its example config", () => {
  for (const b of builtinEncodings) {
    for (const shape of SHAPES) {
      const { invFreq, attentionScale } = frequenciesOf(b.example, { ...shape, seqLength: 4096 });
      assert.equal(invFreq.length, shape.headDim / 2, b.name);
      assert.ok(invFreq.every((v) => v > 0 && Number.isFinite(v)), b.name);
      assert.ok(attentionScale > 0, b.name);
    }
  }
});
