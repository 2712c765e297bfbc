
struct P { n: u32, partials: u32, run: u32, texels: u32, logHA: u32, logHB: u32 }
@group(0) @binding(0) var<uniform> p: P;
@group(0) @binding(1) var xTex: texture_storage_2d_array<rgba32float, read>;
fn x4(e: u32) -> vec4f {
  let y = e >> 6u;
  return textureLoad(xTex, vec2u(e & 63u, y & ((1u << p.logHA) - 1u)), y >> p.logHA);
}

@group(0) @binding(2) var<storage, read_write> partial: array<f32>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let k = gid.x;
  if (k >= p.partials) { return; }
  let end = min(p.texels, (k + 1u) * p.run);
  var acc = vec4f(0.0);
  for (var e = k * p.run; e < end; e = e + 1u) {
    let idx = vec4u(4u * e) + vec4u(0u, 1u, 2u, 3u);
    acc = acc + select(vec4f(0.0), x4(e), idx < vec4u(p.n));
  }
  partial[k] = (acc.x + acc.y) + (acc.z + acc.w);
}