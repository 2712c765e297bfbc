/** The one config-diff helper: field paths, both values, and the typed resume-mismatch error. */
import assert from "node:assert/strict";
import {
  describeDifference,
  firstDifference,
  jsonDifferences,
  ResumeMismatchError,
} from "@e2llm/train";

Deno.test("jsonDifferences: nested fields, array elements, absent keys; key order ignored", () => {
  const a = { model: { dModel: 64, nLayers: 2 }, eval: { ratios: [1, 2, 4] }, seeds: [0] };
  const b = { eval: { ratios: [1, 2, 8] }, model: { nLayers: 2, dModel: 64 }, seeds: [0, 1] };
  assert.deepEqual(jsonDifferences(a, b), [
    { path: "eval.ratios[2]", actual: 4, expected: 8 },
    { path: "seeds", actual: [0], expected: [0, 1] },
  ]);
  assert.deepEqual(jsonDifferences({ x: 1 }, { x: 1, y: undefined }), []);
  assert.deepEqual(jsonDifferences({ x: 1 }, { x: 1, y: 2 }, "cfg"), [
    { path: "cfg.y", actual: undefined, expected: 2 },
  ]);
  assert.deepEqual(jsonDifferences(1, 2), [{ path: "(root)", actual: 1, expected: 2 }]);
  assert.equal(firstDifference({ a: { b: [1] } }, { a: { b: [1] } }), null);
});

Deno.test("describeDifference and ResumeMismatchError name the field and both values", () => {
  const d = firstDifference({ finetune: { steps: 8 } }, { finetune: { steps: 9 } })!;
  assert.equal(describeDifference(d), "finetune.steps: 8 there, 9 now");
  assert.equal(
    describeDifference(firstDifference({}, { k: "x" })!, ["saved", "asked"]),
    'k: (absent) saved, "x" asked',
  );
  const err = new ResumeMismatchError("out holds another run", d, "use another --out");
  assert.ok(err instanceof Error);
  assert.equal(err.name, "ResumeMismatchError");
  assert.equal(err.field, "finetune.steps");
  assert.equal(err.saved, 8);
  assert.equal(err.now, 9);
  assert.equal(
    err.message,
    "out holds another run (finetune.steps: 8 there, 9 now; use another --out)",
  );
});
