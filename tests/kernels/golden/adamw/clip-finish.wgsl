
struct P { partials: u32, maxNorm: f32 }
@group(0) @binding(0) var<uniform> p: P;
@group(0) @binding(1) var<storage, read> partial: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
var<workgroup> tree: array<f32, 64>;
@compute @workgroup_size(64)
fn main(@builtin(local_invocation_id) lid: vec3u) {
  let run = (p.partials + 63u) / 64u;
  let end = min(p.partials, (lid.x + 1u) * run);
  var acc = 0.0;
  for (var j = lid.x * run; j < end; j = j + 1u) { acc = acc + partial[j]; }
  tree[lid.x] = acc;
  workgroupBarrier();
  for (var s = 32u; s > 0u; s = s >> 1u) {
    if (lid.x < s) { tree[lid.x] = tree[lid.x] + tree[lid.x + s]; }
    workgroupBarrier();
  }
  if (lid.x == 0u) {
    let total = tree[0];
    let norm = sqrt(total);
    out[0] = min(1.0, p.maxNorm / (norm + 1e-6));
    out[1] = norm;
  }
}