import assert from "node:assert/strict";
import {
  getGpu,
  GpuProfiler,
  hasTimestamps,
  matmul,
  problemTensors,
  Recorder,
  timeInterleaved,
  timeRecorded,
} from "@e2llm/kernels";

const { device } = await getGpu();
const SMALL = { trans: "NN" as const, m: 64, n: 64, k: 64 };
const BIG = { trans: "NN" as const, m: 512, n: 512, k: 512 };

for (const mode of ["timestamp", "wallclock"] as const) {
  Deno.test(`GpuProfiler (${mode}) times labelled regions; bigger work takes longer`, async () => {
    if (mode === "timestamp" && !hasTimestamps(device)) {
      assert.throws(() => new GpuProfiler(device, { mode }), /timestamp-query/);
      return;
    }
    const small = problemTensors(device, SMALL), big = problemTensors(device, BIG);
    const rec = new Recorder(device);
    matmul(rec, ...small); // warm-up: compile outside the timed regions
    matmul(rec, ...big);
    rec.submit();
    await device.queue.onSubmittedWorkDone();
    const profiler = new GpuProfiler(device, { mode });
    assert.equal(profiler.mode, mode);
    profiler.begin(rec, "small");
    matmul(rec, ...small);
    profiler.end(rec);
    profiler.begin(rec, "big");
    for (let i = 0; i < 4; i++) matmul(rec, ...big);
    profiler.end(rec);
    const entries = await profiler.read(rec);
    assert.deepEqual(entries.map((e) => e.label), ["small", "big"]);
    for (const e of entries) assert.ok(Number.isFinite(e.ms) && e.ms >= 0, `${e.label}: ${e.ms}`);
    // 64³ vs 4 × 512³ flops: 2048× the work, tens of milliseconds on a software GPU, so the
    // wall-clock marks (promise resolution times) cannot collapse on a loaded machine.
    assert.ok(entries[1].ms > entries[0].ms, JSON.stringify(entries));
    assert.deepEqual(await profiler.read(rec), []);
    profiler.destroy();
    for (const t of [...small, ...big]) t.buffer.destroy();
  });
}

Deno.test("GpuProfiler rejects nested or unmatched regions", () => {
  const profiler = new GpuProfiler(device, { mode: "wallclock", capacity: 1 });
  const rec = new Recorder(device);
  assert.throws(() => profiler.end(rec), /without begin/);
  profiler.begin(rec, "a");
  assert.throws(() => profiler.begin(rec, "b"), /inside open region "a"/);
  profiler.end(rec);
  assert.throws(() => profiler.begin(rec, "c"), /more than 1 regions/);
});

Deno.test("timeRecorded returns per-run times, median and fastest", async () => {
  const tensors = problemTensors(device, SMALL);
  const r = await timeRecorded(device, (rec) => matmul(rec, ...tensors), { reps: 3 });
  assert.equal(r.runs.length, 3);
  assert.equal(r.mode, hasTimestamps(device) ? "timestamp" : "wallclock");
  assert.ok(r.min <= r.ms && r.runs.every((x) => x >= r.min && Number.isFinite(x)));
  for (const t of tensors) t.buffer.destroy();
});

Deno.test("Recorder.timeDispatches times each dispatch by label; copies show as gaps", async () => {
  const rec = new Recorder(device);
  if (!hasTimestamps(device)) {
    assert.throws(() => rec.timeDispatches(), /timestamp-query/);
    return;
  }
  await assert.rejects(rec.readDispatchTimes(), /timeDispatches\(\) not called/);
  assert.throws(() => rec.timeDispatches(5000), /capacity 5000/);
  const small = problemTensors(device, SMALL), big = problemTensors(device, BIG);
  matmul(rec, ...small); // warm-up: compile outside the timed dispatches
  matmul(rec, ...big);
  rec.submit();
  await device.queue.onSubmittedWorkDone();
  rec.timeDispatches(4);
  matmul(rec, ...small); // texture source on software adapters: staging copies come first
  matmul(rec, ...big);
  const times = await rec.readDispatchTimes();
  assert.deepEqual(times.map((t) => t.label), ["matmul NN", "matmul NN"]);
  for (const t of times) {
    assert.ok(Number.isFinite(t.ms) && t.ms >= 0 && t.gapMs >= 0, JSON.stringify(t));
  }
  assert.equal(times[0].gapMs, 0);
  assert.ok(times[1].ms > times[0].ms, JSON.stringify(times)); // 256× the flops
  // Timing stops after the read; past capacity is an error naming it.
  matmul(rec, ...small);
  rec.submit();
  rec.timeDispatches(1);
  matmul(rec, ...small);
  assert.throws(() => matmul(rec, ...small), /more than 1 timed dispatches/);
  await rec.readDispatchTimes();
  for (const t of [...small, ...big]) t.buffer.destroy();
});

Deno.test("timeInterleaved times alternatives in rotated rounds; medians rank the work", async () => {
  const small = problemTensors(device, SMALL), big = problemTensors(device, BIG);
  const times = await timeInterleaved(device, [
    (rec) => matmul(rec, ...big),
    (rec) => matmul(rec, ...small),
  ], { rounds: 3 });
  assert.equal(times.length, 2);
  for (const t of times) {
    assert.equal(t.runs.length, 3);
    assert.ok(
      t.min <= t.ms && t.runs.every((x) => Number.isFinite(x) && x >= 0),
      JSON.stringify(t),
    );
  }
  assert.ok(times[0].ms > times[1].ms, JSON.stringify(times)); // 256× the flops
  for (const t of [...small, ...big]) t.buffer.destroy();
});
