
struct P { v: u32, d: u32, chunks: u32 }
@group(0) @binding(0) var<uniform> p: P;
@group(0) @binding(1) var<storage, read> idx: array<u32>;
@group(0) @binding(2) var<storage, read> dout: array<f32>;
@group(0) @binding(3) var<storage, read_write> dtable: array<f32>;

fn flatIndex(wid: vec3u, nwg: vec3u, lid: vec3u) -> u32 {
  return (wid.y * nwg.x + wid.x) * 256u + lid.x;
}
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_id) lid: vec3u) {
  let i = flatIndex(wid, nwg, lid);
  if (i >= p.v * p.chunks) { return; }
  let t = i / p.chunks;
  let c0 = (i - t * p.chunks) * 8u;
  let width = min(8u, p.d - c0);
  var acc: array<f32, 8>;
  for (var j = 0u; j < 8u; j = j + 1u) { acc[j] = 0.0; }
  let end = idx[t + 1u];
  for (var k = idx[t]; k < end; k = k + 1u) {
    let base = idx[p.v + 1u + k] * p.d + c0;
    for (var j = 0u; j < width; j = j + 1u) { acc[j] = acc[j] + dout[base + j]; }
  }
  let out = t * p.d + c0;
  for (var j = 0u; j < width; j = j + 1u) {
    dtable[out + j] = acc[j];
  }
}