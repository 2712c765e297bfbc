
struct Params { T: u32, H: u32, D4: u32, logH4: u32, logH1: u32 }
@group(0) @binding(0) var<uniform> p: Params;

@group(0) @binding(1) var qt: texture_storage_2d_array<rgba32float, read>;
@group(0) @binding(2) var kt: texture_storage_2d_array<rgba32float, read>;
@group(0) @binding(3) var vt: texture_storage_2d_array<rgba32float, read>;
@group(0) @binding(4) var gt: texture_storage_2d_array<rgba32float, read>;
@group(0) @binding(5) var lt: texture_storage_2d_array<r32float, read>;
@group(0) @binding(6) var dt: texture_storage_2d_array<r32float, read>;
@group(0) @binding(7) var<storage, read_write> dk: array<vec4f>;
@group(0) @binding(8) var<storage, read_write> dv: array<vec4f>;
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
fn at4_gt(e: u32) -> vec4f {
  let y = e >> 6u;
  return textureLoad(gt, vec2u(e & 63u, y & ((1u << p.logH4) - 1u)), y >> p.logH4);
}
fn at1_lt(e: u32) -> f32 {
  let y = e >> 6u;
  return textureLoad(lt, vec2u(e & 63u, y & ((1u << p.logH1) - 1u)), y >> p.logH1).x;
}
fn at1_dt(e: u32) -> f32 {
  let y = e >> 6u;
  return textureLoad(dt, vec2u(e & 63u, y & ((1u << p.logH1) - 1u)), y >> p.logH1).x;
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
  let k_0_0 = at4_kt(e_0 + 0u) * QS;
  let k_0_1 = at4_kt(e_0 + 1u) * QS;
  let k_0_2 = at4_kt(e_0 + 2u) * QS;
  let k_0_3 = at4_kt(e_0 + 3u) * QS;
  let k_0_4 = at4_kt(e_0 + 4u) * QS;
  let k_0_5 = at4_kt(e_0 + 5u) * QS;
  let k_0_6 = at4_kt(e_0 + 6u) * QS;
  let k_0_7 = at4_kt(e_0 + 7u) * QS;
  let v_0_0 = at4_vt(e_0 + 0u);
  let v_0_1 = at4_vt(e_0 + 1u);
  let v_0_2 = at4_vt(e_0 + 2u);
  let v_0_3 = at4_vt(e_0 + 3u);
  let v_0_4 = at4_vt(e_0 + 4u);
  let v_0_5 = at4_vt(e_0 + 5u);
  let v_0_6 = at4_vt(e_0 + 6u);
  let v_0_7 = at4_vt(e_0 + 7u);
  var dk_0_0 = vec4f(0.0);
  var dk_0_1 = vec4f(0.0);
  var dk_0_2 = vec4f(0.0);
  var dk_0_3 = vec4f(0.0);
  var dk_0_4 = vec4f(0.0);
  var dk_0_5 = vec4f(0.0);
  var dk_0_6 = vec4f(0.0);
  var dk_0_7 = vec4f(0.0);
  var dv_0_0 = vec4f(0.0);
  var dv_0_1 = vec4f(0.0);
  var dv_0_2 = vec4f(0.0);
  var dv_0_3 = vec4f(0.0);
  var dv_0_4 = vec4f(0.0);
  var dv_0_5 = vec4f(0.0);
  var dv_0_6 = vec4f(0.0);
  var dv_0_7 = vec4f(0.0);
  for (var t = first; t < T; t += 4u) {
    let q_0_0 = at4_qt((base + min(t + 0u, T - 1u)) * p.D4 + hoff + 0u);
    let q_0_1 = at4_qt((base + min(t + 0u, T - 1u)) * p.D4 + hoff + 1u);
    let q_0_2 = at4_qt((base + min(t + 0u, T - 1u)) * p.D4 + hoff + 2u);
    let q_0_3 = at4_qt((base + min(t + 0u, T - 1u)) * p.D4 + hoff + 3u);
    let q_0_4 = at4_qt((base + min(t + 0u, T - 1u)) * p.D4 + hoff + 4u);
    let q_0_5 = at4_qt((base + min(t + 0u, T - 1u)) * p.D4 + hoff + 5u);
    let q_0_6 = at4_qt((base + min(t + 0u, T - 1u)) * p.D4 + hoff + 6u);
    let q_0_7 = at4_qt((base + min(t + 0u, T - 1u)) * p.D4 + hoff + 7u);
    let q_1_0 = at4_qt((base + min(t + 1u, T - 1u)) * p.D4 + hoff + 0u);
    let q_1_1 = at4_qt((base + min(t + 1u, T - 1u)) * p.D4 + hoff + 1u);
    let q_1_2 = at4_qt((base + min(t + 1u, T - 1u)) * p.D4 + hoff + 2u);
    let q_1_3 = at4_qt((base + min(t + 1u, T - 1u)) * p.D4 + hoff + 3u);
    let q_1_4 = at4_qt((base + min(t + 1u, T - 1u)) * p.D4 + hoff + 4u);
    let q_1_5 = at4_qt((base + min(t + 1u, T - 1u)) * p.D4 + hoff + 5u);
    let q_1_6 = at4_qt((base + min(t + 1u, T - 1u)) * p.D4 + hoff + 6u);
    let q_1_7 = at4_qt((base + min(t + 1u, T - 1u)) * p.D4 + hoff + 7u);
    let q_2_0 = at4_qt((base + min(t + 2u, T - 1u)) * p.D4 + hoff + 0u);
    let q_2_1 = at4_qt((base + min(t + 2u, T - 1u)) * p.D4 + hoff + 1u);
    let q_2_2 = at4_qt((base + min(t + 2u, T - 1u)) * p.D4 + hoff + 2u);
    let q_2_3 = at4_qt((base + min(t + 2u, T - 1u)) * p.D4 + hoff + 3u);
    let q_2_4 = at4_qt((base + min(t + 2u, T - 1u)) * p.D4 + hoff + 4u);
    let q_2_5 = at4_qt((base + min(t + 2u, T - 1u)) * p.D4 + hoff + 5u);
    let q_2_6 = at4_qt((base + min(t + 2u, T - 1u)) * p.D4 + hoff + 6u);
    let q_2_7 = at4_qt((base + min(t + 2u, T - 1u)) * p.D4 + hoff + 7u);
    let q_3_0 = at4_qt((base + min(t + 3u, T - 1u)) * p.D4 + hoff + 0u);
    let q_3_1 = at4_qt((base + min(t + 3u, T - 1u)) * p.D4 + hoff + 1u);
    let q_3_2 = at4_qt((base + min(t + 3u, T - 1u)) * p.D4 + hoff + 2u);
    let q_3_3 = at4_qt((base + min(t + 3u, T - 1u)) * p.D4 + hoff + 3u);
    let q_3_4 = at4_qt((base + min(t + 3u, T - 1u)) * p.D4 + hoff + 4u);
    let q_3_5 = at4_qt((base + min(t + 3u, T - 1u)) * p.D4 + hoff + 5u);
    let q_3_6 = at4_qt((base + min(t + 3u, T - 1u)) * p.D4 + hoff + 6u);
    let q_3_7 = at4_qt((base + min(t + 3u, T - 1u)) * p.D4 + hoff + 7u);
    let g_0_0 = at4_gt((base + min(t + 0u, T - 1u)) * p.D4 + hoff + 0u);
    let g_0_1 = at4_gt((base + min(t + 0u, T - 1u)) * p.D4 + hoff + 1u);
    let g_0_2 = at4_gt((base + min(t + 0u, T - 1u)) * p.D4 + hoff + 2u);
    let g_0_3 = at4_gt((base + min(t + 0u, T - 1u)) * p.D4 + hoff + 3u);
    let g_0_4 = at4_gt((base + min(t + 0u, T - 1u)) * p.D4 + hoff + 4u);
    let g_0_5 = at4_gt((base + min(t + 0u, T - 1u)) * p.D4 + hoff + 5u);
    let g_0_6 = at4_gt((base + min(t + 0u, T - 1u)) * p.D4 + hoff + 6u);
    let g_0_7 = at4_gt((base + min(t + 0u, T - 1u)) * p.D4 + hoff + 7u);
    let g_1_0 = at4_gt((base + min(t + 1u, T - 1u)) * p.D4 + hoff + 0u);
    let g_1_1 = at4_gt((base + min(t + 1u, T - 1u)) * p.D4 + hoff + 1u);
    let g_1_2 = at4_gt((base + min(t + 1u, T - 1u)) * p.D4 + hoff + 2u);
    let g_1_3 = at4_gt((base + min(t + 1u, T - 1u)) * p.D4 + hoff + 3u);
    let g_1_4 = at4_gt((base + min(t + 1u, T - 1u)) * p.D4 + hoff + 4u);
    let g_1_5 = at4_gt((base + min(t + 1u, T - 1u)) * p.D4 + hoff + 5u);
    let g_1_6 = at4_gt((base + min(t + 1u, T - 1u)) * p.D4 + hoff + 6u);
    let g_1_7 = at4_gt((base + min(t + 1u, T - 1u)) * p.D4 + hoff + 7u);
    let g_2_0 = at4_gt((base + min(t + 2u, T - 1u)) * p.D4 + hoff + 0u);
    let g_2_1 = at4_gt((base + min(t + 2u, T - 1u)) * p.D4 + hoff + 1u);
    let g_2_2 = at4_gt((base + min(t + 2u, T - 1u)) * p.D4 + hoff + 2u);
    let g_2_3 = at4_gt((base + min(t + 2u, T - 1u)) * p.D4 + hoff + 3u);
    let g_2_4 = at4_gt((base + min(t + 2u, T - 1u)) * p.D4 + hoff + 4u);
    let g_2_5 = at4_gt((base + min(t + 2u, T - 1u)) * p.D4 + hoff + 5u);
    let g_2_6 = at4_gt((base + min(t + 2u, T - 1u)) * p.D4 + hoff + 6u);
    let g_2_7 = at4_gt((base + min(t + 2u, T - 1u)) * p.D4 + hoff + 7u);
    let g_3_0 = at4_gt((base + min(t + 3u, T - 1u)) * p.D4 + hoff + 0u);
    let g_3_1 = at4_gt((base + min(t + 3u, T - 1u)) * p.D4 + hoff + 1u);
    let g_3_2 = at4_gt((base + min(t + 3u, T - 1u)) * p.D4 + hoff + 2u);
    let g_3_3 = at4_gt((base + min(t + 3u, T - 1u)) * p.D4 + hoff + 3u);
    let g_3_4 = at4_gt((base + min(t + 3u, T - 1u)) * p.D4 + hoff + 4u);
    let g_3_5 = at4_gt((base + min(t + 3u, T - 1u)) * p.D4 + hoff + 5u);
    let g_3_6 = at4_gt((base + min(t + 3u, T - 1u)) * p.D4 + hoff + 6u);
    let g_3_7 = at4_gt((base + min(t + 3u, T - 1u)) * p.D4 + hoff + 7u);
    let lr_0 = at1_lt(bh * T + min(t + 0u, T - 1u));
    let lr_1 = at1_lt(bh * T + min(t + 1u, T - 1u));
    let lr_2 = at1_lt(bh * T + min(t + 2u, T - 1u));
    let lr_3 = at1_lt(bh * T + min(t + 3u, T - 1u));
    let D_0 = at1_dt(bh * T + min(t + 0u, T - 1u));
    let D_1 = at1_dt(bh * T + min(t + 1u, T - 1u));
    let D_2 = at1_dt(bh * T + min(t + 2u, T - 1u));
    let D_3 = at1_dt(bh * T + min(t + 3u, T - 1u));
    let L_0 = lr_0 * 1.4426950408889634;
    let in_0 = t + 0u < T;
    let L_1 = lr_1 * 1.4426950408889634;
    let in_1 = t + 1u < T;
    let L_2 = lr_2 * 1.4426950408889634;
    let in_2 = t + 2u < T;
    let L_3 = lr_3 * 1.4426950408889634;
    let in_3 = t + 3u < T;
    let p_0_0 = select(0.0, exp2(dot(k_0_0, q_0_0) + dot(k_0_1, q_0_1) + dot(k_0_2, q_0_2) + dot(k_0_3, q_0_3) + dot(k_0_4, q_0_4) + dot(k_0_5, q_0_5) + dot(k_0_6, q_0_6) + dot(k_0_7, q_0_7) - L_0), in_0 && t + 0u >= tc_0);
    let ds_0_0 = p_0_0 * (dot(v_0_0, g_0_0) + dot(v_0_1, g_0_1) + dot(v_0_2, g_0_2) + dot(v_0_3, g_0_3) + dot(v_0_4, g_0_4) + dot(v_0_5, g_0_5) + dot(v_0_6, g_0_6) + dot(v_0_7, g_0_7) - D_0);
    let p_0_1 = select(0.0, exp2(dot(k_0_0, q_1_0) + dot(k_0_1, q_1_1) + dot(k_0_2, q_1_2) + dot(k_0_3, q_1_3) + dot(k_0_4, q_1_4) + dot(k_0_5, q_1_5) + dot(k_0_6, q_1_6) + dot(k_0_7, q_1_7) - L_1), in_1 && t + 1u >= tc_0);
    let ds_0_1 = p_0_1 * (dot(v_0_0, g_1_0) + dot(v_0_1, g_1_1) + dot(v_0_2, g_1_2) + dot(v_0_3, g_1_3) + dot(v_0_4, g_1_4) + dot(v_0_5, g_1_5) + dot(v_0_6, g_1_6) + dot(v_0_7, g_1_7) - D_1);
    let p_0_2 = select(0.0, exp2(dot(k_0_0, q_2_0) + dot(k_0_1, q_2_1) + dot(k_0_2, q_2_2) + dot(k_0_3, q_2_3) + dot(k_0_4, q_2_4) + dot(k_0_5, q_2_5) + dot(k_0_6, q_2_6) + dot(k_0_7, q_2_7) - L_2), in_2 && t + 2u >= tc_0);
    let ds_0_2 = p_0_2 * (dot(v_0_0, g_2_0) + dot(v_0_1, g_2_1) + dot(v_0_2, g_2_2) + dot(v_0_3, g_2_3) + dot(v_0_4, g_2_4) + dot(v_0_5, g_2_5) + dot(v_0_6, g_2_6) + dot(v_0_7, g_2_7) - D_2);
    let p_0_3 = select(0.0, exp2(dot(k_0_0, q_3_0) + dot(k_0_1, q_3_1) + dot(k_0_2, q_3_2) + dot(k_0_3, q_3_3) + dot(k_0_4, q_3_4) + dot(k_0_5, q_3_5) + dot(k_0_6, q_3_6) + dot(k_0_7, q_3_7) - L_3), in_3 && t + 3u >= tc_0);
    let ds_0_3 = p_0_3 * (dot(v_0_0, g_3_0) + dot(v_0_1, g_3_1) + dot(v_0_2, g_3_2) + dot(v_0_3, g_3_3) + dot(v_0_4, g_3_4) + dot(v_0_5, g_3_5) + dot(v_0_6, g_3_6) + dot(v_0_7, g_3_7) - D_3);
    dv_0_0 += p_0_0 * g_0_0 + p_0_1 * g_1_0 + p_0_2 * g_2_0 + p_0_3 * g_3_0;
    dk_0_0 += ds_0_0 * q_0_0 + ds_0_1 * q_1_0 + ds_0_2 * q_2_0 + ds_0_3 * q_3_0;
    dv_0_1 += p_0_0 * g_0_1 + p_0_1 * g_1_1 + p_0_2 * g_2_1 + p_0_3 * g_3_1;
    dk_0_1 += ds_0_0 * q_0_1 + ds_0_1 * q_1_1 + ds_0_2 * q_2_1 + ds_0_3 * q_3_1;
    dv_0_2 += p_0_0 * g_0_2 + p_0_1 * g_1_2 + p_0_2 * g_2_2 + p_0_3 * g_3_2;
    dk_0_2 += ds_0_0 * q_0_2 + ds_0_1 * q_1_2 + ds_0_2 * q_2_2 + ds_0_3 * q_3_2;
    dv_0_3 += p_0_0 * g_0_3 + p_0_1 * g_1_3 + p_0_2 * g_2_3 + p_0_3 * g_3_3;
    dk_0_3 += ds_0_0 * q_0_3 + ds_0_1 * q_1_3 + ds_0_2 * q_2_3 + ds_0_3 * q_3_3;
    dv_0_4 += p_0_0 * g_0_4 + p_0_1 * g_1_4 + p_0_2 * g_2_4 + p_0_3 * g_3_4;
    dk_0_4 += ds_0_0 * q_0_4 + ds_0_1 * q_1_4 + ds_0_2 * q_2_4 + ds_0_3 * q_3_4;
    dv_0_5 += p_0_0 * g_0_5 + p_0_1 * g_1_5 + p_0_2 * g_2_5 + p_0_3 * g_3_5;
    dk_0_5 += ds_0_0 * q_0_5 + ds_0_1 * q_1_5 + ds_0_2 * q_2_5 + ds_0_3 * q_3_5;
    dv_0_6 += p_0_0 * g_0_6 + p_0_1 * g_1_6 + p_0_2 * g_2_6 + p_0_3 * g_3_6;
    dk_0_6 += ds_0_0 * q_0_6 + ds_0_1 * q_1_6 + ds_0_2 * q_2_6 + ds_0_3 * q_3_6;
    dv_0_7 += p_0_0 * g_0_7 + p_0_1 * g_1_7 + p_0_2 * g_2_7 + p_0_3 * g_3_7;
    dk_0_7 += ds_0_0 * q_0_7 + ds_0_1 * q_1_7 + ds_0_2 * q_2_7 + ds_0_3 * q_3_7;
  }
  if (t_0 < T) {
    dk[e_0 + 0u] = dk_0_0 * SM;
    dk[e_0 + 1u] = dk_0_1 * SM;
    dk[e_0 + 2u] = dk_0_2 * SM;
    dk[e_0 + 3u] = dk_0_3 * SM;
    dk[e_0 + 4u] = dk_0_4 * SM;
    dk[e_0 + 5u] = dk_0_5 * SM;
    dk[e_0 + 6u] = dk_0_6 * SM;
    dk[e_0 + 7u] = dk_0_7 * SM;
    dv[e_0 + 0u] = dv_0_0;
    dv[e_0 + 1u] = dv_0_1;
    dv[e_0 + 2u] = dv_0_2;
    dv[e_0 + 3u] = dv_0_3;
    dv[e_0 + 4u] = dv_0_4;
    dv[e_0 + 5u] = dv_0_5;
    dv[e_0 + 6u] = dv_0_6;
    dv[e_0 + 7u] = dv_0_7;
  }
}