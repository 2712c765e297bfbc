/**
 * Formula tests: each expected number below was derived by hand (or by a separate Python script)
 * from the papers' formulas, written out in the comments, never computed by the code under test.
 */
import assert from "node:assert/strict";
import {
  createEncoding,
  type E2Config,
  e2Encoding,
  e2EvalScale,
  e2Positions,
  poseTrainPositions,
} from "@e2llm/encodings";

function assertAllClose(actual: ArrayLike<number>, expected: number[], rel = 1e-12) {
  assert.equal(actual.length, expected.length, "length");
  for (let i = 0; i < expected.length; i++) {
    const tol = rel * Math.max(Math.abs(expected[i]), 1e-300);
    assert.ok(
      Math.abs(actual[i] - expected[i]) <= tol,
      `[${i}]: got ${actual[i]}, expected ${expected[i]}`,
    );
  }
}

const freqs = (config: unknown, headDim: number, trainLength: number, seqLength: number) =>
  createEncoding(config).frequencies({ headDim, base: 10000, trainLength, seqLength });

Deno.test("default: θ_j = 10000^(−2j/8) = 1, 0.1, 0.01, 0.001", () => {
  const { invFreq, attentionScale } = freqs({ rope_type: "default" }, 8, 128, 128);
  assertAllClose(invFreq, [1, 0.1, 0.01, 0.001]);
  assert.equal(attentionScale, 1);
});

Deno.test("linear factor 4: θ_j / 4", () => {
  const { invFreq } = freqs({ rope_type: "linear", factor: 4 }, 8, 128, 512);
  assertAllClose(invFreq, [0.25, 0.025, 0.0025, 0.00025]);
});

Deno.test("ntk factor 4, d = 8: θ_j · 4^(−j/3) (base' = 1e4 · 4^(4/3))", () => {
  // 0.1 · 4^(−1/3) = 0.06299605249474366; 0.01 · 4^(−2/3) = 0.003968502629920499; 0.001/4
  const { invFreq } = freqs({ rope_type: "ntk", factor: 4 }, 8, 128, 512);
  assertAllClose(invFreq, [1, 0.06299605249474366, 0.003968502629920499, 0.00025]);
});

Deno.test("dynamic factor 2 at ℓ = 2R: ratio 2·2 − 1 = 3, θ_j · 3^(−j/3)", () => {
  const { invFreq } = freqs({ rope_type: "dynamic", factor: 2 }, 8, 128, 256);
  assertAllClose(invFreq, [1, 0.06933612743506347, 0.004807498567691361, 0.001 / 3]);
});

Deno.test("dynamic d = 64, factor 4, R = 128, ℓ = 1024: base' = 1e4 · 29^(64/62)", () => {
  // s·ℓ/R − (s − 1) = 4·8 − 3 = 29; base' = 323275.00482559064
  const { invFreq } = freqs({ rope_type: "dynamic", factor: 4 }, 64, 128, 1024);
  assertAllClose([invFreq[0], invFreq[1], invFreq[31]], [
    1,
    0.6727068825619181,
    4.598349766080429e-6,
  ]);
  // original_max_position_embeddings overrides R: ℓ = 1024 = R → plain RoPE
  const same = freqs(
    { rope_type: "dynamic", factor: 4, original_max_position_embeddings: 1024 },
    64,
    128,
    1024,
  );
  assertAllClose(same.invFreq, [...freqs({ rope_type: "default" }, 64, 128, 1024).invFreq]);
});

Deno.test("yarn d = 8, R = 128, factor 4: lo = 0, hi = 2, ramp 0, ½, 1, 1", () => {
  // corr(32) = 8·ln(128/(64π)) / (2 ln 1e4) = −0.196 → floor −1 → lo 0
  // corr(1)  = 8·ln(128/(2π))  / (2 ln 1e4) =  1.309 → ceil 2 → hi 2
  // θ'_1 = 0.1·½ + 0.025·½ = 0.0625; attention 0.1·ln 4 + 1
  const { invFreq, attentionScale } = freqs({ rope_type: "yarn", factor: 4 }, 8, 128, 512);
  assertAllClose(invFreq, [1, 0.0625, 0.0025, 0.00025]);
  assertAllClose([attentionScale], [1.138629436111989]);
});

Deno.test("yarn LLaMA shape d = 128, R = 2048, factor 8: lo = 16, hi = 41", () => {
  // corr(32) = 16.128 → 16; corr(1) = 40.210 → 41 (Python, from the formula)
  const { invFreq, attentionScale } = freqs(
    { rope_type: "yarn", factor: 8, original_max_position_embeddings: 2048 },
    128,
    128,
    16384,
  );
  const js = [0, 15, 16, 17, 20, 30, 40, 41, 63];
  assertAllClose(js.map((j) => invFreq[j]), [
    1.0,
    0.11547819846894582,
    0.1,
    0.0835655572042463,
    0.04836135396637002,
    0.006800959304032952,
    0.0005059644256269408,
    0.00034230245428304516,
    1.4434774808618228e-05,
  ]);
  assertAllClose([attentionScale], [1.2079441541679836]);
});

Deno.test("yarn attention_factor overrides the default scale", () => {
  const { attentionScale } = freqs(
    { rope_type: "yarn", factor: 4, attention_factor: 1.5 },
    8,
    128,
    512,
  );
  assert.equal(attentionScale, 1.5);
});

Deno.test("e2: ids i/g before the split, (i + t)/g after", () => {
  assertAllClose(e2Positions(6, { scale: 4, split: 3, shift: 10 }), [
    0,
    0.25,
    0.5,
    3.25,
    3.5,
    3.75,
  ]);
  assertAllClose(e2Positions(3, { scale: 2, split: 0, shift: 4 }), [2, 2.5, 3]);
});

Deno.test("e2 eval scale: ⌈L/R⌉ capped at G, or fixed", () => {
  const cfg = (extra: Partial<E2Config>) =>
    e2Encoding.schema.parse({ rope_type: "e2", ...extra }) as E2Config;
  assert.equal(e2EvalScale(cfg({ max_scale: 16 }), 1000, 128), 8); // ⌈7.8125⌉
  assert.equal(e2EvalScale(cfg({ max_scale: 4 }), 1000, 128), 4); // capped at G
  assert.equal(e2EvalScale(cfg({ max_scale: 4, eval_max_scale: 100 }), 1000, 128), 8);
  assert.equal(e2EvalScale(cfg({ max_scale: 16, eval_scale: 1 }), 1000, 128), 1);
  assert.equal(e2EvalScale(cfg({ scales: [1, 2, 6] }), 4096, 128), 6); // cap = max of scales
  assert.equal(e2EvalScale(cfg({}), 100, 128), 1); // L ≤ R → 1
  const ids = createEncoding({ rope_type: "e2" }).evalPositions!({ length: 300, trainLength: 128 });
  assertAllClose(ids.slice(0, 4), [0, 1 / 3, 2 / 3, 1]); // ⌈300/128⌉ = 3
  assertAllClose([ids[299]], [299 / 3]);
});

Deno.test("pose: chunk1 = 1 + ⌊0.99·4⌋ = 4, skip = ⌊0.5·25⌋ = 12 (n = 8, L = 32)", () => {
  const draws = [0.99, 0.5];
  const ids = poseTrainPositions(8, 32, () => draws.shift()!);
  assertAllClose(ids, [0, 1, 2, 3, 16, 17, 18, 19]);
});
