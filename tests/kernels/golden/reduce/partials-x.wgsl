
struct P { n: u32, partials: u32, run: u32 }
@group(0) @binding(0) var<uniform> p: P;
@group(0) @binding(1) var<storage, read> x: array<f32>;

@group(0) @binding(2) var<storage, read_write> partial: array<f32>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let k = gid.x;
  if (k >= p.partials) { return; }
  let end = min(p.n, (k + 1u) * p.run);
  var acc = 0.0;
  for (var j = k * p.run; j < end; j = j + 1u) {
    acc = acc + x[j];
  }
  partial[k] = acc;
}