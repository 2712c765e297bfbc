import assert from "node:assert/strict";
import {
  answerIndices,
  BatchSampler,
  minRetrievalLength,
  needleOverhead,
  needleSample,
  parseDataConfig,
  passkeyRetrievalSample,
  randomRetrievalSample,
  RECALL_NAMES,
  recallOverhead,
  recallSample,
  retrievalSampleAt,
  type RetrievalShape,
} from "@e2llm/train";
import { Rng } from "@e2llm/encodings";

const enc = new TextEncoder(), dec = new TextDecoder();
const shape: RetrievalShape = { keyDigits: 4, recallPairs: 4 };

/** Book-like filler without braces: "abcdefghij klmnop…" repeated. */
function filler(n: number, seed = 1): Uint8Array {
  const rng = new Rng(seed);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.next() < 0.15 ? 32 : 97 + rng.int(0, 25);
  return out;
}

Deno.test("needle: exact text, answer at the end, distance from the stated key", () => {
  const f = enc.encode("abcdefghij");
  const s = needleSample(f, 10 + needleOverhead(4), 0.5, "0482");
  assert.equal(dec.decode(s.tokens), "abcde{KEY=0482}fghij{KEY=0482}");
  assert.equal(s.answers.length, 1);
  const a = s.answers[0];
  assert.equal(dec.decode(s.tokens.subarray(a.start, a.start + 4)), "0482");
  assert.equal(a.start, s.tokens.length - 5);
  // stated at index 5 + 5 = 10; asked at 25
  assert.equal(a.distance, 25 - 10);
  assert.equal(s.depth, 0.5);
  assert.deepEqual(answerIndices(s), [25, 26, 27, 28]);
  assert.throws(() => needleSample(f, 10 + needleOverhead(4) + 1, 0.5, "0482"), /filler bytes/);
  assert.throws(() => needleSample(f, 3, 0.5, "0482"), /below the minimum/);
  assert.throws(() => needleSample(f, 25, 1.5, "0482"), /depth/);
});

Deno.test("recall: pair block at the depth, every pair queried in the given order", () => {
  const f = enc.encode("xxxxyyyy");
  const pairs = [{ name: "#", value: "51" }, { name: "@", value: "20" }];
  const len = 8 + recallOverhead({ keyDigits: 2, recallPairs: 2 });
  const s = recallSample(f, len, 0.5, pairs, [1, 0]);
  assert.equal(dec.decode(s.tokens), "xxxx{#51}{@20}yyyy{@20}{#51}");
  assert.deepEqual(s.answers.map((a) => a.value), ["20", "51"]);
  for (const a of s.answers) {
    assert.equal(dec.decode(s.tokens.subarray(a.start, a.start + 2)), a.value);
    const stated = a.start - a.distance;
    assert.equal(dec.decode(s.tokens.subarray(stated, stated + 2)), a.value);
    assert.equal(s.tokens[stated - 1], s.tokens[a.start - 1]); // the name, right before the value
  }
  assert.throws(() => recallSample(f, len, 0.5, pairs, [0, 0]), /permutation/);
  assert.throws(
    () => recallSample(f, len, 0.5, [pairs[0], { ...pairs[1], name: "#" }], [0, 1]),
    /distinct/,
  );
  assert.throws(
    () => recallSample(f, len, 0.5, [pairs[0], { ...pairs[1], name: "q" }], [0, 1]),
    /name "q"/,
  );
});

Deno.test("passkey in the common shape: the 5 digits that end the row, distance to the key", () => {
  const s = passkeyRetrievalSample(200, 0.3, "12345");
  const a = s.answers[0];
  assert.equal(a.start, 195);
  assert.equal(dec.decode(s.tokens.subarray(a.start)), "12345");
  const stated = a.start - a.distance;
  assert.equal(dec.decode(s.tokens.subarray(stated - 16, stated + 5)), "The pass key is 12345");
});

Deno.test("random samples: seeds reproduce, every answer is where it says, at any length", () => {
  for (const task of ["needle", "recall", "passkey"] as const) {
    for (const length of [minRetrievalLength(task, shape), 129, 1000]) {
      const f = filler(length);
      const a = randomRetrievalSample(new Rng(5), task, length, f, shape);
      const b = randomRetrievalSample(new Rng(5), task, length, f, shape);
      const c = randomRetrievalSample(new Rng(6), task, length, f, shape);
      assert.deepEqual(a, b);
      assert.notDeepEqual(a.tokens, c.tokens);
      assert.equal(a.tokens.length, length);
      assert.equal(a.answers.length, task === "recall" ? shape.recallPairs : 1);
      for (const ans of a.answers) {
        const text = dec.decode(a.tokens.subarray(ans.start, ans.start + ans.value.length));
        assert.equal(text, ans.value);
        const stated = ans.start - ans.distance;
        assert.ok(ans.distance > 0);
        assert.equal(
          dec.decode(a.tokens.subarray(stated, stated + ans.value.length)),
          ans.value,
        );
      }
    }
  }
});

Deno.test("depth 0 and 1 put the needle at the start and just before the query", () => {
  const f = filler(500);
  const first = retrievalSampleAt(new Rng(1), "needle", 300, 0, f, shape);
  const last = retrievalSampleAt(new Rng(1), "needle", 300, 1, f, shape);
  assert.equal(dec.decode(first.tokens.subarray(0, 5)), "{KEY=");
  assert.equal(first.answers[0].distance, 300 - 5 - 5);
  assert.equal(last.answers[0].distance, needleOverhead(4) - 5 - 5);
});

Deno.test("retrieval rows: loss weights on the answer bytes only, text rows untouched", () => {
  const docs = [filler(3000, 2), filler(2000, 3)];
  const o = {
    batchSize: 32,
    length: 128,
    seed: 3,
    passkeyRate: 0,
    passkeyLoss: "all" as const,
    retrieval: { rate: 0.5, tasks: ["needle", "recall"] as const, shape },
  };
  const s = new BatchSampler(docs, {
    ...o,
    retrieval: { ...o.retrieval, tasks: [...o.retrieval.tasks] },
  });
  const b = s.next();
  const seen = new Set<string>();
  for (let r = 0; r < 32; r++) {
    const task = b.retrieval[r];
    const mask = b.lossMask.subarray(r * 128, (r + 1) * 128);
    if (task === null) {
      assert.ok(mask.every((w) => w === 1));
      continue;
    }
    seen.add(task);
    const scored = [...mask.keys()].filter((t) => mask[t] === 1);
    const expected = task === "needle" ? 4 : 16;
    assert.equal(scored.length, expected, `${task} row ${r}`);
    for (const t of scored) {
      assert.equal(b.answerMask[r * 128 + t], 1);
      const byte = b.targets[r * 128 + t];
      assert.ok(byte >= 48 && byte <= 57, `a scored target is not a digit (${byte})`);
    }
    // the target before the first answer digit is the marker's `=` / the recall name
    const before = String.fromCharCode(b.targets[r * 128 + scored[0] - 1]);
    assert.ok(task === "needle" ? before === "=" : RECALL_NAMES.includes(before), before);
  }
  assert.deepEqual([...seen].sort(), ["needle", "recall"]);
  // an answer weight scales the answer bytes' weights only
  const w = new BatchSampler(docs, {
    ...o,
    retrieval: { ...o.retrieval, tasks: [...o.retrieval.tasks], answerWeight: 8 },
  }).next();
  assert.deepEqual(w.inputs, b.inputs);
  for (let i = 0; i < b.lossMask.length; i++) {
    assert.equal(w.lossMask[i], b.answerMask[i] ? 8 : b.lossMask[i]);
  }
  // same seed, same stream
  const again = new BatchSampler(docs, {
    ...o,
    retrieval: { ...o.retrieval, tasks: [...o.retrieval.tasks] },
  });
  assert.deepEqual(again.next(), b);
});

Deno.test("rate 0 draws nothing extra: the stream equals one without a retrieval option", () => {
  const docs = [filler(3000, 2)];
  const o = { batchSize: 8, length: 128, seed: 9, passkeyRate: 0.2, passkeyLoss: "all" as const };
  const plain = new BatchSampler(docs, o).next();
  const zero = new BatchSampler(docs, {
    ...o,
    retrieval: { rate: 0, tasks: ["needle"], shape },
  }).next();
  assert.deepEqual(zero.inputs, plain.inputs);
  assert.deepEqual(zero.lossMask, plain.lossMask);
});

Deno.test("data config: retrieval fields validated, short rows refused", () => {
  const c = parseDataConfig({ retrievalRate: 0.5, retrievalTasks: ["needle", "recall"] });
  assert.equal(c.keyDigits, 4);
  assert.throws(() => parseDataConfig({ retrievalTasks: ["haystack"] }), /retrievalTasks/);
  assert.throws(() => parseDataConfig({ keyDigits: 12 }), /keyDigits/);
  assert.throws(
    () =>
      new BatchSampler([filler(500)], {
        batchSize: 1,
        length: 16,
        seed: 0,
        passkeyRate: 0,
        passkeyLoss: "all",
        retrieval: { rate: 0.5, tasks: ["recall"], shape },
      }),
    /too short for recall rows/,
  );
});
