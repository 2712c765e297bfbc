
struct P { n: u32, d4: u32, eps: f32, logHA: u32, logHB: u32 }
@group(0) @binding(0) var<uniform> p: P;
@group(0) @binding(1) var xTex: texture_storage_2d_array<rgba32float, read>;
fn x4(e: u32) -> vec4f {
  let y = e >> 6u;
  return textureLoad(xTex, vec2u(e & 63u, y & ((1u << p.logHA) - 1u)), y >> p.logHA);
}
@group(0) @binding(2) var wTex: texture_storage_2d_array<rgba32float, read>;
fn w4(e: u32) -> vec4f {
  let y = e >> 6u;
  return textureLoad(wTex, vec2u(e & 63u, y & ((1u << p.logHB) - 1u)), y >> p.logHB);
}
@group(0) @binding(3) var<storage, read_write> y: array<vec4f>;



fn flatIndex(wid: vec3u, nwg: vec3u, lid: vec3u) -> u32 {
  return (wid.y * nwg.x + wid.x) * 64u + lid.x;
}
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_id) lid: vec3u) {
  let i = flatIndex(wid, nwg, lid);
  let row0 = i * 8u;
  if (row0 >= p.n) { return; }
  let rows = min(8u, p.n - row0);
  var rs: array<f32, 8>;
  for (var r = 0u; r < rows; r = r + 1u) {
    let base = (row0 + r) * p.d4;
    var ss = vec4f(0.0);
    for (var c = 0u; c < p.d4; c = c + 1u) {
      let xv = x4(base + c);
      ss = ss + xv * xv;
    }
    rs[r] = 1.0 / sqrt((ss.x + ss.y + ss.z + ss.w) / f32(4u * p.d4) + p.eps);
    
  }
  for (var c = 0u; c < p.d4; c = c + 1u) {
    let wc = w4(c);
    for (var r = 0u; r < rows; r = r + 1u) {
      let k = (row0 + r) * p.d4 + c;
      y[k] = x4(k) * rs[r] * wc;
    }
  }
}