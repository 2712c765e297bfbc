
struct P { n: u32, d4: u32, logHA: u32, logHB: u32, logHC: u32, logHD: u32 }
@group(0) @binding(0) var<uniform> p: P;
@group(0) @binding(1) var xTex: texture_storage_2d_array<rgba32float, read>;
fn x4(e: u32) -> vec4f {
  let y = e >> 6u;
  return textureLoad(xTex, vec2u(e & 63u, y & ((1u << p.logHA) - 1u)), y >> p.logHA);
}
@group(0) @binding(2) var dyTex: texture_storage_2d_array<rgba32float, read>;
fn dy4(e: u32) -> vec4f {
  let y = e >> 6u;
  return textureLoad(dyTex, vec2u(e & 63u, y & ((1u << p.logHB) - 1u)), y >> p.logHB);
}
@group(0) @binding(3) var wTex: texture_storage_2d_array<rgba32float, read>;
fn w4(e: u32) -> vec4f {
  let y = e >> 6u;
  return textureLoad(wTex, vec2u(e & 63u, y & ((1u << p.logHC) - 1u)), y >> p.logHC);
}
@group(0) @binding(4) var<storage, read> rstd: array<f32>;
@group(0) @binding(5) var<storage, read_write> dx: array<vec4f>;
@group(0) @binding(6) var<storage, read_write> partial: array<vec4f>;


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
  var dots: array<vec4f, 8>;
  for (var r = 0u; r < rows; r = r + 1u) {
    rs[r] = rstd[row0 + r];
    dots[r] = vec4f(0.0);
  }
  for (var c = 0u; c < p.d4; c = c + 1u) {
    let wc = w4(c);
    var pd = vec4f(0.0);
    for (var r = 0u; r < rows; r = r + 1u) {
      let j = (row0 + r) * p.d4 + c;
      let xv = x4(j);
      let dyv = dy4(j);
      dots[r] = dots[r] + dyv * wc * xv;
      pd = pd + dyv * xv * rs[r];
    }
    partial[i * p.d4 + c] = pd;
  }
  
  var k: array<f32, 8>;
  for (var r = 0u; r < rows; r = r + 1u) {
    let dot = dots[r].x + dots[r].y + dots[r].z + dots[r].w;
    k[r] = rs[r] * rs[r] * rs[r] * dot / f32(4u * p.d4);
  }
  for (var c = 0u; c < p.d4; c = c + 1u) {
    let wc = w4(c);
    for (var r = 0u; r < rows; r = r + 1u) {
      let j = (row0 + r) * p.d4 + c;
      let v = rs[r] * dy4(j) * wc - x4(j) * k[r];
      dx[j] = v;
    }
  }
}