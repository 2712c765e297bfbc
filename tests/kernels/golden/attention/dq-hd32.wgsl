
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

@compute @workgroup_size(8)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) li: u32) {
  let T = p.T;
  let bh = wid.y;
  let base = (bh / p.H) * T;
  let hoff = (bh % p.H) * 8u;
  let first = wid.x * 32u;
  let last = min(T, first + 32u);
  let t_0 = first + li + 0u;
  let tc_0 = min(t_0, T - 1u);
  let e_0 = (base + tc_0) * p.D4 + hoff;
  let t_1 = first + li + 8u;
  let tc_1 = min(t_1, T - 1u);
  let e_1 = (base + tc_1) * p.D4 + hoff;
  let t_2 = first + li + 16u;
  let tc_2 = min(t_2, T - 1u);
  let e_2 = (base + tc_2) * p.D4 + hoff;
  let t_3 = first + li + 24u;
  let tc_3 = min(t_3, T - 1u);
  let e_3 = (base + tc_3) * p.D4 + hoff;
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
  let dl_0 = dot(g_0_0, at4_ot(e_0 + 0u)) + dot(g_0_1, at4_ot(e_0 + 1u)) + dot(g_0_2, at4_ot(e_0 + 2u)) + dot(g_0_3, at4_ot(e_0 + 3u)) + dot(g_0_4, at4_ot(e_0 + 4u)) + dot(g_0_5, at4_ot(e_0 + 5u)) + dot(g_0_6, at4_ot(e_0 + 6u)) + dot(g_0_7, at4_ot(e_0 + 7u));
  let L_0 = at1_lt(bh * T + tc_0) * 1.4426950408889634;
  let q_1_0 = at4_qt(e_1 + 0u) * QS;
  let q_1_1 = at4_qt(e_1 + 1u) * QS;
  let q_1_2 = at4_qt(e_1 + 2u) * QS;
  let q_1_3 = at4_qt(e_1 + 3u) * QS;
  let q_1_4 = at4_qt(e_1 + 4u) * QS;
  let q_1_5 = at4_qt(e_1 + 5u) * QS;
  let q_1_6 = at4_qt(e_1 + 6u) * QS;
  let q_1_7 = at4_qt(e_1 + 7u) * QS;
  let g_1_0 = at4_gt(e_1 + 0u);
  let g_1_1 = at4_gt(e_1 + 1u);
  let g_1_2 = at4_gt(e_1 + 2u);
  let g_1_3 = at4_gt(e_1 + 3u);
  let g_1_4 = at4_gt(e_1 + 4u);
  let g_1_5 = at4_gt(e_1 + 5u);
  let g_1_6 = at4_gt(e_1 + 6u);
  let g_1_7 = at4_gt(e_1 + 7u);
  var dq_1_0 = vec4f(0.0);
  var dq_1_1 = vec4f(0.0);
  var dq_1_2 = vec4f(0.0);
  var dq_1_3 = vec4f(0.0);
  var dq_1_4 = vec4f(0.0);
  var dq_1_5 = vec4f(0.0);
  var dq_1_6 = vec4f(0.0);
  var dq_1_7 = vec4f(0.0);
  let dl_1 = dot(g_1_0, at4_ot(e_1 + 0u)) + dot(g_1_1, at4_ot(e_1 + 1u)) + dot(g_1_2, at4_ot(e_1 + 2u)) + dot(g_1_3, at4_ot(e_1 + 3u)) + dot(g_1_4, at4_ot(e_1 + 4u)) + dot(g_1_5, at4_ot(e_1 + 5u)) + dot(g_1_6, at4_ot(e_1 + 6u)) + dot(g_1_7, at4_ot(e_1 + 7u));
  let L_1 = at1_lt(bh * T + tc_1) * 1.4426950408889634;
  let q_2_0 = at4_qt(e_2 + 0u) * QS;
  let q_2_1 = at4_qt(e_2 + 1u) * QS;
  let q_2_2 = at4_qt(e_2 + 2u) * QS;
  let q_2_3 = at4_qt(e_2 + 3u) * QS;
  let q_2_4 = at4_qt(e_2 + 4u) * QS;
  let q_2_5 = at4_qt(e_2 + 5u) * QS;
  let q_2_6 = at4_qt(e_2 + 6u) * QS;
  let q_2_7 = at4_qt(e_2 + 7u) * QS;
  let g_2_0 = at4_gt(e_2 + 0u);
  let g_2_1 = at4_gt(e_2 + 1u);
  let g_2_2 = at4_gt(e_2 + 2u);
  let g_2_3 = at4_gt(e_2 + 3u);
  let g_2_4 = at4_gt(e_2 + 4u);
  let g_2_5 = at4_gt(e_2 + 5u);
  let g_2_6 = at4_gt(e_2 + 6u);
  let g_2_7 = at4_gt(e_2 + 7u);
  var dq_2_0 = vec4f(0.0);
  var dq_2_1 = vec4f(0.0);
  var dq_2_2 = vec4f(0.0);
  var dq_2_3 = vec4f(0.0);
  var dq_2_4 = vec4f(0.0);
  var dq_2_5 = vec4f(0.0);
  var dq_2_6 = vec4f(0.0);
  var dq_2_7 = vec4f(0.0);
  let dl_2 = dot(g_2_0, at4_ot(e_2 + 0u)) + dot(g_2_1, at4_ot(e_2 + 1u)) + dot(g_2_2, at4_ot(e_2 + 2u)) + dot(g_2_3, at4_ot(e_2 + 3u)) + dot(g_2_4, at4_ot(e_2 + 4u)) + dot(g_2_5, at4_ot(e_2 + 5u)) + dot(g_2_6, at4_ot(e_2 + 6u)) + dot(g_2_7, at4_ot(e_2 + 7u));
  let L_2 = at1_lt(bh * T + tc_2) * 1.4426950408889634;
  let q_3_0 = at4_qt(e_3 + 0u) * QS;
  let q_3_1 = at4_qt(e_3 + 1u) * QS;
  let q_3_2 = at4_qt(e_3 + 2u) * QS;
  let q_3_3 = at4_qt(e_3 + 3u) * QS;
  let q_3_4 = at4_qt(e_3 + 4u) * QS;
  let q_3_5 = at4_qt(e_3 + 5u) * QS;
  let q_3_6 = at4_qt(e_3 + 6u) * QS;
  let q_3_7 = at4_qt(e_3 + 7u) * QS;
  let g_3_0 = at4_gt(e_3 + 0u);
  let g_3_1 = at4_gt(e_3 + 1u);
  let g_3_2 = at4_gt(e_3 + 2u);
  let g_3_3 = at4_gt(e_3 + 3u);
  let g_3_4 = at4_gt(e_3 + 4u);
  let g_3_5 = at4_gt(e_3 + 5u);
  let g_3_6 = at4_gt(e_3 + 6u);
  let g_3_7 = at4_gt(e_3 + 7u);
  var dq_3_0 = vec4f(0.0);
  var dq_3_1 = vec4f(0.0);
  var dq_3_2 = vec4f(0.0);
  var dq_3_3 = vec4f(0.0);
  var dq_3_4 = vec4f(0.0);
  var dq_3_5 = vec4f(0.0);
  var dq_3_6 = vec4f(0.0);
  var dq_3_7 = vec4f(0.0);
  let dl_3 = dot(g_3_0, at4_ot(e_3 + 0u)) + dot(g_3_1, at4_ot(e_3 + 1u)) + dot(g_3_2, at4_ot(e_3 + 2u)) + dot(g_3_3, at4_ot(e_3 + 3u)) + dot(g_3_4, at4_ot(e_3 + 4u)) + dot(g_3_5, at4_ot(e_3 + 5u)) + dot(g_3_6, at4_ot(e_3 + 6u)) + dot(g_3_7, at4_ot(e_3 + 7u));
  let L_3 = at1_lt(bh * T + tc_3) * 1.4426950408889634;
  for (var s = 0u; s < last; s += 2u) {
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
    let p_0_0 = select(0.0, exp2(dot(q_0_0, k_0_0) + dot(q_0_1, k_0_1) + dot(q_0_2, k_0_2) + dot(q_0_3, k_0_3) + dot(q_0_4, k_0_4) + dot(q_0_5, k_0_5) + dot(q_0_6, k_0_6) + dot(q_0_7, k_0_7) - L_0), s + 0u <= tc_0);
    let ds_0_0 = p_0_0 * (dot(g_0_0, v_0_0) + dot(g_0_1, v_0_1) + dot(g_0_2, v_0_2) + dot(g_0_3, v_0_3) + dot(g_0_4, v_0_4) + dot(g_0_5, v_0_5) + dot(g_0_6, v_0_6) + dot(g_0_7, v_0_7) - dl_0);
    let p_0_1 = select(0.0, exp2(dot(q_0_0, k_1_0) + dot(q_0_1, k_1_1) + dot(q_0_2, k_1_2) + dot(q_0_3, k_1_3) + dot(q_0_4, k_1_4) + dot(q_0_5, k_1_5) + dot(q_0_6, k_1_6) + dot(q_0_7, k_1_7) - L_0), s + 1u <= tc_0);
    let ds_0_1 = p_0_1 * (dot(g_0_0, v_1_0) + dot(g_0_1, v_1_1) + dot(g_0_2, v_1_2) + dot(g_0_3, v_1_3) + dot(g_0_4, v_1_4) + dot(g_0_5, v_1_5) + dot(g_0_6, v_1_6) + dot(g_0_7, v_1_7) - dl_0);
    dq_0_0 += ds_0_0 * k_0_0 + ds_0_1 * k_1_0;
    dq_0_1 += ds_0_0 * k_0_1 + ds_0_1 * k_1_1;
    dq_0_2 += ds_0_0 * k_0_2 + ds_0_1 * k_1_2;
    dq_0_3 += ds_0_0 * k_0_3 + ds_0_1 * k_1_3;
    dq_0_4 += ds_0_0 * k_0_4 + ds_0_1 * k_1_4;
    dq_0_5 += ds_0_0 * k_0_5 + ds_0_1 * k_1_5;
    dq_0_6 += ds_0_0 * k_0_6 + ds_0_1 * k_1_6;
    dq_0_7 += ds_0_0 * k_0_7 + ds_0_1 * k_1_7;
    let p_1_0 = select(0.0, exp2(dot(q_1_0, k_0_0) + dot(q_1_1, k_0_1) + dot(q_1_2, k_0_2) + dot(q_1_3, k_0_3) + dot(q_1_4, k_0_4) + dot(q_1_5, k_0_5) + dot(q_1_6, k_0_6) + dot(q_1_7, k_0_7) - L_1), s + 0u <= tc_1);
    let ds_1_0 = p_1_0 * (dot(g_1_0, v_0_0) + dot(g_1_1, v_0_1) + dot(g_1_2, v_0_2) + dot(g_1_3, v_0_3) + dot(g_1_4, v_0_4) + dot(g_1_5, v_0_5) + dot(g_1_6, v_0_6) + dot(g_1_7, v_0_7) - dl_1);
    let p_1_1 = select(0.0, exp2(dot(q_1_0, k_1_0) + dot(q_1_1, k_1_1) + dot(q_1_2, k_1_2) + dot(q_1_3, k_1_3) + dot(q_1_4, k_1_4) + dot(q_1_5, k_1_5) + dot(q_1_6, k_1_6) + dot(q_1_7, k_1_7) - L_1), s + 1u <= tc_1);
    let ds_1_1 = p_1_1 * (dot(g_1_0, v_1_0) + dot(g_1_1, v_1_1) + dot(g_1_2, v_1_2) + dot(g_1_3, v_1_3) + dot(g_1_4, v_1_4) + dot(g_1_5, v_1_5) + dot(g_1_6, v_1_6) + dot(g_1_7, v_1_7) - dl_1);
    dq_1_0 += ds_1_0 * k_0_0 + ds_1_1 * k_1_0;
    dq_1_1 += ds_1_0 * k_0_1 + ds_1_1 * k_1_1;
    dq_1_2 += ds_1_0 * k_0_2 + ds_1_1 * k_1_2;
    dq_1_3 += ds_1_0 * k_0_3 + ds_1_1 * k_1_3;
    dq_1_4 += ds_1_0 * k_0_4 + ds_1_1 * k_1_4;
    dq_1_5 += ds_1_0 * k_0_5 + ds_1_1 * k_1_5;
    dq_1_6 += ds_1_0 * k_0_6 + ds_1_1 * k_1_6;
    dq_1_7 += ds_1_0 * k_0_7 + ds_1_1 * k_1_7;
    let p_2_0 = select(0.0, exp2(dot(q_2_0, k_0_0) + dot(q_2_1, k_0_1) + dot(q_2_2, k_0_2) + dot(q_2_3, k_0_3) + dot(q_2_4, k_0_4) + dot(q_2_5, k_0_5) + dot(q_2_6, k_0_6) + dot(q_2_7, k_0_7) - L_2), s + 0u <= tc_2);
    let ds_2_0 = p_2_0 * (dot(g_2_0, v_0_0) + dot(g_2_1, v_0_1) + dot(g_2_2, v_0_2) + dot(g_2_3, v_0_3) + dot(g_2_4, v_0_4) + dot(g_2_5, v_0_5) + dot(g_2_6, v_0_6) + dot(g_2_7, v_0_7) - dl_2);
    let p_2_1 = select(0.0, exp2(dot(q_2_0, k_1_0) + dot(q_2_1, k_1_1) + dot(q_2_2, k_1_2) + dot(q_2_3, k_1_3) + dot(q_2_4, k_1_4) + dot(q_2_5, k_1_5) + dot(q_2_6, k_1_6) + dot(q_2_7, k_1_7) - L_2), s + 1u <= tc_2);
    let ds_2_1 = p_2_1 * (dot(g_2_0, v_1_0) + dot(g_2_1, v_1_1) + dot(g_2_2, v_1_2) + dot(g_2_3, v_1_3) + dot(g_2_4, v_1_4) + dot(g_2_5, v_1_5) + dot(g_2_6, v_1_6) + dot(g_2_7, v_1_7) - dl_2);
    dq_2_0 += ds_2_0 * k_0_0 + ds_2_1 * k_1_0;
    dq_2_1 += ds_2_0 * k_0_1 + ds_2_1 * k_1_1;
    dq_2_2 += ds_2_0 * k_0_2 + ds_2_1 * k_1_2;
    dq_2_3 += ds_2_0 * k_0_3 + ds_2_1 * k_1_3;
    dq_2_4 += ds_2_0 * k_0_4 + ds_2_1 * k_1_4;
    dq_2_5 += ds_2_0 * k_0_5 + ds_2_1 * k_1_5;
    dq_2_6 += ds_2_0 * k_0_6 + ds_2_1 * k_1_6;
    dq_2_7 += ds_2_0 * k_0_7 + ds_2_1 * k_1_7;
    let p_3_0 = select(0.0, exp2(dot(q_3_0, k_0_0) + dot(q_3_1, k_0_1) + dot(q_3_2, k_0_2) + dot(q_3_3, k_0_3) + dot(q_3_4, k_0_4) + dot(q_3_5, k_0_5) + dot(q_3_6, k_0_6) + dot(q_3_7, k_0_7) - L_3), s + 0u <= tc_3);
    let ds_3_0 = p_3_0 * (dot(g_3_0, v_0_0) + dot(g_3_1, v_0_1) + dot(g_3_2, v_0_2) + dot(g_3_3, v_0_3) + dot(g_3_4, v_0_4) + dot(g_3_5, v_0_5) + dot(g_3_6, v_0_6) + dot(g_3_7, v_0_7) - dl_3);
    let p_3_1 = select(0.0, exp2(dot(q_3_0, k_1_0) + dot(q_3_1, k_1_1) + dot(q_3_2, k_1_2) + dot(q_3_3, k_1_3) + dot(q_3_4, k_1_4) + dot(q_3_5, k_1_5) + dot(q_3_6, k_1_6) + dot(q_3_7, k_1_7) - L_3), s + 1u <= tc_3);
    let ds_3_1 = p_3_1 * (dot(g_3_0, v_1_0) + dot(g_3_1, v_1_1) + dot(g_3_2, v_1_2) + dot(g_3_3, v_1_3) + dot(g_3_4, v_1_4) + dot(g_3_5, v_1_5) + dot(g_3_6, v_1_6) + dot(g_3_7, v_1_7) - dl_3);
    dq_3_0 += ds_3_0 * k_0_0 + ds_3_1 * k_1_0;
    dq_3_1 += ds_3_0 * k_0_1 + ds_3_1 * k_1_1;
    dq_3_2 += ds_3_0 * k_0_2 + ds_3_1 * k_1_2;
    dq_3_3 += ds_3_0 * k_0_3 + ds_3_1 * k_1_3;
    dq_3_4 += ds_3_0 * k_0_4 + ds_3_1 * k_1_4;
    dq_3_5 += ds_3_0 * k_0_5 + ds_3_1 * k_1_5;
    dq_3_6 += ds_3_0 * k_0_6 + ds_3_1 * k_1_6;
    dq_3_7 += ds_3_0 * k_0_7 + ds_3_1 * k_1_7;
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
  if (t_1 < T) {
    dq[e_1 + 0u] = dq_1_0 * SM;
    dq[e_1 + 1u] = dq_1_1 * SM;
    dq[e_1 + 2u] = dq_1_2 * SM;
    dq[e_1 + 3u] = dq_1_3 * SM;
    dq[e_1 + 4u] = dq_1_4 * SM;
    dq[e_1 + 5u] = dq_1_5 * SM;
    dq[e_1 + 6u] = dq_1_6 * SM;
    dq[e_1 + 7u] = dq_1_7 * SM;
    delta[bh * T + t_1] = dl_1;
  }
  if (t_2 < T) {
    dq[e_2 + 0u] = dq_2_0 * SM;
    dq[e_2 + 1u] = dq_2_1 * SM;
    dq[e_2 + 2u] = dq_2_2 * SM;
    dq[e_2 + 3u] = dq_2_3 * SM;
    dq[e_2 + 4u] = dq_2_4 * SM;
    dq[e_2 + 5u] = dq_2_5 * SM;
    dq[e_2 + 6u] = dq_2_6 * SM;
    dq[e_2 + 7u] = dq_2_7 * SM;
    delta[bh * T + t_2] = dl_2;
  }
  if (t_3 < T) {
    dq[e_3 + 0u] = dq_3_0 * SM;
    dq[e_3 + 1u] = dq_3_1 * SM;
    dq[e_3 + 2u] = dq_3_2 * SM;
    dq[e_3 + 3u] = dq_3_3 * SM;
    dq[e_3 + 4u] = dq_3_4 * SM;
    dq[e_3 + 5u] = dq_3_5 * SM;
    dq[e_3 + 6u] = dq_3_6 * SM;
    dq[e_3 + 7u] = dq_3_7 * SM;
    delta[bh * T + t_3] = dl_3;
  }
}