/**
 * A buffer pool: storage buffers are reused by exact byte size and usage, so a training step
 * that allocates the same activations every time allocates nothing after the first step.
 */
export class BufferPool {
  readonly #free = new Map<string, GPUBuffer[]>();
  #liveBytes = 0;
  #peakBytes = 0;

  constructor(readonly device: GPUDevice) {}

  /** A buffer of at least `bytes` (rounded up to 16) with `usage`; contents are undefined. */
  acquire(bytes: number, usage: number = DEFAULT_USAGE, label?: string): GPUBuffer {
    const size = roundUp(Math.max(bytes, 4), 16);
    const limit = this.device.limits.maxBufferSize;
    if (size > limit) {
      throw new RangeError(
        `buffer ${label ?? ""} of ${size} bytes exceeds the device's maxBufferSize ${limit}`,
      );
    }
    const list = this.#free.get(key(size, usage));
    const buffer = list?.pop() ?? this.device.createBuffer({ size, usage, label });
    this.#liveBytes += size;
    this.#peakBytes = Math.max(this.#peakBytes, this.#liveBytes);
    return buffer;
  }

  /** Return a buffer for reuse. Safe right after recording: reuse happens in queue order. */
  release(buffer: GPUBuffer): void {
    const k = key(buffer.size, buffer.usage);
    let list = this.#free.get(k);
    if (!list) this.#free.set(k, list = []);
    list.push(buffer);
    this.#liveBytes -= buffer.size;
  }

  /** Bytes handed out and not yet released. */
  get liveBytes(): number {
    return this.#liveBytes;
  }

  /** The most bytes ever handed out at once. */
  get peakBytes(): number {
    return this.#peakBytes;
  }

  /** Destroy every pooled (released) buffer. */
  trim(): void {
    for (const list of this.#free.values()) for (const b of list) b.destroy();
    this.#free.clear();
  }
}

// The shared pool of a device is `poolFor(device)` (kernels/context.ts).

/** Storage buffers can be copied in and out. */
export const DEFAULT_USAGE: GPUBufferUsageFlags = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC |
  GPUBufferUsage.COPY_DST;

function key(size: number, usage: number): string {
  return `${size}:${usage}`;
}

function roundUp(n: number, m: number): number {
  return Math.ceil(n / m) * m;
}
