import assert from "node:assert/strict";
import { needleSample, type RetrievalSample } from "@e2llm/train";
import {
  distanceBucket,
  evalRetrieval,
  fillerStream,
  inWindowGate,
  retrievalCells,
  retrievalEvalSet,
  scoreAnswers,
  trialsToSeparate,
  wilson,
} from "@e2llm/eval";
import { formatRetrievalTable } from "../../eval/retrieval/table.ts";
import { fakeDocs, RecordingScorer, tinyModel } from "./fakes.ts";

const close = (a: number, b: number, tol = 1e-4) =>
  assert.ok(Math.abs(a - b) < tol, `${a} vs ${b}`);

Deno.test("Wilson 95% intervals match hand-computed values", () => {
  // 8/10: centre (0.8 + 1.9208/10)/1.38415 = 0.71674, half 1.41600·√(0.016 + 0.0096037) = 0.22658
  const a = wilson(8, 10);
  close(a.low, 0.49016);
  close(a.high, 0.94332);
  // 0/10: [0, z²/n / (1 + z²/n)] = [0, 0.38415 / 1.38415]
  const b = wilson(0, 10);
  assert.equal(b.low, 0);
  close(b.high, 0.27753);
  // 25/50: symmetric around 1/2, half 1.95996/1.07683·√(0.005 + 0.0003841) = 0.13355
  const c = wilson(25, 50);
  close(c.low, 0.36645);
  close(c.high, 0.63355);
  const d = wilson(10, 10);
  assert.equal(d.high, 1);
  close(d.low, 1 - 0.27753);
  assert.throws(() => wilson(3, 0), /trials/);
  assert.throws(() => wilson(11, 10), /successes/);
});

Deno.test("trials to separate 50% from 80%: 40", () => {
  // n = 40: 20/40 → high 0.64800 < 32/40 → low 0.65243; n = 39: 20/39 high 0.66135 ≥ 31/39 low
  // 0.64466 (hand-computed with the formula above)
  assert.equal(trialsToSeparate(0.5, 0.8), 40);
  close(wilson(20, 40).high, 0.64800);
  close(wilson(32, 40).low, 0.65243);
  assert.ok(wilson(20, 39).high >= wilson(31, 39).low);
});

Deno.test("distance buckets: < R is 1, [R, 2R) is 2, [2R, 4R) is 4, …", () => {
  assert.equal(distanceBucket(0, 128), 1);
  assert.equal(distanceBucket(127, 128), 1);
  assert.equal(distanceBucket(128, 128), 2);
  assert.equal(distanceBucket(255, 128), 2);
  assert.equal(distanceBucket(256, 128), 4);
  assert.equal(distanceBucket(2047, 128), 16);
  assert.throws(() => distanceBucket(-1, 128), /distance/);
});

function rowOf(
  sample: RetrievalSample,
  hitAt: (t: number) => number,
  nllAt: (t: number) => number,
) {
  const L = sample.tokens.length - 1;
  const hit = new Uint8Array(L), nll = new Float32Array(L);
  for (let t = 0; t < L; t++) {
    hit[t] = hitAt(t);
    nll[t] = nllAt(t);
  }
  return { hit, nll };
}

Deno.test("answers are scored teacher-forced on their own bytes: exact, char accuracy, log-prob", () => {
  const s = needleSample(new TextEncoder().encode("abcdefghij"), 26, 0.5, "0482");
  // answer bytes at 21..24, predicted from targets 20..23; miss the third digit
  const a = scoreAnswers(
    s,
    rowOf(s, (t) => (t === 22 ? 0 : 1), (t) => (t >= 20 && t <= 23 ? t - 19 : 9)),
  );
  assert.equal(a.length, 1);
  assert.equal(a[0].exact, false);
  assert.equal(a[0].charAcc, 0.75);
  close(a[0].logprob, -(1 + 2 + 3 + 4) / 4, 1e-6);
  const b = scoreAnswers(s, rowOf(s, (t) => (t === 24 ? 0 : 1), () => 0.5));
  assert.equal(b[0].exact, true, "the byte after the answer does not count");
  // "abc{KEY=0482}def{KEY=0482}": stated at 3 + 5, asked at 21
  assert.equal(b[0].distance, 21 - 8);
});

Deno.test("cells group answers by task and bucket with Wilson intervals", () => {
  const ans = [
    { task: "needle" as const, distance: 10, exact: true, charAcc: 1, logprob: -0.1 },
    { task: "needle" as const, distance: 100, exact: false, charAcc: 0.5, logprob: -0.3 },
    { task: "needle" as const, distance: 200, exact: true, charAcc: 1, logprob: -0.2 },
    { task: "recall" as const, distance: 5, exact: true, charAcc: 1, logprob: -0.4 },
  ];
  const cells = retrievalCells(ans, 128);
  assert.deepEqual(cells.map((c) => [c.task, c.distance, c.trials]), [
    ["needle", 1, 2],
    ["needle", 2, 1],
    ["recall", 1, 1],
  ]);
  assert.equal(cells[0].exact, 0.5);
  close(cells[0].charAcc, 0.75);
  close(cells[0].answerLogprob, -0.2);
  const w = wilson(1, 2);
  assert.equal(cells[0].exactCiLow, w.low);
  assert.equal(cells[0].exactCiHigh, w.high);
  assert.deepEqual(inWindowGate(cells).pass, false);
  assert.deepEqual(inWindowGate(cells, 0.5).pass, true);
});

Deno.test("evaluation sets are fixed by the seed and use held-out text as filler", () => {
  const stream = fillerStream(fakeDocs(2, 500));
  const opts = {
    tasks: ["needle", "recall"] as const,
    depths: [0, 1],
    trials: 3,
    seed: 4,
    shape: { keyDigits: 3, recallPairs: 2 },
  };
  const a = retrievalEvalSet(stream, 300, opts, () => true);
  assert.deepEqual(retrievalEvalSet(stream, 300, opts, () => true), a);
  assert.notDeepEqual(retrievalEvalSet(stream, 300, { ...opts, seed: 5 }, () => true), a);
  assert.equal(a.length, 2 * 2 * 3);
  const text = new TextDecoder().decode(a[0].tokens);
  assert.match(text, /^\{KEY=\d{3}\}[a-z .]+\{KEY=\d{3}\}$/);
});

Deno.test("evalRetrieval: cells from a scorer that misses every digit 7", async () => {
  const model = tinyModel({ trainLength: 64 });
  const scorer = new RecordingScorer(
    model,
    4096,
    () => 0.25,
    (b, i) => b.targets[i] !== 55,
  );
  const stream = fillerStream(fakeDocs(2, 2000));
  const opts = {
    tasks: ["needle"] as const,
    depths: [0, 1],
    trials: 20,
    seed: 1,
    shape: { keyDigits: 2, recallPairs: 2 },
  };
  const length = 200;
  const enc = {
    positions: Float64Array.from({ length }, (_, i) => i),
    invFreq: new Float64Array(model.dModel / model.nHeads / 2).fill(1),
    attentionScale: 1,
  };
  const cells = await evalRetrieval(scorer, length, enc, stream, opts);
  const samples = retrievalEvalSet(stream, length + 1, opts, () => true);
  const near = samples.filter((s) => s.answers[0].distance < 64);
  const far = samples.filter((s) => s.answers[0].distance >= 128);
  assert.equal(near.length + far.length, 40);
  const ok = (ss: RetrievalSample[]) => ss.filter((s) => !s.answers[0].value.includes("7")).length;
  assert.deepEqual(cells.map((c) => [c.distance, c.trials, c.exact]), [
    [1, near.length, ok(near) / near.length],
    [4, far.length, ok(far) / far.length],
  ]);
  close(cells[0].answerLogprob, -0.25, 1e-6);
  const table = formatRetrievalTable(
    [{
      length,
      ppl: 2,
      pplCiLow: 2,
      pplCiHigh: 2,
      windows: 1,
      tokensScored: 1,
      passkey: [],
      passkeyAcc: null,
      retrieval: cells,
    }],
    64,
  );
  assert.match(table.join("\n"), /needle\s+<1R\s+20/);
});
