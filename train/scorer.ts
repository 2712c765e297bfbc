/** A trained checkpoint as a {@link Scorer}: forward passes on the GPU, per-token NLL and hits. */
import { getGpu, readBytes, Recorder } from "@e2llm/kernels";
import { loadCheckpoint } from "./checkpoint/mod.ts";
import { headDim, ModelConfig } from "./config.ts";
import { GpuModel } from "./model.ts";
import type { ScoreBatch, Scorer, TokenScores } from "./scoring.ts";
import { join } from "node:path";

/** Default rows per scoring call: logits [rows, vocab] stay small (8 MiB at vocab 256). */
export const DEFAULT_SCORER_ROWS = 8192;

/**
 * Open a checkpoint folder (a run's `checkpoint/`, or the run folder holding one) for scoring.
 * `maxRows` bounds batch · length per call.
 */
export async function openScorer(dir: string, maxRows = DEFAULT_SCORER_ROWS): Promise<Scorer> {
  const ckptDir = await isDir(join(dir, "checkpoint")) ? join(dir, "checkpoint") : dir;
  const ckpt = await loadCheckpoint(ckptDir);
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

/** A scorer over an already loaded model (tests use it with freshly initialised weights). */
export function createScorer(device: GPUDevice, model: GpuModel): Scorer {
  const rec = new Recorder(device);
  const half = headDim(model.config) / 2;
  return {
    model: model.config,
    maxTokens: model.maxRows,
    async score(b: ScoreBatch): Promise<TokenScores> {
      const n = b.batch * b.length;
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
