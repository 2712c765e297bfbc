
struct P { v: u32, d4: u32, chunks: u32, logHA: u32, logHB: u32 }
@group(0) @binding(0) var<uniform> p: P;
@group(0) @binding(1) var<storage, read> idx: array<u32>;
@group(0) @binding(2) var doutTex: texture_storage_2d_array<rgba32float, read>;
fn dout4(e: u32) -> vec4f {
  let y = e >> 6u;
  return textureLoad(doutTex, vec2u(e & 63u, y & ((1u << p.logHA) - 1u)), y >> p.logHA);
}
@group(0) @binding(3) var<storage, read_write> dtable: array<vec4f>;


fn flatIndex(wid: vec3u, nwg: vec3u, lid: vec3u) -> u32 {
  return (wid.y * nwg.x + wid.x) * 256u + lid.x;
}
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_id) lid: vec3u) {
  let i = flatIndex(wid, nwg, lid);
  if (i >= p.v * p.chunks) { return; }
  let t = i / p.chunks;
  let c0 = (i - t * p.chunks) * 2u;
  let two = c0 + 1u < p.d4;
  var acc0 = vec4f(0.0);
  var acc1 = vec4f(0.0);
  let end = idx[t + 1u];
  for (var k = idx[t]; k < end; k = k + 1u) {
    let base = idx[p.v + 1u + k] * p.d4 + c0;
    acc0 = acc0 + dout4(base);
    if (two) { acc1 = acc1 + dout4(base + 1u); }
  }
  let o = t * p.d4 + c0;
  dtable[o] = acc0;
  if (two) { dtable[o + 1u] = acc1; }
}