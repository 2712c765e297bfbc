/**
 * `train bench-tiny`: training throughput of the reference config, AdamW included; and
 * `train bench-tiny profile`: where one step's GPU time goes, per kernel label.
 */
import { loadEncoding, Rng } from "@e2llm/encodings";
import {
  type BatchSampler,
  createBatchSampler,
  initParams,
  prepareData,
  TrainConfig,
  Trainer,
} from "@e2llm/train";
import type { BenchCase, BenchResult } from "./types.ts";

/** The reference config: vocab 256, d128, 4 layers, 4 heads, SwiGLU 320, 16 × 128. */
export const BENCH_TINY: TrainConfig = TrainConfig.parse({
  model: { vocabSize: 256, dModel: 128, nLayers: 4, nHeads: 4, mlpWidth: 320, trainLength: 128 },
  batchSize: 16,
  logEvery: 10,
});

const CONFIG_LINE = "vocab 256, d128, 4 layers, 4 heads, SwiGLU 320, batch 16 x 128, AdamW";
const WARMUP_STEPS = 3;
const TIMED_STEPS = 10;

/** A bench-tiny trainer at step 0 and its batches; `run(from, steps)` trains and waits. */
async function benchTrainer(device: GPUDevice) {
  const config = BENCH_TINY;
  const trainer = new Trainer(device, config, await loadEncoding("default"));
  await trainer.load({ params: initParams(trainer.model.layout, 0) });
  const sampler: BatchSampler = createBatchSampler(await prepareData(config.data), {
    batchSize: trainer.batch,
    length: trainer.length,
  });
  const rng = new Rng(1);
  const run = async (from: number, steps: number) => {
    for (let s = from; s < from + steps; s++) await trainer.step(s, sampler.next(), rng, 1e-3);
    await trainer.readHistory(from + steps - 1, from + steps); // waits for the GPU
  };
  const close = async () => {
    trainer.dispose();
    await trainer.encoding.close();
  };
  return { trainer, run, close };
}

/** Bench cases of this file. */
export const benches: BenchCase[] = [{
  name: "train bench-tiny",
  async run({ device }) {
    const { trainer, run, close } = await benchTrainer(device);
    try {
      await run(0, WARMUP_STEPS);
      const started = performance.now();
      await run(WARMUP_STEPS, TIMED_STEPS);
      const seconds = (performance.now() - started) / 1000;
      const tokens = TIMED_STEPS * trainer.batch * trainer.length;
      return [{
        name: "train bench-tiny",
        unit: "tokens/s",
        value: tokens / seconds,
        msPerStep: (seconds * 1000) / TIMED_STEPS,
        gpuBytes: trainer.allocatedBytes,
        rssBytes: Deno.memoryUsage().rss,
        config: CONFIG_LINE,
      }];
    } finally {
      await close();
    }
  },
}, {
  name: "train bench-tiny profile",
  async run({ device }) {
    if (!device.features.has("timestamp-query")) return [];
    const { trainer, run, close } = await benchTrainer(device);
    try {
      await run(0, WARMUP_STEPS);
      trainer.recorder.timeDispatches();
      await run(WARMUP_STEPS, 1);
      return profileResults(await trainer.recorder.readDispatchTimes());
    } finally {
      await close();
    }
  },
}];

/**
 * One entry per kernel label (GPU ms summed over the step's dispatches with that label, sorted
 * by time), one for the staging copies between dispatches, and the total.
 */
function profileResults(times: { label: string; ms: number; gapMs: number }[]): BenchResult[] {
  const byLabel = new Map<string, { ms: number; calls: number }>();
  let copies = 0;
  for (const { label, ms, gapMs } of times) {
    const entry = byLabel.get(label) ?? { ms: 0, calls: 0 };
    entry.ms += ms;
    entry.calls++;
    byLabel.set(label, entry);
    copies += gapMs;
  }
  byLabel.set("copies and gaps between dispatches", { ms: copies, calls: 0 });
  const total = [...byLabel.values()].reduce((s, e) => s + e.ms, 0);
  const rows = [...byLabel].sort((a, b) => b[1].ms - a[1].ms).map(([label, e]): BenchResult => ({
    name: `train bench-tiny profile ${label}`,
    unit: "ms",
    value: Number(e.ms.toFixed(3)),
    calls: e.calls,
    share: Number((e.ms / total).toFixed(3)),
  }));
  rows.push({
    name: "train bench-tiny profile total",
    unit: "ms",
    value: Number(total.toFixed(3)),
    calls: times.length,
    share: 1,
    config: CONFIG_LINE,
  });
  return rows;
}
