import assert from "node:assert/strict";
import { EvalRecordSchema, evaluateLengths, EvaluationError } from "@e2llm/eval";
import { ropeInvFreq } from "@e2llm/encodings";
import { fakeDocs, RecordingScorer, tinyModel } from "./fakes.ts";

const R = 128;
const model = tinyModel({ trainLength: R }); // head dim 8, base 10000
const docs = fakeDocs(3, 2600);
const plain = ropeInvFreq(8, 10000);
const common = {
  docs,
  windows: 2,
  stride: null,
  passkey: { depths: [0, 1], trials: 1, seed: 3 },
};

function assertAll(a: Float64Array, f: (i: number) => number, what: string) {
  for (let i = 0; i < a.length; i++) {
    assert.ok(Math.abs(a[i] - f(i)) < 1e-12 * Math.max(1, Math.abs(f(i))), `${what}[${i}]`);
  }
}

Deno.test("linear at 4R: the scorer gets plain positions and invFreq / 4, every call", async () => {
  const scorer = new RecordingScorer(model, 4096);
  const records = await evaluateLengths({
    ...common,
    scorer,
    lengths: [4 * R],
    encoding: { name: "linear", config: { factor: 4 } },
  });
  assert.ok(scorer.calls.length >= 2); // windows and passkey
  for (const c of scorer.calls) {
    assert.equal(c.length, 4 * R);
    assertAll(c.invFreq, (j) => plain[j] / 4, "invFreq");
    assertAll(c.positions, (i) => i % c.length, "positions");
    assert.equal(c.attentionScale, 1);
  }
  assert.equal(records[0].encoding, undefined);
  EvalRecordSchema.parse(records[0]);
  assert.equal(records[0].windows, 2);
  assert.equal(records[0].tokensScored, 2 * 4 * R);
  assert.equal(records[0].passkey.length, 2);
});

Deno.test("e2: g from the length divides the positions (g=auto), g = 1 does not", async () => {
  for (const [evalScale, g] of [["auto", 4], [1, 1]] as const) {
    const scorer = new RecordingScorer(model, 4096);
    await evaluateLengths({
      ...common,
      scorer,
      lengths: [4 * R],
      encoding: { name: "e2", config: { max_scale: 16, eval_scale: evalScale } },
    });
    for (const c of scorer.calls) {
      assertAll(c.positions, (i) => (i % c.length) / g, `positions (g=${g})`);
      assertAll(c.invFreq, (j) => plain[j], "invFreq");
    }
  }
});

Deno.test("per-length encodings: factor L/R at each length, recorded in each record", async () => {
  const scorer = new RecordingScorer(model, 4096);
  const records = await evaluateLengths({
    ...common,
    scorer,
    lengths: [R, 2 * R, 4 * R],
    encoding: (L) => ({ name: "yarn", config: { factor: Math.max(1, L / R) } }),
  });
  assert.deepEqual(records.map((r) => r.encoding), [
    { rope_type: "yarn", factor: 1 },
    { rope_type: "yarn", factor: 2 },
    { rope_type: "yarn", factor: 4 },
  ]);
  const at4 = scorer.calls.filter((c) => c.length === 4 * R);
  assert.ok(at4.length > 0);
  for (const c of at4) assert.ok(Math.abs(c.attentionScale - (0.1 * Math.log(4) + 1)) < 1e-12);
  for (const c of scorer.calls.filter((c) => c.length === R)) {
    assert.equal(c.attentionScale, 1);
    assertAll(c.invFreq, (j) => plain[j], "invFreq at 1×");
  }
});

Deno.test("a failing length keeps the finished ones in the error", async () => {
  const scorer = new RecordingScorer(model, 300); // 2R = 256 fits, 4R = 512 does not
  const err = await evaluateLengths({
    ...common,
    scorer,
    lengths: [R, 2 * R, 4 * R],
    encoding: { name: "default", config: {} },
  }).catch((e) => e);
  assert.ok(err instanceof EvaluationError);
  assert.match(err.message, /length 512.*maxTokens is 300/);
  assert.deepEqual(err.completed.map((r: { length: number }) => r.length), [R, 2 * R]);
});

Deno.test("a bad encoding config is an evaluation error naming the key", async () => {
  const scorer = new RecordingScorer(model, 4096);
  await assert.rejects(
    evaluateLengths({
      ...common,
      scorer,
      lengths: [R],
      encoding: { name: "linear", config: { factr: 2 } },
    }),
    /factr/,
  );
});
