import assert from "node:assert/strict";
import { join } from "node:path";
import { exportHf, TrainConfig, trainRun } from "@e2llm/train";

const tinyConfig = (model: Record<string, unknown> = {}) =>
  TrainConfig.parse({
    model: { dModel: 32, nLayers: 2, nHeads: 2, mlpWidth: 48, trainLength: 32, ...model },
    data: { passkeyRate: 0 },
    batchSize: 4,
    steps: 3,
    logEvery: 1,
  });

Deno.test("train --init <HF folder> fine-tunes bitwise like --init <the run it was exported from>", async () => {
  const dir = await Deno.makeTempDir({ prefix: "e2llm-hf-init-" });
  try {
    const base = join(dir, "base"), hf = join(dir, "hf");
    await trainRun({ config: tinyConfig(), out: base, quiet: true, tune: false });
    await exportHf({ run: base, out: hf });
    const config = tinyConfig();
    const fromRun = await trainRun({
      config,
      out: join(dir, "a"),
      init: base,
      quiet: true,
      tune: false,
    });
    const fromHf = await trainRun({
      config,
      out: join(dir, "b"),
      init: hf,
      quiet: true,
      tune: false,
    });
    assert.equal(fromHf.lossCurve.length, 3);
    assert.deepEqual(fromHf.lossCurve, fromRun.lossCurve);
    await assert.rejects(
      trainRun({
        config: tinyConfig({ normEps: 1e-6 }),
        out: join(dir, "c"),
        init: hf,
        quiet: true,
        tune: false,
      }),
      /--init .*: model\.normEps is 0\.00001 in its config\.json, 0\.000001 in the run config/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
