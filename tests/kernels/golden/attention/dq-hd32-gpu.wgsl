
struct Params { T: u32, H: u32, D4: u32, logH4: u32, logH1: u32 }
@group(0) @binding(0) var<uniform> p: Params;

@group(0) @binding(1) var qt: texture_storage_2d_array<rgba32float, read>;
@group(0) @binding(2) var kt: texture_storage_2d_array<rgba32float, read>;
@group(0) @binding(3) var vt: texture_storage_2d_array<rgba32float, read>;
@group(0) @binding(4) var ot: texture_storage_2d_array<rgba32float, read>;
@group(0) @binding(5) var gt: texture_storage_2d_array<rgba32float, read>;
@group(0) @binding(6) var lt: texture_storage_2d_array<r32float, read>;
@group(0) @binding(7) var<storage, read_write> dq: array<vec4f>;
@group(0) @binding(8) var<storage, read_write> delta: array<f32>;
const QS: f32 = 0.25503486164919736;
const SM: f32 = 0.17677669529663687;
const NEG: f32 = -1e30;

// Texel e of each staged input (vec4 tensors: at4_<name>, [B, H, T] scalars: at1_<name>).
// One accessor per texture: naga's GLSL output reads zeros from a texture passed as an argument.
fn at4_qt(e: u32) -> vec4f {
  let y = e >> 6u;
  return textureLoad(qt, vec2u(e & 63u, y & ((1u << p.logH4) - 1u)), y >> p.logH4);
}
fn at4_kt(e: u32) -> vec4f {
  let y = e >> 6u;
  return textureLoad(kt, vec2u(e & 63u, y & ((1u << p.logH4) - 1u)), y >> p.logH4);
}
fn at4_vt(e: u32) -> vec4f {
  let y = e >> 6u;
  return textureLoad(vt, vec2u(e & 63u, y & ((1u << p.logH4) - 1u)), y >> p.logH4);
}
fn at4_ot(e: u32) -> vec4f {
  let y = e >> 6u;
  return textureLoad(ot, vec2u(e & 63u, y & ((1u << p.logH4) - 1u)), y >> p.logH4);
}
fn at4_gt(e: u32) -> vec4f {
  let y = e >> 6u;
  return textureLoad(gt, vec2u(e & 63u, y & ((1u << p.logH4) - 1u)), y >> p.logH4);
}
fn at1_lt(e: u32) -> f32 {
  let y = e >> 6u;
  return textureLoad(lt, vec2u(e & 63u, y & ((1u << p.logH1) - 1u)), y >> p.logH1).x;
}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) li: u32) {
  let T = p.T;
  let bh = wid.y;
  let base = (bh / p.H) * T;
  let hoff = (bh % p.H) * 8u;
  let first = wid.x * 64u;
  let last = min(T, first + 64u);
  let t_0 = first + li + 0u;
  let tc_0 = min(t_0, T - 1u);
  let e_0 = (base + tc_0) * p.D4 + hoff;
  let q_0_0 = at4_qt(e_0 + 0u) * QS;
  let q_0_1 = at4_qt(e_0 + 1u) * QS;
  let q_0_2 = at4_qt(e_0 + 2u) * QS;
  let q_0_3 = at4_qt(e_0 + 3u) * QS;
  let q_0_4 = at4_qt(e_0 + 4u) * QS;
  let q_0_5 = at4_qt(e_0 + 5u) * QS;
  let q_0_6 = at4_qt(e_0 + 6u) * QS;
  let q_0_7 = at4_qt(e_0 + 7u) * QS;
  let g_0_0 = at4_gt(e_0 + 0u);
  let g_0_1 = at4_gt(e_0 + 1u);
  let g_0_2 = at4_gt(e_0 + 2u);
  let g_0_3 = at4_gt(e_0 + 3u);
  let g_0_4 = at4_gt(e_0 + 4u);
  let g_0_5 = at4_gt(e_0 + 5u);
  let g_0_6 = at4_gt(e_0 + 6u);
  let g_0_7 = at4_gt(e_0 + 7u);
  var dq_0_0 = vec4f(0.0);
  var dq_0_1 = vec4f(0.0);
  var dq_0_2 = vec4f(0.0);
  var dq_0_3 = vec4f(0.0);
  var dq_0_4 = vec4f(0.0);
  var dq_0_5 = vec4f(0.0);
  var dq_0_6 = vec4f(0.0);
  var dq_0_7 = vec4f(0.0);
  let o_0_0 = at4_ot(e_0 + 0u);
  let o_0_1 = at4_ot(e_0 + 1u);
  let o_0_2 = at4_ot(e_0 + 2u);
  let o_0_3 = at4_ot(e_0 + 3u);
  let o_0_4 = at4_ot(e_0 + 4u);
  let o_0_5 = at4_ot(e_0 + 5u);
  let o_0_6 = at4_ot(e_0 + 6u);
  let o_0_7 = at4_ot(e_0 + 7u);
  let dl_0 = fma(g_0_0.w, o_0_0.w, fma(g_0_0.z, o_0_0.z, fma(g_0_0.y, o_0_0.y, g_0_0.x * o_0_0.x))) + fma(g_0_1.w, o_0_1.w, fma(g_0_1.z, o_0_1.z, fma(g_0_1.y, o_0_1.y, g_0_1.x * o_0_1.x))) + fma(g_0_2.w, o_0_2.w, fma(g_0_2.z, o_0_2.z, fma(g_0_2.y, o_0_2.y, g_0_2.x * o_0_2.x))) + fma(g_0_3.w, o_0_3.w, fma(g_0_3.z, o_0_3.z, fma(g_0_3.y, o_0_3.y, g_0_3.x * o_0_3.x))) + fma(g_0_4.w, o_0_4.w, fma(g_0_4.z, o_0_4.z, fma(g_0_4.y, o_0_4.y, g_0_4.x * o_0_4.x))) + fma(g_0_5.w, o_0_5.w, fma(g_0_5.z, o_0_5.z, fma(g_0_5.y, o_0_5.y, g_0_5.x * o_0_5.x))) + fma(g_0_6.w, o_0_6.w, fma(g_0_6.z, o_0_6.z, fma(g_0_6.y, o_0_6.y, g_0_6.x * o_0_6.x))) + fma(g_0_7.w, o_0_7.w, fma(g_0_7.z, o_0_7.z, fma(g_0_7.y, o_0_7.y, g_0_7.x * o_0_7.x)));
  let L_0 = at1_lt(bh * T + tc_0) * 1.4426950408889634;
  for (var s = 0u; s < last; s += 4u) {
    let k_0_0 = at4_kt((base + min(s + 0u, T - 1u)) * p.D4 + hoff + 0u);
    let k_0_1 = at4_kt((base + min(s + 0u, T - 1u)) * p.D4 + hoff + 1u);
    let k_0_2 = at4_kt((base + min(s + 0u, T - 1u)) * p.D4 + hoff + 2u);
    let k_0_3 = at4_kt((base + min(s + 0u, T - 1u)) * p.D4 + hoff + 3u);
    let k_0_4 = at4_kt((base + min(s + 0u, T - 1u)) * p.D4 + hoff + 4u);
    let k_0_5 = at4_kt((base + min(s + 0u, T - 1u)) * p.D4 + hoff + 5u);
    let k_0_6 = at4_kt((base + min(s + 0u, T - 1u)) * p.D4 + hoff + 6u);
    let k_0_7 = at4_kt((base + min(s + 0u, T - 1u)) * p.D4 + hoff + 7u);
    let k_1_0 = at4_kt((base + min(s + 1u, T - 1u)) * p.D4 + hoff + 0u);
    let k_1_1 = at4_kt((base + min(s + 1u, T - 1u)) * p.D4 + hoff + 1u);
    let k_1_2 = at4_kt((base + min(s + 1u, T - 1u)) * p.D4 + hoff + 2u);
    let k_1_3 = at4_kt((base + min(s + 1u, T - 1u)) * p.D4 + hoff + 3u);
    let k_1_4 = at4_kt((base + min(s + 1u, T - 1u)) * p.D4 + hoff + 4u);
    let k_1_5 = at4_kt((base + min(s + 1u, T - 1u)) * p.D4 + hoff + 5u);
    let k_1_6 = at4_kt((base + min(s + 1u, T - 1u)) * p.D4 + hoff + 6u);
    let k_1_7 = at4_kt((base + min(s + 1u, T - 1u)) * p.D4 + hoff + 7u);
    let k_2_0 = at4_kt((base + min(s + 2u, T - 1u)) * p.D4 + hoff + 0u);
    let k_2_1 = at4_kt((base + min(s + 2u, T - 1u)) * p.D4 + hoff + 1u);
    let k_2_2 = at4_kt((base + min(s + 2u, T - 1u)) * p.D4 + hoff + 2u);
    let k_2_3 = at4_kt((base + min(s + 2u, T - 1u)) * p.D4 + hoff + 3u);
    let k_2_4 = at4_kt((base + min(s + 2u, T - 1u)) * p.D4 + hoff + 4u);
    let k_2_5 = at4_kt((base + min(s + 2u, T - 1u)) * p.D4 + hoff + 5u);
    let k_2_6 = at4_kt((base + min(s + 2u, T - 1u)) * p.D4 + hoff + 6u);
    let k_2_7 = at4_kt((base + min(s + 2u, T - 1u)) * p.D4 + hoff + 7u);
    let k_3_0 = at4_kt((base + min(s + 3u, T - 1u)) * p.D4 + hoff + 0u);
    let k_3_1 = at4_kt((base + min(s + 3u, T - 1u)) * p.D4 + hoff + 1u);
    let k_3_2 = at4_kt((base + min(s + 3u, T - 1u)) * p.D4 + hoff + 2u);
    let k_3_3 = at4_kt((base + min(s + 3u, T - 1u)) * p.D4 + hoff + 3u);
    let k_3_4 = at4_kt((base + min(s + 3u, T - 1u)) * p.D4 + hoff + 4u);
    let k_3_5 = at4_kt((base + min(s + 3u, T - 1u)) * p.D4 + hoff + 5u);
    let k_3_6 = at4_kt((base + min(s + 3u, T - 1u)) * p.D4 + hoff + 6u);
    let k_3_7 = at4_kt((base + min(s + 3u, T - 1u)) * p.D4 + hoff + 7u);
    let v_0_0 = at4_vt((base + min(s + 0u, T - 1u)) * p.D4 + hoff + 0u);
    let v_0_1 = at4_vt((base + min(s + 0u, T - 1u)) * p.D4 + hoff + 1u);
    let v_0_2 = at4_vt((base + min(s + 0u, T - 1u)) * p.D4 + hoff + 2u);
    let v_0_3 = at4_vt((base + min(s + 0u, T - 1u)) * p.D4 + hoff + 3u);
    let v_0_4 = at4_vt((base + min(s + 0u, T - 1u)) * p.D4 + hoff + 4u);
    let v_0_5 = at4_vt((base + min(s + 0u, T - 1u)) * p.D4 + hoff + 5u);
    let v_0_6 = at4_vt((base + min(s + 0u, T - 1u)) * p.D4 + hoff + 6u);
    let v_0_7 = at4_vt((base + min(s + 0u, T - 1u)) * p.D4 + hoff + 7u);
    let v_1_0 = at4_vt((base + min(s + 1u, T - 1u)) * p.D4 + hoff + 0u);
    let v_1_1 = at4_vt((base + min(s + 1u, T - 1u)) * p.D4 + hoff + 1u);
    let v_1_2 = at4_vt((base + min(s + 1u, T - 1u)) * p.D4 + hoff + 2u);
    let v_1_3 = at4_vt((base + min(s + 1u, T - 1u)) * p.D4 + hoff + 3u);
    let v_1_4 = at4_vt((base + min(s + 1u, T - 1u)) * p.D4 + hoff + 4u);
    let v_1_5 = at4_vt((base + min(s + 1u, T - 1u)) * p.D4 + hoff + 5u);
    let v_1_6 = at4_vt((base + min(s + 1u, T - 1u)) * p.D4 + hoff + 6u);
    let v_1_7 = at4_vt((base + min(s + 1u, T - 1u)) * p.D4 + hoff + 7u);
    let v_2_0 = at4_vt((base + min(s + 2u, T - 1u)) * p.D4 + hoff + 0u);
    let v_2_1 = at4_vt((base + min(s + 2u, T - 1u)) * p.D4 + hoff + 1u);
    let v_2_2 = at4_vt((base + min(s + 2u, T - 1u)) * p.D4 + hoff + 2u);
    let v_2_3 = at4_vt((base + min(s + 2u, T - 1u)) * p.D4 + hoff + 3u);
    let v_2_4 = at4_vt((base + min(s + 2u, T - 1u)) * p.D4 + hoff + 4u);
    let v_2_5 = at4_vt((base + min(s + 2u, T - 1u)) * p.D4 + hoff + 5u);
    let v_2_6 = at4_vt((base + min(s + 2u, T - 1u)) * p.D4 + hoff + 6u);
    let v_2_7 = at4_vt((base + min(s + 2u, T - 1u)) * p.D4 + hoff + 7u);
    let v_3_0 = at4_vt((base + min(s + 3u, T - 1u)) * p.D4 + hoff + 0u);
    let v_3_1 = at4_vt((base + min(s + 3u, T - 1u)) * p.D4 + hoff + 1u);
    let v_3_2 = at4_vt((base + min(s + 3u, T - 1u)) * p.D4 + hoff + 2u);
    let v_3_3 = at4_vt((base + min(s + 3u, T - 1u)) * p.D4 + hoff + 3u);
    let v_3_4 = at4_vt((base + min(s + 3u, T - 1u)) * p.D4 + hoff + 4u);
    let v_3_5 = at4_vt((base + min(s + 3u, T - 1u)) * p.D4 + hoff + 5u);
    let v_3_6 = at4_vt((base + min(s + 3u, T - 1u)) * p.D4 + hoff + 6u);
    let v_3_7 = at4_vt((base + min(s + 3u, T - 1u)) * p.D4 + hoff + 7u);
    let p_0_0 = select(0.0, exp2(fma(q_0_0.w, k_0_0.w, fma(q_0_0.z, k_0_0.z, fma(q_0_0.y, k_0_0.y, q_0_0.x * k_0_0.x))) + fma(q_0_1.w, k_0_1.w, fma(q_0_1.z, k_0_1.z, fma(q_0_1.y, k_0_1.y, q_0_1.x * k_0_1.x))) + fma(q_0_2.w, k_0_2.w, fma(q_0_2.z, k_0_2.z, fma(q_0_2.y, k_0_2.y, q_0_2.x * k_0_2.x))) + fma(q_0_3.w, k_0_3.w, fma(q_0_3.z, k_0_3.z, fma(q_0_3.y, k_0_3.y, q_0_3.x * k_0_3.x))) + fma(q_0_4.w, k_0_4.w, fma(q_0_4.z, k_0_4.z, fma(q_0_4.y, k_0_4.y, q_0_4.x * k_0_4.x))) + fma(q_0_5.w, k_0_5.w, fma(q_0_5.z, k_0_5.z, fma(q_0_5.y, k_0_5.y, q_0_5.x * k_0_5.x))) + fma(q_0_6.w, k_0_6.w, fma(q_0_6.z, k_0_6.z, fma(q_0_6.y, k_0_6.y, q_0_6.x * k_0_6.x))) + fma(q_0_7.w, k_0_7.w, fma(q_0_7.z, k_0_7.z, fma(q_0_7.y, k_0_7.y, q_0_7.x * k_0_7.x))) - L_0), s + 0u <= tc_0);
    let ds_0_0 = p_0_0 * (fma(g_0_0.w, v_0_0.w, fma(g_0_0.z, v_0_0.z, fma(g_0_0.y, v_0_0.y, g_0_0.x * v_0_0.x))) + fma(g_0_1.w, v_0_1.w, fma(g_0_1.z, v_0_1.z, fma(g_0_1.y, v_0_1.y, g_0_1.x * v_0_1.x))) + fma(g_0_2.w, v_0_2.w, fma(g_0_2.z, v_0_2.z, fma(g_0_2.y, v_0_2.y, g_0_2.x * v_0_2.x))) + fma(g_0_3.w, v_0_3.w, fma(g_0_3.z, v_0_3.z, fma(g_0_3.y, v_0_3.y, g_0_3.x * v_0_3.x))) + fma(g_0_4.w, v_0_4.w, fma(g_0_4.z, v_0_4.z, fma(g_0_4.y, v_0_4.y, g_0_4.x * v_0_4.x))) + fma(g_0_5.w, v_0_5.w, fma(g_0_5.z, v_0_5.z, fma(g_0_5.y, v_0_5.y, g_0_5.x * v_0_5.x))) + fma(g_0_6.w, v_0_6.w, fma(g_0_6.z, v_0_6.z, fma(g_0_6.y, v_0_6.y, g_0_6.x * v_0_6.x))) + fma(g_0_7.w, v_0_7.w, fma(g_0_7.z, v_0_7.z, fma(g_0_7.y, v_0_7.y, g_0_7.x * v_0_7.x))) - dl_0);
    let p_0_1 = select(0.0, exp2(fma(q_0_0.w, k_1_0.w, fma(q_0_0.z, k_1_0.z, fma(q_0_0.y, k_1_0.y, q_0_0.x * k_1_0.x))) + fma(q_0_1.w, k_1_1.w, fma(q_0_1.z, k_1_1.z, fma(q_0_1.y, k_1_1.y, q_0_1.x * k_1_1.x))) + fma(q_0_2.w, k_1_2.w, fma(q_0_2.z, k_1_2.z, fma(q_0_2.y, k_1_2.y, q_0_2.x * k_1_2.x))) + fma(q_0_3.w, k_1_3.w, fma(q_0_3.z, k_1_3.z, fma(q_0_3.y, k_1_3.y, q_0_3.x * k_1_3.x))) + fma(q_0_4.w, k_1_4.w, fma(q_0_4.z, k_1_4.z, fma(q_0_4.y, k_1_4.y, q_0_4.x * k_1_4.x))) + fma(q_0_5.w, k_1_5.w, fma(q_0_5.z, k_1_5.z, fma(q_0_5.y, k_1_5.y, q_0_5.x * k_1_5.x))) + fma(q_0_6.w, k_1_6.w, fma(q_0_6.z, k_1_6.z, fma(q_0_6.y, k_1_6.y, q_0_6.x * k_1_6.x))) + fma(q_0_7.w, k_1_7.w, fma(q_0_7.z, k_1_7.z, fma(q_0_7.y, k_1_7.y, q_0_7.x * k_1_7.x))) - L_0), s + 1u <= tc_0);
    let ds_0_1 = p_0_1 * (fma(g_0_0.w, v_1_0.w, fma(g_0_0.z, v_1_0.z, fma(g_0_0.y, v_1_0.y, g_0_0.x * v_1_0.x))) + fma(g_0_1.w, v_1_1.w, fma(g_0_1.z, v_1_1.z, fma(g_0_1.y, v_1_1.y, g_0_1.x * v_1_1.x))) + fma(g_0_2.w, v_1_2.w, fma(g_0_2.z, v_1_2.z, fma(g_0_2.y, v_1_2.y, g_0_2.x * v_1_2.x))) + fma(g_0_3.w, v_1_3.w, fma(g_0_3.z, v_1_3.z, fma(g_0_3.y, v_1_3.y, g_0_3.x * v_1_3.x))) + fma(g_0_4.w, v_1_4.w, fma(g_0_4.z, v_1_4.z, fma(g_0_4.y, v_1_4.y, g_0_4.x * v_1_4.x))) + fma(g_0_5.w, v_1_5.w, fma(g_0_5.z, v_1_5.z, fma(g_0_5.y, v_1_5.y, g_0_5.x * v_1_5.x))) + fma(g_0_6.w, v_1_6.w, fma(g_0_6.z, v_1_6.z, fma(g_0_6.y, v_1_6.y, g_0_6.x * v_1_6.x))) + fma(g_0_7.w, v_1_7.w, fma(g_0_7.z, v_1_7.z, fma(g_0_7.y, v_1_7.y, g_0_7.x * v_1_7.x))) - dl_0);
    let p_0_2 = select(0.0, exp2(fma(q_0_0.w, k_2_0.w, fma(q_0_0.z, k_2_0.z, fma(q_0_0.y, k_2_0.y, q_0_0.x * k_2_0.x))) + fma(q_0_1.w, k_2_1.w, fma(q_0_1.z, k_2_1.z, fma(q_0_1.y, k_2_1.y, q_0_1.x * k_2_1.x))) + fma(q_0_2.w, k_2_2.w, fma(q_0_2.z, k_2_2.z, fma(q_0_2.y, k_2_2.y, q_0_2.x * k_2_2.x))) + fma(q_0_3.w, k_2_3.w, fma(q_0_3.z, k_2_3.z, fma(q_0_3.y, k_2_3.y, q_0_3.x * k_2_3.x))) + fma(q_0_4.w, k_2_4.w, fma(q_0_4.z, k_2_4.z, fma(q_0_4.y, k_2_4.y, q_0_4.x * k_2_4.x))) + fma(q_0_5.w, k_2_5.w, fma(q_0_5.z, k_2_5.z, fma(q_0_5.y, k_2_5.y, q_0_5.x * k_2_5.x))) + fma(q_0_6.w, k_2_6.w, fma(q_0_6.z, k_2_6.z, fma(q_0_6.y, k_2_6.y, q_0_6.x * k_2_6.x))) + fma(q_0_7.w, k_2_7.w, fma(q_0_7.z, k_2_7.z, fma(q_0_7.y, k_2_7.y, q_0_7.x * k_2_7.x))) - L_0), s + 2u <= tc_0);
    let ds_0_2 = p_0_2 * (fma(g_0_0.w, v_2_0.w, fma(g_0_0.z, v_2_0.z, fma(g_0_0.y, v_2_0.y, g_0_0.x * v_2_0.x))) + fma(g_0_1.w, v_2_1.w, fma(g_0_1.z, v_2_1.z, fma(g_0_1.y, v_2_1.y, g_0_1.x * v_2_1.x))) + fma(g_0_2.w, v_2_2.w, fma(g_0_2.z, v_2_2.z, fma(g_0_2.y, v_2_2.y, g_0_2.x * v_2_2.x))) + fma(g_0_3.w, v_2_3.w, fma(g_0_3.z, v_2_3.z, fma(g_0_3.y, v_2_3.y, g_0_3.x * v_2_3.x))) + fma(g_0_4.w, v_2_4.w, fma(g_0_4.z, v_2_4.z, fma(g_0_4.y, v_2_4.y, g_0_4.x * v_2_4.x))) + fma(g_0_5.w, v_2_5.w, fma(g_0_5.z, v_2_5.z, fma(g_0_5.y, v_2_5.y, g_0_5.x * v_2_5.x))) + fma(g_0_6.w, v_2_6.w, fma(g_0_6.z, v_2_6.z, fma(g_0_6.y, v_2_6.y, g_0_6.x * v_2_6.x))) + fma(g_0_7.w, v_2_7.w, fma(g_0_7.z, v_2_7.z, fma(g_0_7.y, v_2_7.y, g_0_7.x * v_2_7.x))) - dl_0);
    let p_0_3 = select(0.0, exp2(fma(q_0_0.w, k_3_0.w, fma(q_0_0.z, k_3_0.z, fma(q_0_0.y, k_3_0.y, q_0_0.x * k_3_0.x))) + fma(q_0_1.w, k_3_1.w, fma(q_0_1.z, k_3_1.z, fma(q_0_1.y, k_3_1.y, q_0_1.x * k_3_1.x))) + fma(q_0_2.w, k_3_2.w, fma(q_0_2.z, k_3_2.z, fma(q_0_2.y, k_3_2.y, q_0_2.x * k_3_2.x))) + fma(q_0_3.w, k_3_3.w, fma(q_0_3.z, k_3_3.z, fma(q_0_3.y, k_3_3.y, q_0_3.x * k_3_3.x))) + fma(q_0_4.w, k_3_4.w, fma(q_0_4.z, k_3_4.z, fma(q_0_4.y, k_3_4.y, q_0_4.x * k_3_4.x))) + fma(q_0_5.w, k_3_5.w, fma(q_0_5.z, k_3_5.z, fma(q_0_5.y, k_3_5.y, q_0_5.x * k_3_5.x))) + fma(q_0_6.w, k_3_6.w, fma(q_0_6.z, k_3_6.z, fma(q_0_6.y, k_3_6.y, q_0_6.x * k_3_6.x))) + fma(q_0_7.w, k_3_7.w, fma(q_0_7.z, k_3_7.z, fma(q_0_7.y, k_3_7.y, q_0_7.x * k_3_7.x))) - L_0), s + 3u <= tc_0);
    let ds_0_3 = p_0_3 * (fma(g_0_0.w, v_3_0.w, fma(g_0_0.z, v_3_0.z, fma(g_0_0.y, v_3_0.y, g_0_0.x * v_3_0.x))) + fma(g_0_1.w, v_3_1.w, fma(g_0_1.z, v_3_1.z, fma(g_0_1.y, v_3_1.y, g_0_1.x * v_3_1.x))) + fma(g_0_2.w, v_3_2.w, fma(g_0_2.z, v_3_2.z, fma(g_0_2.y, v_3_2.y, g_0_2.x * v_3_2.x))) + fma(g_0_3.w, v_3_3.w, fma(g_0_3.z, v_3_3.z, fma(g_0_3.y, v_3_3.y, g_0_3.x * v_3_3.x))) + fma(g_0_4.w, v_3_4.w, fma(g_0_4.z, v_3_4.z, fma(g_0_4.y, v_3_4.y, g_0_4.x * v_3_4.x))) + fma(g_0_5.w, v_3_5.w, fma(g_0_5.z, v_3_5.z, fma(g_0_5.y, v_3_5.y, g_0_5.x * v_3_5.x))) + fma(g_0_6.w, v_3_6.w, fma(g_0_6.z, v_3_6.z, fma(g_0_6.y, v_3_6.y, g_0_6.x * v_3_6.x))) + fma(g_0_7.w, v_3_7.w, fma(g_0_7.z, v_3_7.z, fma(g_0_7.y, v_3_7.y, g_0_7.x * v_3_7.x))) - dl_0);
    dq_0_0 += ds_0_0 * k_0_0 + ds_0_1 * k_1_0 + ds_0_2 * k_2_0 + ds_0_3 * k_3_0;
    dq_0_1 += ds_0_0 * k_0_1 + ds_0_1 * k_1_1 + ds_0_2 * k_2_1 + ds_0_3 * k_3_1;
    dq_0_2 += ds_0_0 * k_0_2 + ds_0_1 * k_1_2 + ds_0_2 * k_2_2 + ds_0_3 * k_3_2;
    dq_0_3 += ds_0_0 * k_0_3 + ds_0_1 * k_1_3 + ds_0_2 * k_2_3 + ds_0_3 * k_3_3;
    dq_0_4 += ds_0_0 * k_0_4 + ds_0_1 * k_1_4 + ds_0_2 * k_2_4 + ds_0_3 * k_3_4;
    dq_0_5 += ds_0_0 * k_0_5 + ds_0_1 * k_1_5 + ds_0_2 * k_2_5 + ds_0_3 * k_3_5;
    dq_0_6 += ds_0_0 * k_0_6 + ds_0_1 * k_1_6 + ds_0_2 * k_2_6 + ds_0_3 * k_3_6;
    dq_0_7 += ds_0_0 * k_0_7 + ds_0_1 * k_1_7 + ds_0_2 * k_2_7 + ds_0_3 * k_3_7;
  }
  if (t_0 < T) {
    dq[e_0 + 0u] = dq_0_0 * SM;
    dq[e_0 + 1u] = dq_0_1 * SM;
    dq[e_0 + 2u] = dq_0_2 * SM;
    dq[e_0 + 3u] = dq_0_3 * SM;
    dq[e_0 + 4u] = dq_0_4 * SM;
    dq[e_0 + 5u] = dq_0_5 * SM;
    dq[e_0 + 6u] = dq_0_6 * SM;
    dq[e_0 + 7u] = dq_0_7 * SM;
    delta[bh * T + t_0] = dl_0;
  }
}