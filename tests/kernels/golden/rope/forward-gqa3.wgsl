
struct Params { total: u32, stride: u32, H: u32, half: u32, D: u32, scale: f32, logH: u32 }
@group(0) @binding(0) var<uniform> p: Params;

@group(0) @binding(1) var<storage, read> qkv: array<f32>;
@group(0) @binding(2) var<storage, read> pos: array<f32>;
@group(0) @binding(3) var<storage, read> invFreq: array<f32>;
@group(0) @binding(4) var<storage, read_write> q: array<f32>;
@group(0) @binding(5) var<storage, read_write> k: array<f32>;
@group(0) @binding(6) var<storage, read_write> v: array<f32>;

const C1 = 0x1.45e000p-3f;
const C2 = 0x1.306000p-15f;
const C3 = 0x1.b93910p-28f;
const TWO_PI: f32 = 6.283185307179586;

// x with the low 12 mantissa bits cleared: at most 12 significant bits.
fn hi(x: vec4f) -> vec4f { return bitcast<vec4f>(bitcast<vec4u>(x) & vec4u(0xfffff000u)); }
// x mod 1 into [-0.5, 0.5]; exact.
fn red(x: vec4f) -> vec4f { return x - round(x); }

// acc + a/(2π) mod 1, for a with at most 24 significant bits: the big products are exact.
fn addTurns(acc: vec4f, a: vec4f) -> vec4f {
  let ah = hi(a);
  let al = a - ah;
  var r = red(acc + red(ah * C1));
  r = red(r + red(ah * C2));
  r = red(r + red(al * C1));
  return red(r + (ah * C3 + al * C2 + al * C3));
}

// pos·w/(2π) mod 1 in [-0.5, 0.5]: pos·w is the sum of four exact 12×12-bit products.
fn angleTurns(pos: vec4f, w: vec4f) -> vec4f {
  let ph = hi(pos);
  let pl = pos - ph;
  let wh = hi(w);
  let wl = w - wh;
  var r = addTurns(vec4f(0.0), ph * wh);
  r = addTurns(r, ph * wl);
  r = addTurns(r, pl * wh);
  return red(r + (pl * wl) * (C1 + C2));
}

struct CosSin { c: vec4f, s: vec4f }

// cos and sin of 2π·r for r in [-0.5, 0.5]: quadrant, then |x| ≤ π/4 polynomials.
fn cosSinTurns(r: vec4f) -> CosSin {
  let quadrant = round(r * 4.0);
  let x = (r - quadrant * 0.25) * TWO_PI;
  let x2 = x * x;
  let s = x * (1.0 + x2 * (-1.0 / 6.0 + x2 * (1.0 / 120.0 + x2 * (-1.0 / 5040.0
    + x2 * (1.0 / 362880.0)))));
  let c = 1.0 + x2 * (-0.5 + x2 * (1.0 / 24.0 + x2 * (-1.0 / 720.0 + x2 * (1.0 / 40320.0
    - x2 * (1.0 / 3628800.0)))));
  // quadrant 0: (c, s); 1: (−s, c); 2: (−c, −s); 3: (s, −c).
  let q = vec4i(quadrant) & vec4i(3);
  let swap = (q & vec4i(1)) == vec4i(1);
  let cc = select(c, s, swap);
  let ss = select(s, c, swap);
  let negC = (q == vec4i(1)) | (q == vec4i(2));
  let negS = q >= vec4i(2);
  return CosSin(select(cc, -cc, negC), select(ss, -ss, negS));
}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let idx = gid.y * p.stride + gid.x;
  if (idx >= p.total) { return; }
  let half = p.half;
  let n = idx / half;
  let j = idx % half;
  let cs = cosSinTurns(angleTurns(vec4f(pos[n]), vec4f(invFreq[j])));
  let c = cs.c.x * p.scale;
  let s = cs.s.x * p.scale;
  let D = p.D;
  for (var h = 0u; h < p.H; h++) {
    let KVD = D / 3u;
    let W = D + 2u * KVD;
    let src = n * W + h * 2u * half + j;
    let dst = n * D + h * 2u * half + j;
    let q1 = qkv[src];
    let q2 = qkv[src + half];
    q[dst] = q1 * c - q2 * s;
    q[dst + half] = q2 * c + q1 * s;
    if (h < p.H / 3u) {
      let ks = n * W + D + h * 2u * half + j;
      let kd = n * KVD + h * 2u * half + j;
      let k1 = qkv[ks];
      let k2 = qkv[ks + half];
      k[kd] = k1 * c - k2 * s;
      k[kd + half] = k2 * c + k1 * s;
      v[kd] = qkv[ks + KVD];
      v[kd + half] = qkv[ks + KVD + half];
    }
  }
}
