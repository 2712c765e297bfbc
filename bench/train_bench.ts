/**
 * `train bench-tiny` / `train bench-small`: training throughput (AdamW included) of two configs,
 * each against the same model, step and batch in PyTorch on the CPU (bench/torch_reference.py,
 * 2 threads) in alternating rounds in one process tree, with the ratio; and
 * `train bench-tiny profile` / `train bench-small profile`: where one step's GPU time goes, per
 * kernel label.
 */
import { loadEncoding, Rng } from "@e2llm/encodings";
import {
  type BatchSampler,
  createBatchSampler,
  headDim,
  initParams,
  type ModelConfig,
  paramLayout,
  prepareData,
  TrainConfig,
  Trainer,
} from "@e2llm/train";
import { tuneMatmul } from "@e2llm/kernels";
import { alternate, type Side } from "./alternate.ts";
import { causalFlops } from "./attention_bench.ts";
import { fmaCeiling } from "./fma_ceiling.ts";
import type { BenchCase, BenchResult } from "./types.ts";

/** The reference config: vocab 256, d128, 4 layers, 4 heads, SwiGLU 320, 16 × 128. */
export const BENCH_TINY: TrainConfig = TrainConfig.parse({
  model: { vocabSize: 256, dModel: 128, nLayers: 4, nHeads: 4, mlpWidth: 320, trainLength: 128 },
  batchSize: 16,
  logEvery: 10,
});

/** The larger config of issue 11: d256, 8 layers, 8 heads, SwiGLU 704, batch 8 × 256. */
export const BENCH_SMALL: TrainConfig = TrainConfig.parse({
  model: { vocabSize: 256, dModel: 256, nLayers: 8, nHeads: 8, mlpWidth: 704, trainLength: 256 },
  batchSize: 8,
  logEvery: 10,
});

/** How one training bench is timed: warm-up steps, then `rounds` × `steps` per side. */
interface TrainBenchSpec {
  name: string;
  config: TrainConfig;
  line: string;
  warmup: number;
  steps: number;
  /** PyTorch steps per round. */
  torchSteps: number;
  rounds: number;
}

const TINY: TrainBenchSpec = {
  name: "train bench-tiny",
  config: BENCH_TINY,
  line: "vocab 256, d128, 4 layers, 4 heads, SwiGLU 320, batch 16 x 128, AdamW",
  warmup: 3,
  steps: 10,
  torchSteps: 4,
  rounds: 3,
};

const SMALL: TrainBenchSpec = {
  name: "train bench-small",
  config: BENCH_SMALL,
  line: "vocab 256, d256, 8 layers, 8 heads, SwiGLU 704, batch 8 x 256, AdamW",
  warmup: 2,
  steps: 4,
  torchSteps: 1,
  rounds: 3,
};

/** A trainer at step 0 and its batches; `run(from, steps)` trains and waits. */
async function benchTrainer(device: GPUDevice, config: TrainConfig) {
  const trainer = new Trainer(device, config, await loadEncoding("default"));
  await trainer.load({ params: initParams(trainer.model.layout, 0) });
  // The tiles `deno task train` would use: tuned for these shapes (once per adapter, cached).
  await tuneMatmul(device, trainer.model.matmulShapes());
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

function trainCase(spec: TrainBenchSpec): BenchCase {
  return {
    name: spec.name,
    async run({ device }) {
      const { trainer, run, close } = await benchTrainer(device, spec.config);
      const o = spec.config.optim;
      try {
        await run(0, spec.warmup);
        let step = spec.warmup;
        const gpu: Side = {
          run: async (steps) => {
            const started = performance.now();
            await run(step, steps);
            step += steps;
            return (performance.now() - started) / 1000;
          },
        };
        const rows = await alternate({
          name: spec.name,
          gpu,
          tokensPerCall: trainer.batch * trainer.length,
          calls: spec.steps,
          torchCalls: spec.torchSteps,
          rounds: spec.rounds,
          torch: {
            mode: "train",
            model: spec.config.model,
            batch: trainer.batch,
            length: trainer.length,
            threads: 2,
            weightDecay: o.weightDecay,
            beta1: o.beta1,
            beta2: o.beta2,
            eps: o.eps,
            gradClip: o.gradClip,
          },
          torchWarmup: 1,
          extra: {
            gpuBytes: trainer.allocatedBytes,
            rssBytes: Deno.memoryUsage().rss,
            config: spec.line,
          },
        });
        rows.push(await floorRow(device, spec, rows, trainer.batch, trainer.length));
        return rows;
      } finally {
        await close();
      }
    },
  };
}

/**
 * Multiply-add FLOPs of one training step: 6 per matmul weight and token (forward, input and
 * weight gradients; every 2-D parameter of the layout but an untied embedding, which is a lookup)
 * and, per layer, 12·hd per causal query–key pair (QKᵀ and PV forward, four products backward).
 * Recomputation and elementwise work not counted.
 */
export function stepFlops(c: ModelConfig, batch: number, length: number): number {
  const weights = paramLayout(c).specs
    .filter((p) => p.shape.length === 2 && (p.name !== "embed" || c.tieEmbeddings))
    .reduce((sum, p) => sum + p.shape[0] * p.shape[1], 0);
  const heads = { B: batch, T: length, H: c.nHeads, hd: headDim(c) };
  return 6 * weights * batch * length + c.nLayers * causalFlops(heads, 12);
}

/**
 * `${name} floor`: the step's FLOPs at the best register-only multiply-add rate measured on the
 * adapter (bench/fma_ceiling.ts) — how fast the step would run if every kernel computed at that
 * rate and nothing else took time — beside the measured step times and the time 2× PyTorch needs.
 */
async function floorRow(
  device: GPUDevice,
  spec: TrainBenchSpec,
  rows: BenchResult[],
  batch: number,
  length: number,
): Promise<BenchResult> {
  const ceiling = await fmaCeiling(device);
  const gflop = stepFlops(spec.config.model, batch, length) / 1e9;
  const msPerStep = (name: string) => rows.find((r) => r.name === name)?.msPerCall as number;
  const torchMs = msPerStep(`${spec.name} pytorch`);
  return {
    name: `${spec.name} floor`,
    unit: "ms",
    value: Number((gflop / ceiling.gflops * 1000).toFixed(1)),
    gflopPerStep: Number(gflop.toFixed(2)),
    fmaCeilingGflops: ceiling.gflops,
    byShape: ceiling.byShape,
    webgpuMsPerStep: msPerStep(spec.name),
    ...(torchMs
      ? { pytorchMsPerStep: torchMs, msFor2xPytorch: Number((torchMs / 2).toFixed(1)) }
      : {}),
  };
}

/** `${name} profile`: one step after warm-up with every dispatch timed, per kernel label. */
function profileCase(spec: TrainBenchSpec): BenchCase {
  return {
    name: `${spec.name} profile`,
    async run({ device }) {
      if (!device.features.has("timestamp-query")) return [];
      const { trainer, run, close } = await benchTrainer(device, spec.config);
      try {
        await run(0, spec.warmup);
        trainer.recorder.timeDispatches();
        await run(spec.warmup, 1);
        return profileResults(spec, await trainer.recorder.readDispatchTimes());
      } finally {
        await close();
      }
    },
  };
}

/** Bench cases of this file. */
export const benches: BenchCase[] = [
  trainCase(TINY),
  trainCase(SMALL),
  profileCase(TINY),
  profileCase(SMALL),
];

/**
 * One entry per kernel label (GPU ms summed over the step's dispatches with that label, sorted
 * by time; `gapMsBefore`: the time between the previous dispatch and these, mostly the staging
 * copies of their own inputs), one for all copies and gaps between dispatches, and the total.
 */
export function profileResults(
  spec: { name: string; line: string },
  times: { label: string; ms: number; gapMs: number }[],
): BenchResult[] {
  const byLabel = new Map<string, { ms: number; calls: number; gapMs: number }>();
  let copies = 0;
  for (const { label, ms, gapMs } of times) {
    const entry = byLabel.get(label) ?? { ms: 0, calls: 0, gapMs: 0 };
    entry.ms += ms;
    entry.calls++;
    entry.gapMs += gapMs;
    byLabel.set(label, entry);
    copies += gapMs;
  }
  byLabel.set("copies and gaps between dispatches", { ms: copies, calls: 0, gapMs: 0 });
  const total = [...byLabel.values()].reduce((s, e) => s + e.ms, 0);
  const rows = [...byLabel].sort((a, b) => b[1].ms - a[1].ms).map(([label, e]): BenchResult => ({
    name: `${spec.name} profile ${label}`,
    unit: "ms",
    value: Number(e.ms.toFixed(3)),
    calls: e.calls,
    share: Number((e.ms / total).toFixed(3)),
    ...(e.calls ? { gapMsBefore: Number(e.gapMs.toFixed(3)) } : {}),
  }));
  rows.push({
    name: `${spec.name} profile total`,
    unit: "ms",
    value: Number(total.toFixed(3)),
    calls: times.length,
    share: 1,
    config: spec.line,
  });
  return rows;
}
