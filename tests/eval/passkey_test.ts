import assert from "node:assert/strict";
import { evalPasskey, passkeyAccuracy } from "@e2llm/eval";
import { passkeyEvalSet } from "@e2llm/train";
import type { ScoreBatch } from "@e2llm/train";
import { RecordingScorer, tinyModel } from "./fakes.ts";

const L = 200;
const enc = {
  positions: Float64Array.from({ length: L }, (_, i) => i),
  invFreq: new Float64Array(4).fill(1),
  attentionScale: 1,
};
const opts = { depths: [0, 0.5, 1], trials: 4, seed: 7 };
const col = (b: ScoreBatch, i: number) => i % b.length;

Deno.test("passkey: all answer digits hit → retrieved; one digit missed → not", async () => {
  const all = new RecordingScorer(tinyModel(), 1000);
  const cells = await evalPasskey(all, L, enc, opts);
  assert.deepEqual(cells, [
    { depth: 0, acc: 1, n: 4 },
    { depth: 0.5, acc: 1, n: 4 },
    { depth: 1, acc: 1, n: 4 },
  ]);
  // the last digit is predicted at target L−1, the first at L−5
  for (const miss of [L - 1, L - 5]) {
    const s = new RecordingScorer(tinyModel(), 1000, () => 1, (b, i) => col(b, i) !== miss);
    assert.ok((await evalPasskey(s, L, enc, opts)).every((c) => c.acc === 0), `miss ${miss}`);
  }
  // a miss just before the answer does not count
  const before = new RecordingScorer(tinyModel(), 1000, () => 1, (b, i) => col(b, i) !== L - 6);
  assert.ok((await evalPasskey(before, L, enc, opts)).every((c) => c.acc === 1));
});

Deno.test("passkey: accuracy per depth counts exactly the retrieved keys", async () => {
  // miss the first answer digit when it is odd: expected accuracy from the keys themselves
  const s = new RecordingScorer(
    tinyModel(),
    450,
    () => 1,
    (b, i) => !(col(b, i) === L - 5 && b.targets[i] % 2 === 1),
  );
  const cells = await evalPasskey(s, L, enc, opts);
  const samples = passkeyEvalSet(L + 1, opts.depths, opts.trials, opts.seed);
  opts.depths.forEach((depth, d) => {
    const keys = samples.slice(d * 4, d * 4 + 4).map((x) => x.key);
    const even = keys.filter((k) => Number(k[0]) % 2 === 0).length;
    assert.deepEqual(cells[d], { depth, acc: even / 4, n: 4 });
  });
  assert.ok(s.calls.every((c) => c.batch * c.length <= 450));
  const acc = passkeyAccuracy(cells)!;
  assert.equal(acc, cells.reduce((a, c) => a + c.acc, 0) / 3);
  assert.equal(passkeyAccuracy([]), null);
});

Deno.test("passkey: skipped below the minimum length and with 0 trials", async () => {
  const s = new RecordingScorer(tinyModel(), 1000);
  assert.deepEqual(await evalPasskey(s, 64, { ...enc, positions: new Float64Array(64) }, opts), []);
  assert.deepEqual(await evalPasskey(s, L, enc, { ...opts, trials: 0 }), []);
  assert.equal(s.calls.length, 0);
});
