
struct P { n: u32, d: u32, eps: f32 }
@group(0) @binding(0) var<uniform> p: P;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<storage, read_write> rstd: array<f32>;


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
    let base = (row0 + r) * p.d;
    var ss = 0.0;
    for (var c = 0u; c < p.d; c = c + 1u) {
      let xv = x[base + c];
      ss = ss + xv * xv;
    }
    rs[r] = 1.0 / sqrt(ss / f32(p.d) + p.eps);
    rstd[row0 + r] = rs[r];
  }
  for (var c = 0u; c < p.d; c = c + 1u) {
    let wc = w[c];
    for (var r = 0u; r < rows; r = r + 1u) {
      let k = (row0 + r) * p.d + c;
      y[k] = x[k] * rs[r] * wc;
    }
  }
}