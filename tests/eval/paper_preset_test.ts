/** The `paper` preset: E²-LLM's experiments as a compare plan (three seeds, one base per seed). */
import assert from "node:assert/strict";
import {
  COMPARE_METHODS,
  DEFAULT_METHODS,
  fixedScaleVariant,
  PAPER_FINETUNE_STEPS,
  planCompare,
  planSummary,
  readResultsFolder,
  resolveCompareConfig,
  runCompare,
} from "@e2llm/eval";
import { join } from "node:path";
import { runCli } from "../cli/helpers.ts";
import { fakeBackend, fakeDocs } from "./fakes.ts";

const docs = fakeDocs(3, 4200);

Deno.test("paper preset: three bases, one E² fine-tuning evaluated at g = 4, 8, 16 and 20–50", () => {
  const c = resolveCompareConfig("paper");
  const plan = planCompare(c);
  const R = c.model.trainLength;
  assert.equal(R, 128);
  assert.deepEqual(c.seeds, [0, 1, 2]);
  const bases = plan.trainings.filter((t) => t.kind === "base");
  assert.deepEqual(bases.map((b) => b.id), ["base-seed0", "base-seed1", "base-seed2"]);
  // Every seed's fine-tunings start from that seed's base.
  for (const t of plan.trainings.filter((t) => t.kind === "finetune")) {
    assert.equal(t.init, `base-seed${t.seed}`, t.id);
  }
  const e2 = plan.runs.filter((r) => r.method === "e2" && r.seed === 1);
  assert.deepEqual(e2.map((r) => r.variant), [
    "g=auto",
    "g=1",
    "g=4",
    "g=8",
    "g=16",
    "g=20",
    "g=30",
    "g=40",
    "g=50",
  ]);
  assert.ok(e2.every((r) => r.trainRef === "e2-seed1" && r.checkpointOf === "e2-seed1"));
  const at = (v: string) => e2.find((r) => r.variant === v)!;
  assert.deepEqual(at("g=4").lengths, [1, 2, 4].map((x) => x * R));
  assert.deepEqual(at("g=8").lengths, [1, 2, 4, 8].map((x) => x * R));
  assert.deepEqual(at("g=16").lengths, [1, 2, 4, 8, 16].map((x) => x * R));
  assert.deepEqual(at("g=30").lengths, [30 * R]);
  assert.equal(at("g=30").encoding.config.eval_scale, 30);
  assert.equal(at("g=auto").encoding.config.max_scale, 20);
  assert.deepEqual(plan.lengths, [1, 2, 4, 8, 16, 20, 30, 40, 50].map((x) => x * R));
  // Table 4 / 5 ablations and the earlier reading.
  const ft = (id: string) => plan.trainings.find((t) => t.id === id)!.config;
  assert.equal(ft("e2-no-t-seed0").encoding.config.shift, "none");
  assert.deepEqual(ft("e2-no-g-seed0").encoding.config.scales, [2]);
  assert.equal(ft("e2-gmax5-seed0").encoding.config.max_scale, 5);
  assert.equal(ft("e2-gmax30-seed0").encoding.config.max_scale, 30);
  assert.equal(ft("e2-split-seed0").encoding.config.split, "uniform");
  assert.deepEqual(
    plan.runs.find((r) => r.method === "e2-no-t")!.lengths,
    [R, 8 * R],
  );
  // PI at 16× R with the same tokens; the budget question at 1/8, 1/2 and all of the steps.
  assert.equal(ft("linear-seed0").seqLength, 16 * R);
  assert.equal(
    plan.trainings.find((t) => t.id === "linear-seed0")!.tokens,
    plan.trainings.find((t) => t.id === "e2-seed0")!.tokens,
  );
  assert.equal(ft("e2-early-seed0").steps, Math.round(PAPER_FINETUNE_STEPS / 8));
  assert.equal(ft("default-mid-seed0").steps, Math.round(PAPER_FINETUNE_STEPS / 2));
  assert.equal(ft("e2-seed0").steps, PAPER_FINETUNE_STEPS);
  // plan.json lists a run's own lengths only where they differ from the plan's.
  const summary = planSummary(plan) as { runs: { variant: string; lengths?: number[] }[] };
  assert.deepEqual(summary.runs.find((r) => r.variant === "g=30")!.lengths, [30 * R]);
});

Deno.test("standard preset: the paper's E², no ablations by default", () => {
  const c = resolveCompareConfig("standard");
  assert.deepEqual(c.methods, [...DEFAULT_METHODS]);
  assert.ok(COMPARE_METHODS.length > DEFAULT_METHODS.length);
  const plan = planCompare(c);
  const e2 = plan.trainings.find((t) => t.id === "e2-seed0")!;
  assert.deepEqual(e2.config.encoding.config, { rope_type: "e2", max_scale: 20 });
  assert.ok(plan.runs.every((r) => r.lengths.length === 5));
  assert.deepEqual(fixedScaleVariant(8, [1, 2, 4, 8, 16]).ratios, [1, 2, 4, 8]);
  assert.deepEqual(fixedScaleVariant(40, [1, 2, 4, 8, 16]).ratios, [40]);
});

Deno.test("CLI: compare --preset paper --dry-run prints the plan and its cost", async () => {
  const r = await runCli("compare", "--preset", "paper", "--dry-run");
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /train base-seed2 /);
  assert.match(r.stdout, /run {3}e2\/g=30 .*seed 0 on e2-seed0 at 3840/);
  assert.match(r.stdout, /training tokens: /);
});

Deno.test("compare with the paper preset's recipes (fake backend): own lengths, paper sections", async () => {
  const out = await Deno.makeTempDir({ prefix: "e2llm-paper-" });
  try {
    const config = resolveCompareConfig("paper", {
      seeds: [0, 1],
      methods: ["default", "linear", "e2", "e2-no-t", "e2-early", "default-early", "e2-split"],
      eval: { windows: 2, windowTokens: 0, fixedScales: [4, 16, 20], ratios: [1, 2, 4, 8, 16] },
    });
    const backend = fakeBackend(docs);
    const r = await runCompare({
      config,
      out,
      backend,
      loadDocs: () => Promise.resolve(docs),
      log: () => {},
      quiet: true,
    });
    assert.deepEqual(r.failed, []);
    const doc = await readResultsFolder(out);
    const R = doc.trainLength;
    assert.deepEqual(doc.lengths, [1, 2, 4, 8, 16, 20].map((x) => x * R));
    const lengthsOf = (m: string, v: string) =>
      doc.runs.find((x) => x.method === m && x.variant === v && x.seed === 1)!.evals
        .map((e) => e.length / R);
    assert.deepEqual(lengthsOf("e2", "g=4"), [1, 2, 4]);
    assert.deepEqual(lengthsOf("e2", "g=20"), [20]);
    assert.deepEqual(lengthsOf("e2-no-t", "g=auto"), [1, 8]);
    assert.deepEqual(lengthsOf("e2", "g=auto"), [1, 2, 4, 8, 16]);
    // one fine-tuning per method and seed; the early budget is 1/8 of the steps
    const early = backend.log.trained.filter((t) => t.config.encoding.name === "e2")
      .map((t) => t.config.steps).sort((a, b) => a - b);
    assert.deepEqual(early, [32, 32, 256, 256, 256, 256, 256, 256]);
    const md = await Deno.readTextFile(join(out, "report.md"));
    for (
      const title of [
        "## Paper Table 3: one E² model, g fixed per row",
        "## Paper Table 3: claims",
        "## Paper Table 4: ablation of t and g (at 8× R)",
        "## The g = 1 question, by fine-tuning budget",
        "## Ablation: our earlier reading (random split point)",
      ]
    ) assert.ok(md.includes(title), title);
    assert.match(md, /\| paper: E²-64k \(g = 16\) \| 3\.06 \| 2\.81 \| 2\.62 \| 2\.51 \| 2\.56 \|/);
    const html = await Deno.readTextFile(join(out, "report.html"));
    assert.match(html, /<section id="paper-t3-claims">/);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});
