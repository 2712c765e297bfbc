
struct P { rows: u32, v: u32, rowOffset: u32 }
@group(0) @binding(0) var<uniform> p: P;
@group(0) @binding(1) var<storage, read> logits: array<f32>;
@group(0) @binding(2) var<storage, read> targets: array<u32>;
@group(0) @binding(3) var<storage, read_write> loss: array<f32>;


fn flatIndex(wid: vec3u, nwg: vec3u, lid: vec3u) -> u32 {
  return (wid.y * nwg.x + wid.x) * 64u + lid.x;
}
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_id) lid: vec3u) {
  
  let r = flatIndex(wid, nwg, lid);
  if (r >= p.rows) { return; }
  let n = p.rowOffset + r;
  let t = targets[n];
  let base = r * p.v;
  let z0 = logits[base];
  var mx = z0;
  var arg = 0u;
  var se = 1.0;
  var zt = select(0.0, z0, t == 0u);
  for (var c = 1u; c < p.v; c = c + 1u) {
    let z = logits[base + c];
    
    zt = select(zt, z, c == t);
    if (z > mx) {
      se = se * exp(mx - z) + 1.0;
      mx = z;
      arg = c;
    } else {
      se = se + exp(z - mx);
    }
  }
  
  let valid = t < p.v;
  loss[n] = select(0.0, (mx - zt) + log(se), valid);
  
  
}