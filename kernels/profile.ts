/**
 * Optional GPU timing of recorded work.
 *
 * With the adapter's `timestamp-query` feature (requested by kernels/device.ts when present), a
 * region is bracketed by two empty compute passes that write timestamps at their start / end;
 * queue order makes the difference the GPU time of everything recorded in between. Without it,
 * the fallback is wall clock: each region boundary submits the work recorded so far and notes
 * when `onSubmittedWorkDone` resolves (coarser, and it costs submits — only while profiling).
 *
 * Nothing here runs unless a caller creates a {@link GpuProfiler} or calls
 * {@link timeRecorded}: the normal training path pays nothing.
 */
import { Recorder } from "./recorder.ts";

/** How times were taken. */
export type ProfileMode = "timestamp" | "wallclock";

/** One timed region. */
export interface ProfileEntry {
  label: string;
  ms: number;
}

/** Whether `device` was created with timestamp queries. */
export function hasTimestamps(device: GPUDevice): boolean {
  return device.features.has("timestamp-query");
}

/**
 * Times labelled regions of recorded work: `begin(rec, label)` … `end(rec)` (regions may not
 * nest), then `await read()` after (or instead of) submitting.
 */
export class GpuProfiler {
  readonly mode: ProfileMode;
  readonly #device: GPUDevice;
  readonly #capacity: number;
  #querySet: GPUQuerySet | undefined;
  #labels: string[] = [];
  #open: string | undefined;
  /** Wall-clock mode: resolution times of the boundary promises, in region order. */
  #marks: Promise<number>[] = [];

  constructor(device: GPUDevice, options: { capacity?: number; mode?: ProfileMode } = {}) {
    this.#device = device;
    this.#capacity = options.capacity ?? 64;
    const wanted = options.mode ?? (hasTimestamps(device) ? "timestamp" : "wallclock");
    if (wanted === "timestamp" && !hasTimestamps(device)) {
      throw new RangeError("GpuProfiler: this device has no timestamp-query feature");
    }
    this.mode = wanted;
  }

  /** Start timing `label` at this point of `rec`'s recording. */
  begin(rec: Recorder, label: string): void {
    if (this.#open !== undefined) {
      throw new RangeError(`GpuProfiler: "${label}" begins inside open region "${this.#open}"`);
    }
    if (this.#labels.length >= this.#capacity) {
      throw new RangeError(`GpuProfiler: more than ${this.#capacity} regions`);
    }
    this.#open = label;
    this.#labels.push(label);
    this.#mark(rec, "begin");
  }

  /** Stop timing the open region. */
  end(rec: Recorder): void {
    if (this.#open === undefined) throw new RangeError("GpuProfiler: end() without begin()");
    this.#open = undefined;
    this.#mark(rec, "end");
  }

  #mark(rec: Recorder, which: "begin" | "end"): void {
    const index = 2 * (this.#labels.length - 1) + (which === "end" ? 1 : 0);
    if (this.mode === "timestamp") {
      this.#querySet ??= this.#device.createQuerySet({
        type: "timestamp",
        count: 2 * this.#capacity,
      });
      const writes: GPUComputePassTimestampWrites = which === "begin"
        ? { querySet: this.#querySet, beginningOfPassWriteIndex: index }
        : { querySet: this.#querySet, endOfPassWriteIndex: index };
      rec.encoder().beginComputePass({ timestampWrites: writes, label: "profile" }).end();
    } else {
      rec.submit();
      this.#marks[index] = this.#device.queue.onSubmittedWorkDone().then(() => performance.now());
    }
  }

  /** Submit what `rec` still holds and return the regions' times (clears the profiler). */
  async read(rec?: Recorder): Promise<ProfileEntry[]> {
    if (this.#open !== undefined) throw new RangeError(`GpuProfiler: "${this.#open}" not ended`);
    const labels = this.#labels;
    this.#labels = [];
    if (labels.length === 0) return [];
    if (this.mode === "wallclock") {
      rec?.submit();
      const times = await Promise.all(this.#marks);
      this.#marks = [];
      return labels.map((label, i) => ({ label, ms: times[2 * i + 1] - times[2 * i] }));
    }
    const ticks = await (rec ?? new Recorder(this.#device)).readTimestamps(
      this.#querySet!,
      2 * labels.length,
    );
    return labels.map((label, i) => ({
      label,
      ms: Number(ticks[2 * i + 1] - ticks[2 * i]) / 1e6,
    }));
  }

  /** Release the query set. */
  destroy(): void {
    this.#querySet?.destroy();
    this.#querySet = undefined;
  }
}

/**
 * Time `record` (which records work into a fresh recorder): one untimed warm-up run (pipeline
 * compilation), then `reps` timed runs; returns the median and the fastest milliseconds per run
 * and the mode. Submits and waits: for benches and tuning, never inside a training step.
 */
export async function timeRecorded(
  device: GPUDevice,
  record: (rec: Recorder) => void,
  options: { reps?: number; mode?: ProfileMode } = {},
): Promise<{ ms: number; min: number; runs: number[]; mode: ProfileMode }> {
  const mode = options.mode ?? (hasTimestamps(device) ? "timestamp" : "wallclock");
  const [t] = await timeInterleaved(device, [record], { rounds: options.reps ?? 3, mode });
  return { ...t, mode };
}

/**
 * Time several alternatives fairly: one warm-up run of each (compilation), then `rounds` rounds
 * that run every alternative once, in a rotated order, so a machine that speeds up or slows down
 * meanwhile affects all of them alike. Returns, per alternative, its median and fastest ms and
 * every run. Submits and waits: for benches and tuning, never inside a training step.
 */
export async function timeInterleaved(
  device: GPUDevice,
  records: readonly ((rec: Recorder) => void)[],
  options: { rounds?: number; mode?: ProfileMode } = {},
): Promise<{ ms: number; min: number; runs: number[] }[]> {
  const warm = new Recorder(device);
  for (const record of records) record(warm);
  warm.submit();
  await device.queue.onSubmittedWorkDone();
  const runs: number[][] = records.map(() => []);
  const n = records.length;
  for (let round = 0; round < (options.rounds ?? 5); round++) {
    const profiler = new GpuProfiler(device, { capacity: Math.max(1, n), mode: options.mode });
    const rec = new Recorder(device, warm.pipelines);
    const order = records.map((_, i) => (i + round) % n);
    for (const i of order) {
      profiler.begin(rec, String(i));
      records[i](rec);
      profiler.end(rec);
    }
    for (const entry of await profiler.read(rec)) runs[Number(entry.label)].push(entry.ms);
    profiler.destroy();
  }
  return runs.map((r) => {
    const sorted = [...r].sort((x, y) => x - y);
    return { ms: sorted[Math.floor(sorted.length / 2)], min: sorted[0], runs: r };
  });
}
