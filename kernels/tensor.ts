/** A GPU buffer with a shape. Element type is f32 unless `dtype` says u32 (token ids). */
export interface Tensor {
  readonly buffer: GPUBuffer;
  readonly shape: readonly number[];
  readonly dtype: "f32" | "u32";
  /** Byte offset into `buffer` (a multiple of minStorageBufferOffsetAlignment, 256); 0 if absent. */
  readonly offset?: number;
}

/** The storage binding for a tensor: its byte range of the buffer. */
export function binding(t: Tensor): { buffer: GPUBuffer; offset: number; size: number } {
  const size = Math.max(4, numel(t.shape) * 4);
  return { buffer: t.buffer, offset: t.offset ?? 0, size: Math.ceil(size / 4) * 4 };
}

/** A view of `count` elements of `t`'s buffer starting `elementOffset` elements in, as `shape`. */
export function view(t: Tensor, elementOffset: number, shape: readonly number[]): Tensor {
  const offset = (t.offset ?? 0) + elementOffset * 4;
  if (offset % 256 !== 0) {
    throw new RangeError(
      `view at byte ${offset} is not 256-byte aligned (storage binding offsets)`,
    );
  }
  if (offset + numel(shape) * 4 > t.buffer.size) {
    throw new RangeError(`view ${fmtShape(shape)} at byte ${offset} runs past the buffer end`);
  }
  return { buffer: t.buffer, shape: [...shape], dtype: t.dtype, offset };
}

/** Number of elements of a shape. */
export function numel(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Describe a shape for error messages: `[2, 3, 4]`. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

/** Create a tensor holding `data` (copied), usable as storage and as a copy source/target. */
export function upload(
  device: GPUDevice,
  data: Float32Array | Uint32Array,
  shape: readonly number[] = [data.length],
  label?: string,
): Tensor {
  if (numel(shape) !== data.length) {
    throw new RangeError(
      `upload ${label ?? ""}: ${data.length} values for shape ${fmtShape(shape)}`,
    );
  }
  const buffer = device.createBuffer({
    size: Math.max(16, Math.ceil(data.byteLength / 16) * 16),
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
    label,
  });
  // (Deno 2.9.6 panics on an empty writeBuffer; the new buffer is zeroed anyway.)
  if (data.byteLength > 0) device.queue.writeBuffer(buffer, 0, data as Float32Array<ArrayBuffer>);
  return { buffer, shape: [...shape], dtype: data instanceof Uint32Array ? "u32" : "f32" };
}

/**
 * Copy `bytes` of `buffer` to the CPU. One `mapAsync`: costs ≥10 ms in Deno, so never call it
 * inside a training step.
 */
export async function readBytes(
  device: GPUDevice,
  buffer: GPUBuffer,
  bytes = buffer.size,
  offset = 0,
): Promise<ArrayBuffer> {
  const size = Math.ceil(bytes / 4) * 4;
  const staging = device.createBuffer({
    size,
    usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
  });
  const encoder = device.createCommandEncoder();
  encoder.copyBufferToBuffer(buffer, offset, staging, 0, size);
  device.queue.submit([encoder.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const copy = staging.getMappedRange().slice(0, bytes);
  staging.unmap();
  staging.destroy();
  return copy;
}

/** Read a whole f32 tensor back. */
export async function readF32(device: GPUDevice, t: Tensor): Promise<Float32Array> {
  return new Float32Array(await readBytes(device, t.buffer, numel(t.shape) * 4, t.offset ?? 0));
}

/** Read a whole u32 tensor back. */
export async function readU32(device: GPUDevice, t: Tensor): Promise<Uint32Array> {
  return new Uint32Array(await readBytes(device, t.buffer, numel(t.shape) * 4, t.offset ?? 0));
}
