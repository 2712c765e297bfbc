
struct P { offset: u32, n: u32, decay: f32, logHP: u32, logHG: u32, logHM: u32, logHV: u32 }
@group(0) @binding(0) var<uniform> p: P;
@group(0) @binding(1) var<storage, read> hyper: array<f32, 8>;
@group(0) @binding(2) var<storage, read_write> param: array<vec4f>;
@group(0) @binding(3) var<storage, read_write> m: array<vec4f>;
@group(0) @binding(4) var<storage, read_write> v: array<vec4f>;
@group(0) @binding(5) var PTex: texture_storage_2d_array<rgba32float, read>;
fn P4(e: u32) -> vec4f {
  let y = e >> 6u;
  return textureLoad(PTex, vec2u(e & 63u, y & ((1u << p.logHP) - 1u)), y >> p.logHP);
}
@group(0) @binding(6) var GTex: texture_storage_2d_array<rgba32float, read>;
fn G4(e: u32) -> vec4f {
  let y = e >> 6u;
  return textureLoad(GTex, vec2u(e & 63u, y & ((1u << p.logHG) - 1u)), y >> p.logHG);
}
@group(0) @binding(7) var MTex: texture_storage_2d_array<rgba32float, read>;
fn M4(e: u32) -> vec4f {
  let y = e >> 6u;
  return textureLoad(MTex, vec2u(e & 63u, y & ((1u << p.logHM) - 1u)), y >> p.logHM);
}
@group(0) @binding(8) var VTex: texture_storage_2d_array<rgba32float, read>;
fn V4(e: u32) -> vec4f {
  let y = e >> 6u;
  return textureLoad(VTex, vec2u(e & 63u, y & ((1u << p.logHV) - 1u)), y >> p.logHV);
}

fn flatIndex(wid: vec3u, nwg: vec3u, lid: vec3u) -> u32 {
  return (wid.y * nwg.x + wid.x) * 256u + lid.x;
}
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_id) lid: vec3u) {
  let first = flatIndex(wid, nwg, lid) * 4u;
  if (first >= p.n) { return; }
  let end = min(first + 4u, p.n);
  let lr = hyper[0];
  let b1 = hyper[1];
  let b2 = hyper[2];
  let eps = hyper[3];
  let wd = hyper[4] * p.decay;
  let bc1 = hyper[5];
  let bc2 = hyper[6];
  let factor = 1.0;
  for (var q = first; q < end; q = q + 1u) {
    
    let g: vec4f = G4(q) * factor;
    let mi = b1 * M4(q) + (1.0 - b1) * g;
    let vi = b2 * V4(q) + (1.0 - b2) * g * g;
    let pi = P4(q);
    m[p.offset + q] = mi;
    v[p.offset + q] = vi;
    param[p.offset + q] = pi - lr * ((mi / bc1) / (sqrt(vi / bc2) + eps) + wd * pi);
  }
}