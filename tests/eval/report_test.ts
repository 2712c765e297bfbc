import assert from "node:assert/strict";
import { join } from "node:path";
import {
  answerG1Question,
  basePplBySeed,
  baseReferenceFor,
  buildReport,
  combineSeeds,
  csvField,
  effectiveLength,
  mergeResults,
  parseResults,
  readResultsFolder,
  renderSvg,
  type ResultsDoc,
  ResultsError,
  summarize,
  TIDY_COLUMNS,
} from "@e2llm/eval";
import { runCli } from "../cli/helpers.ts";

const FIXTURES = new URL("../fixtures/results/", import.meta.url).pathname;
const A = join(FIXTURES, "partial-a");
const B = join(FIXTURES, "partial-b");
const COMBINED = join(FIXTURES, "combined");

/** Parse one RFC 4180 CSV document into records of fields. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [], field = "", quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"', i++);
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") (row.push(field), field = "");
    else if (ch === "\n") (row.push(field), rows.push(row), row = [], field = "");
    else field += ch;
  }
  assert.equal(field, "", "CSV must end with a newline");
  return rows;
}

/** The body rows of the Markdown table under `## title`, as cells. */
function mdTableRows(md: string, title: string): string[][] {
  const start = md.indexOf(`## ${title}\n`);
  assert.ok(start >= 0, `section "${title}" missing`);
  const end = md.indexOf("\n## ", start + 1);
  const lines = md.slice(start, end < 0 ? undefined : end).split("\n").filter((l) =>
    l.startsWith("|")
  );
  return lines.slice(2).map((l) => l.slice(2, -2).split(" | "));
}

function rowOf(rows: string[][], method: string, variant: string): string[] {
  const r = rows.find((x) => x[0] === method && x[1] === variant);
  assert.ok(r, `no row for ${method} / ${variant}`);
  return r;
}

async function readJson(dir: string): Promise<ResultsDoc> {
  return JSON.parse(await Deno.readTextFile(join(dir, "results.json")));
}

async function withBadFolder(mutate: (doc: ResultsDoc) => void): Promise<string> {
  const doc = structuredClone(await readJson(A));
  mutate(doc);
  const dir = await Deno.makeTempDir({ prefix: "e2llm-bad-" });
  await Deno.writeTextFile(join(dir, "results.json"), JSON.stringify(doc));
  return dir;
}

async function rejects(dir: string, pattern: RegExp) {
  await assert.rejects(readResultsFolder(dir), (err: Error) => {
    assert.ok(err instanceof ResultsError, String(err));
    assert.match(err.message, pattern);
    assert.ok(err.message.includes(dir), `message should name the folder: ${err.message}`);
    return true;
  });
}

const combined = await readResultsFolder(COMBINED);
const combinedReport = await buildReport(combined);

Deno.test("fixtures are valid results and differ in content", async () => {
  const a = await readResultsFolder(A), b = await readResultsFolder(B);
  assert.equal(a.runs.length, 5);
  assert.equal(b.runs.length, 6);
  assert.equal(combined.runs.length, 11);
});

Deno.test("invalid results: errors name the folder and the field", async () => {
  await rejects(
    await withBadFolder((d) => (d.runs[0].evals[1].ppl = -3)),
    /runs\[0\]\.evals\[1\]\.ppl/,
  );
  await rejects(
    await withBadFolder((d) => ((d.runs[2] as Record<string, unknown>).learningRate = 1e-3)),
    /runs\[2\].*learningRate/,
  );
  await rejects(
    await withBadFolder((d) => (d.runs[1].status = "failed")),
    /runs\[1\]\.error: required when status is "failed"/,
  );
  await rejects(
    await withBadFolder((d) => (d.runs[0].evals[0].length = 96)),
    /runs\[0\]\.evals\[0\]\.length: length 96 is not in lengths/,
  );
  await rejects(
    await withBadFolder((d) => (d.runs[3].evals[2].passkeyAcc = 0.5)),
    /runs\[3\]\.evals\[2\]\.passkeyAcc: must be the n-weighted mean/,
  );
  await rejects(
    await withBadFolder((d) => d.runs.push(structuredClone(d.runs[0]))),
    /runs\[5\]: duplicate run default\/finetuned\/seed 0/,
  );
  await rejects(
    await withBadFolder((d) => delete (d as Partial<ResultsDoc>).trainLength),
    /trainLength/,
  );
  const empty = await Deno.makeTempDir();
  await rejects(empty, /no results\.json/);
  await Deno.writeTextFile(join(empty, "results.json"), "{ not json");
  await rejects(empty, /not valid JSON/);
  assert.throws(() => parseResults({}, "x.json"), /invalid results in x\.json:\n {2}schemaVersion/);
});

Deno.test("results.csv: header, one row per method × variant × seed × length, quoting", () => {
  const rows = parseCsv(combinedReport["results.csv"]);
  const required = ["method", "variant", "seed", "length", "ppl", "ppl_ci_low", "ppl_ci_high"];
  for (const c of [...required, "passkey_acc"]) assert.ok(rows[0].includes(c), c);
  assert.deepEqual(rows[0], [...TIDY_COLUMNS]);
  const body = rows.slice(1);
  assert.equal(body.length, 11 * 5, "11 runs × 5 lengths");
  for (const r of body) assert.equal(r.length, TIDY_COLUMNS.length);
  const col = (name: string) => rows[0].indexOf(name);
  const find = (m: string, v: string, seed: string, len: string) =>
    body.find((r) =>
      r[col("method")] === m && r[col("variant")] === v && r[col("seed")] === seed &&
      r[col("length")] === len
    )!;
  const d = find("default", "finetuned", "1", "256");
  assert.equal(d[col("ppl")], "5.6");
  assert.equal(d[col("ppl_ci_low")], "5.432");
  assert.equal(d[col("passkey_acc")], "0.75");
  assert.equal(d[col("train_seconds")], "39");
  const ntk = find("ntk", "no-finetune", "0", "1024");
  assert.equal(ntk[col("status")], "failed");
  assert.equal(ntk[col("ppl")], "");
  assert.equal(
    ntk[col("error")],
    'GPU device lost at length 1024: out of memory allocating "attn_scores", 268435456 bytes',
  );
  assert.match(
    combinedReport["results.csv"],
    /,"GPU device lost [^\n]*""attn_scores"", 268435456 bytes"\n/,
  );
  assert.equal(csvField("plain"), "plain");
  assert.equal(csvField("a,b"), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField("two\nlines"), '"two\nlines"');
  assert.equal(csvField(null), "");
  const json = JSON.parse(combinedReport["results.json"]);
  assert.equal(json.rows.length, 55);
  assert.deepEqual(Object.keys(json.rows[0]), [...TIDY_COLUMNS]);
});

Deno.test("report.md: PPL table with seeds combined, passkey, cost, failures", () => {
  const md = combinedReport["report.md"];
  const ppl = mdTableRows(md, "Perplexity by length");
  assert.equal(ppl.length, 8, "8 method × variant series");
  assert.match(
    md,
    /\| method \| variant \| seeds \| 128 \(1×\) \| 256 \(2×\) \| 512 \(4×\) \| 1024 \(8×\) \| 2048 \(16×\) \|/,
  );
  // default / finetuned, seeds 0 and 1 at 1×: PPL 4.00 and 4.20 → geometric mean √(4.0·4.2) =
  // 4.0988; t(0.975, 1) = 12.706 × |ln 4.2 − ln 4.0| / 2 = 0.30997 → [3.0063, 5.5882].
  assert.deepEqual(rowOf(ppl, "default", "finetuned").slice(2, 4), [
    "2",
    "4.099 [3.006, 5.588]",
  ]);
  // One seed: the run's own window interval.
  assert.equal(rowOf(ppl, "linear", "finetuned")[7], "7.100 [6.887, 7.313]");
  assert.deepEqual(rowOf(ppl, "ntk", "no-finetune").slice(2), [
    "1 (1 failed)",
    "4.000 [3.880, 4.120]",
    "4.400 [4.268, 4.532]",
    "5.000 [4.850, 5.150]",
    "—",
    "—",
  ]);
  const pk = mdTableRows(md, "Passkey accuracy");
  // default at 8×: depths 0, 0.5, 1 have 0, 0, 0.25 in both seeds → 1/12 = 8%.
  assert.deepEqual(rowOf(pk, "default", "finetuned").slice(2), ["100%", "75%", "25%", "8%", "0%"]);
  const cost = mdTableRows(md, "Training cost");
  assert.deepEqual(rowOf(cost, "default", "finetuned").slice(2), [
    "2",
    "32,768",
    "38.6 s",
    "—",
  ]);
  assert.deepEqual(rowOf(cost, "e2", "g=1").slice(4), ["44.6 s", "g=auto"]);
  const failed = mdTableRows(md, "Failed runs");
  assert.equal(failed.length, 1);
  assert.deepEqual(failed[0].slice(0, 4), ["ntk", "no-finetune", "0", "1×, 2×, 4×"]);
  assert.match(failed[0][4], /out of memory/);
  const seeds = mdTableRows(md, "Seeds");
  assert.deepEqual(rowOf(seeds, "ntk", "no-finetune").slice(2), ["—", "0"]);
  assert.deepEqual(rowOf(seeds, "default", "finetuned").slice(2), ["0, 1", "—"]);
});

Deno.test("report.md: effective length against the base's 1× PPL, computed by hand", () => {
  const eff = mdTableRows(combinedReport["report.md"], "Effective length");
  const effOf = (m: string, v: string) => rowOf(eff, m, v).slice(2);
  // The base's 1× PPL per seed: seed 0's first no-finetune run (linear) at 128 = 4.0; seed 1 has
  // none. Limit 1.5 × 4.0 = 6.0 for every series. default (seeds 0, 1): own 1× √(4.0·4.2) = 4.099
  // (+2%); 2× √(5.2·5.6) = 5.396 qualifies, 4× √(9.0·9.4) = 9.198 does not.
  assert.deepEqual(effOf("default", "finetuned"), [
    "4.000 (seeds 0)",
    "4.099",
    "+2%",
    "6.000",
    "256 (2×)",
    "4× (above margin)",
  ]);
  // linear finetuned: 8× 5.6 qualifies, 16× 7.1 does not.
  assert.equal(effOf("linear", "finetuned")[4], "1024 (8×)");
  assert.deepEqual(effOf("linear", "no-finetune").slice(0, 5), [
    "4.000",
    "4.000",
    "+0%",
    "6.000",
    "512 (4×)",
  ]);
  // yarn: 4× (6.4) exceeds 6.0 though 8× (6.0) alone would qualify: every length ≤ L must.
  assert.deepEqual(effOf("yarn", "no-finetune").slice(4), ["256 (2×)", "4× (above margin)"]);
  // ntk failed before 8×: the walk stops at the missing length.
  assert.deepEqual(effOf("ntk", "no-finetune").slice(4), ["512 (4×)", "8× (not evaluated)"]);
  assert.deepEqual(effOf("pose", "finetuned").slice(4), ["2048 (16×) (all)", "—"]);
  assert.equal(effOf("e2", "g=auto")[4], "2048 (16×) (all)");
  // e2 g=1: 2× √(5.0·4.8) = 4.899 qualifies, 4× √(7.0·6.6) = 6.797 does not.
  assert.equal(effOf("e2", "g=1")[4], "256 (2×)");
  // A wider margin moves yarn to 8× (limit 8.0: 6.4, 6.0 qualify; 9.0 does not).
  const series = summarize(combined);
  const bySeed = basePplBySeed(combined);
  assert.deepEqual([...bySeed], [[0, 4.0]]);
  const yarn = series.find((s) => s.method === "yarn")!;
  const ref = baseReferenceFor(yarn, bySeed);
  assert.deepEqual(ref, { ppl: 4.0, seeds: [0] });
  assert.equal(effectiveLength(yarn, combined.lengths, 128, 2, ref).length, 1024);
  assert.equal(effectiveLength(yarn, combined.lengths, 128, 1.2, ref).length, 256);
  // 1.05 × 4.0 = 4.2 < yarn's own 4.1? no: 4.1 ≤ 4.2 qualifies, 2× 4.4 does not.
  assert.equal(effectiveLength(yarn, combined.lengths, 128, 1.05, ref).length, 128);
  assert.throws(() => effectiveLength(yarn, combined.lengths, 128, 1, ref), /margin must be/);
});

Deno.test("effective length: a method uniformly worse than the base does not win", async () => {
  // Hand-made: linear / finetuned flat at 8.0 (twice the base's 4.0) at every length.
  const doc = structuredClone(combined);
  const pi = doc.runs.find((r) => r.method === "linear" && r.variant === "finetuned")!;
  for (const e of pi.evals) e.ppl = 8, e.pplCiLow = 7.9, e.pplCiHigh = 8.1;
  const series = summarize(doc).find((s) => s.method === "linear" && s.variant === "finetuned")!;
  // Against its own 1× PPL it would score "all"; against the base it has none, at +100% cost.
  const own = effectiveLength(series, doc.lengths, 128, 1.5);
  assert.equal(own.reference, "own");
  assert.equal(own.length, 2048);
  assert.ok(own.reachedLongest);
  const base = effectiveLength(series, doc.lengths, 128, 1.5, { ppl: 4, seeds: [0] });
  assert.equal(base.reference, "base");
  assert.equal(base.length, 0);
  assert.equal(base.cost1x, 2);
  assert.deepEqual(base.stoppedAt, { length: 128, reason: "above margin" });
  const md = (await buildReport(doc))["report.md"];
  assert.deepEqual(rowOf(mdTableRows(md, "Effective length"), "linear", "finetuned").slice(2), [
    "4.000",
    "8.000",
    "+100%",
    "6.000",
    "none (1× above limit)",
    "1× (above margin)",
  ]);
  // Without any base run the series' own 1× PPL is the reference, and the table says so.
  doc.runs = doc.runs.filter((r) => r.variant !== "no-finetune");
  const md2 = (await buildReport(doc))["report.md"];
  const row = rowOf(mdTableRows(md2, "Effective length"), "linear", "finetuned").slice(2);
  assert.deepEqual(row, ["8.000 (own 1×)", "8.000", "+0%", "12.00", "2048 (16×) (all)", "—"]);
});

Deno.test("the g = 1 question is answered from the paired ratios", () => {
  const md = combinedReport["report.md"];
  const start = md.indexOf("## Does E² with g = 1");
  const para = md.slice(start, md.indexOf("\n## ", start + 1));
  // Paired over the two seeds (t(1) = 12.71): at 8× e2/control = 16/30 and 15/31, ln ratios
  // −0.629 and −0.726, mean −0.677 ± 12.71 · 0.068 / √2 = ± 0.61 → interval below 1; likewise at
  // 16× (40/80, 38/84); at 2× (5.0/5.2, 4.8/5.6) and 4× the interval contains 1.
  assert.match(para, /\*\*Partly\.\*\*/);
  assert.match(
    para,
    /lower perplexity \(the 95% interval of the paired ratio e2 \/ control excludes 1\) at 1024 \(8×\) and 2048 \(16×\)/,
  );
  assert.match(para, /the ratio's interval contains 1 at 256 \(2×\) and 512 \(4×\)/);
  assert.match(para, /1024 \(8×\) ×0\.508 \[0\.274, 0\.943\], 2 seeds/);
  assert.match(para, /38\.99 \[28\.14, 54\.01\] for e2 \/ g=1 against 81\.98 \[60\.13, 111\.8\]/);

  const doc = structuredClone(combined);
  const e2g1 = doc.runs.filter((r) => r.method === "e2" && r.variant === "g=1");
  const defaults = doc.runs.filter((r) => r.method === "default");
  // Same numbers as the control: every interval overlaps → inconclusive.
  e2g1.forEach((r, i) => (r.evals = structuredClone(defaults[i].evals)));
  let answer = answerG1Question(summarize(doc), doc.lengths, 128, 1.5);
  assert.equal(answer.verdict, "inconclusive");
  assert.match(answer.text, /^\*\*Inconclusive\.\*\*/);
  // Ten times worse everywhere beyond 1×: no.
  for (const r of e2g1) {
    for (const e of r.evals.slice(1)) {
      e.ppl *= 10, e.pplCiLow *= 10, e.pplCiHigh *= 10;
    }
  }
  answer = answerG1Question(summarize(doc), doc.lengths, 128, 1.5);
  assert.equal(answer.verdict, "no");
  assert.equal(answer.perLength.filter((p) => p.outcome === "worse").length, 4);
  doc.runs = doc.runs.filter((r) => r.method !== "e2");
  answer = answerG1Question(summarize(doc), doc.lengths, 128, 1.5);
  assert.equal(answer.verdict, "unknown");
  assert.match(answer.text, /no e2 \/ g=1 runs/);
});

Deno.test("combineSeeds: one seed keeps its interval, several use log-scale t and windows", () => {
  assert.deepEqual(combineSeeds([{ ppl: 5, low: 4, high: 6 }]), { ppl: 5, low: 4, high: 6 });
  const same = combineSeeds([{ ppl: 5, low: 4, high: 6 }, { ppl: 5, low: 4.5, high: 5.5 }]);
  assert.ok(Math.abs(same.ppl - 5) < 1e-12);
  assert.ok(Math.abs(same.low - Math.sqrt(18)) < 1e-12, "window interval when seeds agree");
  const c = combineSeeds([{ ppl: 4, low: 3.88, high: 4.12 }, {
    ppl: 4.2,
    low: 4.074,
    high: 4.326,
  }]);
  assert.ok(Math.abs(c.ppl - 4.0987803) < 1e-6);
  assert.ok(Math.abs(c.low - 3.0063464) < 1e-6);
});

Deno.test("report.html is self-contained and holds three rendered SVG charts", () => {
  const html = combinedReport["report.html"];
  assert.match(html, /^<!doctype html>/);
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /<link/i);
  assert.doesNotMatch(html, /@import|url\((?!#)/i);
  assert.doesNotMatch(html, /\s(src|href)\s*=\s*["']?(https?:)?\/\//i);
  const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
  assert.equal(svgs.length, 3, "PPL chart, passkey heatmaps, loss curves");
  for (const svg of svgs) {
    assert.match(svg, /<path /, "marks were drawn");
    assert.match(svg, /viewBox="0 0 \d+ \d+"/);
  }
  assert.match(svgs[0], /Perplexity vs context length/);
  // legends: colour per method, dash per variant
  for (const name of ["method", "variant", "default", "e2", "finetuned", "no-finetune", "g=1"]) {
    assert.match(svgs[0], new RegExp(`>${name}<`), `legend names ${name}`);
  }
  assert.match(svgs[0], /stroke-dasharray="6,3"/, "no-finetune dashed");
  assert.match(svgs[0], />2,048</, "log axis labelled at the evaluated lengths");
  assert.match(svgs[1], />default \/ finetuned</, "one heatmap per series");
  assert.match(svgs[1], />25%</, "cells labelled with accuracy");
  assert.match(svgs[1], /url\(#passkey-0\)/, "legend gradient id renamed per chart");
  assert.match(svgs[2], />base pretraining</);
  const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
  assert.equal(new Set(ids).size, ids.length, "element ids are unique across charts");
  assert.match(html, /<table>[\s\S]*4\.099 \[3\.006, 5\.588\]/);
  assert.match(html, /<strong>Partly\.<\/strong>/);
});

Deno.test("renderSvg works headless on a minimal spec", async () => {
  const svg = await renderSvg({
    data: { values: [{ x: 1, y: 2 }, { x: 2, y: 3 }] },
    mark: "line",
    encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } },
  }, "t");
  assert.match(svg, /^<svg [^>]*width="\d+"/);
  assert.match(svg, /<path [^>]*d="M/);
});

/** Strip what legitimately differs between two reports of the same runs: provenance. */
function body(files: Record<string, string>) {
  const md = files["report.md"], html = files["report.html"];
  return {
    csv: files["results.csv"],
    rows: JSON.parse(files["results.json"]).rows,
    md: md.slice(md.indexOf("\n## ")),
    html: html.slice(html.indexOf("<main>")),
  };
}

async function readOut(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of ["results.json", "results.csv", "report.md", "report.html"]) {
    out[f] = await Deno.readTextFile(join(dir, f));
  }
  return out;
}

Deno.test("CLI: report --merge of two partial folders equals the report of the combined folder", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "e2llm-report-" });
  const merged = join(tmp, "merged"), single = join(tmp, "single");
  let r = await runCli("report", "--merge", A, B, "--out", merged);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /report of 11 runs written/);
  r = await runCli("report", COMBINED, "--out", single);
  assert.equal(r.code, 0, r.stderr);
  const m = await readOut(merged), s = await readOut(single);
  assert.deepEqual(body(m), body(s));
  assert.match(m["report.md"], /Merged from 2 folders/);
  const mergedDoc = JSON.parse(m["results.json"]);
  assert.deepEqual(mergedDoc.mergedFrom.map((x: { runs: number }) => x.runs), [5, 6]);
  // The merged folder is itself a valid input: its report is the same.
  const again = await buildReport(await readResultsFolder(merged));
  assert.deepEqual(body(again), body(m));
  await Deno.remove(tmp, { recursive: true });
});

Deno.test("CLI: report <dir> writes the four files in place; margin, flags and errors", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "e2llm-report-" });
  await Deno.copyFile(join(A, "results.json"), join(tmp, "results.json"));
  let r = await runCli("report", tmp, "--margin", "2");
  assert.equal(r.code, 0, r.stderr);
  const files = await readOut(tmp);
  assert.match(files["report.md"], /within 2× the base model's PPL at R/);
  // A's linear/no-finetune: limit 8.0 → 4× 5.5 and 8× 7.0 qualify, 16× 9.5 does not.
  assert.equal(
    rowOf(mdTableRows(files["report.md"], "Effective length"), "linear", "no-finetune")[6],
    "1024 (8×)",
  );
  r = await runCli("report", tmp, "--frobnicate");
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /--frobnicate/);
  r = await runCli("report", tmp, "--margin", "0.9");
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /margin must be a number > 1/);
  r = await runCli("report", A, B);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /--merge/);
  const bad = await withBadFolder((d) => (d.runs[0].evals[1].pplCiHigh = "wide" as never));
  r = await runCli("report", "--merge", A, bad, "--out", join(tmp, "x"));
  assert.equal(r.code, 1);
  assert.ok(r.stderr.includes(bad), r.stderr);
  assert.match(r.stderr, /runs\[0\]\.evals\[1\]\.pplCiHigh/);
  await Deno.remove(tmp, { recursive: true });
});

Deno.test("merge rules: identical duplicates once, ok replaces failed, conflicts name both folders", async () => {
  const a = await readResultsFolder(A), b = await readResultsFolder(B);
  const opts = { createdAt: "2025-06-03T00:00:00Z", command: "test" };
  // The same folder twice: identical runs are kept once.
  const twice = mergeResults([{ folder: "a1", doc: a }, { folder: "a2", doc: a }], opts);
  assert.equal(twice.runs.length, 5);
  // A rerun that succeeded replaces the failure, in either order.
  const rerun = structuredClone(b);
  const ntk = rerun.runs.find((r) => r.method === "ntk")!;
  ntk.status = "ok";
  delete ntk.error;
  ntk.evals = structuredClone(rerun.runs.find((r) => r.method === "yarn")!.evals);
  rerun.runs = [ntk];
  for (const order of [[b, rerun], [rerun, b]]) {
    const m = mergeResults(order.map((doc, i) => ({ folder: `f${i}`, doc })), opts);
    assert.equal(m.runs.find((r) => r.method === "ntk")!.status, "ok");
  }
  // Two different ok results for the same run: an error naming both folders.
  const changed = structuredClone(a);
  changed.runs[0].evals[0].ppl = 4.01;
  assert.throws(
    () => mergeResults([{ folder: "runs/m1", doc: a }, { folder: "runs/m2", doc: changed }], opts),
    /run default\/finetuned\/seed 0 is in both runs\/m1 and runs\/m2/,
  );
  const otherR = structuredClone(b);
  otherR.trainLength = 256;
  assert.throws(
    () => mergeResults([{ folder: "runs/m1", doc: a }, { folder: "runs/m2", doc: otherR }], opts),
    /cannot merge runs\/m2 into runs\/m1: trainLength differs \(128 vs 256\)/,
  );
  const otherModel = structuredClone(b);
  otherModel.model.layers = 4;
  assert.throws(
    () => mergeResults([{ folder: "m1", doc: a }, { folder: "m2", doc: otherModel }], opts),
    /model\.layers differs \(2 vs 4\)/,
  );
  const otherBase = structuredClone(b);
  otherBase.bases[0].trainTokens = 1;
  assert.throws(
    () => mergeResults([{ folder: "m1", doc: a }, { folder: "m2", doc: otherBase }], opts),
    /bases \(seed 0\)\.trainTokens is 262144 in m1 but 1 in m2/,
  );
});
