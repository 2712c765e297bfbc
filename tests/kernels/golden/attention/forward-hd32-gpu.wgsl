
struct Params { T: u32, H: u32, D4: u32, logH4: u32, logH1: u32 }
@group(0) @binding(0) var<uniform> p: Params;

@group(0) @binding(1) var qt: texture_storage_2d_array<rgba32float, read>;
@group(0) @binding(2) var kt: texture_storage_2d_array<rgba32float, read>;
@group(0) @binding(3) var vt: texture_storage_2d_array<rgba32float, read>;
@group(0) @binding(4) var<storage, read_write> o: array<vec4f>;
@group(0) @binding(5) var<storage, read_write> lse: array<f32>;
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
  var a_0_0 = vec4f(0.0);
  var a_0_1 = vec4f(0.0);
  var a_0_2 = vec4f(0.0);
  var a_0_3 = vec4f(0.0);
  var a_0_4 = vec4f(0.0);
  var a_0_5 = vec4f(0.0);
  var a_0_6 = vec4f(0.0);
  var a_0_7 = vec4f(0.0);
  var m_0 = NEG;
  var l_0 = 0.0;
  for (var kb = 0u; kb < last; kb += 4u) {
    let k_0_0 = at4_kt((base + min(kb + 0u, T - 1u)) * p.D4 + hoff + 0u);
    let k_0_1 = at4_kt((base + min(kb + 0u, T - 1u)) * p.D4 + hoff + 1u);
    let k_0_2 = at4_kt((base + min(kb + 0u, T - 1u)) * p.D4 + hoff + 2u);
    let k_0_3 = at4_kt((base + min(kb + 0u, T - 1u)) * p.D4 + hoff + 3u);
    let k_0_4 = at4_kt((base + min(kb + 0u, T - 1u)) * p.D4 + hoff + 4u);
    let k_0_5 = at4_kt((base + min(kb + 0u, T - 1u)) * p.D4 + hoff + 5u);
    let k_0_6 = at4_kt((base + min(kb + 0u, T - 1u)) * p.D4 + hoff + 6u);
    let k_0_7 = at4_kt((base + min(kb + 0u, T - 1u)) * p.D4 + hoff + 7u);
    let k_1_0 = at4_kt((base + min(kb + 1u, T - 1u)) * p.D4 + hoff + 0u);
    let k_1_1 = at4_kt((base + min(kb + 1u, T - 1u)) * p.D4 + hoff + 1u);
    let k_1_2 = at4_kt((base + min(kb + 1u, T - 1u)) * p.D4 + hoff + 2u);
    let k_1_3 = at4_kt((base + min(kb + 1u, T - 1u)) * p.D4 + hoff + 3u);
    let k_1_4 = at4_kt((base + min(kb + 1u, T - 1u)) * p.D4 + hoff + 4u);
    let k_1_5 = at4_kt((base + min(kb + 1u, T - 1u)) * p.D4 + hoff + 5u);
    let k_1_6 = at4_kt((base + min(kb + 1u, T - 1u)) * p.D4 + hoff + 6u);
    let k_1_7 = at4_kt((base + min(kb + 1u, T - 1u)) * p.D4 + hoff + 7u);
    let k_2_0 = at4_kt((base + min(kb + 2u, T - 1u)) * p.D4 + hoff + 0u);
    let k_2_1 = at4_kt((base + min(kb + 2u, T - 1u)) * p.D4 + hoff + 1u);
    let k_2_2 = at4_kt((base + min(kb + 2u, T - 1u)) * p.D4 + hoff + 2u);
    let k_2_3 = at4_kt((base + min(kb + 2u, T - 1u)) * p.D4 + hoff + 3u);
    let k_2_4 = at4_kt((base + min(kb + 2u, T - 1u)) * p.D4 + hoff + 4u);
    let k_2_5 = at4_kt((base + min(kb + 2u, T - 1u)) * p.D4 + hoff + 5u);
    let k_2_6 = at4_kt((base + min(kb + 2u, T - 1u)) * p.D4 + hoff + 6u);
    let k_2_7 = at4_kt((base + min(kb + 2u, T - 1u)) * p.D4 + hoff + 7u);
    let k_3_0 = at4_kt((base + min(kb + 3u, T - 1u)) * p.D4 + hoff + 0u);
    let k_3_1 = at4_kt((base + min(kb + 3u, T - 1u)) * p.D4 + hoff + 1u);
    let k_3_2 = at4_kt((base + min(kb + 3u, T - 1u)) * p.D4 + hoff + 2u);
    let k_3_3 = at4_kt((base + min(kb + 3u, T - 1u)) * p.D4 + hoff + 3u);
    let k_3_4 = at4_kt((base + min(kb + 3u, T - 1u)) * p.D4 + hoff + 4u);
    let k_3_5 = at4_kt((base + min(kb + 3u, T - 1u)) * p.D4 + hoff + 5u);
    let k_3_6 = at4_kt((base + min(kb + 3u, T - 1u)) * p.D4 + hoff + 6u);
    let k_3_7 = at4_kt((base + min(kb + 3u, T - 1u)) * p.D4 + hoff + 7u);
    let v_0_0 = at4_vt((base + min(kb + 0u, T - 1u)) * p.D4 + hoff + 0u);
    let v_0_1 = at4_vt((base + min(kb + 0u, T - 1u)) * p.D4 + hoff + 1u);
    let v_0_2 = at4_vt((base + min(kb + 0u, T - 1u)) * p.D4 + hoff + 2u);
    let v_0_3 = at4_vt((base + min(kb + 0u, T - 1u)) * p.D4 + hoff + 3u);
    let v_0_4 = at4_vt((base + min(kb + 0u, T - 1u)) * p.D4 + hoff + 4u);
    let v_0_5 = at4_vt((base + min(kb + 0u, T - 1u)) * p.D4 + hoff + 5u);
    let v_0_6 = at4_vt((base + min(kb + 0u, T - 1u)) * p.D4 + hoff + 6u);
    let v_0_7 = at4_vt((base + min(kb + 0u, T - 1u)) * p.D4 + hoff + 7u);
    let v_1_0 = at4_vt((base + min(kb + 1u, T - 1u)) * p.D4 + hoff + 0u);
    let v_1_1 = at4_vt((base + min(kb + 1u, T - 1u)) * p.D4 + hoff + 1u);
    let v_1_2 = at4_vt((base + min(kb + 1u, T - 1u)) * p.D4 + hoff + 2u);
    let v_1_3 = at4_vt((base + min(kb + 1u, T - 1u)) * p.D4 + hoff + 3u);
    let v_1_4 = at4_vt((base + min(kb + 1u, T - 1u)) * p.D4 + hoff + 4u);
    let v_1_5 = at4_vt((base + min(kb + 1u, T - 1u)) * p.D4 + hoff + 5u);
    let v_1_6 = at4_vt((base + min(kb + 1u, T - 1u)) * p.D4 + hoff + 6u);
    let v_1_7 = at4_vt((base + min(kb + 1u, T - 1u)) * p.D4 + hoff + 7u);
    let v_2_0 = at4_vt((base + min(kb + 2u, T - 1u)) * p.D4 + hoff + 0u);
    let v_2_1 = at4_vt((base + min(kb + 2u, T - 1u)) * p.D4 + hoff + 1u);
    let v_2_2 = at4_vt((base + min(kb + 2u, T - 1u)) * p.D4 + hoff + 2u);
    let v_2_3 = at4_vt((base + min(kb + 2u, T - 1u)) * p.D4 + hoff + 3u);
    let v_2_4 = at4_vt((base + min(kb + 2u, T - 1u)) * p.D4 + hoff + 4u);
    let v_2_5 = at4_vt((base + min(kb + 2u, T - 1u)) * p.D4 + hoff + 5u);
    let v_2_6 = at4_vt((base + min(kb + 2u, T - 1u)) * p.D4 + hoff + 6u);
    let v_2_7 = at4_vt((base + min(kb + 2u, T - 1u)) * p.D4 + hoff + 7u);
    let v_3_0 = at4_vt((base + min(kb + 3u, T - 1u)) * p.D4 + hoff + 0u);
    let v_3_1 = at4_vt((base + min(kb + 3u, T - 1u)) * p.D4 + hoff + 1u);
    let v_3_2 = at4_vt((base + min(kb + 3u, T - 1u)) * p.D4 + hoff + 2u);
    let v_3_3 = at4_vt((base + min(kb + 3u, T - 1u)) * p.D4 + hoff + 3u);
    let v_3_4 = at4_vt((base + min(kb + 3u, T - 1u)) * p.D4 + hoff + 4u);
    let v_3_5 = at4_vt((base + min(kb + 3u, T - 1u)) * p.D4 + hoff + 5u);
    let v_3_6 = at4_vt((base + min(kb + 3u, T - 1u)) * p.D4 + hoff + 6u);
    let v_3_7 = at4_vt((base + min(kb + 3u, T - 1u)) * p.D4 + hoff + 7u);
    let s_0_0 = select(NEG, dot(q_0_0, k_0_0) + dot(q_0_1, k_0_1) + dot(q_0_2, k_0_2) + dot(q_0_3, k_0_3) + dot(q_0_4, k_0_4) + dot(q_0_5, k_0_5) + dot(q_0_6, k_0_6) + dot(q_0_7, k_0_7), kb + 0u <= tc_0);
    let s_0_1 = select(NEG, dot(q_0_0, k_1_0) + dot(q_0_1, k_1_1) + dot(q_0_2, k_1_2) + dot(q_0_3, k_1_3) + dot(q_0_4, k_1_4) + dot(q_0_5, k_1_5) + dot(q_0_6, k_1_6) + dot(q_0_7, k_1_7), kb + 1u <= tc_0);
    let s_0_2 = select(NEG, dot(q_0_0, k_2_0) + dot(q_0_1, k_2_1) + dot(q_0_2, k_2_2) + dot(q_0_3, k_2_3) + dot(q_0_4, k_2_4) + dot(q_0_5, k_2_5) + dot(q_0_6, k_2_6) + dot(q_0_7, k_2_7), kb + 2u <= tc_0);
    let s_0_3 = select(NEG, dot(q_0_0, k_3_0) + dot(q_0_1, k_3_1) + dot(q_0_2, k_3_2) + dot(q_0_3, k_3_3) + dot(q_0_4, k_3_4) + dot(q_0_5, k_3_5) + dot(q_0_6, k_3_6) + dot(q_0_7, k_3_7), kb + 3u <= tc_0);
    let mn_0 = max(m_0, max(max(max(s_0_0, s_0_1), s_0_2), s_0_3));
    let al_0 = exp2(m_0 - mn_0);
    m_0 = mn_0;
    let p_0_0 = exp2(s_0_0 - mn_0);
    let p_0_1 = exp2(s_0_1 - mn_0);
    let p_0_2 = exp2(s_0_2 - mn_0);
    let p_0_3 = exp2(s_0_3 - mn_0);
    l_0 = l_0 * al_0 + p_0_0 + p_0_1 + p_0_2 + p_0_3;
    a_0_0 = a_0_0 * al_0 + p_0_0 * v_0_0 + p_0_1 * v_1_0 + p_0_2 * v_2_0 + p_0_3 * v_3_0;
    a_0_1 = a_0_1 * al_0 + p_0_0 * v_0_1 + p_0_1 * v_1_1 + p_0_2 * v_2_1 + p_0_3 * v_3_1;
    a_0_2 = a_0_2 * al_0 + p_0_0 * v_0_2 + p_0_1 * v_1_2 + p_0_2 * v_2_2 + p_0_3 * v_3_2;
    a_0_3 = a_0_3 * al_0 + p_0_0 * v_0_3 + p_0_1 * v_1_3 + p_0_2 * v_2_3 + p_0_3 * v_3_3;
    a_0_4 = a_0_4 * al_0 + p_0_0 * v_0_4 + p_0_1 * v_1_4 + p_0_2 * v_2_4 + p_0_3 * v_3_4;
    a_0_5 = a_0_5 * al_0 + p_0_0 * v_0_5 + p_0_1 * v_1_5 + p_0_2 * v_2_5 + p_0_3 * v_3_5;
    a_0_6 = a_0_6 * al_0 + p_0_0 * v_0_6 + p_0_1 * v_1_6 + p_0_2 * v_2_6 + p_0_3 * v_3_6;
    a_0_7 = a_0_7 * al_0 + p_0_0 * v_0_7 + p_0_1 * v_1_7 + p_0_2 * v_2_7 + p_0_3 * v_3_7;
  }
  if (t_0 < T) {
    let inv_0 = 1.0 / l_0;
    o[e_0 + 0u] = a_0_0 * inv_0;
    o[e_0 + 1u] = a_0_1 * inv_0;
    o[e_0 + 2u] = a_0_2 * inv_0;
    o[e_0 + 3u] = a_0_3 * inv_0;
    o[e_0 + 4u] = a_0_4 * inv_0;
    o[e_0 + 5u] = a_0_5 * inv_0;
    o[e_0 + 6u] = a_0_6 * inv_0;
    o[e_0 + 7u] = a_0_7 * inv_0;
    lse[bh * T + t_0] = (m_0 + log2(l_0)) * 0.69314718055994529;
  }
}