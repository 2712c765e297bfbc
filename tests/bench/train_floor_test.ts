import assert from "node:assert/strict";
import { getGpu } from "@e2llm/kernels";
import { ModelConfig } from "@e2llm/train";
import { profileResults, stepFlops } from "../../bench/train_bench.ts";
import { CEILING_SHAPES, fmaCeiling, fmaCeilingWgsl } from "../../bench/fma_ceiling.ts";

Deno.test("stepFlops: 6 per weight and token plus 12·hd per causal pair and layer", () => {
  // One layer, D 8, 2 heads of 4, MLP 16, vocab 10, batch 3 × length 5:
  // weights 8·24 (qkv) + 64 (wo) + 3·8·16 (MLP) + 10·8 (head) = 720; tokens 15;
  // causal pairs 3 · 2 · 15 = 90.
  const base = { vocabSize: 10, dModel: 8, nLayers: 1, nHeads: 2, mlpWidth: 16, trainLength: 8 };
  const flops = (extra: object) => stepFlops(ModelConfig.parse({ ...base, ...extra }), 3, 5);
  assert.equal(flops({}), 6 * 720 * 15 + 12 * 4 * 90);
  // Grouped-query attention shrinks the k and v projections only.
  assert.equal(flops({ nKvHeads: 1 }), 6 * (720 - 8 * 8) * 15 + 12 * 4 * 90);
  // A tied head is the embedding: the same matmul work.
  assert.equal(flops({ tieEmbeddings: true }), flops({}));
});

Deno.test("fmaCeiling: every loop validates and runs at a positive rate", async () => {
  const { device } = await getGpu();
  // Every step multiplies its accumulator (fold-resistant), `unroll` times per iteration.
  const code = fmaCeilingWgsl(2, 3);
  assert.equal(code.match(/s1 = fma\(s1, m\d, w1\)/g)?.length, 3);
  const { gflops, byShape } = await fmaCeiling(device);
  assert.deepEqual(Object.keys(byShape), CEILING_SHAPES.map(([n, u]) => `${n}x${u}`));
  assert.ok(gflops > 0 && gflops === Math.max(...Object.values(byShape)));
});

Deno.test("profileResults: per label GPU ms, calls, share and the gaps before them", () => {
  const rows = profileResults({ name: "c", line: "cfg" }, [
    { label: "matmul NT", ms: 6, gapMs: 0 },
    { label: "add", ms: 1, gapMs: 0.5 },
    { label: "matmul NT", ms: 2, gapMs: 0.5 },
  ]);
  assert.deepEqual(rows.map((r) => [r.name, r.value, r.calls]), [
    ["c profile matmul NT", 8, 2],
    ["c profile add", 1, 1],
    ["c profile copies and gaps between dispatches", 1, 0],
    ["c profile total", 10, 3],
  ]);
  assert.equal(rows[0].share, 0.8);
  assert.equal(rows[0].gapMsBefore, 0.5);
  assert.equal(rows[1].gapMsBefore, 0.5);
  assert.equal(rows[2].gapMsBefore, undefined);
  assert.equal(rows[3].config, "cfg");
});
