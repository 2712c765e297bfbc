import assert from "node:assert/strict";
import { join } from "node:path";
import {
  type CompareConfig,
  planCompare,
  readResultsFolder,
  resolveCompareConfig,
  runCompare,
} from "@e2llm/eval";
import { ResumeMismatchError } from "@e2llm/train";
import type { TrainRunOptions } from "@e2llm/eval";
import { fakeBackend, fakeDocs } from "./fakes.ts";

const docs = fakeDocs(3, 4200);
const SMALL_EVAL = {
  eval: { windows: 2, windowTokens: 0, passkeyTrials: 1, passkeyDepths: [0, 1] },
};

function smallConfig(over: Record<string, unknown> = {}): CompareConfig {
  return resolveCompareConfig("smoke", { ...SMALL_EVAL, ...over });
}

async function compare(
  out: string,
  backend: ReturnType<typeof fakeBackend>,
  config = smallConfig(),
) {
  return await runCompare({
    config,
    out,
    backend,
    loadDocs: () => Promise.resolve(docs),
    log: () => {},
    quiet: true,
  });
}

const ALL_RUNS = [
  "default/finetuned/seed 0",
  "linear/finetuned/seed 0",
  "linear/no-finetune/seed 0",
  "ntk/finetuned/seed 0",
  "ntk/no-finetune/seed 0",
  "yarn/finetuned/seed 0",
  "yarn/no-finetune/seed 0",
  "pose/finetuned/seed 0",
  "e2/g=auto/seed 0",
  "e2/g=1/seed 0",
];
const keys = (runs: { method: string; variant: string; seed: number }[]) =>
  runs.map((r) => `${r.method}/${r.variant}/seed ${r.seed}`).sort();

Deno.test("plan: one base per seed, every method the same fine-tuning tokens", () => {
  const c = resolveCompareConfig("smoke", { seeds: [0, 1] });
  const plan = planCompare(c);
  const R = c.model.trainLength;
  assert.deepEqual(plan.lengths, [R, 2 * R, 4 * R, 8 * R, 16 * R]);
  const bases = plan.trainings.filter((t) => t.kind === "base");
  assert.deepEqual(bases.map((b) => b.id), ["base-seed0", "base-seed1"]);
  assert.ok(bases.every((b) => b.config.encoding.name === "default" && b.config.seqLength === R));
  const fts = plan.trainings.filter((t) => t.kind === "finetune");
  assert.equal(fts.length, 12);
  const budget = c.finetune.steps * c.finetune.batchSize * R;
  for (const t of fts) {
    assert.equal(t.tokens, budget, t.id);
    assert.equal(t.config.steps, c.finetune.steps, t.id);
    assert.equal(t.init, `base-seed${t.seed}`);
    assert.equal(t.config.seed, t.seed);
    assert.equal(t.config.data.seed, c.data.seed + t.seed);
    const atTarget = ["linear", "ntk", "yarn"].includes(t.method!);
    assert.equal(t.config.seqLength, atTarget ? 16 * R : R, t.id);
    assert.equal(t.config.batchSize, atTarget ? c.finetune.batchSize / 16 : c.finetune.batchSize);
    if (atTarget) assert.equal(t.config.encoding.config.factor, 16);
  }
  const seed0 = plan.runs.filter((r) => r.seed === 0);
  assert.deepEqual(keys(seed0), [...ALL_RUNS].sort());
  const e2 = seed0.filter((r) => r.method === "e2");
  assert.deepEqual(e2.map((r) => r.trainRef), ["e2-seed0", "e2-seed0"]);
  assert.deepEqual(e2.map((r) => r.encoding.config.eval_scale), ["auto", 1]);
  // the paper's E² (g_max 20; 4 sink tokens by the encoding's default)
  assert.equal(e2[0].encoding.config.max_scale, 20);
  assert.equal(e2[0].encoding.config.split, undefined);
  for (const r of seed0.filter((r) => r.variant === "no-finetune")) {
    assert.equal(r.checkpointOf, "base-seed0");
    assert.equal(r.trainRef, undefined);
    assert.ok(r.encoding.factorFromLength);
  }
  const pose = seed0.find((r) => r.method === "pose")!;
  assert.deepEqual(pose.encoding.config, {
    rope_type: "pose",
    factor: 16,
    frequency_scaling: "linear",
  });
});

Deno.test("config: a batch that cannot be split at the target length is named", () => {
  assert.throws(
    () => resolveCompareConfig("smoke", { finetune: { batchSize: 10 } }),
    /finetune\.batchSize: 10 is not a multiple of finetune\.targetRatio 16/,
  );
  assert.throws(() => resolveCompareConfig("smoke", { methods: ["rope2"] }), /methods\.0/);
  assert.throws(() => resolveCompareConfig("smoke", { eval: { windowz: 3 } }), /windowz/);
  const c = resolveCompareConfig("standard", { seeds: [3] });
  assert.equal(c.preset, "standard+config");
  assert.deepEqual(c.seeds, [3]);
});

Deno.test("compare: all runs ok, results.json valid, report written, budgets equal", async () => {
  const out = await Deno.makeTempDir({ prefix: "e2llm-compare-" });
  try {
    const backend = fakeBackend(docs);
    const r = await compare(out, backend);
    assert.deepEqual(r.failed, []);
    assert.deepEqual(keys(r.doc.runs), [...ALL_RUNS].sort());
    const doc = await readResultsFolder(out);
    assert.equal(doc.runs.length, 10);
    assert.ok(doc.runs.every((x) => x.status === "ok" && x.evals.length === 5));
    assert.equal(doc.bases.length, 1);
    assert.equal(doc.bases[0].checkpoint, "seed-0/base/train/checkpoint");
    for (const f of ["report.md", "report.html", "results.csv", "plan.json", "compare.json"]) {
      assert.ok((await Deno.stat(join(out, f))).isFile, f);
    }
    // 1 base + 6 fine-tunes (one for both e2 variants), each from the base checkpoint
    assert.equal(backend.log.trained.length, 7);
    const fts = backend.log.trained.filter((t) => t.init !== undefined);
    assert.ok(fts.every((t) => t.init === join(out, "seed-0/base/train")));
    const tokens = fts.map((t) => t.config.steps * t.config.batchSize * t.config.seqLength!);
    assert.equal(new Set(tokens).size, 1);
    const ok = doc.runs.filter((x) => x.variant !== "no-finetune");
    assert.ok(ok.every((x) => x.trainTokens === tokens[0]));
    const e2 = doc.runs.filter((x) => x.method === "e2");
    assert.deepEqual(e2.map((x) => x.trainRef), ["e2-seed0", "e2-seed0"]);
    const nf = doc.runs.find((x) => x.method === "linear" && x.variant === "no-finetune")!;
    assert.equal(nf.trainTokens, 0);
    assert.deepEqual(nf.evals.map((e) => e.encoding?.factor), [1, 2, 4, 8, 16]);
    // the three no-finetune variants share one scorer load of the base
    assert.equal(backend.log.opened.filter((d) => d.includes("base")).length, 1);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("compare resumes: finished runs and trainings are not repeated", async () => {
  const out = await Deno.makeTempDir({ prefix: "e2llm-compare-" });
  try {
    await compare(out, fakeBackend(docs));
    const again = fakeBackend(docs);
    const r = await compare(out, again);
    assert.equal(again.log.trained.length, 0);
    assert.equal(again.log.opened.length, 0);
    assert.equal(r.reusedRuns.length, 10);
    assert.equal(r.doc.runs.length, 10);
    assert.equal(r.doc.bases.length, 1);
    // interrupted fine-tunings (no training.json, no result): ntk left a checkpoint and is
    // resumed from its folder; yarn left none and is trained again from the base
    for (const m of ["ntk", "yarn"]) {
      await Deno.remove(join(out, `seed-0/${m}/training.json`));
      await Deno.remove(join(out, `seed-0/${m}/finetuned.json`));
    }
    await Deno.remove(join(out, "seed-0/yarn/train/checkpoint"), { recursive: true });
    // the ntk run logged 3 s in a first process and 4 s in a second before this resume
    const elapsed = [1, 2, 3, 0.5, 4];
    await Deno.writeTextFile(
      join(out, "seed-0/ntk/train/metrics.jsonl"),
      elapsed.map((e, i) => JSON.stringify({ step: i + 1, loss: 2, elapsedSeconds: e }) + "\n")
        .join(""),
    );
    await Deno.writeTextFile(join(out, "seed-0/yarn/train/metrics.jsonl"), "");
    const third = fakeBackend(docs);
    const r3 = await compare(out, third);
    assert.deepEqual(third.log.trained.map((t) => [t.config.encoding.name, t.resume, t.init]), [
      ["ntk", join(out, "seed-0/ntk/train"), undefined],
      ["yarn", join(out, "seed-0/yarn/train"), undefined],
      ["yarn", undefined, join(out, "seed-0/base/train")],
    ]);
    assert.deepEqual(r3.evaluated, ["ntk/finetuned/seed 0", "yarn/finetuned/seed 0"]);
    assert.equal(r3.reusedRuns.length, 8);
    assert.deepEqual(r3.failed, []);
    const ntk = r3.doc.runs.find((x) => x.method === "ntk" && x.variant === "finetuned")!;
    assert.equal(ntk.trainSeconds, 3 + 4 + 0.5);
    // another configuration in the same folder is refused, naming the field
    await assert.rejects(
      compare(out, fakeBackend(docs), smallConfig({ finetune: { steps: 9 } })),
      (err: unknown) =>
        err instanceof ResumeMismatchError && err.field === "finetune.steps" &&
        /finetune\.steps: 8 there, 9 now; use another --out/.test(err.message),
    );
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("a failing method is reported failed, the others succeed; a rerun retries it", async () => {
  const out = await Deno.makeTempDir({ prefix: "e2llm-compare-" });
  try {
    const failYarn = (o: TrainRunOptions) =>
      o.config.encoding.name === "yarn" ? "out of memory at step 3" : undefined;
    const r = await compare(out, fakeBackend(docs, { fail: failYarn }));
    assert.deepEqual(r.failed, ["yarn/finetuned/seed 0"]);
    const doc = await readResultsFolder(out);
    const yarn = doc.runs.find((x) => x.method === "yarn" && x.variant === "finetuned")!;
    assert.equal(yarn.status, "failed");
    assert.match(yarn.error!, /fine-tuning yarn-seed0 failed: out of memory at step 3/);
    assert.equal(doc.runs.filter((x) => x.status === "ok").length, 9);
    const md = await Deno.readTextFile(join(out, "report.md"));
    assert.match(md, /out of memory at step 3/);
    // rerun without the fault: only yarn is trained and evaluated again
    const fixed = fakeBackend(docs);
    const r2 = await compare(out, fixed);
    assert.deepEqual(fixed.log.trained.map((t) => t.config.encoding.name), ["yarn"]);
    assert.deepEqual(r2.evaluated, ["yarn/finetuned/seed 0"]);
    assert.deepEqual(r2.failed, []);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("failed evaluations keep the lengths they finished; a failed base fails its runs", async () => {
  const out = await Deno.makeTempDir({ prefix: "e2llm-compare-" });
  try {
    // 16R = 2048 tokens does not fit a scorer of 1500 tokens
    const r = await compare(out, fakeBackend(docs, { maxTokens: 1500 }));
    assert.equal(r.failed.length, 10);
    for (const run of r.doc.runs) {
      assert.deepEqual(run.evals.map((e) => e.length), [128, 256, 512, 1024]);
      assert.match(run.error!, /^evaluation at length 2048 failed: .*maxTokens is 1500/);
    }
  } finally {
    await Deno.remove(out, { recursive: true });
  }
  const out2 = await Deno.makeTempDir({ prefix: "e2llm-compare-" });
  try {
    const noBase = (o: TrainRunOptions) => o.init === undefined ? "diverged" : undefined;
    const backend = fakeBackend(docs, { fail: noBase });
    const r = await compare(out2, backend, smallConfig({ methods: ["default", "linear"] }));
    assert.equal(backend.log.trained.length, 1);
    assert.equal(r.doc.bases.length, 0);
    assert.equal(r.doc.runs.length, 3);
    assert.ok(
      r.doc.runs.every((x) => /base pretraining base-seed0 failed: diverged/.test(x.error!)),
    );
    assert.ok((await readResultsFolder(out2)).runs.every((x) => x.status === "failed"));
  } finally {
    await Deno.remove(out2, { recursive: true });
  }
});

Deno.test("compare --base: no pretraining; every fine-tune starts from the given base", async () => {
  const out = await Deno.makeTempDir({ prefix: "e2llm-compare-" });
  const baseDir = await Deno.makeTempDir({ prefix: "e2llm-base-" });
  try {
    const backend = fakeBackend(docs);
    const config = smallConfig();
    const baseTraining = planCompare(config).trainings.find((t) => t.kind === "base")!;
    await backend.trainRun({ config: baseTraining.config, out: baseDir });
    backend.log.trained.length = 0;
    const r = await runCompare({
      config,
      out,
      backend,
      loadDocs: () => Promise.resolve(docs),
      log: () => {},
      quiet: true,
      base: baseDir,
    });
    assert.deepEqual(r.failed, []);
    assert.equal(backend.log.trained.length, 6); // the fine-tunes only
    assert.ok(backend.log.trained.every((t) => t.init === baseDir));
    assert.ok(backend.log.opened.includes(baseDir));
    assert.equal(r.doc.bases[0].checkpoint, baseDir);
  } finally {
    await Deno.remove(out, { recursive: true });
    await Deno.remove(baseDir, { recursive: true });
  }
});
