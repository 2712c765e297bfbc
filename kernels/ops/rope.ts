/**
 * RoPE apply fused with the q/k/v split: `qkv [N = B·T, 3D]` → q, k, v `[B, T, H, hd]`, q and k
 * rotated (rotate-half layout, pairs (x_j, x_{j+hd/2}), as in LLaMA / Hugging Face) by the angle
 * positions[b, t] · invFreq[j] and multiplied by a q/k scale; v copied. Positions are f32, so
 * scaled, shifted and fractional positions work.
 *
 * Angle accuracy. WGSL `sin`/`cos` are only specified on [-π, π] and an f32 product pos·θ is off
 * by ~pos·2⁻²⁴ rad (4e-3 at 65,536). Here the angle is carried in turns (angle / 2π) and reduced
 * mod 1 exactly: positions, frequencies and 1/2π are split into 12-bit pieces (by masking the
 * mantissa, no floating-point tricks a compiler could reassociate), so the large partial products
 * are exact in f32 and their fractional parts are exact too. sin and cos of the reduced angle
 * (|x| ≤ π/4 after the quadrant) are our own polynomials, the same on every adapter. Measured
 * max |cos − cos_f64|, |sin − sin_f64| = 3.5e-7 for positions up to 2¹⁷ (65,536, 131,071.75,
 * 40000/3, …) against f64 of the same f32 inputs; the plain f32 product is off by 7e-4 there.
 *
 * Grouped-query attention (k, v with KV < H heads, qkv [N, (H + 2·KV)·hd]) uses scalar kernels
 * generated for the group size (the multi-head ones are unchanged): query head h < H is rotated,
 * and for h < KV key/value head h too.
 *
 * Two kernel shapes: for hd % 8 == 0 (the model's hd 32/64) one invocation handles 4 pairs with
 * vec4 stores and reads its input from a staging texture (kernels/staging.ts: storage loads are
 * dear on llvmpipe; this closes the compute pass); any other even hd uses a scalar kernel.
 */
import type { Binding, Recorder } from "../recorder.ts";
import { expectStageable, stage, stagedTextureType } from "../staging.ts";
import { binding, fmtShape, type Tensor } from "../tensor.ts";
import { checkBindings, expectShape, expectStorageBuffers } from "./checks.ts";
import { uniforms } from "../uniforms.ts";

const ROPE_P = uniforms("ropeSplit", {
  total: "u32",
  stride: "u32",
  H: "u32",
  half: "u32",
  D: "u32",
  scale: "f32",
  logH: "u32",
}, "Params");

/** Options of {@link ropeSplit} / {@link ropeSplitBackward}. */
export interface RopeOptions {
  /** Multiplies the rotated q and k (YaRN's attention factor); v is never scaled. Default 1. */
  scale?: number;
}

const WORKGROUP = 64;

/** 1/(2π) as three f32 pieces: 12 + 12 significant bits, then the f32-rounded rest. */
function invTwoPiPieces(): [number, number, number] {
  const c = 1 / (2 * Math.PI);
  const c1 = highBits(c);
  const c2 = highBits(c - c1);
  const c3 = Math.fround(c - c1 - c2);
  return [c1, c2, c3];
}

/** The f32 nearest `x` with its low 12 mantissa bits cleared (as the WGSL `hi` does). */
function highBits(x: number): number {
  const f = new Float32Array([x]);
  const u = new Uint32Array(f.buffer);
  u[0] &= 0xfffff000;
  return f[0];
}

/** An f32 value as an exact WGSL hexadecimal float literal (normal numbers). */
function f32Literal(x: number): string {
  const u = new Uint32Array(new Float32Array([x]).buffer)[0];
  const sign = u >>> 31 ? "-" : "";
  const exponent = ((u >>> 23) & 0xff) - 127;
  const mantissa = ((u & 0x7fffff) << 1).toString(16).padStart(6, "0");
  return `${sign}0x1.${mantissa}p${exponent}f`;
}

/** WGSL helpers (4 angles at a time): exact reduction in turns, sin/cos by polynomial. */
function angleWgsl(): string {
  const [c1, c2, c3] = invTwoPiPieces();
  return /* wgsl */ `
const C1 = ${f32Literal(c1)};
const C2 = ${f32Literal(c2)};
const C3 = ${f32Literal(c3)};
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
`;
}

/**
 * `at4_<t>(e)`: texel e of the staged vec4 texture `t` (see kernels/staging.ts). One accessor per
 * texture: naga's GLSL output reads zeros from a texture passed as a function argument.
 */
function at4(t: string): string {
  return /* wgsl */ `
fn at4_${t}(e: u32) -> vec4f {
  let y = e >> 6u;
  return textureLoad(${t}, vec2u(e & 63u, y & ((1u << p.logH) - 1u)), y >> p.logH);
}
`;
}

const PARAMS = /* wgsl */ `
${ROPE_P.wgsl()}
`;

/**
 * A RoPE kernel: one invocation per (row n, pair group); `c` and `s` are the scaled cosine and sine
 * of the group's angle, and `body` runs once per head h. Scalar kernels take one pair per group
 * (`half`, pair j, f32 `c`/`s`); vec4 kernels take 4 pairs (`G` groups per head, group g, vec4
 * `c`/`s`, and `half`, `D` count vec4s).
 */
function ropeKernel(
  bindings: string,
  vec4: boolean,
  body: string,
  textures: string[] = [],
): string {
  const [groups, group, freq, lane] = vec4
    ? ["G", "g", "invFreq[g]", ""]
    : ["half", "j", "vec4f(invFreq[j])", ".x"];
  return PARAMS + bindings + /* wgsl */ `
${angleWgsl()}${textures.map(at4).join("")}
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let idx = gid.y * p.stride + gid.x;
  if (idx >= p.total) { return; }
  let ${groups} = p.half;
  let n = idx / ${groups};
  let ${group} = idx % ${groups};
  let cs = cosSinTurns(angleTurns(vec4f(pos[n]), ${freq}));
  let c = cs.c${lane} * p.scale;
  let s = cs.s${lane} * p.scale;
  let D = p.D;
  for (var h = 0u; h < p.H; h++) {${body}
  }
}
`;
}

/**
 * WGSL of the forward for any even hd: one invocation per (row n, pair j), looping over heads;
 * plain storage loads.
 */
export const ROPE_SPLIT_WGSL: string = ropeKernel(
  /* wgsl */ `
@group(0) @binding(1) var<storage, read> qkv: array<f32>;
@group(0) @binding(2) var<storage, read> pos: array<f32>;
@group(0) @binding(3) var<storage, read> invFreq: array<f32>;
@group(0) @binding(4) var<storage, read_write> q: array<f32>;
@group(0) @binding(5) var<storage, read_write> k: array<f32>;
@group(0) @binding(6) var<storage, read_write> v: array<f32>;`,
  false,
  /* wgsl */ `
    let src = n * 3u * D + h * 2u * half + j;
    let dst = n * D + h * 2u * half + j;
    let q1 = qkv[src];
    let q2 = qkv[src + half];
    q[dst] = q1 * c - q2 * s;
    q[dst + half] = q2 * c + q1 * s;
    let k1 = qkv[src + D];
    let k2 = qkv[src + D + half];
    k[dst] = k1 * c - k2 * s;
    k[dst + half] = k2 * c + k1 * s;
    v[dst] = qkv[src + 2u * D];
    v[dst + half] = qkv[src + 2u * D + half];`,
);

/**
 * Scalar forward for grouped-query attention, `rep` = H / KV query heads per key/value head:
 * qkv rows are q (D) | k (KVD = D / rep) | v (KVD).
 */
export function ropeSplitGqaWgsl(rep: number): string {
  return ropeKernel(
    /* wgsl */ `
@group(0) @binding(1) var<storage, read> qkv: array<f32>;
@group(0) @binding(2) var<storage, read> pos: array<f32>;
@group(0) @binding(3) var<storage, read> invFreq: array<f32>;
@group(0) @binding(4) var<storage, read_write> q: array<f32>;
@group(0) @binding(5) var<storage, read_write> k: array<f32>;
@group(0) @binding(6) var<storage, read_write> v: array<f32>;`,
    false,
    /* wgsl */ `
    let KVD = D / ${rep}u;
    let W = D + 2u * KVD;
    let src = n * W + h * 2u * half + j;
    let dst = n * D + h * 2u * half + j;
    let q1 = qkv[src];
    let q2 = qkv[src + half];
    q[dst] = q1 * c - q2 * s;
    q[dst + half] = q2 * c + q1 * s;
    if (h < p.H / ${rep}u) {
      let ks = n * W + D + h * 2u * half + j;
      let kd = n * KVD + h * 2u * half + j;
      let k1 = qkv[ks];
      let k2 = qkv[ks + half];
      k[kd] = k1 * c - k2 * s;
      k[kd + half] = k2 * c + k1 * s;
      v[kd] = qkv[ks + KVD];
      v[kd + half] = qkv[ks + KVD + half];
    }`,
  );
}

/** Scalar backward of {@link ropeSplitGqaWgsl}. */
export function ropeSplitBackwardGqaWgsl(rep: number): string {
  return ropeKernel(
    /* wgsl */ `
@group(0) @binding(1) var<storage, read> dq: array<f32>;
@group(0) @binding(2) var<storage, read> dk: array<f32>;
@group(0) @binding(3) var<storage, read> dv: array<f32>;
@group(0) @binding(4) var<storage, read> pos: array<f32>;
@group(0) @binding(5) var<storage, read> invFreq: array<f32>;
@group(0) @binding(6) var<storage, read_write> dqkv: array<f32>;`,
    false,
    /* wgsl */ `
    let KVD = D / ${rep}u;
    let W = D + 2u * KVD;
    let dst = n * W + h * 2u * half + j;
    let src = n * D + h * 2u * half + j;
    let q1 = dq[src];
    let q2 = dq[src + half];
    dqkv[dst] = q1 * c + q2 * s;
    dqkv[dst + half] = q2 * c - q1 * s;
    if (h < p.H / ${rep}u) {
      let kd = n * W + D + h * 2u * half + j;
      let ks = n * KVD + h * 2u * half + j;
      let k1 = dk[ks];
      let k2 = dk[ks + half];
      dqkv[kd] = k1 * c + k2 * s;
      dqkv[kd + half] = k2 * c - k1 * s;
      dqkv[kd + KVD] = dv[ks];
      dqkv[kd + KVD + half] = dv[ks + half];
    }`,
  );
}

/** WGSL of the backward for any even hd: the transposed rotation times the scale; v copied. */
export const ROPE_SPLIT_BACKWARD_WGSL: string = ropeKernel(
  /* wgsl */ `
@group(0) @binding(1) var<storage, read> dq: array<f32>;
@group(0) @binding(2) var<storage, read> dk: array<f32>;
@group(0) @binding(3) var<storage, read> dv: array<f32>;
@group(0) @binding(4) var<storage, read> pos: array<f32>;
@group(0) @binding(5) var<storage, read> invFreq: array<f32>;
@group(0) @binding(6) var<storage, read_write> dqkv: array<f32>;`,
  false,
  /* wgsl */ `
    let dst = n * 3u * D + h * 2u * half + j;
    let src = n * D + h * 2u * half + j;
    let q1 = dq[src];
    let q2 = dq[src + half];
    dqkv[dst] = q1 * c + q2 * s;
    dqkv[dst + half] = q2 * c - q1 * s;
    let k1 = dk[src];
    let k2 = dk[src + half];
    dqkv[dst + D] = k1 * c + k2 * s;
    dqkv[dst + D + half] = k2 * c - k1 * s;
    dqkv[dst + 2u * D] = dv[src];
    dqkv[dst + 2u * D + half] = dv[src + half];`,
);

/**
 * WGSL of the forward for hd % 8 == 0: one invocation per (row n, 4 pairs), vec4 stores, qkv
 * read from a staging texture (storage loads are dear on llvmpipe). `half`, `D` are in vec4s.
 */
export const ROPE_SPLIT_VEC4_WGSL: string = ropeKernel(
  /* wgsl */ `
@group(0) @binding(1) var src: ${stagedTextureType()};
@group(0) @binding(2) var<storage, read> pos: array<f32>;
@group(0) @binding(3) var<storage, read> invFreq: array<vec4f>;
@group(0) @binding(4) var<storage, read_write> q: array<vec4f>;
@group(0) @binding(5) var<storage, read_write> k: array<vec4f>;
@group(0) @binding(6) var<storage, read_write> v: array<vec4f>;`,
  true,
  /* wgsl */ `
    let e = n * 3u * D + h * 2u * G + g;
    let o = n * D + h * 2u * G + g;
    let q1 = at4_src(e);
    let q2 = at4_src(e + G);
    q[o] = q1 * c - q2 * s;
    q[o + G] = q2 * c + q1 * s;
    let k1 = at4_src(e + D);
    let k2 = at4_src(e + D + G);
    k[o] = k1 * c - k2 * s;
    k[o + G] = k2 * c + k1 * s;
    v[o] = at4_src(e + 2u * D);
    v[o + G] = at4_src(e + 2u * D + G);`,
  ["src"],
);

/** WGSL of the backward for hd % 8 == 0 (dq, dk, dv read from staging textures). */
export const ROPE_SPLIT_BACKWARD_VEC4_WGSL: string = ropeKernel(
  /* wgsl */ `
@group(0) @binding(1) var gq: ${stagedTextureType()};
@group(0) @binding(2) var gk: ${stagedTextureType()};
@group(0) @binding(3) var gv: ${stagedTextureType()};
@group(0) @binding(4) var<storage, read> pos: array<f32>;
@group(0) @binding(5) var<storage, read> invFreq: array<vec4f>;
@group(0) @binding(6) var<storage, read_write> dqkv: array<vec4f>;`,
  true,
  /* wgsl */ `
    let e = n * D + h * 2u * G + g;
    let o = n * 3u * D + h * 2u * G + g;
    let q1 = at4_gq(e);
    let q2 = at4_gq(e + G);
    dqkv[o] = q1 * c + q2 * s;
    dqkv[o + G] = q2 * c - q1 * s;
    let k1 = at4_gk(e);
    let k2 = at4_gk(e + G);
    dqkv[o + D] = k1 * c + k2 * s;
    dqkv[o + D + G] = k2 * c - k1 * s;
    dqkv[o + 2u * D] = at4_gv(e);
    dqkv[o + 2u * D + G] = at4_gv(e + G);`,
  ["gq", "gk", "gv"],
);

/** Dims from the [B, T, H, hd] output/gradient tensor, with every other shape checked. */
function ropeDims(
  op: string,
  heads: Tensor,
  others: Readonly<Record<string, Tensor>>,
  qkv: Tensor,
  qkvName: string,
  positions: Tensor,
  invFreq: Tensor,
): { B: number; T: number; H: number; hd: number; KV: number } {
  if (heads.shape.length !== 4 || heads.shape.some((d) => !Number.isInteger(d) || d <= 0)) {
    throw new RangeError(`${op}: expected [B, T, H, hd] tensors, got ${fmtShape(heads.shape)}`);
  }
  const [B, T, H, hd] = heads.shape;
  if (hd % 2 !== 0) throw new RangeError(`${op}: head dim ${hd} must be even (rotate-half pairs)`);
  // k/v (or dk/dv) may have fewer heads: grouped-query attention.
  const kvT = Object.values(others)[0];
  const KV = kvT?.shape.length === 4 ? kvT.shape[2] : H;
  if (!Number.isInteger(KV) || KV < 1 || H % KV !== 0) {
    throw new RangeError(`${op}: key/value heads ${KV} must divide the ${H} query heads`);
  }
  const why = `B ${B}, T ${T}, H ${H}, KV ${KV}, hd ${hd}`;
  for (const [name, t] of Object.entries(others)) expectShape(op, name, t, [B, T, KV, hd], why);
  expectShape(op, qkvName, qkv, [B * T, (H + 2 * KV) * hd], why);
  expectShape(op, "positions", positions, [B, T], why);
  expectShape(op, "invFreq", invFreq, [hd / 2], why);
  return { B, T, H, hd, KV };
}

const gqaCodes = new Map<string, string>();

/** The grouped-query kernel of a group size, built once. */
function gqaCode(kind: string, rep: number, build: (rep: number) => string): string {
  const key = `${kind}${rep}`;
  let code = gqaCodes.get(key);
  if (code === undefined) gqaCodes.set(key, code = build(rep));
  return code;
}

/** True when the vec4 kernels apply: 4 pairs per invocation (hd % 8 == 0). */
function useVec4(hd: number): boolean {
  return hd % 8 === 0;
}

function dispatchRope(
  rec: Recorder,
  code: string,
  dims: { B: number; T: number; H: number; hd: number; KV?: number },
  scale: number,
  op: string,
  bindings: Binding[],
  logH = 0,
): void {
  if (!Number.isFinite(scale)) throw new RangeError(`${op}: scale must be finite, got ${scale}`);
  expectStorageBuffers(op, rec.device, 6);
  const { B, T, H, hd } = dims;
  // In the vec4 kernels `half` and `D` count vec4s (grouped-query kernels are scalar).
  const lanes = useVec4(hd) && (dims.KV ?? H) === H ? 4 : 1;
  const half = hd / 2 / lanes;
  const total = B * T * half;
  const groups = Math.ceil(total / WORKGROUP);
  const gx = Math.min(groups, rec.device.limits.maxComputeWorkgroupsPerDimension);
  const gy = Math.ceil(groups / gx);
  const params = ROPE_P.pack({
    total,
    stride: gx * WORKGROUP,
    H,
    half,
    D: (H * hd) / lanes,
    scale,
    logH,
  });
  rec.dispatch(code, params, bindings, [gx, gy], op);
}

/**
 * Record RoPE + split: qkv [B·T, 3D] → q, k, v [B, T, H, hd] (shapes read from `q`; k, v may
 * have KV < H heads, qkv then [B·T, (H + 2·KV)·hd]), rotating
 * q and k by positions [B, T] · invFreq [hd/2] and multiplying them by `opts.scale`. When
 * hd % 8 == 0, qkv is first copied into a staging texture (this closes the compute pass).
 */
export function ropeSplit(
  rec: Recorder,
  qkv: Tensor,
  positions: Tensor,
  invFreq: Tensor,
  q: Tensor,
  k: Tensor,
  v: Tensor,
  opts: RopeOptions = {},
): void {
  const op = "ropeSplit";
  const dims = ropeDims(op, q, { k, v }, qkv, "qkv", positions, invFreq);
  checkBindings(rec, op, { qkv, positions, invFreq, q, k, v });
  const scale = opts.scale ?? 1;
  const outs = [q, k, v].map(binding);
  if (dims.KV !== dims.H) {
    const ins = [qkv, positions, invFreq].map(binding);
    const code = gqaCode("f", dims.H / dims.KV, ropeSplitGqaWgsl);
    dispatchRope(rec, code, dims, scale, op, [...ins, ...outs]);
  } else if (useVec4(dims.hd)) {
    expectStageable(op, "qkv", rec.device, qkv);
    const src = stage(rec, op, qkv, "rope qkv");
    const ins = [src.view, binding(positions), binding(invFreq)];
    dispatchRope(rec, ROPE_SPLIT_VEC4_WGSL, dims, scale, op, [...ins, ...outs], src.logH);
  } else {
    const ins = [qkv, positions, invFreq].map(binding);
    dispatchRope(rec, ROPE_SPLIT_WGSL, dims, scale, op, [...ins, ...outs]);
  }
}

/**
 * Record the backward of {@link ropeSplit}: dq, dk, dv (shaped like q, k, v) → dqkv (like qkv)
 * (overwritten, not accumulated).
 */
export function ropeSplitBackward(
  rec: Recorder,
  dq: Tensor,
  dk: Tensor,
  dv: Tensor,
  positions: Tensor,
  invFreq: Tensor,
  dqkv: Tensor,
  opts: RopeOptions = {},
): void {
  const op = "ropeSplitBackward";
  const dims = ropeDims(op, dq, { dk, dv }, dqkv, "dqkv", positions, invFreq);
  checkBindings(rec, op, { dq, dk, dv, positions, invFreq, dqkv });
  const scale = opts.scale ?? 1;
  const rest = [positions, invFreq, dqkv].map(binding);
  if (dims.KV !== dims.H) {
    const grads = [dq, dk, dv].map(binding);
    const code = gqaCode("b", dims.H / dims.KV, ropeSplitBackwardGqaWgsl);
    dispatchRope(rec, code, dims, scale, op, [...grads, ...rest]);
  } else if (useVec4(dims.hd)) {
    const staged = Object.entries({ dq, dk, dv }).map(([name, t]) => {
      expectStageable(op, name, rec.device, t);
      return stage(rec, op, t, `rope ${name}`);
    });
    const views = staged.map((t) => t.view);
    const bindings = [...views, ...rest];
    dispatchRope(rec, ROPE_SPLIT_BACKWARD_VEC4_WGSL, dims, scale, op, bindings, staged[0].logH);
  } else {
    const grads = [dq, dk, dv].map(binding);
    dispatchRope(rec, ROPE_SPLIT_BACKWARD_WGSL, dims, scale, op, [...grads, ...rest]);
  }
}

/** Every WGSL shader of this file by name (for `deno task wgsl` and the golden tests). */
export function ropeShaders(): Record<string, string> {
  return {
    forward: ROPE_SPLIT_WGSL,
    backward: ROPE_SPLIT_BACKWARD_WGSL,
    forward4: ROPE_SPLIT_VEC4_WGSL,
    backward4: ROPE_SPLIT_BACKWARD_VEC4_WGSL,
    "forward-gqa3": ropeSplitGqaWgsl(3),
    "backward-gqa3": ropeSplitBackwardGqaWgsl(3),
  };
}
