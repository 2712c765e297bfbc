struct P {
  m: u32,
  n: u32,
  k: u32,
  tilesM: u32,
  tilesN: u32,
  blocksN: u32,
  tilesPerBatch: u32,
  tiles: u32,
  groupsX: u32,
  aBatch: u32,
  bBatch: u32,
  cBatch: u32,
  rBatch: u32,
  alpha: f32,
  logHA: u32,
  logHB: u32,
}
@group(0) @binding(0) var<uniform> p: P;
@group(0) @binding(1) var TA: texture_storage_2d_array<rgba32float, read>;
@group(0) @binding(2) var TB: texture_storage_2d_array<rgba32float, read>;
fn ta(e: u32) -> vec4f {
  let y = e >> 6u;
  return textureLoad(TA, vec2u(e & 63u, y & ((1u << p.logHA) - 1u)), y >> p.logHA);
}
fn tbp(c4: u32, y: u32) -> vec4f {
  return textureLoad(TB, vec2u(c4 & 15u, y), c4 >> 4u);
}
@group(0) @binding(3) var<storage, read_write> C: array<vec4f>;
@group(0) @binding(4) var<storage, read> R: array<vec4f>;
@compute @workgroup_size(32)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u, @builtin(subgroup_invocation_id) sl: u32) {
  let raw = (wid.y * p.groupsX + wid.x) * 32u + lid.x;
  let lin = min(raw, p.tiles - 1u);
  let bi = lin / p.tilesPerBatch;
  let t = lin % p.tilesPerBatch;
  let blk = t / 32u;
  let w = t % 32u;
  let trB = (blk / p.blocksN) * 4u + (w / 8u) * 1u;
  let tcB = (blk % p.blocksN) * 8u;
  let lr = (w % 8u) / 8u;
  let lc = (w % 8u) % 8u;
  let live = raw < p.tiles && trB + lr < p.tilesM && tcB + lc < p.tilesN;
  let tr = min(trB + lr, p.tilesM - 1u);
  let tc = min(tcB + lc, p.tilesN - 1u);
  let r0 = tr * 16u;
  let c0 = tc * 8u;
  let aOff = bi * p.aBatch;
  let bRow0 = bi * p.bBatch;
  var acc0_0 = vec4f(0.0);
  var acc0_1 = vec4f(0.0);
  var acc1_0 = vec4f(0.0);
  var acc1_1 = vec4f(0.0);
  var acc2_0 = vec4f(0.0);
  var acc2_1 = vec4f(0.0);
  var acc3_0 = vec4f(0.0);
  var acc3_1 = vec4f(0.0);
  var acc4_0 = vec4f(0.0);
  var acc4_1 = vec4f(0.0);
  var acc5_0 = vec4f(0.0);
  var acc5_1 = vec4f(0.0);
  var acc6_0 = vec4f(0.0);
  var acc6_1 = vec4f(0.0);
  var acc7_0 = vec4f(0.0);
  var acc7_1 = vec4f(0.0);
  var acc8_0 = vec4f(0.0);
  var acc8_1 = vec4f(0.0);
  var acc9_0 = vec4f(0.0);
  var acc9_1 = vec4f(0.0);
  var acc10_0 = vec4f(0.0);
  var acc10_1 = vec4f(0.0);
  var acc11_0 = vec4f(0.0);
  var acc11_1 = vec4f(0.0);
  var acc12_0 = vec4f(0.0);
  var acc12_1 = vec4f(0.0);
  var acc13_0 = vec4f(0.0);
  var acc13_1 = vec4f(0.0);
  var acc14_0 = vec4f(0.0);
  var acc14_1 = vec4f(0.0);
  var acc15_0 = vec4f(0.0);
  var acc15_1 = vec4f(0.0);
  let aT4_0 = min((0u + sl) / 1u, 15u);
  let aG4_0 = (0u + sl) % 1u;
  let aH4_0 = aOff / 4u + (aT4_0 / 4u) * (p.m / 4u) + min((trB + aG4_0) * 4u + aT4_0 % 4u, p.m / 4u - 1u);
  let aT4_1 = min((8u + sl) / 1u, 15u);
  let aG4_1 = (8u + sl) % 1u;
  let aH4_1 = aOff / 4u + (aT4_1 / 4u) * (p.m / 4u) + min((trB + aG4_1) * 4u + aT4_1 % 4u, p.m / 4u - 1u);
  let bT4_0 = min((0u + sl) / 8u, 7u);
  let bG4_0 = (0u + sl) % 8u;
  let bH4_0 = vec2u(min((tcB + bG4_0) * 2u + bT4_0 % 2u, p.n / 4u - 1u), bRow0 + bT4_0 / 2u);
  let bT4_1 = min((8u + sl) / 8u, 7u);
  let bG4_1 = (8u + sl) % 8u;
  let bH4_1 = vec2u(min((tcB + bG4_1) * 2u + bT4_1 % 2u, p.n / 4u - 1u), bRow0 + bT4_1 / 2u);
  let bT4_2 = min((16u + sl) / 8u, 7u);
  let bG4_2 = (16u + sl) % 8u;
  let bH4_2 = vec2u(min((tcB + bG4_2) * 2u + bT4_2 % 2u, p.n / 4u - 1u), bRow0 + bT4_2 / 2u);
  let bT4_3 = min((24u + sl) / 8u, 7u);
  let bG4_3 = (24u + sl) % 8u;
  let bH4_3 = vec2u(min((tcB + bG4_3) * 2u + bT4_3 % 2u, p.n / 4u - 1u), bRow0 + bT4_3 / 2u);
  let bT4_4 = min((32u + sl) / 8u, 7u);
  let bG4_4 = (32u + sl) % 8u;
  let bH4_4 = vec2u(min((tcB + bG4_4) * 2u + bT4_4 % 2u, p.n / 4u - 1u), bRow0 + bT4_4 / 2u);
  let bT4_5 = min((40u + sl) / 8u, 7u);
  let bG4_5 = (40u + sl) % 8u;
  let bH4_5 = vec2u(min((tcB + bG4_5) * 2u + bT4_5 % 2u, p.n / 4u - 1u), bRow0 + bT4_5 / 2u);
  let bT4_6 = min((48u + sl) / 8u, 7u);
  let bG4_6 = (48u + sl) % 8u;
  let bH4_6 = vec2u(min((tcB + bG4_6) * 2u + bT4_6 % 2u, p.n / 4u - 1u), bRow0 + bT4_6 / 2u);
  let bT4_7 = min((56u + sl) / 8u, 7u);
  let bG4_7 = (56u + sl) % 8u;
  let bH4_7 = vec2u(min((tcB + bG4_7) * 2u + bT4_7 % 2u, p.n / 4u - 1u), bRow0 + bT4_7 / 2u);
  let aT1_0 = min((0u + sl) / 1u, 3u);
  let aG1_0 = (0u + sl) % 1u;
  let aH1_0 = aOff / 4u + (aT1_0 / 4u) * (p.m / 4u) + min((trB + aG1_0) * 4u + aT1_0 % 4u, p.m / 4u - 1u);
  let bT1_0 = min((0u + sl) / 8u, 1u);
  let bG1_0 = (0u + sl) % 8u;
  let bH1_0 = vec2u(min((tcB + bG1_0) * 2u + bT1_0 % 2u, p.n / 4u - 1u), bRow0 + bT1_0 / 2u);
  let bT1_1 = min((8u + sl) / 8u, 1u);
  let bG1_1 = (8u + sl) % 8u;
  let bH1_1 = vec2u(min((tcB + bG1_1) * 2u + bT1_1 % 2u, p.n / 4u - 1u), bRow0 + bT1_1 / 2u);
  let k4 = p.k & ~3u;
  for (var k = 0u; k < k4; k += 4u) {
    let aS0 = ta(aH4_0 + k * (p.m / 4u));
    let aS1 = ta(aH4_1 + k * (p.m / 4u));
    let a0 = subgroupBroadcast(aS0, 0u);
    let a1 = subgroupBroadcast(aS0, 1u);
    let a2 = subgroupBroadcast(aS0, 2u);
    let a3 = subgroupBroadcast(aS0, 3u);
    let a4 = subgroupBroadcast(aS0, 4u);
    let a5 = subgroupBroadcast(aS0, 5u);
    let a6 = subgroupBroadcast(aS0, 6u);
    let a7 = subgroupBroadcast(aS0, 7u);
    let a8 = subgroupBroadcast(aS1, 0u);
    let a9 = subgroupBroadcast(aS1, 1u);
    let a10 = subgroupBroadcast(aS1, 2u);
    let a11 = subgroupBroadcast(aS1, 3u);
    let a12 = subgroupBroadcast(aS1, 4u);
    let a13 = subgroupBroadcast(aS1, 5u);
    let a14 = subgroupBroadcast(aS1, 6u);
    let a15 = subgroupBroadcast(aS1, 7u);
    let bS0 = tbp(bH4_0.x, bH4_0.y + k);
    let bS1 = tbp(bH4_1.x, bH4_1.y + k);
    let bS2 = tbp(bH4_2.x, bH4_2.y + k);
    let bS3 = tbp(bH4_3.x, bH4_3.y + k);
    let bS4 = tbp(bH4_4.x, bH4_4.y + k);
    let bS5 = tbp(bH4_5.x, bH4_5.y + k);
    let bS6 = tbp(bH4_6.x, bH4_6.y + k);
    let bS7 = tbp(bH4_7.x, bH4_7.y + k);
    let b0 = bS0;
    let b1 = bS1;
    let b2 = bS2;
    let b3 = bS3;
    let b4 = bS4;
    let b5 = bS5;
    let b6 = bS6;
    let b7 = bS7;
    acc0_0 = fma(vec4f(a0[0]), b0, acc0_0);
    acc0_0 = fma(vec4f(a4[0]), b2, acc0_0);
    acc0_0 = fma(vec4f(a8[0]), b4, acc0_0);
    acc0_0 = fma(vec4f(a12[0]), b6, acc0_0);
    acc0_1 = fma(vec4f(a0[0]), b1, acc0_1);
    acc0_1 = fma(vec4f(a4[0]), b3, acc0_1);
    acc0_1 = fma(vec4f(a8[0]), b5, acc0_1);
    acc0_1 = fma(vec4f(a12[0]), b7, acc0_1);
    acc1_0 = fma(vec4f(a0[1]), b0, acc1_0);
    acc1_0 = fma(vec4f(a4[1]), b2, acc1_0);
    acc1_0 = fma(vec4f(a8[1]), b4, acc1_0);
    acc1_0 = fma(vec4f(a12[1]), b6, acc1_0);
    acc1_1 = fma(vec4f(a0[1]), b1, acc1_1);
    acc1_1 = fma(vec4f(a4[1]), b3, acc1_1);
    acc1_1 = fma(vec4f(a8[1]), b5, acc1_1);
    acc1_1 = fma(vec4f(a12[1]), b7, acc1_1);
    acc2_0 = fma(vec4f(a0[2]), b0, acc2_0);
    acc2_0 = fma(vec4f(a4[2]), b2, acc2_0);
    acc2_0 = fma(vec4f(a8[2]), b4, acc2_0);
    acc2_0 = fma(vec4f(a12[2]), b6, acc2_0);
    acc2_1 = fma(vec4f(a0[2]), b1, acc2_1);
    acc2_1 = fma(vec4f(a4[2]), b3, acc2_1);
    acc2_1 = fma(vec4f(a8[2]), b5, acc2_1);
    acc2_1 = fma(vec4f(a12[2]), b7, acc2_1);
    acc3_0 = fma(vec4f(a0[3]), b0, acc3_0);
    acc3_0 = fma(vec4f(a4[3]), b2, acc3_0);
    acc3_0 = fma(vec4f(a8[3]), b4, acc3_0);
    acc3_0 = fma(vec4f(a12[3]), b6, acc3_0);
    acc3_1 = fma(vec4f(a0[3]), b1, acc3_1);
    acc3_1 = fma(vec4f(a4[3]), b3, acc3_1);
    acc3_1 = fma(vec4f(a8[3]), b5, acc3_1);
    acc3_1 = fma(vec4f(a12[3]), b7, acc3_1);
    acc4_0 = fma(vec4f(a1[0]), b0, acc4_0);
    acc4_0 = fma(vec4f(a5[0]), b2, acc4_0);
    acc4_0 = fma(vec4f(a9[0]), b4, acc4_0);
    acc4_0 = fma(vec4f(a13[0]), b6, acc4_0);
    acc4_1 = fma(vec4f(a1[0]), b1, acc4_1);
    acc4_1 = fma(vec4f(a5[0]), b3, acc4_1);
    acc4_1 = fma(vec4f(a9[0]), b5, acc4_1);
    acc4_1 = fma(vec4f(a13[0]), b7, acc4_1);
    acc5_0 = fma(vec4f(a1[1]), b0, acc5_0);
    acc5_0 = fma(vec4f(a5[1]), b2, acc5_0);
    acc5_0 = fma(vec4f(a9[1]), b4, acc5_0);
    acc5_0 = fma(vec4f(a13[1]), b6, acc5_0);
    acc5_1 = fma(vec4f(a1[1]), b1, acc5_1);
    acc5_1 = fma(vec4f(a5[1]), b3, acc5_1);
    acc5_1 = fma(vec4f(a9[1]), b5, acc5_1);
    acc5_1 = fma(vec4f(a13[1]), b7, acc5_1);
    acc6_0 = fma(vec4f(a1[2]), b0, acc6_0);
    acc6_0 = fma(vec4f(a5[2]), b2, acc6_0);
    acc6_0 = fma(vec4f(a9[2]), b4, acc6_0);
    acc6_0 = fma(vec4f(a13[2]), b6, acc6_0);
    acc6_1 = fma(vec4f(a1[2]), b1, acc6_1);
    acc6_1 = fma(vec4f(a5[2]), b3, acc6_1);
    acc6_1 = fma(vec4f(a9[2]), b5, acc6_1);
    acc6_1 = fma(vec4f(a13[2]), b7, acc6_1);
    acc7_0 = fma(vec4f(a1[3]), b0, acc7_0);
    acc7_0 = fma(vec4f(a5[3]), b2, acc7_0);
    acc7_0 = fma(vec4f(a9[3]), b4, acc7_0);
    acc7_0 = fma(vec4f(a13[3]), b6, acc7_0);
    acc7_1 = fma(vec4f(a1[3]), b1, acc7_1);
    acc7_1 = fma(vec4f(a5[3]), b3, acc7_1);
    acc7_1 = fma(vec4f(a9[3]), b5, acc7_1);
    acc7_1 = fma(vec4f(a13[3]), b7, acc7_1);
    acc8_0 = fma(vec4f(a2[0]), b0, acc8_0);
    acc8_0 = fma(vec4f(a6[0]), b2, acc8_0);
    acc8_0 = fma(vec4f(a10[0]), b4, acc8_0);
    acc8_0 = fma(vec4f(a14[0]), b6, acc8_0);
    acc8_1 = fma(vec4f(a2[0]), b1, acc8_1);
    acc8_1 = fma(vec4f(a6[0]), b3, acc8_1);
    acc8_1 = fma(vec4f(a10[0]), b5, acc8_1);
    acc8_1 = fma(vec4f(a14[0]), b7, acc8_1);
    acc9_0 = fma(vec4f(a2[1]), b0, acc9_0);
    acc9_0 = fma(vec4f(a6[1]), b2, acc9_0);
    acc9_0 = fma(vec4f(a10[1]), b4, acc9_0);
    acc9_0 = fma(vec4f(a14[1]), b6, acc9_0);
    acc9_1 = fma(vec4f(a2[1]), b1, acc9_1);
    acc9_1 = fma(vec4f(a6[1]), b3, acc9_1);
    acc9_1 = fma(vec4f(a10[1]), b5, acc9_1);
    acc9_1 = fma(vec4f(a14[1]), b7, acc9_1);
    acc10_0 = fma(vec4f(a2[2]), b0, acc10_0);
    acc10_0 = fma(vec4f(a6[2]), b2, acc10_0);
    acc10_0 = fma(vec4f(a10[2]), b4, acc10_0);
    acc10_0 = fma(vec4f(a14[2]), b6, acc10_0);
    acc10_1 = fma(vec4f(a2[2]), b1, acc10_1);
    acc10_1 = fma(vec4f(a6[2]), b3, acc10_1);
    acc10_1 = fma(vec4f(a10[2]), b5, acc10_1);
    acc10_1 = fma(vec4f(a14[2]), b7, acc10_1);
    acc11_0 = fma(vec4f(a2[3]), b0, acc11_0);
    acc11_0 = fma(vec4f(a6[3]), b2, acc11_0);
    acc11_0 = fma(vec4f(a10[3]), b4, acc11_0);
    acc11_0 = fma(vec4f(a14[3]), b6, acc11_0);
    acc11_1 = fma(vec4f(a2[3]), b1, acc11_1);
    acc11_1 = fma(vec4f(a6[3]), b3, acc11_1);
    acc11_1 = fma(vec4f(a10[3]), b5, acc11_1);
    acc11_1 = fma(vec4f(a14[3]), b7, acc11_1);
    acc12_0 = fma(vec4f(a3[0]), b0, acc12_0);
    acc12_0 = fma(vec4f(a7[0]), b2, acc12_0);
    acc12_0 = fma(vec4f(a11[0]), b4, acc12_0);
    acc12_0 = fma(vec4f(a15[0]), b6, acc12_0);
    acc12_1 = fma(vec4f(a3[0]), b1, acc12_1);
    acc12_1 = fma(vec4f(a7[0]), b3, acc12_1);
    acc12_1 = fma(vec4f(a11[0]), b5, acc12_1);
    acc12_1 = fma(vec4f(a15[0]), b7, acc12_1);
    acc13_0 = fma(vec4f(a3[1]), b0, acc13_0);
    acc13_0 = fma(vec4f(a7[1]), b2, acc13_0);
    acc13_0 = fma(vec4f(a11[1]), b4, acc13_0);
    acc13_0 = fma(vec4f(a15[1]), b6, acc13_0);
    acc13_1 = fma(vec4f(a3[1]), b1, acc13_1);
    acc13_1 = fma(vec4f(a7[1]), b3, acc13_1);
    acc13_1 = fma(vec4f(a11[1]), b5, acc13_1);
    acc13_1 = fma(vec4f(a15[1]), b7, acc13_1);
    acc14_0 = fma(vec4f(a3[2]), b0, acc14_0);
    acc14_0 = fma(vec4f(a7[2]), b2, acc14_0);
    acc14_0 = fma(vec4f(a11[2]), b4, acc14_0);
    acc14_0 = fma(vec4f(a15[2]), b6, acc14_0);
    acc14_1 = fma(vec4f(a3[2]), b1, acc14_1);
    acc14_1 = fma(vec4f(a7[2]), b3, acc14_1);
    acc14_1 = fma(vec4f(a11[2]), b5, acc14_1);
    acc14_1 = fma(vec4f(a15[2]), b7, acc14_1);
    acc15_0 = fma(vec4f(a3[3]), b0, acc15_0);
    acc15_0 = fma(vec4f(a7[3]), b2, acc15_0);
    acc15_0 = fma(vec4f(a11[3]), b4, acc15_0);
    acc15_0 = fma(vec4f(a15[3]), b6, acc15_0);
    acc15_1 = fma(vec4f(a3[3]), b1, acc15_1);
    acc15_1 = fma(vec4f(a7[3]), b3, acc15_1);
    acc15_1 = fma(vec4f(a11[3]), b5, acc15_1);
    acc15_1 = fma(vec4f(a15[3]), b7, acc15_1);
  }
  for (var k = k4; k < p.k; k++) {
    let aS0 = ta(aH1_0 + k * (p.m / 4u));
    let a0 = subgroupBroadcast(aS0, 0u);
    let a1 = subgroupBroadcast(aS0, 1u);
    let a2 = subgroupBroadcast(aS0, 2u);
    let a3 = subgroupBroadcast(aS0, 3u);
    let bS0 = tbp(bH1_0.x, bH1_0.y + k);
    let bS1 = tbp(bH1_1.x, bH1_1.y + k);
    let b0 = bS0;
    let b1 = bS1;
    acc0_0 = fma(vec4f(a0[0]), b0, acc0_0);
    acc0_1 = fma(vec4f(a0[0]), b1, acc0_1);
    acc1_0 = fma(vec4f(a0[1]), b0, acc1_0);
    acc1_1 = fma(vec4f(a0[1]), b1, acc1_1);
    acc2_0 = fma(vec4f(a0[2]), b0, acc2_0);
    acc2_1 = fma(vec4f(a0[2]), b1, acc2_1);
    acc3_0 = fma(vec4f(a0[3]), b0, acc3_0);
    acc3_1 = fma(vec4f(a0[3]), b1, acc3_1);
    acc4_0 = fma(vec4f(a1[0]), b0, acc4_0);
    acc4_1 = fma(vec4f(a1[0]), b1, acc4_1);
    acc5_0 = fma(vec4f(a1[1]), b0, acc5_0);
    acc5_1 = fma(vec4f(a1[1]), b1, acc5_1);
    acc6_0 = fma(vec4f(a1[2]), b0, acc6_0);
    acc6_1 = fma(vec4f(a1[2]), b1, acc6_1);
    acc7_0 = fma(vec4f(a1[3]), b0, acc7_0);
    acc7_1 = fma(vec4f(a1[3]), b1, acc7_1);
    acc8_0 = fma(vec4f(a2[0]), b0, acc8_0);
    acc8_1 = fma(vec4f(a2[0]), b1, acc8_1);
    acc9_0 = fma(vec4f(a2[1]), b0, acc9_0);
    acc9_1 = fma(vec4f(a2[1]), b1, acc9_1);
    acc10_0 = fma(vec4f(a2[2]), b0, acc10_0);
    acc10_1 = fma(vec4f(a2[2]), b1, acc10_1);
    acc11_0 = fma(vec4f(a2[3]), b0, acc11_0);
    acc11_1 = fma(vec4f(a2[3]), b1, acc11_1);
    acc12_0 = fma(vec4f(a3[0]), b0, acc12_0);
    acc12_1 = fma(vec4f(a3[0]), b1, acc12_1);
    acc13_0 = fma(vec4f(a3[1]), b0, acc13_0);
    acc13_1 = fma(vec4f(a3[1]), b1, acc13_1);
    acc14_0 = fma(vec4f(a3[2]), b0, acc14_0);
    acc14_1 = fma(vec4f(a3[2]), b1, acc14_1);
    acc15_0 = fma(vec4f(a3[3]), b0, acc15_0);
    acc15_1 = fma(vec4f(a3[3]), b1, acc15_1);
  }
  let cOff = bi * p.cBatch;
  let rOff = bi * p.rBatch;
  if (!live) { return; }
  if (r0 + 0u < p.m) {
    let row = (r0 + 0u) * p.n;
    if (c0 + 0u < p.n) {
      let ci = (cOff + row + c0) / 4u + 0u;
      C[ci] = R[(rOff + row + c0) / 4u + 0u] + p.alpha * acc0_0;
    }
    if (c0 + 4u < p.n) {
      let ci = (cOff + row + c0) / 4u + 1u;
      C[ci] = R[(rOff + row + c0) / 4u + 1u] + p.alpha * acc0_1;
    }
  }
  if (r0 + 1u < p.m) {
    let row = (r0 + 1u) * p.n;
    if (c0 + 0u < p.n) {
      let ci = (cOff + row + c0) / 4u + 0u;
      C[ci] = R[(rOff + row + c0) / 4u + 0u] + p.alpha * acc1_0;
    }
    if (c0 + 4u < p.n) {
      let ci = (cOff + row + c0) / 4u + 1u;
      C[ci] = R[(rOff + row + c0) / 4u + 1u] + p.alpha * acc1_1;
    }
  }
  if (r0 + 2u < p.m) {
    let row = (r0 + 2u) * p.n;
    if (c0 + 0u < p.n) {
      let ci = (cOff + row + c0) / 4u + 0u;
      C[ci] = R[(rOff + row + c0) / 4u + 0u] + p.alpha * acc2_0;
    }
    if (c0 + 4u < p.n) {
      let ci = (cOff + row + c0) / 4u + 1u;
      C[ci] = R[(rOff + row + c0) / 4u + 1u] + p.alpha * acc2_1;
    }
  }
  if (r0 + 3u < p.m) {
    let row = (r0 + 3u) * p.n;
    if (c0 + 0u < p.n) {
      let ci = (cOff + row + c0) / 4u + 0u;
      C[ci] = R[(rOff + row + c0) / 4u + 0u] + p.alpha * acc3_0;
    }
    if (c0 + 4u < p.n) {
      let ci = (cOff + row + c0) / 4u + 1u;
      C[ci] = R[(rOff + row + c0) / 4u + 1u] + p.alpha * acc3_1;
    }
  }
  if (r0 + 4u < p.m) {
    let row = (r0 + 4u) * p.n;
    if (c0 + 0u < p.n) {
      let ci = (cOff + row + c0) / 4u + 0u;
      C[ci] = R[(rOff + row + c0) / 4u + 0u] + p.alpha * acc4_0;
    }
    if (c0 + 4u < p.n) {
      let ci = (cOff + row + c0) / 4u + 1u;
      C[ci] = R[(rOff + row + c0) / 4u + 1u] + p.alpha * acc4_1;
    }
  }
  if (r0 + 5u < p.m) {
    let row = (r0 + 5u) * p.n;
    if (c0 + 0u < p.n) {
      let ci = (cOff + row + c0) / 4u + 0u;
      C[ci] = R[(rOff + row + c0) / 4u + 0u] + p.alpha * acc5_0;
    }
    if (c0 + 4u < p.n) {
      let ci = (cOff + row + c0) / 4u + 1u;
      C[ci] = R[(rOff + row + c0) / 4u + 1u] + p.alpha * acc5_1;
    }
  }
  if (r0 + 6u < p.m) {
    let row = (r0 + 6u) * p.n;
    if (c0 + 0u < p.n) {
      let ci = (cOff + row + c0) / 4u + 0u;
      C[ci] = R[(rOff + row + c0) / 4u + 0u] + p.alpha * acc6_0;
    }
    if (c0 + 4u < p.n) {
      let ci = (cOff + row + c0) / 4u + 1u;
      C[ci] = R[(rOff + row + c0) / 4u + 1u] + p.alpha * acc6_1;
    }
  }
  if (r0 + 7u < p.m) {
    let row = (r0 + 7u) * p.n;
    if (c0 + 0u < p.n) {
      let ci = (cOff + row + c0) / 4u + 0u;
      C[ci] = R[(rOff + row + c0) / 4u + 0u] + p.alpha * acc7_0;
    }
    if (c0 + 4u < p.n) {
      let ci = (cOff + row + c0) / 4u + 1u;
      C[ci] = R[(rOff + row + c0) / 4u + 1u] + p.alpha * acc7_1;
    }
  }
  if (r0 + 8u < p.m) {
    let row = (r0 + 8u) * p.n;
    if (c0 + 0u < p.n) {
      let ci = (cOff + row + c0) / 4u + 0u;
      C[ci] = R[(rOff + row + c0) / 4u + 0u] + p.alpha * acc8_0;
    }
    if (c0 + 4u < p.n) {
      let ci = (cOff + row + c0) / 4u + 1u;
      C[ci] = R[(rOff + row + c0) / 4u + 1u] + p.alpha * acc8_1;
    }
  }
  if (r0 + 9u < p.m) {
    let row = (r0 + 9u) * p.n;
    if (c0 + 0u < p.n) {
      let ci = (cOff + row + c0) / 4u + 0u;
      C[ci] = R[(rOff + row + c0) / 4u + 0u] + p.alpha * acc9_0;
    }
    if (c0 + 4u < p.n) {
      let ci = (cOff + row + c0) / 4u + 1u;
      C[ci] = R[(rOff + row + c0) / 4u + 1u] + p.alpha * acc9_1;
    }
  }
  if (r0 + 10u < p.m) {
    let row = (r0 + 10u) * p.n;
    if (c0 + 0u < p.n) {
      let ci = (cOff + row + c0) / 4u + 0u;
      C[ci] = R[(rOff + row + c0) / 4u + 0u] + p.alpha * acc10_0;
    }
    if (c0 + 4u < p.n) {
      let ci = (cOff + row + c0) / 4u + 1u;
      C[ci] = R[(rOff + row + c0) / 4u + 1u] + p.alpha * acc10_1;
    }
  }
  if (r0 + 11u < p.m) {
    let row = (r0 + 11u) * p.n;
    if (c0 + 0u < p.n) {
      let ci = (cOff + row + c0) / 4u + 0u;
      C[ci] = R[(rOff + row + c0) / 4u + 0u] + p.alpha * acc11_0;
    }
    if (c0 + 4u < p.n) {
      let ci = (cOff + row + c0) / 4u + 1u;
      C[ci] = R[(rOff + row + c0) / 4u + 1u] + p.alpha * acc11_1;
    }
  }
  if (r0 + 12u < p.m) {
    let row = (r0 + 12u) * p.n;
    if (c0 + 0u < p.n) {
      let ci = (cOff + row + c0) / 4u + 0u;
      C[ci] = R[(rOff + row + c0) / 4u + 0u] + p.alpha * acc12_0;
    }
    if (c0 + 4u < p.n) {
      let ci = (cOff + row + c0) / 4u + 1u;
      C[ci] = R[(rOff + row + c0) / 4u + 1u] + p.alpha * acc12_1;
    }
  }
  if (r0 + 13u < p.m) {
    let row = (r0 + 13u) * p.n;
    if (c0 + 0u < p.n) {
      let ci = (cOff + row + c0) / 4u + 0u;
      C[ci] = R[(rOff + row + c0) / 4u + 0u] + p.alpha * acc13_0;
    }
    if (c0 + 4u < p.n) {
      let ci = (cOff + row + c0) / 4u + 1u;
      C[ci] = R[(rOff + row + c0) / 4u + 1u] + p.alpha * acc13_1;
    }
  }
  if (r0 + 14u < p.m) {
    let row = (r0 + 14u) * p.n;
    if (c0 + 0u < p.n) {
      let ci = (cOff + row + c0) / 4u + 0u;
      C[ci] = R[(rOff + row + c0) / 4u + 0u] + p.alpha * acc14_0;
    }
    if (c0 + 4u < p.n) {
      let ci = (cOff + row + c0) / 4u + 1u;
      C[ci] = R[(rOff + row + c0) / 4u + 1u] + p.alpha * acc14_1;
    }
  }
  if (r0 + 15u < p.m) {
    let row = (r0 + 15u) * p.n;
    if (c0 + 0u < p.n) {
      let ci = (cOff + row + c0) / 4u + 0u;
      C[ci] = R[(rOff + row + c0) / 4u + 0u] + p.alpha * acc15_0;
    }
    if (c0 + 4u < p.n) {
      let ci = (cOff + row + c0) / 4u + 1u;
      C[ci] = R[(rOff + row + c0) / 4u + 1u] + p.alpha * acc15_1;
    }
  }
}
