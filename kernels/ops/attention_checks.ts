/**
 * Validation shared by the RoPE and attention wrappers: every check runs before anything is
 * recorded, and every error names the op, the tensor and the shapes involved.
 */
import { fmtShape, numel, type Tensor } from "../tensor.ts";

/** Throw a RangeError unless `t` is an f32 tensor of exactly `shape`. */
export function expectShape(
  op: string,
  name: string,
  t: Tensor,
  shape: readonly number[],
  why: string,
): void {
  const same = t.shape.length === shape.length && t.shape.every((d, i) => d === shape[i]);
  if (!same) {
    throw new RangeError(
      `${op}: ${name} has shape ${fmtShape(t.shape)}, expected ${fmtShape(shape)} (${why})`,
    );
  }
  if (t.dtype !== "f32") throw new RangeError(`${op}: ${name} must be f32, got ${t.dtype}`);
}

/** Throw unless every tensor fits its buffer and one storage binding of `device`. */
export function expectBindable(
  op: string,
  device: GPUDevice,
  tensors: Readonly<Record<string, Tensor>>,
): void {
  const limit = device.limits.maxStorageBufferBindingSize;
  for (const [name, t] of Object.entries(tensors)) {
    const bytes = numel(t.shape) * 4;
    if (bytes > limit) {
      throw new RangeError(
        `${op}: ${name} ${fmtShape(t.shape)} is ${bytes} bytes, over the device's ` +
          `maxStorageBufferBindingSize ${limit}`,
      );
    }
    if ((t.offset ?? 0) + bytes > t.buffer.size) {
      throw new RangeError(
        `${op}: ${name} ${fmtShape(t.shape)} at byte ${t.offset ?? 0} runs past its ` +
          `${t.buffer.size}-byte buffer`,
      );
    }
  }
}

/** Throw unless one kernel may bind `count` storage buffers on `device`. */
export function expectStorageBuffers(op: string, device: GPUDevice, count: number): void {
  const limit = device.limits.maxStorageBuffersPerShaderStage;
  if (count > limit) {
    throw new RangeError(
      `${op}: needs ${count} storage buffers, the device allows ${limit} per shader stage`,
    );
  }
}
