
struct P { offset: u32, n: u32, decay: f32, logHP: u32, logHG: u32, logHM: u32, logHV: u32 }
@group(0) @binding(0) var<uniform> p: P;
@group(0) @binding(1) var<storage, read> hyper: array<f32, 8>;
@group(0) @binding(2) var<storage, read_write> param: array<f32>;
@group(0) @binding(3) var<storage, read_write> m: array<f32>;
@group(0) @binding(4) var<storage, read_write> v: array<f32>;
@group(0) @binding(5) var<storage, read> grad: array<f32>;

fn flatIndex(wid: vec3u, nwg: vec3u, lid: vec3u) -> u32 {
  return (wid.y * nwg.x + wid.x) * 256u + lid.x;
}
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_id) lid: vec3u) {
  let first = flatIndex(wid, nwg, lid) * 16u;
  if (first >= p.n) { return; }
  let end = min(first + 16u, p.n);
  let lr = hyper[0];
  let b1 = hyper[1];
  let b2 = hyper[2];
  let eps = hyper[3];
  let wd = hyper[4] * p.decay;
  let bc1 = hyper[5];
  let bc2 = hyper[6];
  let factor = 1.0;
  for (var q = first; q < end; q = q + 1u) {
    let i = p.offset + q;
    let g: f32 = grad[i] * factor;
    let mi = b1 * m[i] + (1.0 - b1) * g;
    let vi = b2 * v[i] + (1.0 - b2) * g * g;
    let pi = param[i];
    m[i] = mi;
    v[i] = vi;
    param[i] = pi - lr * ((mi / bc1) / (sqrt(vi / bc2) + eps) + wd * pi);
  }
}