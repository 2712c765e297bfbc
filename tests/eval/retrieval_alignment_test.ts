/**
 * End-to-end alignment of the retrieval tasks (issue 14, h10): the training loss weights sit on the
 * targets that ARE the answer bytes (next-token shift), those bytes spell the value stated earlier
 * in the same row, and evaluation reads the scorer's results at exactly those targets.
 */
import assert from "node:assert/strict";
import { answerIndices, BatchSampler, type RetrievalSample } from "@e2llm/train";
import { retrievalEvalSet, scoreAnswers } from "@e2llm/eval";
import { Rng } from "@e2llm/encodings";

const dec = new TextDecoder();

/** Book-like filler without braces or digits. */
function filler(n: number, seed = 1): Uint8Array {
  const rng = new Rng(seed);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.next() < 0.15 ? 32 : 97 + rng.int(0, 25);
  return out;
}

/** The values a perfect retriever must produce, in row order, from the row's own text. */
function expectedAnswers(text: string, task: string): string[] {
  if (task === "needle") {
    const stated = /\{KEY=([0-9]+)\}/.exec(text);
    assert.ok(stated, `no needle in ${JSON.stringify(text)}`);
    return [stated[1]];
  }
  const pairs = [...text.matchAll(/\{(\D)([0-9]+)\}/g)];
  const half = pairs.length / 2;
  const value = new Map(pairs.slice(0, half).map((m) => [m[1], m[2]]));
  return pairs.slice(half).map((m) => value.get(m[1])!);
}

Deno.test("training rows: weighted targets spell the value stated earlier in the row", () => {
  const R = 96, B = 24;
  const s = new BatchSampler([filler(5000)], {
    batchSize: B,
    length: R,
    seed: 11,
    passkeyRate: 0,
    passkeyLoss: "all",
    retrieval: {
      rate: 1,
      tasks: ["needle", "recall"],
      shape: { keyDigits: 4, recallPairs: 3 },
      answerWeight: 16,
    },
  });
  const batch = s.next();
  const seen = new Set<string>();
  for (let b = 0; b < B; b++) {
    const task = batch.retrieval[b]!;
    seen.add(task);
    const row = [...batch.inputs.subarray(b * R, (b + 1) * R), batch.targets[(b + 1) * R - 1]];
    const text = dec.decode(Uint8Array.from(row));
    let weighted = "";
    for (let t = 0; t < R; t++) {
      const w = batch.lossMask[b * R + t];
      // next-token shift: target t is row byte t + 1, the input at t is row byte t
      assert.equal(batch.targets[b * R + t], row[t + 1]);
      if (w === 0) continue;
      assert.equal(w, 16, `row ${b} target ${t}: weight ${w}`);
      assert.match(String.fromCharCode(batch.targets[b * R + t]), /[0-9]/);
      weighted += String.fromCharCode(batch.targets[b * R + t]);
    }
    assert.equal(weighted, expectedAnswers(text, task).join(""), `row ${b}: ${text}`);
  }
  assert.deepEqual([...seen].sort(), ["needle", "recall"]);
});

/** Rows as the evaluation scores them (first L bytes in, next L bytes as targets). */
function rowOf(s: RetrievalSample): { inputs: Uint8Array; targets: Uint8Array } {
  return { inputs: s.tokens.subarray(0, -1), targets: s.tokens.subarray(1) };
}

Deno.test("evaluation reads the targets the training weights: a perfect retriever is exact, a shifted one is not", () => {
  const L = 128;
  const samples = retrievalEvalSet(filler(20000, 3), L + 1, {
    tasks: ["needle", "recall", "passkey"],
    depths: [0, 0.5, 1],
    trials: 3,
    seed: 5,
    shape: { keyDigits: 4, recallPairs: 4 },
  }, () => true);
  assert.equal(samples.length, 27);
  for (const s of samples) {
    const { inputs, targets } = rowOf(s);
    assert.equal(inputs.length, L);
    // the training convention: target t = answer byte t + 1 gets the weight
    const weighted = answerIndices(s).map((i) => i - 1);
    const text = dec.decode(targets);
    const spelled = weighted.map((t) => String.fromCharCode(targets[t])).join("");
    if (s.task !== "passkey") {
      assert.equal(spelled, expectedAnswers(dec.decode(s.tokens), s.task).join(""), text);
    } else assert.equal(spelled, s.answers[0].value);
    const perfect = { nll: new Float32Array(L).fill(9), hit: new Uint8Array(L) };
    for (const t of weighted) {
      perfect.hit[t] = 1;
      perfect.nll[t] = 0;
    }
    for (const a of scoreAnswers(s, perfect)) {
      assert.equal(a.exact, true);
      assert.equal(a.logprob, 0);
    }
    const shifted = { nll: new Float32Array(L).fill(9), hit: new Uint8Array(L) };
    for (const t of weighted) if (t + 1 < L) shifted.hit[t + 1] = 1;
    for (const a of scoreAnswers(s, shifted)) assert.equal(a.exact, false);
  }
});
