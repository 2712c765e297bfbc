/** A trained checkpoint as a {@link Scorer}: forward passes on the GPU, per-token NLL and hits. */
import { getGpu, readBytes, Recorder } from "@e2llm/kernels";
import { loadCheckpoint } from "./checkpoint/mod.ts";
import { headDim, ModelConfig } from "./config.ts";
import { GpuModel } from "./model.ts";
import type { ScoreBatch, Scorer, TokenScores } from "./scoring.ts";
import { join } from "node:path";
import { isHfCheckpoint, loadHfCheckpoint } from "./hf/import.ts";

/** Default rows per scoring call: logits [rows, vocab] stay small (8 MiB at vocab 256). */
export const DEFAULT_SCORER_ROWS = 8192;

/**
 * Open a checkpoint folder (a run's `checkpoint/`, the run folder holding one, or a Hugging Face
 * LLaMA folder) for scoring. `maxRows` bounds batch · length per call.
 */
export async function openScorer(dir: string, maxRows = DEFAULT_SCORER_ROWS): Promise<Scorer> {
  const ckptDir = await isDir(join(dir, "checkpoint")) ? join(dir, "checkpoint") : dir;
  const ckpt = await isHfCheckpoint(ckptDir)
    ? await loadHfCheckpoint(ckptDir)
    : await loadCheckpoint(ckptDir);
  const config = ModelConfig.parse(ckpt.model);
  const { device } = await getGpu();
  const model = new GpuModel(device, config, maxRows, false);
  const flat = new Float32Array(model.layout.size);
  for (const s of model.layout.specs) {
    const t = ckpt.weights.get(s.name);
    if (!t) throw new Error(`checkpoint ${ckptDir} has no tensor ${s.name}`);
    flat.set(t.data, s.offset);
  }
  model.setParams(flat);
  return createScorer(device, model);
}

/**
 * The longest row a scorer of `config` may grow to on `device`: the largest row count whose
 * biggest per-row buffer (logits, qkv, SwiGLU input) fits one device buffer.
 */
export function maxScorerRowLength(device: GPUDevice, config: ModelConfig): number {
  const limit = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
  const perRow = 4 * Math.max(config.vocabSize, 3 * config.dModel, 2 * config.mlpWidth);
  return Math.floor(limit / perRow);
}

/**
 * A scorer over an already loaded model (tests use it with freshly initialised weights). Calls of
 * up to `model.maxRows` tokens use it as is; a single row longer than that (up to
 * `maxRowLength`, default {@link maxScorerRowLength}) reallocates the activations for its length
 * once, the weights copied on the GPU, and later calls use the larger model.
 */
export function createScorer(
  device: GPUDevice,
  initial: GpuModel,
  maxRowLength: number = maxScorerRowLength(device, initial.config),
): Scorer {
  const rec = new Recorder(device);
  const half = headDim(initial.config) / 2;
  let model = initial;
  const grow = (rows: number) => {
    const bigger = new GpuModel(device, model.config, rows, false);
    const src = model.params, dst = bigger.params;
    const enc = device.createCommandEncoder();
    enc.copyBufferToBuffer(
      src.buffer,
      src.offset ?? 0,
      dst.buffer,
      dst.offset ?? 0,
      model.layout.size * 4,
    );
    device.queue.submit([enc.finish()]);
    model.dispose();
    model = bigger;
  };
  return {
    model: initial.config,
    maxTokens: initial.maxRows,
    maxRowLength: Math.max(initial.maxRows, maxRowLength),
    async score(b: ScoreBatch): Promise<TokenScores> {
      const n = b.batch * b.length;
      if (n > model.maxRows) {
        if (b.batch !== 1 || n > Math.max(initial.maxRows, maxRowLength)) {
          throw new RangeError(
            `score: ${b.batch}×${b.length} tokens exceed maxTokens ${initial.maxRows} ` +
              `(only a single row may be longer, up to ${maxRowLength})`,
          );
        }
        grow(n);
      }
      for (
        const [name, arr] of [["inputs", b.inputs], ["targets", b.targets], [
          "positions",
          b.positions,
        ]] as const
      ) {
        if (arr.length !== n) {
          throw new RangeError(
            `score: ${name} has ${arr.length} values, expected ${b.batch}×${b.length}`,
          );
        }
      }
      if (b.invFreq.length !== half) {
        throw new RangeError(`score: invFreq has ${b.invFreq.length} values, expected ${half}`);
      }
      const q = device.queue, io = model.io;
      q.writeBuffer(io.tokens.buffer, 0, b.inputs as Uint32Array<ArrayBuffer>);
      q.writeBuffer(io.targets.buffer, 0, b.targets as Uint32Array<ArrayBuffer>);
      q.writeBuffer(io.positions.buffer, 0, Float32Array.from(b.positions));
      q.writeBuffer(io.invFreq.buffer, 0, Float32Array.from(b.invFreq));
      model.attentionScale = b.attentionScale;
      model.recordForward(rec, b.batch, b.length, false);
      rec.submit();
      const [loss, hit] = await Promise.all([
        readBytes(device, io.loss.buffer, n * 4),
        readBytes(device, io.hit.buffer, n * 4),
      ]);
      return { nll: new Float32Array(loss), hit: Uint8Array.from(new Float32Array(hit)) };
    },
    dispose: () => model.dispose(),
  };
}

async function isDir(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch {
    return false;
  }
}
