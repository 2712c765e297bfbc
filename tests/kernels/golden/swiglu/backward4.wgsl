
struct P { quads: u32, f4: u32, logHA: u32, logHB: u32 }
@group(0) @binding(0) var<uniform> p: P;
@group(0) @binding(1) var guTex: texture_storage_2d_array<rgba32float, read>;
fn gu4(e: u32) -> vec4f {
  let y = e >> 6u;
  return textureLoad(guTex, vec2u(e & 63u, y & ((1u << p.logHA) - 1u)), y >> p.logHA);
}
@group(0) @binding(2) var dmTex: texture_storage_2d_array<rgba32float, read>;
fn dm4(e: u32) -> vec4f {
  let y = e >> 6u;
  return textureLoad(dmTex, vec2u(e & 63u, y & ((1u << p.logHB) - 1u)), y >> p.logHB);
}
@group(0) @binding(3) var<storage, read_write> dgu: array<vec4f>;
fn sigmoid4(z: vec4f) -> vec4f { return 1.0 / (1.0 + exp(-z)); }

fn flatIndex(wid: vec3u, nwg: vec3u, lid: vec3u) -> u32 {
  return (wid.y * nwg.x + wid.x) * 256u + lid.x;
}
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_id) lid: vec3u) {
  let first = flatIndex(wid, nwg, lid) * 4u;
  let end = min(first + 4u, p.quads);
  for (var q = first; q < end; q = q + 1u) {
    let gq = q + (q / p.f4) * p.f4;
    let g = gu4(gq);
    let u = gu4(gq + p.f4);
    let s = sigmoid4(g);
    let d = dm4(q);
    dgu[gq] = d * u * s * (1.0 + g * (1.0 - s));
    dgu[gq + p.f4] = d * g * s;
  }
}