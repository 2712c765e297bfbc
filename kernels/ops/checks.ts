/**
 * Validation shared by the kernel wrappers: every check runs before anything is recorded, and
 * every error is a RangeError naming the op, the problem and the shapes involved.
 */
import type { Recorder } from "../recorder.ts";
import { binding, fmtShape, numel, type Tensor } from "../tensor.ts";

/** `name [d0, d1]` for each tensor, for error messages. */
export function describeTensors(tensors: Record<string, Tensor | null | undefined>): string {
  return Object.entries(tensors)
    .filter(([, t]) => t)
    .map(([name, t]) => `${name} ${fmtShape(t!.shape)}${t!.dtype === "u32" ? " u32" : ""}`)
    .join(", ");
}

/** A RangeError that names the op, the problem and the shapes involved. */
export function opError(
  op: string,
  problem: string,
  tensors: Record<string, Tensor | null | undefined> = {},
): RangeError {
  const shapes = describeTensors(tensors);
  return new RangeError(`${op}: ${problem}${shapes ? ` (${shapes})` : ""}`);
}

/**
 * Check every tensor before dispatch: its dtype (when `dtypes` names one), that it fits its buffer,
 * and that its binding is within `maxStorageBufferBindingSize`. Throws {@link opError}.
 */
export function checkBindings(
  rec: Recorder,
  op: string,
  tensors: Record<string, Tensor | null | undefined>,
  dtypes: Record<string, "f32" | "u32"> = {},
): void {
  const limit = rec.device.limits.maxStorageBufferBindingSize;
  for (const [name, t] of Object.entries(tensors)) {
    if (!t) continue;
    const want = dtypes[name] ?? "f32";
    if (t.dtype !== want) throw opError(op, `${name} must be ${want}, got ${t.dtype}`, tensors);
    const b = binding(t);
    if (b.size > limit) {
      throw opError(
        op,
        `${name} binds ${b.size} bytes, over maxStorageBufferBindingSize ${limit}`,
        tensors,
      );
    }
    if (b.offset + b.size > t.buffer.size) {
      throw opError(op, `${name} runs past the end of its ${t.buffer.size}-byte buffer`, tensors);
    }
  }
}

/**
 * WebGPU tracks storage usage per whole buffer within one dispatch: a buffer bound writable may
 * not also be bound read-only, even at a disjoint range (two writable bindings of one buffer are
 * allowed, but must not overlap). Throw {@link opError} naming the pair otherwise.
 */
export function checkNoAlias(
  op: string,
  written: Record<string, Tensor | null | undefined>,
  read: Record<string, Tensor | null | undefined> = {},
): void {
  const present = (m: Record<string, Tensor | null | undefined>) =>
    Object.entries(m).filter(([, t]) => t) as [string, Tensor][];
  const w = present(written), r = present(read).filter(([name]) => !(name in written));
  const all = { ...read, ...written };
  for (const [name, t] of w) {
    for (const [other, u] of r) {
      if (u.buffer === t.buffer) {
        throw opError(
          op,
          `${name} is written and shares its buffer with ${other}, which is read (WebGPU ` +
            "forbids a read-only and a writable binding of one buffer in one dispatch)",
          all,
        );
      }
    }
    for (const [other, u] of w) {
      if (other === name || u.buffer !== t.buffer) continue;
      const a = binding(t), b = binding(u);
      if (a.offset < b.offset + b.size && b.offset < a.offset + a.size) {
        throw opError(op, `${name} and ${other} are both written and overlap`, all);
      }
    }
  }
}

/** Throw a RangeError unless `t` is an f32 tensor of exactly `shape`; `why` explains `shape`. */
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

/** Throw unless one kernel may bind `count` storage buffers on `device`. */
export function expectStorageBuffers(op: string, device: GPUDevice, count: number): void {
  const limit = device.limits.maxStorageBuffersPerShaderStage;
  if (count > limit) {
    throw new RangeError(
      `${op}: needs ${count} storage buffers, the device allows ${limit} per shader stage`,
    );
  }
}

/** Rows and columns of a tensor read as a matrix: columns = last dimension. */
export function rowsCols(t: Tensor): { rows: number; cols: number } {
  const cols = t.shape.length ? t.shape[t.shape.length - 1] : 1;
  return { rows: cols ? numel(t.shape) / cols : 0, cols };
}
