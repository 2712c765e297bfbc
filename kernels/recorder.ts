import { deviceContext } from "./context.ts";
import type { PipelineCache } from "./pipelines.ts";

/** A binding: a whole buffer, a byte range of one, or a texture view (sampled textures). */
export type Binding =
  | GPUBuffer
  | GPUTextureView
  | { buffer: GPUBuffer; offset?: number; size?: number };

/**
 * Records kernels into one command encoder, so a whole training step is a single submit with no
 * readback. Dispatches share one compute pass until something needs the encoder itself (texture
 * staging copies, see staging.ts), which ends the pass; the next dispatch opens a new one. Small per-dispatch parameters go into uniform buffers cached by
 * content: a step that repeats the same shapes creates no new buffers after the first time.
 *
 * Bindings follow the shader's order: uniform parameters (if any) at binding 0 of group 0, then
 * the storage buffers at bindings 1, 2, … (or 0, 1, … when there are no parameters).
 */
export class Recorder {
  readonly pipelines: PipelineCache;
  #encoder: GPUCommandEncoder | undefined;
  #pass: GPUComputePassEncoder | undefined;
  readonly #uniforms = new Map<string, GPUBuffer>();
  #dispatches = 0;
  #timing: DispatchTiming | undefined;

  /** A recorder for `device`; compiled pipelines come from `pipelines` (default: the device's). */
  constructor(readonly device: GPUDevice, pipelines?: PipelineCache) {
    this.pipelines = pipelines ?? deviceContext(device).pipelines;
  }

  /** The open compute pass (opened on first use). */
  get pass(): GPUComputePassEncoder {
    if (!this.#pass) {
      this.#encoder ??= this.device.createCommandEncoder();
      this.#pass = this.#encoder.beginComputePass();
    }
    return this.#pass;
  }

  /** Dispatches recorded since the recorder was created. */
  get dispatchCount(): number {
    return this.#dispatches;
  }

  /**
   * Record one dispatch of `code` (cached pipeline) with optional u32/f32 parameters packed as
   * 32-bit words, the storage `bindings`, and the workgroup counts.
   */
  dispatch(
    code: string,
    params: ArrayBuffer | null,
    bindings: readonly Binding[],
    workgroups: readonly [number, number?, number?],
    label?: string,
  ): void {
    const limit = this.device.limits.maxComputeWorkgroupsPerDimension;
    for (const n of workgroups) {
      if (n !== undefined && (n < 0 || n > limit || !Number.isInteger(n))) {
        throw new RangeError(`${label ?? "kernel"}: ${n} workgroups exceeds the limit ${limit}`);
      }
    }
    if (workgroups.some((n) => n === 0)) return;
    const pipeline = this.pipelines.get(code, "main", label);
    const entries: GPUBindGroupEntry[] = [];
    if (params) entries.push({ binding: 0, resource: { buffer: this.#uniform(params) } });
    const base = params ? 1 : 0;
    bindings.forEach((b, i) => {
      const resource = b instanceof GPUBuffer ? { buffer: b } : b;
      entries.push({ binding: base + i, resource });
    });
    const bindGroup = this.device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries,
      label,
    });
    const pass = this.#timing ? this.#timedPass(label ?? "kernel") : this.pass;
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(workgroups[0], workgroups[1] ?? 1, workgroups[2] ?? 1);
    if (this.#timing) this.encoder();
    this.#dispatches++;
  }

  /**
   * Time every dispatch recorded from now on (each gets its own compute pass with timestamp
   * writes; needs `timestamp-query`), for at most `capacity` dispatches (≤ 2048: a query set
   * holds 4096 timestamps); read with
   * {@link readDispatchTimes}. For profiling only: the extra passes cost time themselves.
   */
  timeDispatches(capacity = 1024): void {
    if (!this.device.features.has("timestamp-query")) {
      throw new RangeError("Recorder.timeDispatches: this device has no timestamp-query feature");
    }
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > 2048) {
      throw new RangeError(`Recorder.timeDispatches: capacity ${capacity} not in 1..2048`);
    }
    this.#timing?.querySet.destroy();
    const querySet = this.device.createQuerySet({ type: "timestamp", count: 2 * capacity });
    this.#timing = { querySet, capacity, labels: [] };
  }

  /**
   * Submit, then return each timed dispatch's label, its GPU time and the time since the previous
   * timed dispatch ended (`gapMs`: the staging copies and other encoder work recorded between
   * them), and stop timing.
   */
  async readDispatchTimes(): Promise<{ label: string; ms: number; gapMs: number }[]> {
    const timing = this.#timing;
    if (!timing) throw new RangeError("Recorder.readDispatchTimes: timeDispatches() not called");
    this.#timing = undefined;
    const n = timing.labels.length;
    if (n === 0) {
      timing.querySet.destroy();
      return [];
    }
    const ticks = await this.readTimestamps(timing.querySet, 2 * n);
    timing.querySet.destroy();
    return timing.labels.map((label, i) => ({
      label,
      ms: Number(ticks[2 * i + 1] - ticks[2 * i]) / 1e6,
      gapMs: i === 0 ? 0 : Number(ticks[2 * i] - ticks[2 * i - 1]) / 1e6,
    }));
  }

  /**
   * Resolve the first `count` timestamps of `querySet` (nanoseconds), submitting everything
   * recorded so far with them, and read them back. Profiling only: it waits for the GPU.
   */
  async readTimestamps(querySet: GPUQuerySet, count: number): Promise<BigUint64Array> {
    const bytes = 8 * count;
    const resolve = this.device.createBuffer({
      size: bytes,
      usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC,
    });
    const read = this.device.createBuffer({
      size: bytes,
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
    const encoder = this.encoder();
    encoder.resolveQuerySet(querySet, 0, count, resolve, 0);
    encoder.copyBufferToBuffer(resolve, 0, read, 0, bytes);
    this.submit();
    await read.mapAsync(GPUMapMode.READ);
    const ticks = new BigUint64Array(read.getMappedRange().slice(0));
    read.unmap();
    for (const b of [read, resolve]) b.destroy();
    return ticks;
  }

  #timedPass(label: string): GPUComputePassEncoder {
    const timing = this.#timing!;
    const i = timing.labels.length;
    if (i >= timing.capacity) {
      throw new RangeError(`Recorder: more than ${timing.capacity} timed dispatches`);
    }
    timing.labels.push(label);
    const encoder = this.encoder();
    this.#pass = encoder.beginComputePass({
      timestampWrites: {
        querySet: timing.querySet,
        beginningOfPassWriteIndex: 2 * i,
        endOfPassWriteIndex: 2 * i + 1,
      },
    });
    return this.#pass;
  }

  /** Close the pass (if any) and return the encoder, e.g. to add copies before submitting. */
  encoder(): GPUCommandEncoder {
    this.#pass?.end();
    this.#pass = undefined;
    this.#encoder ??= this.device.createCommandEncoder();
    return this.#encoder;
  }

  /** Finish and submit everything recorded so far. */
  submit(): void {
    if (!this.#encoder && !this.#pass) return;
    const encoder = this.encoder();
    this.device.queue.submit([encoder.finish()]);
    this.#encoder = undefined;
  }

  #uniform(params: ArrayBuffer): GPUBuffer {
    const bytes = new Uint8Array(params);
    const key = Array.from(new Uint32Array(params.slice(0, bytes.length - (bytes.length % 4))))
      .join(",");
    let buffer = this.#uniforms.get(key);
    if (!buffer) {
      buffer = this.device.createBuffer({
        size: Math.max(16, Math.ceil(bytes.length / 16) * 16),
        usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
      });
      this.device.queue.writeBuffer(buffer, 0, params);
      this.#uniforms.set(key, buffer);
    }
    return buffer;
  }
}

/** Per-dispatch timestamps: a query set with two entries per dispatch and their labels. */
interface DispatchTiming {
  querySet: GPUQuerySet;
  capacity: number;
  labels: string[];
}

/** Pack numbers as 32-bit words: integers as u32 unless listed in `floats` (by index). */
export function packParams(values: readonly number[], floats: readonly number[] = []): ArrayBuffer {
  const buf = new ArrayBuffer(Math.max(16, Math.ceil(values.length / 4) * 16));
  const u = new Uint32Array(buf);
  const f = new Float32Array(buf);
  values.forEach((v, i) => {
    if (floats.includes(i)) f[i] = v;
    else u[i] = v >>> 0;
  });
  return buf;
}
