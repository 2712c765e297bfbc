/** PoSE and randomized positions: ranges, order and reproducibility from the seed. */
import assert from "node:assert/strict";
import { loadEncoding, Rng, sortedSampleWithoutReplacement } from "@e2llm/encodings";

Deno.test("pose: two chunks, the second shifted by u ≤ L − c, ids below L", async () => {
  const enc = await loadEncoding("pose", { factor: 8 });
  const R = 64, L = 8 * R;
  const skips = new Set<number>();
  for (let seed = 0; seed < 300; seed++) {
    const ids = await enc.trainPositions({ length: R, trainLength: R, seed });
    const jumps = [...ids.slice(1)].map((v, i) => v - ids[i]);
    const big = jumps.flatMap((d, i) => (d !== 1 ? [i + 1] : []));
    assert.ok(big.length <= 1, `seed ${seed}: at most one skip`);
    assert.equal(ids[0], 0);
    assert.ok(ids[R - 1] <= L - 1, `seed ${seed}: last id ${ids[R - 1]}`);
    if (big.length) {
      assert.ok(big[0] >= 1 && big[0] <= R / 2, `chunk 1 length ${big[0]}`);
      skips.add(jumps[big[0] - 1] - 1);
    }
  }
  assert.ok(skips.size > 100, `skips vary: ${skips.size} distinct`);
  const a = await enc.trainPositions({ length: R, trainLength: R, seed: 11 });
  const b = await enc.trainPositions({ length: R, trainLength: R, seed: 11 });
  assert.deepEqual(a, b);
  assert.deepEqual([...await enc.evalPositions({ length: 5, trainLength: R })], [0, 1, 2, 3, 4]);
});

Deno.test("pose frequency_scaling borrows linear's frequencies", async () => {
  const pose = await loadEncoding("pose", { factor: 4, frequency_scaling: "linear" });
  const linear = await loadEncoding("linear", { factor: 4 });
  const ctx = { headDim: 16, base: 10000, trainLength: 32, seqLength: 128 };
  assert.deepEqual(await pose.frequencies(ctx), await linear.frequencies(ctx));
});

Deno.test("randomized: sorted, distinct integers in [0, factor·R), roughly uniform", async () => {
  const enc = await loadEncoding("randomized", { factor: 4 });
  const R = 32, N = 4 * R;
  let sum = 0, count = 0;
  for (let seed = 0; seed < 400; seed++) {
    const ids = await enc.trainPositions({ length: R, trainLength: R, seed });
    for (let i = 0; i < R; i++) {
      assert.ok(Number.isInteger(ids[i]) && ids[i] >= 0 && ids[i] < N, `id ${ids[i]}`);
      if (i) assert.ok(ids[i] > ids[i - 1], "strictly increasing");
      sum += ids[i];
      count++;
    }
  }
  // uniform on 0..127: mean 63.5, sd 37; 12800 draws (not independent within a sample) → se ≈ 0.33
  assert.ok(Math.abs(sum / count - (N - 1) / 2) < 1.5, `mean ${sum / count}`);
  // n = N takes every position
  assert.deepEqual([...sortedSampleWithoutReplacement(5, 5, new Rng(1).random)], [0, 1, 2, 3, 4]);
});
