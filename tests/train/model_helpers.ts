/** Shared by the model tests: upload a batch and record one forward + backward pass. */
import { Recorder } from "@e2llm/kernels";
import type { GpuModel } from "@e2llm/train";

/** A batch as the model tests build it (and `referenceModel` reads it). */
export interface TestBatch {
  batch: number;
  length: number;
  tokens: Uint32Array;
  targets: Uint32Array;
  weights: Float32Array;
  positions: Float32Array;
  invFreq: Float32Array;
  attentionScale: number;
}

/** Write `b` into the model's inputs, record forward (with loss) and backward, and submit. */
export function submitForwardBackward(device: GPUDevice, model: GpuModel, b: TestBatch): void {
  const q = device.queue, io = model.io;
  q.writeBuffer(io.tokens.buffer, 0, b.tokens);
  q.writeBuffer(io.targets.buffer, 0, b.targets);
  q.writeBuffer(io.weights.buffer, 0, b.weights);
  q.writeBuffer(io.positions.buffer, 0, b.positions);
  q.writeBuffer(io.invFreq.buffer, 0, b.invFreq);
  model.attentionScale = b.attentionScale;
  const rec = new Recorder(device);
  model.recordForward(rec, b.batch, b.length, true);
  model.recordBackward(rec, b.batch, b.length);
  rec.submit();
}
