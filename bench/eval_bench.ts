/**
 * `eval score L=2048` / `eval score L=16384`: scoring throughput (forward, per-token NLL and
 * arg-max hit read back, as `deno task eval` does) of the bench-tiny model at 16× and 128× its
 * training length, against a PyTorch CPU forward of the same model in alternating rounds.
 */
import { Rng } from "@e2llm/encodings";
import { createScorer, GpuModel, headDim, type ScoreBatch } from "@e2llm/train";
import { alternate, type Side } from "./alternate.ts";
import { BENCH_TINY } from "./train_bench.ts";
import type { BenchCase } from "./types.ts";

function scoreCase(length: number, batch: number, calls: number): BenchCase {
  const name = `eval score L=${length}`;
  return {
    name,
    async run({ device }) {
      const config = BENCH_TINY.model, rows = batch * length;
      const model = new GpuModel(device, config, rows, false);
      const scorer = createScorer(device, model);
      const rng = new Rng(3);
      const randomTokens = () =>
        Uint32Array.from({ length: rows }, () => rng.nextU32() % config.vocabSize);
      const { ropeBase } = config, half = headDim(config) / 2;
      const input: ScoreBatch = {
        batch,
        length,
        inputs: randomTokens(),
        targets: randomTokens(),
        positions: Float32Array.from({ length: rows }, (_, i) => i % length),
        invFreq: Float32Array.from({ length: half }, (_, i) => ropeBase ** (-i / half)),
        attentionScale: 1,
      };
      try {
        await scorer.score(input); // compiles the pipelines
        const gpu: Side = {
          run: async (n) => {
            const started = performance.now();
            for (let i = 0; i < n; i++) await scorer.score(input);
            return (performance.now() - started) / 1000;
          },
        };
        return await alternate({
          name,
          gpu,
          tokensPerCall: rows,
          calls,
          rounds: 3,
          torch: { mode: "eval", model: config, batch, length, threads: 2 },
          torchWarmup: 1,
          extra: { config: `bench-tiny model, batch ${batch} x ${length}, scoring forward` },
        });
      } finally {
        scorer.dispose();
      }
    },
  };
}

/** Bench cases of this file. */
export const benches: BenchCase[] = [scoreCase(2048, 4, 2), scoreCase(16384, 1, 1)];
