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
fn tap(c4: u32, y: u32) -> vec4f {
  return textureLoad(TA, vec2u(c4 & 3u, y), c4 >> 2u);
}
fn tbp(c4: u32, y: u32) -> vec4f {
  return textureLoad(TB, vec2u(c4 & 15u, y), c4 >> 4u);
}
@group(0) @binding(3) var<storage, read_write> C: array<vec4f>;
@compute @workgroup_size(32)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u, @builtin(subgroup_invocation_id) sl: u32) {
  let raw = (wid.y * p.groupsX + wid.x) * 32u + lid.x;
  let lin = min(raw, p.tiles - 1u);
  let bi = lin / p.tilesPerBatch;
  let t = lin % p.tilesPerBatch;
  let blk = t / 32u;
  let w = t % 32u;
  let trB = (blk / p.blocksN) * 8u + (w / 8u) * 2u;
  let tcB = (blk % p.blocksN) * 4u;
  let lr = (w % 8u) / 4u;
  let lc = (w % 8u) % 4u;
  let live = raw < p.tiles && trB + lr < p.tilesM && tcB + lc < p.tilesN;
  let tr = min(trB + lr, p.tilesM - 1u);
  let tc = min(tcB + lc, p.tilesN - 1u);
  let r0 = tr * 16u;
  let c0 = tc * 16u;
  let aRow0 = bi * p.aBatch;
  let bRow0 = bi * p.bBatch;
  var acc0_0 = vec4f(0.0);
  var acc0_1 = vec4f(0.0);
  var acc0_2 = vec4f(0.0);
  var acc0_3 = vec4f(0.0);
  var acc1_0 = vec4f(0.0);
  var acc1_1 = vec4f(0.0);
  var acc1_2 = vec4f(0.0);
  var acc1_3 = vec4f(0.0);
  var acc2_0 = vec4f(0.0);
  var acc2_1 = vec4f(0.0);
  var acc2_2 = vec4f(0.0);
  var acc2_3 = vec4f(0.0);
  var acc3_0 = vec4f(0.0);
  var acc3_1 = vec4f(0.0);
  var acc3_2 = vec4f(0.0);
  var acc3_3 = vec4f(0.0);
  var acc4_0 = vec4f(0.0);
  var acc4_1 = vec4f(0.0);
  var acc4_2 = vec4f(0.0);
  var acc4_3 = vec4f(0.0);
  var acc5_0 = vec4f(0.0);
  var acc5_1 = vec4f(0.0);
  var acc5_2 = vec4f(0.0);
  var acc5_3 = vec4f(0.0);
  var acc6_0 = vec4f(0.0);
  var acc6_1 = vec4f(0.0);
  var acc6_2 = vec4f(0.0);
  var acc6_3 = vec4f(0.0);
  var acc7_0 = vec4f(0.0);
  var acc7_1 = vec4f(0.0);
  var acc7_2 = vec4f(0.0);
  var acc7_3 = vec4f(0.0);
  var acc8_0 = vec4f(0.0);
  var acc8_1 = vec4f(0.0);
  var acc8_2 = vec4f(0.0);
  var acc8_3 = vec4f(0.0);
  var acc9_0 = vec4f(0.0);
  var acc9_1 = vec4f(0.0);
  var acc9_2 = vec4f(0.0);
  var acc9_3 = vec4f(0.0);
  var acc10_0 = vec4f(0.0);
  var acc10_1 = vec4f(0.0);
  var acc10_2 = vec4f(0.0);
  var acc10_3 = vec4f(0.0);
  var acc11_0 = vec4f(0.0);
  var acc11_1 = vec4f(0.0);
  var acc11_2 = vec4f(0.0);
  var acc11_3 = vec4f(0.0);
  var acc12_0 = vec4f(0.0);
  var acc12_1 = vec4f(0.0);
  var acc12_2 = vec4f(0.0);
  var acc12_3 = vec4f(0.0);
  var acc13_0 = vec4f(0.0);
  var acc13_1 = vec4f(0.0);
  var acc13_2 = vec4f(0.0);
  var acc13_3 = vec4f(0.0);
  var acc14_0 = vec4f(0.0);
  var acc14_1 = vec4f(0.0);
  var acc14_2 = vec4f(0.0);
  var acc14_3 = vec4f(0.0);
  var acc15_0 = vec4f(0.0);
  var acc15_1 = vec4f(0.0);
  var acc15_2 = vec4f(0.0);
  var acc15_3 = vec4f(0.0);
  let aT4_0 = min((0u + sl) / 2u, 15u);
  let aG4_0 = (0u + sl) % 2u;
  let aH4_0 = aRow0 + min((trB + aG4_0) * 16u + aT4_0, p.m - 1u);
  let aT4_1 = min((8u + sl) / 2u, 15u);
  let aG4_1 = (8u + sl) % 2u;
  let aH4_1 = aRow0 + min((trB + aG4_1) * 16u + aT4_1, p.m - 1u);
  let aT4_2 = min((16u + sl) / 2u, 15u);
  let aG4_2 = (16u + sl) % 2u;
  let aH4_2 = aRow0 + min((trB + aG4_2) * 16u + aT4_2, p.m - 1u);
  let aT4_3 = min((24u + sl) / 2u, 15u);
  let aG4_3 = (24u + sl) % 2u;
  let aH4_3 = aRow0 + min((trB + aG4_3) * 16u + aT4_3, p.m - 1u);
  let bT4_0 = min((0u + sl) / 4u, 15u);
  let bG4_0 = (0u + sl) % 4u;
  let bH4_0 = vec2u(min((tcB + bG4_0) * 4u + bT4_0 % 4u, p.n / 4u - 1u), bRow0 + bT4_0 / 4u);
  let bT4_1 = min((8u + sl) / 4u, 15u);
  let bG4_1 = (8u + sl) % 4u;
  let bH4_1 = vec2u(min((tcB + bG4_1) * 4u + bT4_1 % 4u, p.n / 4u - 1u), bRow0 + bT4_1 / 4u);
  let bT4_2 = min((16u + sl) / 4u, 15u);
  let bG4_2 = (16u + sl) % 4u;
  let bH4_2 = vec2u(min((tcB + bG4_2) * 4u + bT4_2 % 4u, p.n / 4u - 1u), bRow0 + bT4_2 / 4u);
  let bT4_3 = min((24u + sl) / 4u, 15u);
  let bG4_3 = (24u + sl) % 4u;
  let bH4_3 = vec2u(min((tcB + bG4_3) * 4u + bT4_3 % 4u, p.n / 4u - 1u), bRow0 + bT4_3 / 4u);
  let bT4_4 = min((32u + sl) / 4u, 15u);
  let bG4_4 = (32u + sl) % 4u;
  let bH4_4 = vec2u(min((tcB + bG4_4) * 4u + bT4_4 % 4u, p.n / 4u - 1u), bRow0 + bT4_4 / 4u);
  let bT4_5 = min((40u + sl) / 4u, 15u);
  let bG4_5 = (40u + sl) % 4u;
  let bH4_5 = vec2u(min((tcB + bG4_5) * 4u + bT4_5 % 4u, p.n / 4u - 1u), bRow0 + bT4_5 / 4u);
  let bT4_6 = min((48u + sl) / 4u, 15u);
  let bG4_6 = (48u + sl) % 4u;
  let bH4_6 = vec2u(min((tcB + bG4_6) * 4u + bT4_6 % 4u, p.n / 4u - 1u), bRow0 + bT4_6 / 4u);
  let bT4_7 = min((56u + sl) / 4u, 15u);
  let bG4_7 = (56u + sl) % 4u;
  let bH4_7 = vec2u(min((tcB + bG4_7) * 4u + bT4_7 % 4u, p.n / 4u - 1u), bRow0 + bT4_7 / 4u);
  let k4 = p.k & ~3u;
  for (var k = 0u; k < k4; k += 4u) {
    let aS0 = tap(k / 4u, aH4_0);
    let aS1 = tap(k / 4u, aH4_1);
    let aS2 = tap(k / 4u, aH4_2);
    let aS3 = tap(k / 4u, aH4_3);
    let a0 = subgroupShuffle(aS0, 0u + lr);
    let a1 = subgroupShuffle(aS0, 2u + lr);
    let a2 = subgroupShuffle(aS0, 4u + lr);
    let a3 = subgroupShuffle(aS0, 6u + lr);
    let a4 = subgroupShuffle(aS1, 0u + lr);
    let a5 = subgroupShuffle(aS1, 2u + lr);
    let a6 = subgroupShuffle(aS1, 4u + lr);
    let a7 = subgroupShuffle(aS1, 6u + lr);
    let a8 = subgroupShuffle(aS2, 0u + lr);
    let a9 = subgroupShuffle(aS2, 2u + lr);
    let a10 = subgroupShuffle(aS2, 4u + lr);
    let a11 = subgroupShuffle(aS2, 6u + lr);
    let a12 = subgroupShuffle(aS3, 0u + lr);
    let a13 = subgroupShuffle(aS3, 2u + lr);
    let a14 = subgroupShuffle(aS3, 4u + lr);
    let a15 = subgroupShuffle(aS3, 6u + lr);
    let bS0 = tbp(bH4_0.x, bH4_0.y + k);
    let bS1 = tbp(bH4_1.x, bH4_1.y + k);
    let bS2 = tbp(bH4_2.x, bH4_2.y + k);
    let bS3 = tbp(bH4_3.x, bH4_3.y + k);
    let bS4 = tbp(bH4_4.x, bH4_4.y + k);
    let bS5 = tbp(bH4_5.x, bH4_5.y + k);
    let bS6 = tbp(bH4_6.x, bH4_6.y + k);
    let bS7 = tbp(bH4_7.x, bH4_7.y + k);
    let b0 = subgroupShuffle(bS0, 0u + lc);
    let b1 = subgroupShuffle(bS0, 4u + lc);
    let b2 = subgroupShuffle(bS1, 0u + lc);
    let b3 = subgroupShuffle(bS1, 4u + lc);
    let b4 = subgroupShuffle(bS2, 0u + lc);
    let b5 = subgroupShuffle(bS2, 4u + lc);
    let b6 = subgroupShuffle(bS3, 0u + lc);
    let b7 = subgroupShuffle(bS3, 4u + lc);
    let b8 = subgroupShuffle(bS4, 0u + lc);
    let b9 = subgroupShuffle(bS4, 4u + lc);
    let b10 = subgroupShuffle(bS5, 0u + lc);
    let b11 = subgroupShuffle(bS5, 4u + lc);
    let b12 = subgroupShuffle(bS6, 0u + lc);
    let b13 = subgroupShuffle(bS6, 4u + lc);
    let b14 = subgroupShuffle(bS7, 0u + lc);
    let b15 = subgroupShuffle(bS7, 4u + lc);
    acc0_0 = fma(vec4f(a0[0]), b0, acc0_0);
    acc0_0 = fma(vec4f(a0[1]), b4, acc0_0);
    acc0_0 = fma(vec4f(a0[2]), b8, acc0_0);
    acc0_0 = fma(vec4f(a0[3]), b12, acc0_0);
    acc0_1 = fma(vec4f(a0[0]), b1, acc0_1);
    acc0_1 = fma(vec4f(a0[1]), b5, acc0_1);
    acc0_1 = fma(vec4f(a0[2]), b9, acc0_1);
    acc0_1 = fma(vec4f(a0[3]), b13, acc0_1);
    acc0_2 = fma(vec4f(a0[0]), b2, acc0_2);
    acc0_2 = fma(vec4f(a0[1]), b6, acc0_2);
    acc0_2 = fma(vec4f(a0[2]), b10, acc0_2);
    acc0_2 = fma(vec4f(a0[3]), b14, acc0_2);
    acc0_3 = fma(vec4f(a0[0]), b3, acc0_3);
    acc0_3 = fma(vec4f(a0[1]), b7, acc0_3);
    acc0_3 = fma(vec4f(a0[2]), b11, acc0_3);
    acc0_3 = fma(vec4f(a0[3]), b15, acc0_3);
    acc1_0 = fma(vec4f(a1[0]), b0, acc1_0);
    acc1_0 = fma(vec4f(a1[1]), b4, acc1_0);
    acc1_0 = fma(vec4f(a1[2]), b8, acc1_0);
    acc1_0 = fma(vec4f(a1[3]), b12, acc1_0);
    acc1_1 = fma(vec4f(a1[0]), b1, acc1_1);
    acc1_1 = fma(vec4f(a1[1]), b5, acc1_1);
    acc1_1 = fma(vec4f(a1[2]), b9, acc1_1);
    acc1_1 = fma(vec4f(a1[3]), b13, acc1_1);
    acc1_2 = fma(vec4f(a1[0]), b2, acc1_2);
    acc1_2 = fma(vec4f(a1[1]), b6, acc1_2);
    acc1_2 = fma(vec4f(a1[2]), b10, acc1_2);
    acc1_2 = fma(vec4f(a1[3]), b14, acc1_2);
    acc1_3 = fma(vec4f(a1[0]), b3, acc1_3);
    acc1_3 = fma(vec4f(a1[1]), b7, acc1_3);
    acc1_3 = fma(vec4f(a1[2]), b11, acc1_3);
    acc1_3 = fma(vec4f(a1[3]), b15, acc1_3);
    acc2_0 = fma(vec4f(a2[0]), b0, acc2_0);
    acc2_0 = fma(vec4f(a2[1]), b4, acc2_0);
    acc2_0 = fma(vec4f(a2[2]), b8, acc2_0);
    acc2_0 = fma(vec4f(a2[3]), b12, acc2_0);
    acc2_1 = fma(vec4f(a2[0]), b1, acc2_1);
    acc2_1 = fma(vec4f(a2[1]), b5, acc2_1);
    acc2_1 = fma(vec4f(a2[2]), b9, acc2_1);
    acc2_1 = fma(vec4f(a2[3]), b13, acc2_1);
    acc2_2 = fma(vec4f(a2[0]), b2, acc2_2);
    acc2_2 = fma(vec4f(a2[1]), b6, acc2_2);
    acc2_2 = fma(vec4f(a2[2]), b10, acc2_2);
    acc2_2 = fma(vec4f(a2[3]), b14, acc2_2);
    acc2_3 = fma(vec4f(a2[0]), b3, acc2_3);
    acc2_3 = fma(vec4f(a2[1]), b7, acc2_3);
    acc2_3 = fma(vec4f(a2[2]), b11, acc2_3);
    acc2_3 = fma(vec4f(a2[3]), b15, acc2_3);
    acc3_0 = fma(vec4f(a3[0]), b0, acc3_0);
    acc3_0 = fma(vec4f(a3[1]), b4, acc3_0);
    acc3_0 = fma(vec4f(a3[2]), b8, acc3_0);
    acc3_0 = fma(vec4f(a3[3]), b12, acc3_0);
    acc3_1 = fma(vec4f(a3[0]), b1, acc3_1);
    acc3_1 = fma(vec4f(a3[1]), b5, acc3_1);
    acc3_1 = fma(vec4f(a3[2]), b9, acc3_1);
    acc3_1 = fma(vec4f(a3[3]), b13, acc3_1);
    acc3_2 = fma(vec4f(a3[0]), b2, acc3_2);
    acc3_2 = fma(vec4f(a3[1]), b6, acc3_2);
    acc3_2 = fma(vec4f(a3[2]), b10, acc3_2);
    acc3_2 = fma(vec4f(a3[3]), b14, acc3_2);
    acc3_3 = fma(vec4f(a3[0]), b3, acc3_3);
    acc3_3 = fma(vec4f(a3[1]), b7, acc3_3);
    acc3_3 = fma(vec4f(a3[2]), b11, acc3_3);
    acc3_3 = fma(vec4f(a3[3]), b15, acc3_3);
    acc4_0 = fma(vec4f(a4[0]), b0, acc4_0);
    acc4_0 = fma(vec4f(a4[1]), b4, acc4_0);
    acc4_0 = fma(vec4f(a4[2]), b8, acc4_0);
    acc4_0 = fma(vec4f(a4[3]), b12, acc4_0);
    acc4_1 = fma(vec4f(a4[0]), b1, acc4_1);
    acc4_1 = fma(vec4f(a4[1]), b5, acc4_1);
    acc4_1 = fma(vec4f(a4[2]), b9, acc4_1);
    acc4_1 = fma(vec4f(a4[3]), b13, acc4_1);
    acc4_2 = fma(vec4f(a4[0]), b2, acc4_2);
    acc4_2 = fma(vec4f(a4[1]), b6, acc4_2);
    acc4_2 = fma(vec4f(a4[2]), b10, acc4_2);
    acc4_2 = fma(vec4f(a4[3]), b14, acc4_2);
    acc4_3 = fma(vec4f(a4[0]), b3, acc4_3);
    acc4_3 = fma(vec4f(a4[1]), b7, acc4_3);
    acc4_3 = fma(vec4f(a4[2]), b11, acc4_3);
    acc4_3 = fma(vec4f(a4[3]), b15, acc4_3);
    acc5_0 = fma(vec4f(a5[0]), b0, acc5_0);
    acc5_0 = fma(vec4f(a5[1]), b4, acc5_0);
    acc5_0 = fma(vec4f(a5[2]), b8, acc5_0);
    acc5_0 = fma(vec4f(a5[3]), b12, acc5_0);
    acc5_1 = fma(vec4f(a5[0]), b1, acc5_1);
    acc5_1 = fma(vec4f(a5[1]), b5, acc5_1);
    acc5_1 = fma(vec4f(a5[2]), b9, acc5_1);
    acc5_1 = fma(vec4f(a5[3]), b13, acc5_1);
    acc5_2 = fma(vec4f(a5[0]), b2, acc5_2);
    acc5_2 = fma(vec4f(a5[1]), b6, acc5_2);
    acc5_2 = fma(vec4f(a5[2]), b10, acc5_2);
    acc5_2 = fma(vec4f(a5[3]), b14, acc5_2);
    acc5_3 = fma(vec4f(a5[0]), b3, acc5_3);
    acc5_3 = fma(vec4f(a5[1]), b7, acc5_3);
    acc5_3 = fma(vec4f(a5[2]), b11, acc5_3);
    acc5_3 = fma(vec4f(a5[3]), b15, acc5_3);
    acc6_0 = fma(vec4f(a6[0]), b0, acc6_0);
    acc6_0 = fma(vec4f(a6[1]), b4, acc6_0);
    acc6_0 = fma(vec4f(a6[2]), b8, acc6_0);
    acc6_0 = fma(vec4f(a6[3]), b12, acc6_0);
    acc6_1 = fma(vec4f(a6[0]), b1, acc6_1);
    acc6_1 = fma(vec4f(a6[1]), b5, acc6_1);
    acc6_1 = fma(vec4f(a6[2]), b9, acc6_1);
    acc6_1 = fma(vec4f(a6[3]), b13, acc6_1);
    acc6_2 = fma(vec4f(a6[0]), b2, acc6_2);
    acc6_2 = fma(vec4f(a6[1]), b6, acc6_2);
    acc6_2 = fma(vec4f(a6[2]), b10, acc6_2);
    acc6_2 = fma(vec4f(a6[3]), b14, acc6_2);
    acc6_3 = fma(vec4f(a6[0]), b3, acc6_3);
    acc6_3 = fma(vec4f(a6[1]), b7, acc6_3);
    acc6_3 = fma(vec4f(a6[2]), b11, acc6_3);
    acc6_3 = fma(vec4f(a6[3]), b15, acc6_3);
    acc7_0 = fma(vec4f(a7[0]), b0, acc7_0);
    acc7_0 = fma(vec4f(a7[1]), b4, acc7_0);
    acc7_0 = fma(vec4f(a7[2]), b8, acc7_0);
    acc7_0 = fma(vec4f(a7[3]), b12, acc7_0);
    acc7_1 = fma(vec4f(a7[0]), b1, acc7_1);
    acc7_1 = fma(vec4f(a7[1]), b5, acc7_1);
    acc7_1 = fma(vec4f(a7[2]), b9, acc7_1);
    acc7_1 = fma(vec4f(a7[3]), b13, acc7_1);
    acc7_2 = fma(vec4f(a7[0]), b2, acc7_2);
    acc7_2 = fma(vec4f(a7[1]), b6, acc7_2);
    acc7_2 = fma(vec4f(a7[2]), b10, acc7_2);
    acc7_2 = fma(vec4f(a7[3]), b14, acc7_2);
    acc7_3 = fma(vec4f(a7[0]), b3, acc7_3);
    acc7_3 = fma(vec4f(a7[1]), b7, acc7_3);
    acc7_3 = fma(vec4f(a7[2]), b11, acc7_3);
    acc7_3 = fma(vec4f(a7[3]), b15, acc7_3);
    acc8_0 = fma(vec4f(a8[0]), b0, acc8_0);
    acc8_0 = fma(vec4f(a8[1]), b4, acc8_0);
    acc8_0 = fma(vec4f(a8[2]), b8, acc8_0);
    acc8_0 = fma(vec4f(a8[3]), b12, acc8_0);
    acc8_1 = fma(vec4f(a8[0]), b1, acc8_1);
    acc8_1 = fma(vec4f(a8[1]), b5, acc8_1);
    acc8_1 = fma(vec4f(a8[2]), b9, acc8_1);
    acc8_1 = fma(vec4f(a8[3]), b13, acc8_1);
    acc8_2 = fma(vec4f(a8[0]), b2, acc8_2);
    acc8_2 = fma(vec4f(a8[1]), b6, acc8_2);
    acc8_2 = fma(vec4f(a8[2]), b10, acc8_2);
    acc8_2 = fma(vec4f(a8[3]), b14, acc8_2);
    acc8_3 = fma(vec4f(a8[0]), b3, acc8_3);
    acc8_3 = fma(vec4f(a8[1]), b7, acc8_3);
    acc8_3 = fma(vec4f(a8[2]), b11, acc8_3);
    acc8_3 = fma(vec4f(a8[3]), b15, acc8_3);
    acc9_0 = fma(vec4f(a9[0]), b0, acc9_0);
    acc9_0 = fma(vec4f(a9[1]), b4, acc9_0);
    acc9_0 = fma(vec4f(a9[2]), b8, acc9_0);
    acc9_0 = fma(vec4f(a9[3]), b12, acc9_0);
    acc9_1 = fma(vec4f(a9[0]), b1, acc9_1);
    acc9_1 = fma(vec4f(a9[1]), b5, acc9_1);
    acc9_1 = fma(vec4f(a9[2]), b9, acc9_1);
    acc9_1 = fma(vec4f(a9[3]), b13, acc9_1);
    acc9_2 = fma(vec4f(a9[0]), b2, acc9_2);
    acc9_2 = fma(vec4f(a9[1]), b6, acc9_2);
    acc9_2 = fma(vec4f(a9[2]), b10, acc9_2);
    acc9_2 = fma(vec4f(a9[3]), b14, acc9_2);
    acc9_3 = fma(vec4f(a9[0]), b3, acc9_3);
    acc9_3 = fma(vec4f(a9[1]), b7, acc9_3);
    acc9_3 = fma(vec4f(a9[2]), b11, acc9_3);
    acc9_3 = fma(vec4f(a9[3]), b15, acc9_3);
    acc10_0 = fma(vec4f(a10[0]), b0, acc10_0);
    acc10_0 = fma(vec4f(a10[1]), b4, acc10_0);
    acc10_0 = fma(vec4f(a10[2]), b8, acc10_0);
    acc10_0 = fma(vec4f(a10[3]), b12, acc10_0);
    acc10_1 = fma(vec4f(a10[0]), b1, acc10_1);
    acc10_1 = fma(vec4f(a10[1]), b5, acc10_1);
    acc10_1 = fma(vec4f(a10[2]), b9, acc10_1);
    acc10_1 = fma(vec4f(a10[3]), b13, acc10_1);
    acc10_2 = fma(vec4f(a10[0]), b2, acc10_2);
    acc10_2 = fma(vec4f(a10[1]), b6, acc10_2);
    acc10_2 = fma(vec4f(a10[2]), b10, acc10_2);
    acc10_2 = fma(vec4f(a10[3]), b14, acc10_2);
    acc10_3 = fma(vec4f(a10[0]), b3, acc10_3);
    acc10_3 = fma(vec4f(a10[1]), b7, acc10_3);
    acc10_3 = fma(vec4f(a10[2]), b11, acc10_3);
    acc10_3 = fma(vec4f(a10[3]), b15, acc10_3);
    acc11_0 = fma(vec4f(a11[0]), b0, acc11_0);
    acc11_0 = fma(vec4f(a11[1]), b4, acc11_0);
    acc11_0 = fma(vec4f(a11[2]), b8, acc11_0);
    acc11_0 = fma(vec4f(a11[3]), b12, acc11_0);
    acc11_1 = fma(vec4f(a11[0]), b1, acc11_1);
    acc11_1 = fma(vec4f(a11[1]), b5, acc11_1);
    acc11_1 = fma(vec4f(a11[2]), b9, acc11_1);
    acc11_1 = fma(vec4f(a11[3]), b13, acc11_1);
    acc11_2 = fma(vec4f(a11[0]), b2, acc11_2);
    acc11_2 = fma(vec4f(a11[1]), b6, acc11_2);
    acc11_2 = fma(vec4f(a11[2]), b10, acc11_2);
    acc11_2 = fma(vec4f(a11[3]), b14, acc11_2);
    acc11_3 = fma(vec4f(a11[0]), b3, acc11_3);
    acc11_3 = fma(vec4f(a11[1]), b7, acc11_3);
    acc11_3 = fma(vec4f(a11[2]), b11, acc11_3);
    acc11_3 = fma(vec4f(a11[3]), b15, acc11_3);
    acc12_0 = fma(vec4f(a12[0]), b0, acc12_0);
    acc12_0 = fma(vec4f(a12[1]), b4, acc12_0);
    acc12_0 = fma(vec4f(a12[2]), b8, acc12_0);
    acc12_0 = fma(vec4f(a12[3]), b12, acc12_0);
    acc12_1 = fma(vec4f(a12[0]), b1, acc12_1);
    acc12_1 = fma(vec4f(a12[1]), b5, acc12_1);
    acc12_1 = fma(vec4f(a12[2]), b9, acc12_1);
    acc12_1 = fma(vec4f(a12[3]), b13, acc12_1);
    acc12_2 = fma(vec4f(a12[0]), b2, acc12_2);
    acc12_2 = fma(vec4f(a12[1]), b6, acc12_2);
    acc12_2 = fma(vec4f(a12[2]), b10, acc12_2);
    acc12_2 = fma(vec4f(a12[3]), b14, acc12_2);
    acc12_3 = fma(vec4f(a12[0]), b3, acc12_3);
    acc12_3 = fma(vec4f(a12[1]), b7, acc12_3);
    acc12_3 = fma(vec4f(a12[2]), b11, acc12_3);
    acc12_3 = fma(vec4f(a12[3]), b15, acc12_3);
    acc13_0 = fma(vec4f(a13[0]), b0, acc13_0);
    acc13_0 = fma(vec4f(a13[1]), b4, acc13_0);
    acc13_0 = fma(vec4f(a13[2]), b8, acc13_0);
    acc13_0 = fma(vec4f(a13[3]), b12, acc13_0);
    acc13_1 = fma(vec4f(a13[0]), b1, acc13_1);
    acc13_1 = fma(vec4f(a13[1]), b5, acc13_1);
    acc13_1 = fma(vec4f(a13[2]), b9, acc13_1);
    acc13_1 = fma(vec4f(a13[3]), b13, acc13_1);
    acc13_2 = fma(vec4f(a13[0]), b2, acc13_2);
    acc13_2 = fma(vec4f(a13[1]), b6, acc13_2);
    acc13_2 = fma(vec4f(a13[2]), b10, acc13_2);
    acc13_2 = fma(vec4f(a13[3]), b14, acc13_2);
    acc13_3 = fma(vec4f(a13[0]), b3, acc13_3);
    acc13_3 = fma(vec4f(a13[1]), b7, acc13_3);
    acc13_3 = fma(vec4f(a13[2]), b11, acc13_3);
    acc13_3 = fma(vec4f(a13[3]), b15, acc13_3);
    acc14_0 = fma(vec4f(a14[0]), b0, acc14_0);
    acc14_0 = fma(vec4f(a14[1]), b4, acc14_0);
    acc14_0 = fma(vec4f(a14[2]), b8, acc14_0);
    acc14_0 = fma(vec4f(a14[3]), b12, acc14_0);
    acc14_1 = fma(vec4f(a14[0]), b1, acc14_1);
    acc14_1 = fma(vec4f(a14[1]), b5, acc14_1);
    acc14_1 = fma(vec4f(a14[2]), b9, acc14_1);
    acc14_1 = fma(vec4f(a14[3]), b13, acc14_1);
    acc14_2 = fma(vec4f(a14[0]), b2, acc14_2);
    acc14_2 = fma(vec4f(a14[1]), b6, acc14_2);
    acc14_2 = fma(vec4f(a14[2]), b10, acc14_2);
    acc14_2 = fma(vec4f(a14[3]), b14, acc14_2);
    acc14_3 = fma(vec4f(a14[0]), b3, acc14_3);
    acc14_3 = fma(vec4f(a14[1]), b7, acc14_3);
    acc14_3 = fma(vec4f(a14[2]), b11, acc14_3);
    acc14_3 = fma(vec4f(a14[3]), b15, acc14_3);
    acc15_0 = fma(vec4f(a15[0]), b0, acc15_0);
    acc15_0 = fma(vec4f(a15[1]), b4, acc15_0);
    acc15_0 = fma(vec4f(a15[2]), b8, acc15_0);
    acc15_0 = fma(vec4f(a15[3]), b12, acc15_0);
    acc15_1 = fma(vec4f(a15[0]), b1, acc15_1);
    acc15_1 = fma(vec4f(a15[1]), b5, acc15_1);
    acc15_1 = fma(vec4f(a15[2]), b9, acc15_1);
    acc15_1 = fma(vec4f(a15[3]), b13, acc15_1);
    acc15_2 = fma(vec4f(a15[0]), b2, acc15_2);
    acc15_2 = fma(vec4f(a15[1]), b6, acc15_2);
    acc15_2 = fma(vec4f(a15[2]), b10, acc15_2);
    acc15_2 = fma(vec4f(a15[3]), b14, acc15_2);
    acc15_3 = fma(vec4f(a15[0]), b3, acc15_3);
    acc15_3 = fma(vec4f(a15[1]), b7, acc15_3);
    acc15_3 = fma(vec4f(a15[2]), b11, acc15_3);
    acc15_3 = fma(vec4f(a15[3]), b15, acc15_3);
  }
  let cOff = bi * p.cBatch;
  if (!live) { return; }
  if (r0 + 0u < p.m) {
    let row = (r0 + 0u) * p.n;
    if (c0 + 0u < p.n) {
      let ci = (cOff + row + c0) / 4u + 0u;
      C[ci] = acc0_0;
    }
    if (c0 + 4u < p.n) {
      let ci = (cOff + row + c0) / 4u + 1u;
      C[ci] = acc0_1;
    }
    if (c0 + 8u < p.n) {
      let ci = (cOff + row + c0) / 4u + 2u;
      C[ci] = acc0_2;
    }
    if (c0 + 12u < p.n) {
      let ci = (cOff + row + c0) / 4u + 3u;
      C[ci] = acc0_3;
    }
  }
  if (r0 + 1u < p.m) {
    let row = (r0 + 1u) * p.n;
    if (c0 + 0u < p.n) {
      let ci = (cOff + row + c0) / 4u + 0u;
      C[ci] = acc1_0;
    }
    if (c0 + 4u < p.n) {
      let ci = (cOff + row + c0) / 4u + 1u;
      C[ci] = acc1_1;
    }
    if (c0 + 8u < p.n) {
      let ci = (cOff + row + c0) / 4u + 2u;
      C[ci] = acc1_2;
    }
    if (c0 + 12u < p.n) {
      let ci = (cOff + row + c0) / 4u + 3u;
      C[ci] = acc1_3;
    }
  }
  if (r0 + 2u < p.m) {
    let row = (r0 + 2u) * p.n;
    if (c0 + 0u < p.n) {
      let ci = (cOff + row + c0) / 4u + 0u;
      C[ci] = acc2_0;
    }
    if (c0 + 4u < p.n) {
      let ci = (cOff + row + c0) / 4u + 1u;
      C[ci] = acc2_1;
    }
    if (c0 + 8u < p.n) {
      let ci = (cOff + row + c0) / 4u + 2u;
      C[ci] = acc2_2;
    }
    if (c0 + 12u < p.n) {
      let ci = (cOff + row + c0) / 4u + 3u;
      C[ci] = acc2_3;
    }
  }
  if (r0 + 3u < p.m) {
    let row = (r0 + 3u) * p.n;
    if (c0 + 0u < p.n) {
      let ci = (cOff + row + c0) / 4u + 0u;
      C[ci] = acc3_0;
    }
    if (c0 + 4u < p.n) {
      let ci = (cOff + row + c0) / 4u + 1u;
      C[ci] = acc3_1;
    }
    if (c0 + 8u < p.n) {
      let ci = (cOff + row + c0) / 4u + 2u;
      C[ci] = acc3_2;
    }
    if (c0 + 12u < p.n) {
      let ci = (cOff + row + c0) / 4u + 3u;
      C[ci] = acc3_3;
    }
  }
  if (r0 + 4u < p.m) {
    let row = (r0 + 4u) * p.n;
    if (c0 + 0u < p.n) {
      let ci = (cOff + row + c0) / 4u + 0u;
      C[ci] = acc4_0;
    }
    if (c0 + 4u < p.n) {
      let ci = (cOff + row + c0) / 4u + 1u;
      C[ci] = acc4_1;
    }
    if (c0 + 8u < p.n) {
      let ci = (cOff + row + c0) / 4u + 2u;
      C[ci] = acc4_2;
    }
    if (c0 + 12u < p.n) {
      let ci = (cOff + row + c0) / 4u + 3u;
      C[ci] = acc4_3;
    }
  }
  if (r0 + 5u < p.m) {
    let row = (r0 + 5u) * p.n;
    if (c0 + 0u < p.n) {
      let ci = (cOff + row + c0) / 4u + 0u;
      C[ci] = acc5_0;
    }
    if (c0 + 4u < p.n) {
      let ci = (cOff + row + c0) / 4u + 1u;
      C[ci] = acc5_1;
    }
    if (c0 + 8u < p.n) {
      let ci = (cOff + row + c0) / 4u + 2u;
      C[ci] = acc5_2;
    }
    if (c0 + 12u < p.n) {
      let ci = (cOff + row + c0) / 4u + 3u;
      C[ci] = acc5_3;
    }
  }
  if (r0 + 6u < p.m) {
    let row = (r0 + 6u) * p.n;
    if (c0 + 0u < p.n) {
      let ci = (cOff + row + c0) / 4u + 0u;
      C[ci] = acc6_0;
    }
    if (c0 + 4u < p.n) {
      let ci = (cOff + row + c0) / 4u + 1u;
      C[ci] = acc6_1;
    }
    if (c0 + 8u < p.n) {
      let ci = (cOff + row + c0) / 4u + 2u;
      C[ci] = acc6_2;
    }
    if (c0 + 12u < p.n) {
      let ci = (cOff + row + c0) / 4u + 3u;
      C[ci] = acc6_3;
    }
  }
  if (r0 + 7u < p.m) {
    let row = (r0 + 7u) * p.n;
    if (c0 + 0u < p.n) {
      let ci = (cOff + row + c0) / 4u + 0u;
      C[ci] = acc7_0;
    }
    if (c0 + 4u < p.n) {
      let ci = (cOff + row + c0) / 4u + 1u;
      C[ci] = acc7_1;
    }
    if (c0 + 8u < p.n) {
      let ci = (cOff + row + c0) / 4u + 2u;
      C[ci] = acc7_2;
    }
    if (c0 + 12u < p.n) {
      let ci = (cOff + row + c0) / 4u + 3u;
      C[ci] = acc7_3;
    }
  }
  if (r0 + 8u < p.m) {
    let row = (r0 + 8u) * p.n;
    if (c0 + 0u < p.n) {
      let ci = (cOff + row + c0) / 4u + 0u;
      C[ci] = acc8_0;
    }
    if (c0 + 4u < p.n) {
      let ci = (cOff + row + c0) / 4u + 1u;
      C[ci] = acc8_1;
    }
    if (c0 + 8u < p.n) {
      let ci = (cOff + row + c0) / 4u + 2u;
      C[ci] = acc8_2;
    }
    if (c0 + 12u < p.n) {
      let ci = (cOff + row + c0) / 4u + 3u;
      C[ci] = acc8_3;
    }
  }
  if (r0 + 9u < p.m) {
    let row = (r0 + 9u) * p.n;
    if (c0 + 0u < p.n) {
      let ci = (cOff + row + c0) / 4u + 0u;
      C[ci] = acc9_0;
    }
    if (c0 + 4u < p.n) {
      let ci = (cOff + row + c0) / 4u + 1u;
      C[ci] = acc9_1;
    }
    if (c0 + 8u < p.n) {
      let ci = (cOff + row + c0) / 4u + 2u;
      C[ci] = acc9_2;
    }
    if (c0 + 12u < p.n) {
      let ci = (cOff + row + c0) / 4u + 3u;
      C[ci] = acc9_3;
    }
  }
  if (r0 + 10u < p.m) {
    let row = (r0 + 10u) * p.n;
    if (c0 + 0u < p.n) {
      let ci = (cOff + row + c0) / 4u + 0u;
      C[ci] = acc10_0;
    }
    if (c0 + 4u < p.n) {
      let ci = (cOff + row + c0) / 4u + 1u;
      C[ci] = acc10_1;
    }
    if (c0 + 8u < p.n) {
      let ci = (cOff + row + c0) / 4u + 2u;
      C[ci] = acc10_2;
    }
    if (c0 + 12u < p.n) {
      let ci = (cOff + row + c0) / 4u + 3u;
      C[ci] = acc10_3;
    }
  }
  if (r0 + 11u < p.m) {
    let row = (r0 + 11u) * p.n;
    if (c0 + 0u < p.n) {
      let ci = (cOff + row + c0) / 4u + 0u;
      C[ci] = acc11_0;
    }
    if (c0 + 4u < p.n) {
      let ci = (cOff + row + c0) / 4u + 1u;
      C[ci] = acc11_1;
    }
    if (c0 + 8u < p.n) {
      let ci = (cOff + row + c0) / 4u + 2u;
      C[ci] = acc11_2;
    }
    if (c0 + 12u < p.n) {
      let ci = (cOff + row + c0) / 4u + 3u;
      C[ci] = acc11_3;
    }
  }
  if (r0 + 12u < p.m) {
    let row = (r0 + 12u) * p.n;
    if (c0 + 0u < p.n) {
      let ci = (cOff + row + c0) / 4u + 0u;
      C[ci] = acc12_0;
    }
    if (c0 + 4u < p.n) {
      let ci = (cOff + row + c0) / 4u + 1u;
      C[ci] = acc12_1;
    }
    if (c0 + 8u < p.n) {
      let ci = (cOff + row + c0) / 4u + 2u;
      C[ci] = acc12_2;
    }
    if (c0 + 12u < p.n) {
      let ci = (cOff + row + c0) / 4u + 3u;
      C[ci] = acc12_3;
    }
  }
  if (r0 + 13u < p.m) {
    let row = (r0 + 13u) * p.n;
    if (c0 + 0u < p.n) {
      let ci = (cOff + row + c0) / 4u + 0u;
      C[ci] = acc13_0;
    }
    if (c0 + 4u < p.n) {
      let ci = (cOff + row + c0) / 4u + 1u;
      C[ci] = acc13_1;
    }
    if (c0 + 8u < p.n) {
      let ci = (cOff + row + c0) / 4u + 2u;
      C[ci] = acc13_2;
    }
    if (c0 + 12u < p.n) {
      let ci = (cOff + row + c0) / 4u + 3u;
      C[ci] = acc13_3;
    }
  }
  if (r0 + 14u < p.m) {
    let row = (r0 + 14u) * p.n;
    if (c0 + 0u < p.n) {
      let ci = (cOff + row + c0) / 4u + 0u;
      C[ci] = acc14_0;
    }
    if (c0 + 4u < p.n) {
      let ci = (cOff + row + c0) / 4u + 1u;
      C[ci] = acc14_1;
    }
    if (c0 + 8u < p.n) {
      let ci = (cOff + row + c0) / 4u + 2u;
      C[ci] = acc14_2;
    }
    if (c0 + 12u < p.n) {
      let ci = (cOff + row + c0) / 4u + 3u;
      C[ci] = acc14_3;
    }
  }
  if (r0 + 15u < p.m) {
    let row = (r0 + 15u) * p.n;
    if (c0 + 0u < p.n) {
      let ci = (cOff + row + c0) / 4u + 0u;
      C[ci] = acc15_0;
    }
    if (c0 + 4u < p.n) {
      let ci = (cOff + row + c0) / 4u + 1u;
      C[ci] = acc15_1;
    }
    if (c0 + 8u < p.n) {
      let ci = (cOff + row + c0) / 4u + 2u;
      C[ci] = acc15_2;
    }
    if (c0 + 12u < p.n) {
      let ci = (cOff + row + c0) / 4u + 3u;
      C[ci] = acc15_3;
    }
  }
}
