
struct P { n: u32, d4: u32, v: u32, chunks: u32, logHA: u32 }
@group(0) @binding(0) var<uniform> p: P;
@group(0) @binding(1) var<storage, read> tokens: array<u32>;
@group(0) @binding(2) var tableTex: texture_storage_2d_array<rgba32float, read>;
fn table4(e: u32) -> vec4f {
  let y = e >> 6u;
  return textureLoad(tableTex, vec2u(e & 63u, y & ((1u << p.logHA) - 1u)), y >> p.logHA);
}
@group(0) @binding(3) var<storage, read_write> out: array<vec4f>;

fn flatIndex(wid: vec3u, nwg: vec3u, lid: vec3u) -> u32 {
  return (wid.y * nwg.x + wid.x) * 256u + lid.x;
}
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_id) lid: vec3u) {
  let i = flatIndex(wid, nwg, lid);
  if (i >= p.n * p.chunks) { return; }
  let row = i / p.chunks;
  let c0 = (i - row * p.chunks) * 2u;
  let c1 = min(c0 + 2u, p.d4);
  let t = tokens[row];
  for (var c = c0; c < c1; c = c + 1u) {
    var value = vec4f(0.0);
    if (t < p.v) { value = table4(t * p.d4 + c); }
    out[row * p.d4 + c] = value;
  }
}