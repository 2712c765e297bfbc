import assert from "node:assert/strict";
import {
  evalWindows,
  pplWithInterval,
  scoringDescription,
  windowPerplexity,
  windowsAt,
} from "@e2llm/eval";
import { RecordingScorer, tinyModel } from "./fakes.ts";

const close = (a: number, b: number, tol = 1e-9) =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);

Deno.test("PPL and its t-interval match hand-computed numbers (equal windows)", () => {
  // window mean NLLs 1, 2, 3: mean 2, sd 1, se 1/√3, t(0.975, 2) = 4.303
  const e = pplWithInterval([
    { nllSum: 2, tokens: 2 },
    { nllSum: 4, tokens: 2 },
    { nllSum: 6, tokens: 2 },
  ]);
  const half = 4.303 / Math.sqrt(3);
  close(e.meanNll, 2);
  close(e.nllHalfWidth, half);
  close(e.ppl, Math.exp(2));
  close(e.pplCiLow, Math.exp(2 - half));
  close(e.pplCiHigh, Math.exp(2 + half));
  assert.equal(e.windows, 3);
  assert.equal(e.tokensScored, 6);
});

Deno.test("PPL weights tokens, the interval uses per-window means (unequal windows)", () => {
  // 16 nats over 12 tokens; window means 1 and 3: sd √2, se 1, t(0.975, 1) = 12.706
  const e = pplWithInterval([{ nllSum: 10, tokens: 10 }, { nllSum: 6, tokens: 2 }]);
  close(e.meanNll, 16 / 12);
  close(e.nllHalfWidth, 12.706);
  close(e.ppl, Math.exp(16 / 12));
  close(e.pplCiHigh, Math.exp(16 / 12 + 12.706));
});

Deno.test("one window: the interval collapses to the point; none: an error", () => {
  const e = pplWithInterval([{ nllSum: 3, tokens: 3 }]);
  assert.equal(e.pplCiLow, e.ppl);
  assert.equal(e.pplCiHigh, e.ppl);
  close(e.ppl, Math.E);
  assert.throws(() => pplWithInterval([]), /at least one window/);
  assert.throws(() => pplWithInterval([{ nllSum: NaN, tokens: 2 }]), /NLL sum/);
});

/** One document whose token at index i is i, and a scorer whose NLL is the target id. */
function countingSetup(docLength: number) {
  const doc = { id: "d", tokens: Uint8Array.from({ length: docLength }, (_, i) => i) };
  const scorer = new RecordingScorer(tinyModel(), 1 << 20, (b, i) => b.targets[i]);
  const enc = (L: number) => ({
    positions: Float64Array.from({ length: L }, (_, i) => i),
    invFreq: new Float64Array(4).fill(1),
    attentionScale: 1,
  });
  return { doc, scorer, enc };
}

Deno.test("stride: every held-out target is scored exactly once, with the right count", async () => {
  const { doc, scorer, enc } = countingSetup(10);
  // L = 4, stride 2: windows start at 0, 2, 4; scored targets 1-4, then 5-6, then 7-8
  const sliding = evalWindows([doc], 4, 100, 2);
  assert.deepEqual(sliding.map((w) => [w.start, w.scoreFrom]), [[0, 0], [2, 2], [4, 2]]);
  const s = await windowPerplexity(scorer, sliding, enc(4));
  assert.equal(s.windows, 3);
  assert.equal(s.tokensScored, 8);
  close(s.meanNll, (1 + 2 + 3 + 4 + 5 + 6 + 7 + 8) / 8);
  // non-overlapping: windows at 0 and 4 score targets 1-8 as well
  const plain = evalWindows([doc], 4, 100, null);
  const p = await windowPerplexity(scorer, plain, enc(4));
  assert.equal(p.windows, 2);
  assert.equal(p.tokensScored, 8);
  close(p.meanNll, 4.5);
  // a stride ≥ L means non-overlapping
  assert.deepEqual(evalWindows([doc], 4, 100, 8).map((w) => w.start), [0, 4]);
});

Deno.test("window counts: windowTokens raises short lengths; a too-short corpus is an error", () => {
  assert.equal(windowsAt(128, 2, 2048), 16);
  assert.equal(windowsAt(2048, 2, 2048), 2);
  assert.equal(windowsAt(512, 3, 0), 3);
  const { doc } = countingSetup(10);
  assert.throws(() => evalWindows([doc], 10, 5, null), /11 tokens/);
  assert.match(scoringDescription(null), /all L targets/);
  assert.match(scoringDescription(64), /last 64/);
});
