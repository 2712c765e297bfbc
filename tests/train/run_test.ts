import assert from "node:assert/strict";
import { join } from "node:path";
import {
  loadCheckpoint,
  MetricsLog,
  NonFiniteError,
  ResumeMismatchError,
  TrainConfig,
  trainRun,
} from "@e2llm/train";
import { runCli } from "../cli/helpers.ts";

/** A model small enough to train a few steps in seconds on llvmpipe. */
const tinyConfig = (overrides: Record<string, unknown> = {}) =>
  TrainConfig.parse({
    model: { dModel: 32, nLayers: 2, nHeads: 2, mlpWidth: 48, trainLength: 32 },
    data: { passkeyRate: 0 },
    batchSize: 4,
    steps: 6,
    logEvery: 2,
    checkpointEvery: 3,
    ...overrides,
  });

Deno.test("a resumed run continues bitwise identically to an uninterrupted one", async () => {
  const dir = await Deno.makeTempDir({ prefix: "e2llm-resume-" });
  try {
    const config = tinyConfig({ encoding: { name: "e2", config: { max_scale: 4 } } });
    const whole = await trainRun({ config, out: join(dir, "whole"), quiet: true, tune: false });
    const part = await trainRun({
      config,
      out: join(dir, "part"),
      quiet: true,
      stopAfter: 3,
      tune: false,
    });
    assert.equal(part.steps, 3);
    // another config (other than steps) is refused with a typed error naming the field
    const other = tinyConfig({
      encoding: { name: "e2", config: { max_scale: 4 } },
      optim: { lr: 1e-2 },
      steps: 9,
    });
    await assert.rejects(
      trainRun({ config: other, out: join(dir, "part"), resume: join(dir, "part"), quiet: true }),
      (err: unknown) =>
        err instanceof ResumeMismatchError && err.field === "optim.lr" && err.now === 1e-2 &&
        /cannot resume: .*\(optim\.lr: [0-9.e-]+ there, 0\.01 now; only "steps" may change/
          .test(err.message),
    );
    const resumed = await trainRun({
      config,
      out: join(dir, "part"),
      resume: join(dir, "part"),
      quiet: true,
      tune: false,
    });
    assert.equal(resumed.steps, 6);
    const a = await MetricsLog.read(join(dir, "whole", "metrics.jsonl"));
    const b = await MetricsLog.read(join(dir, "part", "metrics.jsonl"));
    assert.deepEqual(b.map((r) => r.step), [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(b.map((r) => r.loss), a.map((r) => r.loss));
    assert.deepEqual(b.map((r) => r.gradNorm), a.map((r) => r.gradNorm));
    const wa = await loadCheckpoint(whole.checkpointDir);
    const wb = await loadCheckpoint(resumed.checkpointDir);
    for (const [name, t] of wa.weights) {
      assert.deepEqual(wb.weights.get(name)!.data, t.data, `weights ${name} differ`);
    }
    assert.ok(a[5].loss < a[0].loss, `loss did not fall: ${a[0].loss} → ${a[5].loss}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a non-finite loss stops the run naming the step and keeps the last good checkpoint", async () => {
  const dir = await Deno.makeTempDir({ prefix: "e2llm-nan-" });
  try {
    const config = tinyConfig({
      optim: { lr: 1e38, minLr: 1e38, warmupSteps: 0, gradClip: 1 },
      logEvery: 1,
      checkpointEvery: 1,
    });
    const err = await assert.rejects(
      () => trainRun({ config, out: dir, quiet: true, tune: false }),
      NonFiniteError,
    ) as unknown;
    void err;
    const ckpt = await loadCheckpoint(join(dir, "checkpoint"));
    assert.ok(ckpt.step >= 1, "a checkpoint from before the blow-up exists");
    for (const [name, t] of ckpt.weights) {
      assert.ok(t.data.every(Number.isFinite), `checkpoint tensor ${name} is not finite`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("train refuses a bad config naming the field, and a bad flag naming the flag", async () => {
  const dir = await Deno.makeTempDir({ prefix: "e2llm-badcfg-" });
  try {
    const file = join(dir, "config.json");
    await Deno.writeTextFile(file, JSON.stringify({ model: { dModel: 32, nHeads: 3 }, stepz: 4 }));
    const r = await runCli("train", "--config", file, "--out", join(dir, "out"));
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /stepz/);
    assert.match(r.stderr, /nHeads/);
    const flag = await runCli("train", "--steps", "many");
    assert.notEqual(flag.code, 0);
    assert.match(flag.stderr, /--steps/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
