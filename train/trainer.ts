/**
 * The GPU side of training: the model, AdamW state and one recorder. {@link Trainer.step} uploads
 * a batch and records forward, loss, backward, gradient clipping and AdamW as one submit with no
 * readback; the loss and gradient norm of each step land in history buffers that
 * {@link Trainer.readHistory} reads every `logEvery` steps.
 */
import type { LoadedEncoding, Rng } from "@e2llm/encodings";
import {
  adamw,
  ADAMW_HYPER_LENGTH,
  adamwHyper,
  CLIP,
  copy,
  gradNormClip,
  readBytes,
  Recorder,
  REDUCE_SCRATCH_LENGTH,
  type Tensor,
  upload,
  view,
  weightedSum,
} from "@e2llm/kernels";
import { headDim } from "./config.ts";
import type { Batch } from "./data/mod.ts";
import { GpuModel } from "./model.ts";
import type { ParamLayout } from "./params.ts";
import type { TrainConfig } from "./run_config.ts";

/** Slot stride in the history buffers: 64 floats keeps every slot 256-byte aligned. */
const SLOT = 64;

/** Loss and gradient norm of one step, as read back. */
export interface StepRecord {
  step: number;
  loss: number;
  gradNorm: number;
}

/** Weights and AdamW moments as flat arrays in the parameter layout. */
export interface TrainState {
  params: Float32Array;
  m: Float32Array;
  v: Float32Array;
}

/** Model + optimizer on the GPU for one training configuration. */
export class Trainer {
  readonly model: GpuModel;
  readonly batch: number;
  readonly length: number;
  readonly #rec: Recorder;
  readonly #m: Tensor;
  readonly #v: Tensor;
  readonly #hyper: Tensor;
  readonly #clip: Tensor;
  readonly #scratch: Tensor;
  readonly #lossHistory: Tensor;
  readonly #normHistory: Tensor;
  readonly #groups: { offset: number; length: number; decay: boolean }[];

  constructor(
    readonly device: GPUDevice,
    readonly config: TrainConfig,
    readonly encoding: LoadedEncoding,
  ) {
    this.batch = config.batchSize;
    this.length = config.seqLength ?? config.model.trainLength;
    this.model = new GpuModel(device, config.model, this.batch * this.length, true);
    const zeros = (n: number) => upload(device, new Float32Array(n));
    const size = this.model.layout.size;
    this.#m = zeros(size);
    this.#v = zeros(size);
    this.#hyper = zeros(ADAMW_HYPER_LENGTH);
    this.#clip = zeros(SLOT);
    this.#scratch = zeros(REDUCE_SCRATCH_LENGTH);
    this.#lossHistory = zeros(config.logEvery * SLOT);
    this.#normHistory = zeros(config.logEvery * SLOT);
    this.#groups = decayGroups(this.model.layout);
    this.#rec = new Recorder(device);
  }

  /** Load weights (and optionally AdamW moments), and the encoding's frequencies for training. */
  async load(state: Partial<TrainState> & { params: Float32Array }): Promise<void> {
    this.model.setParams(state.params);
    const q = this.device.queue;
    q.writeBuffer(
      this.#m.buffer,
      0,
      (state.m ?? new Float32Array(this.model.layout.size)) as Float32Array<ArrayBuffer>,
    );
    q.writeBuffer(
      this.#v.buffer,
      0,
      (state.v ?? new Float32Array(this.model.layout.size)) as Float32Array<ArrayBuffer>,
    );
    const c = this.config.model;
    const freqs = await this.encoding.frequencies({
      headDim: headDim(c),
      base: c.ropeBase,
      trainLength: c.trainLength,
      seqLength: this.length,
    });
    q.writeBuffer(this.model.io.invFreq.buffer, 0, Float32Array.from(freqs.invFreq));
    this.model.attentionScale = freqs.attentionScale;
  }

  /** The recorder every step is recorded into (e.g. to time its dispatches). */
  get recorder(): Recorder {
    return this.#rec;
  }

  /** Upload `batch` with positions from the encoding, then record and submit step `step` (0-based). */
  async step(step: number, batch: Batch, rng: Rng, lr: number): Promise<void> {
    await this.#writeBatch(batch, rng);
    const o = this.config.optim, model = this.model, rec = this.#rec;
    this.device.queue.writeBuffer(this.#hyper.buffer, 0, adamwHyper({ ...o, lr, step: step + 1 }));
    const slot = (step % this.config.logEvery) * SLOT;
    model.recordForward(rec, this.batch, this.length, true);
    weightedSum(
      rec,
      model.io.loss,
      model.io.weights,
      view(this.#lossHistory, slot, [1]),
      this.#scratch,
    );
    model.recordBackward(rec, this.batch, this.length);
    gradNormClip(rec, model.grads!, this.#clip, this.#scratch, o.gradClip);
    copy(rec, view(this.#clip, 0, [2]), view(this.#normHistory, slot, [2]));
    for (const group of this.#groups) {
      adamw(rec, model.params, model.grads!, this.#m, this.#v, this.#hyper, this.#clip, group);
    }
    rec.submit();
  }

  /** Loss and gradient norm of steps (from, to] (at most `logEvery` of them): one readback. */
  async readHistory(from: number, to: number): Promise<StepRecord[]> {
    const losses = new Float32Array(await readBytes(this.device, this.#lossHistory.buffer));
    const norms = new Float32Array(await readBytes(this.device, this.#normHistory.buffer));
    const out: StepRecord[] = [];
    for (let step = from; step < to; step++) {
      const slot = (step % this.config.logEvery) * SLOT;
      out.push({ step: step + 1, loss: losses[slot], gradNorm: norms[slot + CLIP.norm] });
    }
    return out;
  }

  /** Read weights and moments back (for checkpoints). */
  async snapshot(): Promise<TrainState> {
    const read = async (t: Tensor) =>
      new Float32Array(await readBytes(this.device, t.buffer)).subarray(0, this.model.layout.size);
    const [params, m, v] = await Promise.all([
      read(this.model.params),
      read(this.#m),
      read(this.#v),
    ]);
    return { params, m, v };
  }

  /** GPU bytes held by the model and optimizer. */
  get allocatedBytes(): number {
    return this.model.allocatedBytes + this.#own().reduce((s, t) => s + t.buffer.size, 0);
  }

  /** Free every GPU buffer. */
  dispose(): void {
    this.model.dispose();
    for (const t of this.#own()) t.buffer.destroy();
  }

  /** The optimizer's own buffers (the model holds the rest). */
  #own(): Tensor[] {
    return [
      this.#m,
      this.#v,
      this.#hyper,
      this.#clip,
      this.#scratch,
      this.#lossHistory,
      this.#normHistory,
    ];
  }

  async #writeBatch(batch: Batch, rng: Rng): Promise<void> {
    const { batchSize: B, length: T } = batch;
    if (B !== this.batch || T !== this.length) {
      throw new RangeError(`trainer: batch ${B}×${T} does not match ${this.batch}×${this.length}`);
    }
    const trainLength = this.config.model.trainLength;
    const positions = new Float32Array(B * T);
    for (let b = 0; b < B; b++) {
      const ids = await this.encoding.trainPositions({
        length: T,
        trainLength,
        seed: rng.nextU32(),
      });
      positions.set(ids, b * T);
    }
    let count = 0;
    for (const w of batch.lossMask) count += w;
    const weights = batch.lossMask.map((w) => w / Math.max(1, count));
    const q = this.device.queue, io = this.model.io;
    q.writeBuffer(io.tokens.buffer, 0, batch.inputs as Uint32Array<ArrayBuffer>);
    q.writeBuffer(io.targets.buffer, 0, batch.targets as Uint32Array<ArrayBuffer>);
    q.writeBuffer(io.weights.buffer, 0, weights as Float32Array<ArrayBuffer>);
    q.writeBuffer(io.positions.buffer, 0, positions);
  }
}

/** AdamW ranges: contiguous parameters that share a weight-decay flag (norms get none). */
export function decayGroups(
  layout: ParamLayout,
): { offset: number; length: number; decay: boolean }[] {
  const groups: { offset: number; length: number; decay: boolean }[] = [];
  for (const spec of layout.specs) {
    const last = groups.at(-1);
    const end = spec.offset + spec.shape.reduce((a, b) => a * b, 1);
    if (last && last.decay === spec.decay) last.length = end - last.offset;
    else groups.push({ offset: spec.offset, length: end - spec.offset, decay: spec.decay });
  }
  return groups;
}
