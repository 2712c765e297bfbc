import assert from "node:assert/strict";
import { rowsPerCall, scoreRows } from "@e2llm/eval";
import { RecordingScorer, tinyModel } from "./fakes.ts";

Deno.test("rows are packed under maxTokens, in order, with positions repeated per row", async () => {
  const L = 64;
  const scorer = new RecordingScorer(tinyModel(), 200, (b, i) => b.inputs[i]);
  const rows = Array.from({ length: 10 }, (_, r) => ({
    inputs: new Uint32Array(L).fill(r),
    targets: new Uint32Array(L),
  }));
  const positions = Float64Array.from({ length: L }, (_, i) => i / 2);
  const out = await scoreRows(scorer, L, rows, {
    positions,
    invFreq: new Float64Array(4).fill(0.5),
    attentionScale: 1.25,
  });
  assert.equal(rowsPerCall(L, 200), 3);
  assert.deepEqual(scorer.calls.map((c) => c.batch), [3, 3, 3, 1]);
  for (const c of scorer.calls) {
    assert.ok(c.batch * c.length <= scorer.maxTokens);
    assert.equal(c.attentionScale, 1.25);
    for (let r = 0; r < c.batch; r++) {
      assert.deepEqual(c.positions.subarray(r * L, (r + 1) * L), positions);
    }
  }
  assert.deepEqual(out.map((s) => s.nll[0]), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.equal(out[9].nll.length, L);
});

Deno.test("a length longer than maxTokens is an error naming both", async () => {
  const scorer = new RecordingScorer(tinyModel(), 100);
  assert.throws(() => rowsPerCall(128, 100), /length 128.*maxTokens is 100/);
  await assert.rejects(
    scoreRows(scorer, 128, [{ inputs: new Uint32Array(128), targets: new Uint32Array(128) }], {
      positions: new Float64Array(128),
      invFreq: new Float64Array(4),
      attentionScale: 1,
    }),
    /maxTokens is 100/,
  );
});
