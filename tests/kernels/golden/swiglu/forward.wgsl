
struct P { n: u32, f: u32 }
@group(0) @binding(0) var<uniform> p: P;
@group(0) @binding(1) var<storage, read> gu: array<f32>;
@group(0) @binding(2) var<storage, read_write> m: array<f32>;
fn sigmoid(z: f32) -> f32 { return 1.0 / (1.0 + exp(-z)); }

fn flatIndex(wid: vec3u, nwg: vec3u, lid: vec3u) -> u32 {
  return (wid.y * nwg.x + wid.x) * 256u + lid.x;
}
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_id) lid: vec3u) {
  let first = flatIndex(wid, nwg, lid) * 8u;
  let end = min(first + 8u, p.n * p.f);
  for (var i = first; i < end; i = i + 1u) {
    let row = i / p.f;
    let gi = i + row * p.f;
    let g = gu[gi];
    let u = gu[gi + p.f];
    let s = sigmoid(g);
    m[i] = g * s * u;
  }
}