
struct P { n: u32, d: u32 }
@group(0) @binding(0) var<uniform> p: P;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;
@group(0) @binding(3) var<storage, read> rstd: array<f32>;
@group(0) @binding(4) var<storage, read> dy: array<f32>;
@group(0) @binding(5) var<storage, read_write> dx: array<f32>;


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
  var dot: array<f32, 8>;
  for (var r = 0u; r < rows; r = r + 1u) {
    rs[r] = rstd[row0 + r];
    dot[r] = 0.0;
  }
  for (var c = 0u; c < p.d; c = c + 1u) {
    let wc = w[c];
    var pd = 0.0;
    for (var r = 0u; r < rows; r = r + 1u) {
      let j = (row0 + r) * p.d + c;
      let xv = x[j];
      let dyv = dy[j];
      let gv = dyv * wc;
      dot[r] = dot[r] + gv * xv;
      pd = pd + dyv * xv * rs[r];
    }
    
  }
  
  var k: array<f32, 8>;
  for (var r = 0u; r < rows; r = r + 1u) { k[r] = rs[r] * rs[r] * rs[r] * dot[r] / f32(p.d); }
  for (var c = 0u; c < p.d; c = c + 1u) {
    let wc = w[c];
    for (var r = 0u; r < rows; r = r + 1u) {
      let j = (row0 + r) * p.d + c;
      let v = rs[r] * dy[j] * wc - x[j] * k[r];
      dx[j] = v;
    }
  }
}