import assert from "node:assert/strict";
import { primitiveCosts, PRIMITIVES } from "../../bench/primitives_bench.ts";
import { fixedSubgroupSize, getGpu } from "@e2llm/kernels";

Deno.test("primitives: every supported primitive compiles, runs and gets a finite figure", async () => {
  const gpu = await getGpu();
  const results = await primitiveCosts(gpu, { iterations: 4, rounds: 1 });
  const expected = PRIMITIVES.filter((p) => !p.needsSubgroups || fixedSubgroupSize(gpu.device) > 0)
    .map((p) => `primitive ${p.name}`);
  assert.deepEqual(results.map((r) => r.name), expected);
  for (const r of results) {
    assert.ok(Number.isFinite(r.value), `${r.name}: ${r.value}`);
    assert.ok((r.ms as number) > 0, `${r.name}: ${r.ms} ms`);
  }
  assert.ok(results[0].value > 0, "the baseline is an absolute time");
});

Deno.test("primitives: a shader that fails validation is an error, not a fast zero", async () => {
  const gpu = await getGpu();
  await assert.rejects(
    primitiveCosts(gpu, {
      iterations: 4,
      rounds: 1,
      primitives: [PRIMITIVES[0], { name: "broken", value: () => "undefinedName" }],
    }),
    /primitives bench: a shader failed validation/,
  );
});
