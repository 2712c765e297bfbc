/** Wall and CPU time per call of recorded work, for the op benches. */
import process from "node:process";
import { type Gpu, Recorder, timeInterleaved } from "@e2llm/kernels";

/**
 * Wall seconds and process CPU ms per call of `record`, many calls per submit (about 0.5 s of
 * work), best of 3 batches after a warm-up submit that also compiles the pipelines. CPU time
 * (all of llvmpipe's threads are ours) is less sensitive than wall time to other processes
 * sharing the cores.
 */
export async function timePerCall(
  gpu: Gpu,
  record: (rec: Recorder) => void,
): Promise<{ seconds: number; cpuMs: number }> {
  const rec = new Recorder(gpu.device);
  const run = async (calls: number) => {
    const c0 = process.cpuUsage();
    const start = performance.now();
    for (let i = 0; i < calls; i++) record(rec);
    rec.submit();
    await gpu.device.queue.onSubmittedWorkDone();
    const c = process.cpuUsage(c0);
    return {
      seconds: (performance.now() - start) / 1000 / calls,
      cpuMs: (c.user + c.system) / 1e3 / calls,
    };
  };
  await run(1);
  const once = (await run(2)).seconds;
  const calls = Math.max(2, Math.min(200, Math.ceil(0.5 / Math.max(once, 1e-6))));
  let best = { seconds: Infinity, cpuMs: Infinity };
  for (let rep = 0; rep < 3; rep++) {
    const t = await run(calls);
    best = { seconds: Math.min(best.seconds, t.seconds), cpuMs: Math.min(best.cpuMs, t.cpuMs) };
  }
  return best;
}

/**
 * {@link timeInterleaved} inside a validation error scope: a shader that fails validation throws
 * (naming `what`) instead of being timed as a fast no-op.
 */
export async function timeValidated(
  device: GPUDevice,
  what: string,
  records: readonly ((rec: Recorder) => void)[],
  rounds = 5,
): Promise<{ ms: number; min: number; runs: number[] }[]> {
  device.pushErrorScope("validation");
  const timed = await timeInterleaved(device, records, { rounds }).then(
    (times) => ({ times }),
    (failure: unknown) => ({ failure }),
  );
  const error = await device.popErrorScope();
  if (error) throw new Error(`${what}: a shader failed validation: ${error.message}`);
  if ("failure" in timed) throw timed.failure;
  return timed.times;
}
