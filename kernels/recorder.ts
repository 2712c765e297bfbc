import { PipelineCache } from "./pipelines.ts";

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

  constructor(readonly device: GPUDevice, pipelines?: PipelineCache) {
    this.pipelines = pipelines ?? new PipelineCache(device);
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
    const pass = this.pass;
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(workgroups[0], workgroups[1] ?? 1, workgroups[2] ?? 1);
    this.#dispatches++;
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
