/**
 * One training run: data → positions from the encoding → forward, loss, backward, clipping and
 * AdamW recorded into one command encoder and one submit per step → metrics, checkpoints.
 *
 * The loss and gradient norm of every step are written on the GPU into history buffers and read
 * back only every `logEvery` steps (each readback costs ≥10 ms in Deno). A non-finite loss or
 * gradient norm stops the run naming the step; the last checkpoint on disk was written only after
 * every step up to it was read back finite, so it stays good.
 */
import { join } from "node:path";
import { loadEncoding, Rng } from "@e2llm/encodings";
import { getGpu, tuneMatmul } from "@e2llm/kernels";
import { type Checkpoint, loadCheckpoint, saveCheckpoint } from "./checkpoint/mod.ts";
import { firstDifference, ResumeMismatchError } from "./config_diff.ts";
import { type BatchSampler, createBatchSampler, prepareData } from "./data/mod.ts";
import { MetricsLog } from "./metrics.ts";
import { initParams, type ParamLayout } from "./params.ts";
import { isHfCheckpoint, loadHfCheckpoint } from "./hf/import.ts";
import { createProgress } from "./progress.ts";
import { TrainConfig } from "./run_config.ts";
import { learningRate } from "./schedule.ts";
import { Trainer } from "./trainer.ts";
import type { TrainRunResult } from "./scoring.ts";

/** Options of {@link trainRun}. */
export interface TrainRunOptions {
  /** The run's configuration (validated again here). */
  config: TrainConfig;
  /** Output folder: `config.json`, `metrics.jsonl`, `checkpoint/`. */
  out: string;
  /** Start from this checkpoint's weights (a fresh optimizer and data stream). */
  init?: string;
  /** Continue this run folder's checkpoint bitwise identically. */
  resume?: string;
  /** No progress output. */
  quiet?: boolean;
  /** Measure matmul tiles for this model's shapes when the cache has none (default true). */
  tune?: boolean;
  /** Stop after this many steps of this process (tests simulate an interruption with it). */
  stopAfter?: number;
}

/** Raised when the loss or gradient norm becomes NaN or infinite. */
export class NonFiniteError extends Error {
  constructor(readonly step: number, what: string, readonly checkpoint: string | null) {
    super(
      `training stopped at step ${step}: ${what} is not finite; ` +
        (checkpoint ? `the last good checkpoint is kept at ${checkpoint}` : "no checkpoint yet"),
    );
    this.name = "NonFiniteError";
  }
}

/** Train (or resume) one run; returns where the final checkpoint is and what it cost. */
export async function trainRun(opts: TrainRunOptions): Promise<TrainRunResult> {
  const config = TrainConfig.parse(opts.config);
  const { device } = await getGpu();
  const out = opts.out;
  await Deno.mkdir(out, { recursive: true });
  const checkpointDir = join(out, "checkpoint");
  const resumeFrom = opts.resume ? await loadCheckpoint(join(opts.resume, "checkpoint")) : null;
  if (resumeFrom) assertSameConfig(resumeFrom, config);
  const init = !resumeFrom && opts.init ? await loadInit(opts.init, config.model) : null;
  if (!resumeFrom) {
    await Deno.writeTextFile(join(out, "config.json"), JSON.stringify(config, null, 2) + "\n");
    await Deno.remove(join(out, "metrics.jsonl")).catch(() => {});
  }

  const data = await prepareData(config.data);
  const trainer = new Trainer(
    device,
    config,
    await loadEncoding(config.encoding.name, config.encoding.config),
  );
  const { batch: B, length: T } = trainer;
  const sampler = createBatchSampler(
    data,
    { batchSize: B, length: T },
    resumeFrom ? (resumeFrom.data as never) : undefined,
  );
  const rng = new Rng(resumeFrom ? (resumeFrom.rng as number[]) : config.seed ^ 0x5eed);
  try {
    const layout = trainer.model.layout;
    const start = resumeFrom?.step ?? 0;
    if (resumeFrom) {
      await trainer.load({
        params: flatten(layout, resumeFrom.weights),
        m: flatten(layout, resumeFrom.optimizer!.m, "m."),
        v: flatten(layout, resumeFrom.optimizer!.v, "v."),
      });
    } else {
      await trainer.load({
        params: init ? flatten(layout, init.weights) : initParams(layout, config.seed),
      });
    }
    // Tile choices are measured once per adapter and shape class, then cached on disk.
    let announced = false;
    if (opts.tune !== false) {
      await tuneMatmul(device, trainer.model.matmulShapes(), {
        reps: 2,
        log: () => {
          if (!announced && !opts.quiet) {
            console.error("measuring matmul tiles for this adapter (once)…");
          }
          announced = true;
        },
      });
    }
    const metrics = new MetricsLog(join(out, "metrics.jsonl"));
    const lossCurve = resumeFrom ? await previousLossCurve(out, start) : [];
    const end = Math.min(config.steps, start + (opts.stopAfter ?? Infinity));
    const progress = createProgress(config.steps, `train ${config.encoding.name}`, opts.quiet);
    const started = performance.now();
    let lastLogged = start, lastLogTime = started, lastCheckpoint: string | null = null;
    let lastLoss = NaN;
    for (let step = start; step < end; step++) {
      const lr = learningRate(step, config.steps, config.optim);
      await trainer.step(step, sampler.next(), rng, lr);
      const done = step + 1;
      const checkpointDue = done % config.checkpointEvery === 0 || done === end;
      if (done % config.logEvery === 0 || checkpointDue) {
        const records = await trainer.readHistory(lastLogged, done);
        for (const r of records) {
          if (!Number.isFinite(r.loss)) {
            throw new NonFiniteError(r.step, "the loss", lastCheckpoint);
          }
          if (!Number.isFinite(r.gradNorm)) {
            throw new NonFiniteError(r.step, "the gradient norm", lastCheckpoint);
          }
        }
        const now = performance.now();
        const tokensPerSecond = (done - lastLogged) * B * T / ((now - lastLogTime) / 1000);
        for (const r of records) {
          lossCurve.push({ step: r.step, loss: r.loss });
          await metrics.append({
            step: r.step,
            loss: r.loss,
            lr: learningRate(r.step - 1, config.steps, config.optim),
            gradNorm: r.gradNorm,
            tokensPerSecond,
            elapsedSeconds: (now - started) / 1000,
          });
        }
        lastLoss = records.at(-1)!.loss;
        progress.update({ step: done, loss: lastLoss, lr, tokensPerSecond });
        lastLogged = done;
        lastLogTime = now;
      }
      if (checkpointDue) {
        await saveState(checkpointDir, trainer, config, done, sampler, rng);
        lastCheckpoint = checkpointDir;
      }
    }
    progress.stop();
    return {
      outDir: out,
      checkpointDir,
      steps: end,
      trainTokens: end * B * T,
      trainSeconds: (performance.now() - started) / 1000,
      lossCurve,
      finalLoss: lastLoss,
    };
  } finally {
    trainer.dispose();
    await trainer.encoding.close();
  }
}

async function saveState(
  dir: string,
  trainer: Trainer,
  config: TrainConfig,
  step: number,
  sampler: BatchSampler,
  rng: Rng,
): Promise<void> {
  const { params, m, v } = await trainer.snapshot();
  const split = (flat: Float32Array) =>
    new Map(trainer.model.layout.specs.map((s) => [s.name, {
      shape: s.shape,
      data: flat.subarray(s.offset, s.offset + s.shape.reduce((a, b) => a * b, 1)),
    }]));
  await saveCheckpoint(dir, {
    step,
    model: config.model,
    encoding: config.encoding,
    weights: split(params),
    optimizer: { step, m: split(m), v: split(v), config: config.optim },
    data: sampler.state,
    rng: rng.state,
    extra: { config },
  });
}

/** A flat buffer from named tensors (`prefix` for optimizer moments). */
/**
 * `--init`: a run folder's checkpoint, or a Hugging Face LLaMA folder whose config must match
 * the run's model (the differing field is named).
 */
async function loadInit(
  dir: string,
  model: TrainConfig["model"],
): Promise<{ weights: Map<string, { shape: number[]; data: Float32Array }> }> {
  if (!(await isHfCheckpoint(dir))) return await loadCheckpoint(join(dir, "checkpoint"));
  const hf = await loadHfCheckpoint(dir);
  for (
    const key of [
      "vocabSize",
      "dModel",
      "nLayers",
      "nHeads",
      "nKvHeads",
      "mlpWidth",
      "tieEmbeddings",
      "ropeBase",
      "normEps",
    ] as const
  ) {
    if (hf.model[key] !== model[key]) {
      throw new Error(
        `--init ${dir}: model.${key} is ${hf.model[key]} in its config.json, ${
          model[key]
        } in the run config`,
      );
    }
  }
  return hf;
}

function flatten(
  layout: ParamLayout,
  tensors: Map<string, { shape: number[]; data: Float32Array }>,
  prefix = "",
): Float32Array {
  const flat = new Float32Array(layout.size);
  for (const s of layout.specs) {
    const t = tensors.get(prefix + s.name) ?? tensors.get(s.name);
    if (!t) throw new Error(`checkpoint has no tensor ${prefix + s.name}`);
    if (t.shape.join("x") !== s.shape.join("x")) {
      throw new Error(`checkpoint tensor ${s.name} has shape [${t.shape}], expected [${s.shape}]`);
    }
    flat.set(t.data, s.offset);
  }
  return flat;
}

/** Refuse a resume whose config differs from the checkpoint's in anything but `steps`. */
function assertSameConfig(ckpt: Checkpoint, config: TrainConfig): void {
  const saved = JSON.parse(JSON.stringify((ckpt.extra as { config?: unknown }).config ?? null));
  const { steps: _a, ...now } = JSON.parse(JSON.stringify(config));
  const { steps: _b, ...then } = saved ?? {};
  const diff = firstDifference(then, now);
  if (diff) {
    throw new ResumeMismatchError(
      `cannot resume: the checkpoint in ${ckpt.dir} was written by a run with another config`,
      diff,
      `only "steps" may change on resume`,
    );
  }
}

async function previousLossCurve(out: string, upTo: number) {
  try {
    const records = await MetricsLog.read(join(out, "metrics.jsonl"));
    const kept = records.filter((r) => r.step <= upTo);
    // Drop records written after the checkpoint we resume from, so the log stays one history.
    await Deno.writeTextFile(
      join(out, "metrics.jsonl"),
      kept.map((r) => JSON.stringify(r) + "\n").join(""),
    );
    return kept.map((r) => ({ step: r.step, loss: r.loss }));
  } catch {
    return [];
  }
}
