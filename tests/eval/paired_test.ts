/** Paired comparisons (eval/report/paired.ts) against hand-computed intervals. */
import assert from "node:assert/strict";
import {
  type EvalRecord,
  EvalRecordSchema,
  fmtPaired,
  pairedRatio,
  pairedVerdict,
  type RunRecord,
  type Series,
} from "@e2llm/eval";
import { judgeClaims, TABLE3_CLAIMS } from "../../eval/report/paper_tables.ts";
import { verdictOf } from "../../eval/report/verdict.ts";

/** A series whose runs hold, per seed, one evaluation at `length` (ppl and window NLLs). */
function series(
  name: string,
  length: number,
  perSeed: { seed: number; ppl: number; windowNll?: number[] }[],
): Series {
  const runs = perSeed.map(({ seed, ppl, windowNll }) => {
    const e: EvalRecord = {
      length,
      ppl,
      pplCiLow: ppl,
      pplCiHigh: ppl,
      windows: windowNll?.length ?? 1,
      tokensScored: 100,
      passkey: [],
      passkeyAcc: null,
      ...(windowNll ? { windowNll } : {}),
    };
    return { method: name, variant: "v", seed, evals: [e] } as unknown as RunRecord;
  });
  return { method: name, variant: "v", label: name, runs } as unknown as Series;
}

const close = (a: number, b: number, tol = 1e-9) =>
  assert.ok(Math.abs(a - b) < tol, `${a} is not ${b}`);

Deno.test("pairedRatio over seeds: exp of the mean log ratio ± t(n−1) · sd / √n", () => {
  // ln(A/B) per seed: ln 1.1, ln 1.2, ln 1.15; t(2) = 4.303.
  const a = series("a", 256, [{ seed: 0, ppl: 11 }, { seed: 1, ppl: 12 }, { seed: 2, ppl: 11.5 }]);
  const b = series("b", 256, [{ seed: 0, ppl: 10 }, { seed: 1, ppl: 10 }, { seed: 2, ppl: 10 }]);
  const p = pairedRatio(a, 256, b, 256)!;
  const d = [Math.log(1.1), Math.log(1.2), Math.log(1.15)];
  const mean = d.reduce((x, y) => x + y) / 3;
  const sd = Math.sqrt(d.reduce((s, x) => s + (x - mean) ** 2, 0) / 2);
  close(p.ratio, Math.exp(mean));
  close(p.low, Math.exp(mean - 4.303 * sd / Math.sqrt(3)));
  close(p.high, Math.exp(mean + 4.303 * sd / Math.sqrt(3)));
  assert.deepEqual(p.seeds, [0, 1, 2]);
  assert.equal(p.windows, 0);
  assert.equal(pairedVerdict(p), "disagrees", "A is higher in every seed: A ≤ B is refuted");
  // factor: A ≤ 1.3 · B holds (all ratios / 1.3 < 1).
  assert.equal(pairedVerdict(pairedRatio(a, 256, b, 256, 1.3)!), "agrees");
  // factor 1.15: the interval around 1.15 / 1.15 contains 1.
  assert.equal(pairedVerdict(pairedRatio(a, 256, b, 256, 1.15)!), "inconclusive");
  assert.match(fmtPaired(p), /^×1\.149 \[\d\.\d{3}, \d\.\d{3}\], 3 seeds$/);
  assert.throws(() => pairedRatio(a, 256, b, 256, 0), /factor/);
});

Deno.test("pairedRatio over windows: the wider of the seed and window half-widths", () => {
  // One seed: only the windows give an interval. Per-window differences 0.1, 0.3, 0.2, 0.2
  // (mean 0.2, sd 0.08165, t(3) = 3.182 → half 0.1299); the centre is ln(PPL_A / PPL_B).
  const a = series("a", 512, [{ seed: 0, ppl: Math.exp(2.2), windowNll: [2.1, 2.5, 2.2, 2.0] }]);
  const b = series("b", 512, [{ seed: 0, ppl: Math.exp(2.0), windowNll: [2.0, 2.2, 2.0, 1.8] }]);
  const p = pairedRatio(a, 512, b, 512)!;
  const half = 3.182 * Math.sqrt(0.02 / 3) / 2;
  close(p.ratio, Math.exp(0.2));
  close(p.low, Math.exp(0.2 - half), 1e-9);
  close(p.high, Math.exp(0.2 + half), 1e-9);
  assert.equal(p.windows, 4);
  assert.equal(pairedVerdict(p), "disagrees");
  // Different lengths never pair windows; one seed then has no interval at all.
  const b2 = series("b", 1024, [{ seed: 0, ppl: 5, windowNll: [1, 2, 3, 4] }]);
  assert.equal(pairedRatio(a, 512, b2, 1024), null);
  // No shared seed: nothing to pair.
  const c = series("c", 512, [{ seed: 7, ppl: 3, windowNll: [1, 1, 1, 1] }]);
  assert.equal(pairedRatio(a, 512, c, 512), null);
});

Deno.test("pairedRatio with seeds and windows takes the wider half-width", () => {
  // Seeds agree exactly (ratio 2 in both): the seed half-width is 0, the window one is not.
  const w = (base: number) => [base, base + 0.2, base - 0.2, base];
  const a = series("a", 128, [
    { seed: 0, ppl: 4, windowNll: w(Math.log(4)).map((x, i) => x + [0.1, -0.1, 0, 0][i]) },
    { seed: 1, ppl: 6, windowNll: w(Math.log(6)).map((x, i) => x + [0.1, -0.1, 0, 0][i]) },
  ]);
  const b = series("b", 128, [
    { seed: 0, ppl: 2, windowNll: w(Math.log(2)) },
    { seed: 1, ppl: 3, windowNll: w(Math.log(3)) },
  ]);
  const p = pairedRatio(a, 128, b, 128)!;
  close(p.ratio, 2);
  // window differences ln 2 + (0.1, −0.1, 0, 0): sd √(0.02 / 3), t(3) = 3.182
  const half = 3.182 * Math.sqrt(0.02 / 3) / 2;
  close(p.low, 2 * Math.exp(-half), 1e-9);
  assert.equal(p.windows, 4);
  assert.deepEqual(p.seeds, [0, 1]);
});

Deno.test("an evaluation's windowNll must hold one value per window", () => {
  const record = {
    length: 128,
    ppl: 5,
    pplCiLow: 4,
    pplCiHigh: 6,
    windows: 2,
    tokensScored: 256,
    passkey: [],
    passkeyAcc: null,
  };
  assert.ok(EvalRecordSchema.safeParse({ ...record, windowNll: [1.6, 1.7] }).success);
  assert.ok(EvalRecordSchema.safeParse(record).success, "older folders have no windowNll");
  const bad = EvalRecordSchema.safeParse({ ...record, windowNll: [1.6] });
  assert.ok(!bad.success);
  assert.match(JSON.stringify(bad.error.issues), /one value per window \(2\), got 1/);
});

Deno.test("claims are judged on the paired ratio where the intervals alone overlap", () => {
  // Two seeds, A 5 % below B in both; each side's own interval is wide (seed-to-seed spread).
  const withCell = (s: Series, ppls: number[]): Series => ({
    ...s,
    cells: [{
      length: 512,
      seeds: [0, 1],
      ppl: Math.sqrt(ppls[0] * ppls[1]),
      pplCiLow: Math.min(...ppls) * 0.8,
      pplCiHigh: Math.max(...ppls) * 1.2,
      passkeyAcc: null,
      passkeyN: 0,
      passkeyByDepth: [],
    }],
  });
  const a = withCell(
    series("e2", 512, [{ seed: 0, ppl: 9.5 }, { seed: 1, ppl: 14.25 }]),
    [9.5, 14.25],
  );
  const b = withCell(
    series("linear", 512, [{ seed: 0, ppl: 10 }, { seed: 1, ppl: 15 }]),
    [10, 15],
  );
  const e2 = { ...a, variant: "g=4" }, pi = { ...b, variant: "finetuned" };
  const [j] = judgeClaims([TABLE3_CLAIMS[0]], [e2, pi], 128);
  assert.equal(verdictOf(j.aCell, j.bCell), "inconclusive", "the two intervals overlap");
  close(j.paired!.ratio, 0.95);
  close(j.paired!.low, 0.95);
  assert.equal(j.verdict, "agrees", "the paired ratio is 0.95 in both seeds");
});
