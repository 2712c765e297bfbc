import assert from "node:assert/strict";
import { describeAdapter, getGpu, readF32, Recorder, upload } from "@e2llm/kernels";

Deno.test("an adapter is found and the device gets the adapter's limits", async () => {
  const { adapter, device, report } = await getGpu();
  assert.ok(report.description.length > 0);
  assert.equal(
    device.limits.maxStorageBuffersPerShaderStage,
    adapter.limits.maxStorageBuffersPerShaderStage,
  );
  assert.equal(
    device.limits.maxComputeWorkgroupStorageSize,
    adapter.limits.maxComputeWorkgroupStorageSize,
  );
  assert.deepEqual(describeAdapter(adapter).limits, report.limits);
});

const ADD = `
struct Params { n: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> c: array<f32>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3u) {
  if (id.x < p.n) { c[id.x] = a[id.x] + b[id.x]; }
}`;

Deno.test("a compute shader adds two arrays of odd length exactly", async () => {
  const { device } = await getGpu();
  const n = 1001;
  const a = Float32Array.from({ length: n }, (_, i) => i * 0.5 - 3);
  const b = Float32Array.from({ length: n }, (_, i) => 1 / (i + 1));
  const ta = upload(device, a), tb = upload(device, b), tc = upload(device, new Float32Array(n));
  const rec = new Recorder(device);
  rec.dispatch(ADD, new Uint32Array([n, 0, 0, 0]).buffer, [ta.buffer, tb.buffer, tc.buffer], [
    Math.ceil(n / 64),
  ]);
  rec.submit();
  const c = await readF32(device, tc);
  for (let i = 0; i < n; i++) assert.equal(c[i], Math.fround(a[i] + b[i]), `element ${i}`);
});
