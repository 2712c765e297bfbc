/** `train bench-tiny`: training throughput of the reference config, AdamW included. */
import { loadEncoding, Rng } from "../encodings/mod.ts";
import { TrainConfig } from "../train/run_config.ts";
import { createBatchSampler, prepareData } from "../train/data/mod.ts";
import { initParams } from "../train/params.ts";
import { Trainer } from "../train/trainer.ts";
import type { BenchCase } from "./types.ts";

/** The reference config: vocab 256, d128, 4 layers, 4 heads, SwiGLU 320, 16 × 128. */
export const BENCH_TINY: TrainConfig = TrainConfig.parse({
  model: { vocabSize: 256, dModel: 128, nLayers: 4, nHeads: 4, mlpWidth: 320, trainLength: 128 },
  batchSize: 16,
  logEvery: 10,
});

const WARMUP_STEPS = 3;
const TIMED_STEPS = 10;

/** Bench cases of this file. */
export const benches: BenchCase[] = [{
  name: "train bench-tiny",
  async run({ device }) {
    const config = BENCH_TINY;
    const trainer = new Trainer(device, config, await loadEncoding("default"));
    try {
      await trainer.load({ params: initParams(trainer.model.layout, 0) });
      const sampler = createBatchSampler(await prepareData(config.data), {
        batchSize: trainer.batch,
        length: trainer.length,
      });
      const rng = new Rng(1);
      const run = async (from: number, steps: number) => {
        for (let s = from; s < from + steps; s++) await trainer.step(s, sampler.next(), rng, 1e-3);
        await trainer.readHistory(from + steps - 1, from + steps); // waits for the GPU
      };
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
        config: "vocab 256, d128, 4 layers, 4 heads, SwiGLU 320, batch 16 x 128, AdamW",
      }];
    } finally {
      trainer.dispose();
      await trainer.encoding.close();
    }
  },
}];
