import assert from "node:assert/strict";
import {
  compareAttention,
  compareMatmul,
  parseAttentionShape,
  parseAttentionTiles,
  parseMatmulShape,
  parseMatmulVariant,
} from "../../bench/variants.ts";
import { fixedSubgroupSize, getGpu } from "@e2llm/kernels";

Deno.test("variants: parsing of shapes, matmul variants and attention tiles", () => {
  assert.deepEqual(parseMatmulShape(" NT 2048 128 384 "), { trans: "NT", m: 2048, k: 128, n: 384 });
  assert.deepEqual(parseMatmulVariant("16x8/32/sg2"), {
    source: "texture",
    tm: 16,
    tn: 8,
    wg: 32,
    sgRows: 2,
  });
  assert.deepEqual(parseMatmulVariant("8x8/64/buffer"), { source: "buffer", tm: 8, tn: 8, wg: 64 });
  assert.deepEqual(parseMatmulVariant("16x8/32/sg1/flat"), {
    source: "texture",
    tm: 16,
    tn: 8,
    wg: 32,
    sgRows: 1,
    panels: false,
  });
  assert.deepEqual(parseAttentionShape("1 2048 4 32"), [1, 2048, 4, 32]);
  assert.deepEqual(parseAttentionTiles("4x2/w16/s8"), {
    rows: 4,
    block: 2,
    workgroup: 16,
    subgroup: 8,
  });
  assert.throws(() => parseMatmulShape("XX 1 2 3"), /bad matmul shape "XX 1 2 3"/);
  assert.throws(() => parseMatmulVariant("16x8"), /bad matmul variant "16x8"/);
  assert.throws(() => parseAttentionShape("1 2048 4"), /bad attention shape/);
  assert.throws(() => parseAttentionTiles("4x2/q3"), /bad attention tiles "4x2\/q3"/);
});

Deno.test("variants: interleaved comparisons report every variant, relative to the first", async () => {
  const gpu = await getGpu();
  const sg = fixedSubgroupSize(gpu.device);
  const mm = await compareMatmul(gpu, { trans: "NN", m: 64, k: 64, n: 64 }, [
    { source: "texture", tm: 8, tn: 8, wg: 64 },
    { source: "buffer", tm: 4, tn: 4, wg: 64 },
  ], 2);
  assert.deepEqual(mm.map((r) => r.name), [
    "matmul NN 64x64x64 texture 8x8 wg64",
    "matmul NN 64x64x64 buffer 4x4 wg64",
  ]);
  assert.equal(mm[0].vsFirst, 1);
  for (const r of mm) {
    assert.ok(Number(r.value) > 0 && Number(r.best) >= Number(r.value), JSON.stringify(r));
  }
  const att = await compareAttention(gpu, [1, 24, 2, 8], "bwd", [
    { rows: 2, block: 2, subgroup: 0 },
    { rows: 2, block: 2, subgroup: sg },
  ], 2);
  assert.equal(att.length, 2);
  for (const r of att) assert.ok(Number(r.value) > 0 && r.unit === "tokens/s", JSON.stringify(r));
});
