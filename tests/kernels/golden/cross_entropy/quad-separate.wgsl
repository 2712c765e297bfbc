
struct P { rows: u32, v: u32, v4: u32, rowOffset: u32, logHA: u32 }
@group(0) @binding(0) var<uniform> p: P;
@group(0) @binding(1) var lgTex: texture_storage_2d_array<rgba32float, read>;
fn lg4(e: u32) -> vec4f {
  let y = e >> 6u;
  return textureLoad(lgTex, vec2u(e & 63u, y & ((1u << p.logHA) - 1u)), y >> p.logHA);
}
@group(0) @binding(2) var<storage, read> targets: array<u32>;
@group(0) @binding(3) var<storage, read_write> loss: array<f32>;
@group(0) @binding(4) var<storage, read> weight: array<f32>;
@group(0) @binding(5) var<storage, read_write> dlogits: array<vec4f>;


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
  let base = r * p.v4;
  var mx = -3.4028235e38;
  var arg = 0u;
  var se = 0.0;
  var zt = 0.0;
  for (var c4 = 0u; c4 < p.v4; c4 = c4 + 1u) {
    let zq = lg4(base + c4);
    {
    let z = zq.x;
    let c = 4u * c4 + 0u;
    zt = select(zt, z, c == t);
    if (z > mx) {
      se = se * exp(mx - z) + 1.0;
      mx = z;
      arg = c;
    } else {
      se = se + exp(z - mx);
    }
  }
    {
    let z = zq.y;
    let c = 4u * c4 + 1u;
    zt = select(zt, z, c == t);
    if (z > mx) {
      se = se * exp(mx - z) + 1.0;
      mx = z;
      arg = c;
    } else {
      se = se + exp(z - mx);
    }
  }
    {
    let z = zq.z;
    let c = 4u * c4 + 2u;
    zt = select(zt, z, c == t);
    if (z > mx) {
      se = se * exp(mx - z) + 1.0;
      mx = z;
      arg = c;
    } else {
      se = se + exp(z - mx);
    }
  }
    {
    let z = zq.w;
    let c = 4u * c4 + 3u;
    zt = select(zt, z, c == t);
    if (z > mx) {
      se = se * exp(mx - z) + 1.0;
      mx = z;
      arg = c;
    } else {
      se = se + exp(z - mx);
    }
  }
  }
  
  let valid = t < p.v;
  loss[n] = select(0.0, (mx - zt) + log(se), valid);
  
  
  let wn = weight[n];
  let scale = select(0.0, wn / se, t < p.v);
  for (var c4 = 0u; c4 < p.v4; c4 = c4 + 1u) {
    let idx = vec4u(4u * c4) + vec4u(0u, 1u, 2u, 3u);
    dlogits[base + c4] = exp(lg4(base + c4) - mx) * scale -
      select(vec4f(0.0), vec4f(wn), idx == vec4u(t));
  }
}