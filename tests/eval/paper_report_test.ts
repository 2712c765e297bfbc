/** Verdicts on the paper's claims and the paper sections of the report, on hand-made rows. */
import assert from "node:assert/strict";
import { lossTail } from "../../eval/report/loss_tail.ts";
import { mdTable } from "@e2llm/eval";
import {
  e2LossTailText,
  FIG5_CLAIMS,
  judgeClaims,
  paperSections,
  TABLE3_CLAIMS,
  TABLE4_CLAIMS,
} from "../../eval/report/paper_tables.ts";
import type { Series } from "@e2llm/eval";
import { fmtVerdict, tallyVerdicts, verdictOf } from "../../eval/report/verdict.ts";

const R = 128;

/** A hand-made series: cells as [ratio, ppl, low, high]. */
function mk(method: string, variant: string, cells: [number, number, number, number][]): Series {
  return {
    method,
    variant,
    label: `${method} / ${variant}`,
    seedsOk: [0, 1, 2],
    seedsFailed: [],
    cells: cells.map(([x, ppl, low, high]) => ({
      length: x * R,
      seeds: [0, 1, 2],
      ppl,
      pplCiLow: low,
      pplCiHigh: high,
      passkeyAcc: null,
      passkeyN: 0,
      passkeyByDepth: [],
    })),
    trainTokens: 1000,
    trainSeconds: 1,
    sharesTrainingWith: [],
    runs: [],
  };
}

Deno.test("verdictOf: A ≤ f·B from intervals — agrees, disagrees, inconclusive, missing", () => {
  const a = { ppl: 3, low: 2.9, high: 3.1 };
  assert.equal(verdictOf(a, { ppl: 3.5, low: 3.4, high: 3.6 }), "agrees");
  assert.equal(verdictOf({ ppl: 3.5, low: 3.4, high: 3.6 }, a), "disagrees");
  assert.equal(verdictOf(a, { ppl: 3.05, low: 2.95, high: 3.15 }), "inconclusive");
  assert.equal(verdictOf(a, null), "missing");
  assert.equal(verdictOf(undefined, a), "missing");
  // factor: 3.1 < 1.1 × 2.85 = 3.135 agrees; 2.9 > 1.1 × 2.6 = 2.86 disagrees.
  assert.equal(verdictOf(a, { ppl: 2.9, low: 2.85, high: 2.95 }, 1.1), "agrees");
  assert.equal(verdictOf(a, { ppl: 2.55, low: 2.5, high: 2.6 }, 1.1), "disagrees");
  assert.throws(() => verdictOf(a, a, 0), /factor/);
  assert.match(fmtVerdict("inconclusive"), /overlap/);
  assert.deepEqual(tallyVerdicts(["agrees", "agrees", "missing"]), {
    agrees: 2,
    disagrees: 0,
    inconclusive: 0,
    missing: 1,
  });
});

Deno.test("paper claims judged on hand-made rows (Tables 3 and 4, Fig. 5)", () => {
  const series = [
    mk("linear", "no-finetune", [[1, 4.0, 3.95, 4.05]]),
    mk("linear", "finetuned", [[1, 8, 7.9, 8.1], [4, 7.5, 7.4, 7.6], [8, 7.4, 7.3, 7.5]]),
    mk("e2", "g=4", [[1, 4.2, 4.15, 4.25], [4, 5, 4.9, 5.1]]),
    mk("e2", "g=8", [[8, 7.45, 7.2, 7.7]]),
    mk("e2", "g=16", [[1, 4.3, 4.25, 4.35], [16, 4.5, 4.4, 4.6]]),
    mk("e2", "g=auto", [[8, 3.0, 2.9, 3.1]]),
    mk("e2-no-t", "g=auto", [[8, 3.5, 3.4, 3.6]]),
    mk("e2-no-g", "g=auto", [[8, 3.05, 2.95, 3.15]]),
    mk("e2", "g=20", [[20, 5.5, 5.4, 5.6]]),
    mk("e2", "g=30", [[30, 7, 6.8, 7.2]]),
  ];
  const t3 = judgeClaims(TABLE3_CLAIMS, series, R);
  // g=4 at 4× 5.0 vs PI 7.5: agrees; g=8 at 8× [7.2, 7.7] vs PI [7.3, 7.5]: overlap.
  // g=16 at 1× [4.25, 4.35] vs 1.1 × [3.95, 4.05] = [4.345, 4.455]: overlap → inconclusive.
  // g=16 at 16× 4.5 vs its 1× 4.3: higher, no overlap → disagrees (PPL does not fall).
  assert.deepEqual(t3.map((j) => j.verdict), [
    "agrees",
    "inconclusive",
    "inconclusive",
    "disagrees",
  ]);
  assert.match(t3[0].paper, /2\.54 vs Vicuna-16k 3\.95/);
  assert.match(t3[2].paper, /\+4\.8%/);
  const t4 = judgeClaims(TABLE4_CLAIMS, series, R);
  assert.deepEqual(t4.map((j) => j.verdict), ["agrees", "inconclusive"]);
  assert.match(t4[0].paper, /41\.74 vs 39\.44/);
  // Fig. 5: 5.6 < 1.5 × 3.95 = 5.925 agrees; 7.2 > 1.5 × 4.05 = 6.075 disagrees; g=50 missing.
  const f5 = judgeClaims(FIG5_CLAIMS, series, R);
  assert.deepEqual(f5.map((j) => j.verdict), ["agrees", "disagrees", "missing"]);

  const sections = paperSections(series, [1, 4, 8, 16, 20, 30].map((x) => x * R), R);
  assert.deepEqual(sections.map((s) => s.id), [
    "paper-summary",
    "paper-t3",
    "paper-t3-claims",
    "paper-t4",
    "paper-fig5",
  ]);
  // At a glance: the 4 + 2 + 3 claims above, tallied; hand-made series have no runs, so each row
  // falls back to the two intervals.
  const summary = sections.shift()!;
  assert.match(summary.paragraphs[0], /^9 claims of E²-LLM checked on our runs: /);
  assert.equal(summary.table!.rows.length, 9);
  assert.deepEqual(summary.table!.rows.map((row) => row[0]), [
    ...Array(4).fill("Table 3"),
    ...Array(2).fill("Table 4"),
    ...Array(3).fill("Fig. 5"),
  ]);
  assert.equal(summary.table!.rows[0][4], fmtVerdict(t3[0].verdict));
  const grid = mdTable(sections[0].table!);
  assert.match(grid, /\| paper: E²-16k \(g = 4\) \| 2\.96 \| 2\.71 \| 2\.54 \| — \| — \|/);
  assert.match(
    grid,
    /\| ours: e2 \/ g=4 \| 4\.200 \[4\.150, 4\.250\] \| — \| 5\.000 \[4\.900, 5\.100\]/,
  );
  assert.match(grid, /\| ours: base \(R\) \| 4\.000 \[3\.950, 4\.050\] \| — \|/);
  assert.match(mdTable(sections[1].table!), /\*\*agrees\*\*/);
});

Deno.test("paper sections: none for other presets; the g = 1 budget answer and the split row", () => {
  const standard = [mk("default", "finetuned", [[1, 4, 3.9, 4.1]]), mk("e2", "g=auto", [])];
  assert.deepEqual(paperSections(standard, [R], R), []);
  const at16 = (ppl: number): [number, number, number, number] => [16, ppl, ppl - 0.2, ppl + 0.2];
  const series = [
    mk("e2-early", "g=auto", [[1, 4, 3.9, 4.1], at16(9)]),
    mk("e2-early", "g=1", [[1, 4, 3.9, 4.1], at16(12)]),
    mk("default-early", "finetuned", [at16(28)]),
    mk("e2", "g=auto", [at16(8)]),
    mk("e2", "g=1", [at16(29)]),
    mk("default", "finetuned", [at16(28.9)]),
    mk("e2-split", "g=auto", [at16(9)]),
  ];
  const sections = paperSections(series, [1, 16].map((x) => x * R), R);
  assert.deepEqual(sections.map((s) => s.id), ["paper-g1-budget", "paper-split"]);
  const g1 = sections[0];
  assert.match(
    g1.paragraphs[1],
    /after 1\/8 of the budget, g = 1 beats the control at 16×, and loses to g = ⌈L\/R⌉; after all of the budget, g = 1 cannot be told apart from the control/,
  );
  assert.deepEqual(g1.table!.rows.map((r) => r[0]), ["1/8", "all"]);
  assert.deepEqual(g1.table!.rows[0].slice(6), ["yes", "no"]);
  assert.match(sections[1].paragraphs[0], /has the lower PPL/);
});

Deno.test("lossTail: a flat end is flat, a falling end is not (hand-made curves)", () => {
  // Falling 0.01 per step exactly, no noise: change over the last quarter (steps 75..100) −0.25.
  const falling = Array.from({ length: 100 }, (_, i) => ({ step: i + 1, loss: 3 - 0.01 * i }));
  const f = lossTail(falling)!;
  assert.ok(Math.abs(f.change + 0.25) < 1e-9, `${f.change}`);
  assert.equal(f.flat, false);
  // Alternating ±0.05 around 2.0: no trend the noise cannot explain.
  const flat = Array.from(
    { length: 100 },
    (_, i) => ({ step: i + 1, loss: 2 + (i % 2 ? 0.05 : -0.05) }),
  );
  const t = lossTail(flat)!;
  assert.ok(t.flat, `${t.change} ± ${t.se}`);
  assert.equal(t.n, 25);
  assert.equal(lossTail(flat.slice(0, 3)), null);
  // In the report: one line per seed of the e2 fine-tuning.
  const s = mk("e2", "g=auto", []);
  s.runs = [
    { seed: 0, lossCurve: flat } as unknown as Series["runs"][number],
    { seed: 1, lossCurve: falling } as unknown as Series["runs"][number],
  ];
  const text = e2LossTailText([s])!;
  assert.match(
    text,
    /seed 0 [−+]0\.\d{3} ± 0\.\d{3} \(flat\), seed 1 −0\.250 ± 0\.000 \(still moving\)/,
  );
  assert.equal(e2LossTailText([]), null);
});
