
struct P { n: u32, s: f32, logHA: u32 }
@group(0) @binding(0) var<uniform> p: P;
@group(0) @binding(1) var<storage, read_write> a: array<vec4f>;
@group(0) @binding(2) var aTex: texture_storage_2d_array<rgba32float, read>;
fn a4(e: u32) -> vec4f {
  let y = e >> 6u;
  return textureLoad(aTex, vec2u(e & 63u, y & ((1u << p.logHA) - 1u)), y >> p.logHA);
}

fn flatIndex(wid: vec3u, nwg: vec3u, lid: vec3u) -> u32 {
  return (wid.y * nwg.x + wid.x) * 256u + lid.x;
}
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_id) lid: vec3u) {
  let first = flatIndex(wid, nwg, lid) * 8u;
  let end = min(first + 8u, p.n);
  for (var i = first; i < end; i = i + 1u) {
    a[i] = a4(i) * p.s;
  }
}