import assert from "node:assert/strict";
import { join } from "node:path";
import { compareCommand } from "../../cli/compare.ts";
import { evalCommand } from "../../cli/eval.ts";
import type { EvalOutput } from "@e2llm/eval";
import { readResultsFolder } from "@e2llm/eval";
import { TrainConfig } from "@e2llm/train";
import type { Scorer } from "@e2llm/train";
import { ropeInvFreq } from "@e2llm/encodings";
import { fakeBackend, fakeDocs, type RecordingScorer } from "./fakes.ts";
import { runCli } from "../cli/helpers.ts";

/** Run `fn` with console.log and console.error silenced; returns what was logged. */
async function quietly(fn: () => Promise<unknown>): Promise<string> {
  const { log, error } = console;
  let text = "";
  console.log = (...a: unknown[]) => void (text += a.join(" ") + "\n");
  console.error = () => {};
  try {
    await fn();
  } finally {
    console.log = log;
    console.error = error;
  }
  return text;
}

Deno.test("eval and compare: bad flags exit non-zero naming the flag", async () => {
  const cases: [string[], RegExp][] = [
    [["eval", "--frobnicate"], /--frobnicate/],
    [["eval"], /--checkpoint/],
    [["eval", "--checkpoint", "x", "--windows", "0"], /--windows/],
    [["eval", "--checkpoint", "x", "--lengths", "128,abc"], /--lengths.*abc/],
    [["compare", "--preset", "huge"], /--preset.*huge/],
    [["compare", "--methods", "default,rope2", "--dry-run"], /rope2/],
  ];
  for (const [args, pattern] of cases) {
    const r = await runCli(...args);
    assert.notEqual(r.code, 0, args.join(" "));
    assert.match(r.stderr, pattern, args.join(" "));
  }
});

Deno.test("compare --dry-run prints the plan; a bad --config field is named", async () => {
  const r = await runCli("compare", "--preset", "smoke", "--dry-run");
  assert.equal(r.code, 0, r.stderr);
  const trains = r.stdout.split("\n").filter((l) => l.startsWith("train "));
  assert.equal(trains.length, 7);
  const budgets = trains.slice(1).map((l) => l.match(/= (\d+) tokens/)![1]);
  assert.equal(new Set(budgets).size, 1);
  assert.match(trains.find((l) => l.includes("linear-seed0"))!, /× 2048 =/);
  assert.equal(r.stdout.split("\n").filter((l) => l.startsWith("run ")).length, 10);

  const dir = await Deno.makeTempDir();
  try {
    const file = join(dir, "bad.json");
    await Deno.writeTextFile(file, JSON.stringify({ finetune: { batchSize: 12 } }));
    const bad = await runCli("compare", "--preset", "smoke", "--config", file, "--dry-run");
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /finetune\.batchSize/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("eval: the checkpoint's encoding by default, JSON out, table printed", async () => {
  const dir = await Deno.makeTempDir({ prefix: "e2llm-eval-" });
  try {
    const backend = fakeBackend(fakeDocs());
    const config = TrainConfig.parse({
      model: { dModel: 16, nLayers: 1, nHeads: 2, mlpWidth: 16 },
      encoding: { name: "linear", config: { factor: 4 } },
      steps: 1,
      batchSize: 1,
    });
    const run = await backend.trainRun({ config, out: join(dir, "run") });
    const scorers: RecordingScorer[] = [];
    const open = backend.openScorer;
    backend.openScorer = async (d: string): Promise<Scorer> => {
      const s = await open(d) as RecordingScorer;
      scorers.push(s);
      return s;
    };
    const outFile = join(dir, "eval.json");
    const args = [
      ["--checkpoint", run.checkpointDir, "--lengths", "128,512", "--windows", "2"],
      ["--passkey-trials", "1", "--passkey-depths", "0,1", "--split", "validation"],
      ["--out", outFile],
    ].flat();
    const printed = await quietly(() =>
      evalCommand(() => backend).exitOverride().parseAsync(args, { from: "user" })
    );
    const out: EvalOutput = JSON.parse(await Deno.readTextFile(outFile));
    assert.equal(out.encoding.name, "linear");
    assert.deepEqual(out.evals.map((e) => e.length), [128, 512]);
    assert.equal(out.evals[0].windows, 2);
    assert.equal(out.protocol.stride, null);
    assert.match(out.protocol.dataset, /validation split/);
    assert.match(printed, /128 +1 +[\d.]+ +\[/);
    const plain = ropeInvFreq(8, 10000);
    assert.ok(scorers[0].calls.every((c) => Math.abs(c.invFreq[3] - plain[3] / 4) < 1e-12));
    assert.ok(scorers[0].disposed);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("compare CLI: --config over a preset, results in --out, --strict on failure", async () => {
  const dir = await Deno.makeTempDir({ prefix: "e2llm-cmp-cli-" });
  try {
    const cfg = join(dir, "small.json");
    await Deno.writeTextFile(
      cfg,
      JSON.stringify({
        eval: { ratios: [1, 2], windows: 2, passkeyTrials: 0, split: "validation" },
      }),
    );
    const backend = fakeBackend(fakeDocs(), {
      fail: (o) => o.config.encoding.name === "pose" ? "pose exploded" : undefined,
    });
    const out = join(dir, "out");
    const args = ["--preset", "smoke", "--config", cfg, "--methods", "default,pose", "--out", out];
    await quietly(() =>
      compareCommand(() => backend).exitOverride().parseAsync(args, { from: "user" })
    );
    const doc = await readResultsFolder(out);
    assert.equal(doc.preset, "smoke+config");
    assert.deepEqual(doc.lengths, [128, 256]);
    assert.match(doc.command, /--methods default,pose/);
    assert.deepEqual(doc.runs.map((r) => [r.method, r.status]), [
      ["default", "ok"],
      ["pose", "failed"],
    ]);
    await assert.rejects(
      quietly(() =>
        compareCommand(() => backend).exitOverride().parseAsync([...args, "--strict"], {
          from: "user",
        })
      ),
      /--strict: 1 runs failed: pose\/finetuned\/seed 0/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
