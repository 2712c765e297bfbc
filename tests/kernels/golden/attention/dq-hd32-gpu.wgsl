
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
  let dl_0 = dot(g_0_0, at4_ot(e_0 + 0u)) + dot(g_0_1, at4_ot(e_0 + 1u)) + dot(g_0_2, at4_ot(e_0 + 2u)) + dot(g_0_3, at4_ot(e_0 + 3u)) + dot(g_0_4, at4_ot(e_0 + 4u)) + dot(g_0_5, at4_ot(e_0 + 5u)) + dot(g_0_6, at4_ot(e_0 + 6u)) + dot(g_0_7, at4_ot(e_0 + 7u));
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
    let p_0_0 = select(0.0, exp2(dot(q_0_0, k_0_0) + dot(q_0_1, k_0_1) + dot(q_0_2, k_0_2) + dot(q_0_3, k_0_3) + dot(q_0_4, k_0_4) + dot(q_0_5, k_0_5) + dot(q_0_6, k_0_6) + dot(q_0_7, k_0_7) - L_0), s + 0u <= tc_0);
    let ds_0_0 = p_0_0 * (dot(g_0_0, v_0_0) + dot(g_0_1, v_0_1) + dot(g_0_2, v_0_2) + dot(g_0_3, v_0_3) + dot(g_0_4, v_0_4) + dot(g_0_5, v_0_5) + dot(g_0_6, v_0_6) + dot(g_0_7, v_0_7) - dl_0);
    let p_0_1 = select(0.0, exp2(dot(q_0_0, k_1_0) + dot(q_0_1, k_1_1) + dot(q_0_2, k_1_2) + dot(q_0_3, k_1_3) + dot(q_0_4, k_1_4) + dot(q_0_5, k_1_5) + dot(q_0_6, k_1_6) + dot(q_0_7, k_1_7) - L_0), s + 1u <= tc_0);
    let ds_0_1 = p_0_1 * (dot(g_0_0, v_1_0) + dot(g_0_1, v_1_1) + dot(g_0_2, v_1_2) + dot(g_0_3, v_1_3) + dot(g_0_4, v_1_4) + dot(g_0_5, v_1_5) + dot(g_0_6, v_1_6) + dot(g_0_7, v_1_7) - dl_0);
    let p_0_2 = select(0.0, exp2(dot(q_0_0, k_2_0) + dot(q_0_1, k_2_1) + dot(q_0_2, k_2_2) + dot(q_0_3, k_2_3) + dot(q_0_4, k_2_4) + dot(q_0_5, k_2_5) + dot(q_0_6, k_2_6) + dot(q_0_7, k_2_7) - L_0), s + 2u <= tc_0);
    let ds_0_2 = p_0_2 * (dot(g_0_0, v_2_0) + dot(g_0_1, v_2_1) + dot(g_0_2, v_2_2) + dot(g_0_3, v_2_3) + dot(g_0_4, v_2_4) + dot(g_0_5, v_2_5) + dot(g_0_6, v_2_6) + dot(g_0_7, v_2_7) - dl_0);
    let p_0_3 = select(0.0, exp2(dot(q_0_0, k_3_0) + dot(q_0_1, k_3_1) + dot(q_0_2, k_3_2) + dot(q_0_3, k_3_3) + dot(q_0_4, k_3_4) + dot(q_0_5, k_3_5) + dot(q_0_6, k_3_6) + dot(q_0_7, k_3_7) - L_0), s + 3u <= tc_0);
    let ds_0_3 = p_0_3 * (dot(g_0_0, v_3_0) + dot(g_0_1, v_3_1) + dot(g_0_2, v_3_2) + dot(g_0_3, v_3_3) + dot(g_0_4, v_3_4) + dot(g_0_5, v_3_5) + dot(g_0_6, v_3_6) + dot(g_0_7, v_3_7) - dl_0);
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