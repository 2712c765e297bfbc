/** A GPU buffer with a shape. Element type is f32 unless `dtype` says u32 (token ids). */
export interface Tensor {
  readonly buffer: GPUBuffer;
  readonly shape: readonly number[];
  readonly dtype: "f32" | "u32";
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
  device.queue.writeBuffer(buffer, 0, data as Float32Array<ArrayBuffer>);
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
  return new Float32Array(await readBytes(device, t.buffer, numel(t.shape) * 4));
}

/** Read a whole u32 tensor back. */
export async function readU32(device: GPUDevice, t: Tensor): Promise<Uint32Array> {
  return new Uint32Array(await readBytes(device, t.buffer, numel(t.shape) * 4));
}
