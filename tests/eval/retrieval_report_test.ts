import assert from "node:assert/strict";
import { buildReport, parseResults, type ResultsDoc, wilson } from "@e2llm/eval";
import { retrievalGate, retrievalRows } from "../../eval/report/retrieval_rows.ts";
import { retrievalChartSpec, retrievalSection } from "../../eval/report/retrieval_section.ts";

const FIXTURE = new URL("../fixtures/results/combined/results.json", import.meta.url).pathname;

function cell(task: "needle" | "recall" | "passkey", distance: number, k: number, n: number) {
  const w = wilson(k, n);
  return {
    task,
    distance,
    trials: n,
    exact: w.rate,
    exactCiLow: w.low,
    exactCiHigh: w.high,
    charAcc: w.rate,
    answerLogprob: -0.5,
  };
}

/** The fixture with retrieval cells on the control (in-window `k`/40) and on linear. */
async function withRetrieval(k: number): Promise<ResultsDoc> {
  const doc = parseResults(JSON.parse(await Deno.readTextFile(FIXTURE)), FIXTURE);
  for (const run of doc.runs) {
    if (run.method !== "default" && run.method !== "linear") continue;
    for (const e of run.evals) {
      if (e.length === 128) e.retrieval = [cell("needle", 1, k, 40), cell("recall", 1, k, 40)];
      if (e.length === 512) e.retrieval = [cell("needle", 1, 10, 10), cell("needle", 4, 3, 30)];
    }
  }
  return parseResults(JSON.parse(JSON.stringify(doc)), "test");
}

Deno.test("retrieval.csv: one row per run × length × task × distance, the asked columns", async () => {
  const doc = await withRetrieval(38);
  const rows = retrievalRows(doc);
  const runs = doc.runs.filter((r) => r.method === "default" || r.method === "linear").length;
  assert.equal(rows.length, runs * 4);
  const files = await buildReport(doc);
  const lines = files["retrieval.csv"].trim().split("\n");
  assert.equal(
    lines[0],
    "method,variant,seed,length,task,distance,trials,exact,exact_ci_low,exact_ci_high,char_acc,answer_logprob",
  );
  assert.equal(lines.length, rows.length + 1);
  assert.match(lines[1], /^default,finetuned,0,128,needle,<1R,40,0\.95,/);
  assert.match(files["report.md"], /Gate passed/);
  assert.match(files["report.html"], /Retrieval exact match vs needle/);
});

Deno.test("the gate: in-window exact ≥ 90% per task of the control", async () => {
  const pass = retrievalGate(await withRetrieval(36));
  assert.equal(pass?.pass, true);
  // two control seeds in the fixture: 72/80 per task
  assert.match(pass!.text, /needle 90% \(n=80\), recall 90% \(n=80\)/);
  const fail = retrievalGate(await withRetrieval(35));
  assert.equal(fail?.pass, false);
  assert.match(fail!.text, /Gate failed.*not interpreted/);
  assert.deepEqual(fail!.passed, []);
  // per task: a task the base was not trained on fails alone, the others are still interpreted
  const mixed = await withRetrieval(36);
  for (const run of mixed.runs) {
    const e = run.evals.find((x) => x.length === 128);
    if (run.method === "default" && e?.retrieval) {
      e.retrieval = [...e.retrieval, cell("passkey", 1, 0, 20)];
    }
  }
  const some = retrievalGate(mixed)!;
  assert.equal(some.pass, false);
  assert.deepEqual(some.passed, ["needle", "recall"]);
  assert.match(
    some.text,
    /^Gate passed for needle, recall: .*needle 90% \(n=80\), recall 90% \(n=80\).*Failed for passkey 0% \(n=40\): .*not interpreted\.$/,
  );
  const none = parseResults(JSON.parse(await Deno.readTextFile(FIXTURE)), FIXTURE);
  assert.equal(retrievalGate(none), null);
  assert.equal(retrievalSection(none), null);
  assert.equal(retrievalChartSpec(none), null);
});

Deno.test("the section pools lengths and seeds with Wilson intervals", async () => {
  const s = retrievalSection(await withRetrieval(38))!;
  const row = s.table!.rows.find((r) =>
    r[0] === "default / finetuned" && r[1] === "needle" && r[2] === "< 1R"
  )!;
  // two seeds × (38/40 at 128 + 10/10 at 512) = 96/100
  const w = wilson(96, 100);
  assert.deepEqual(row.slice(3), [
    "96%",
    `[${(w.low * 100).toFixed(0)}, ${(w.high * 100).toFixed(0)}]`,
    "100",
  ]);
});
