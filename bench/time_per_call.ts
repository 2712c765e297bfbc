/** Wall and CPU time per call of recorded work, for the op benches. */
import process from "node:process";
import { type Gpu, Recorder } from "@e2llm/kernels";

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
