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
fn tb(e: u32) -> vec4f {
  let y = e >> 6u;
  return textureLoad(TB, vec2u(e & 63u, y & ((1u << p.logHB) - 1u)), y >> p.logHB);
}
@group(0) @binding(3) var<storage, read_write> C: array<vec4f>;
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let lin = (wid.y * p.groupsX + wid.x) * 64u + lid.x;
  if (lin >= p.tiles) { return; }
  let bi = lin / p.tilesPerBatch;
  let t = lin % p.tilesPerBatch;
  let blk = t / 64u;
  let w = t % 64u;
  let tr = (blk / p.blocksN) * 8u + w / 8u;
  let tc = (blk % p.blocksN) * 8u + w % 8u;
  if (tr >= p.tilesM || tc >= p.tilesN) { return; }
  let r0 = tr * 8u;
  let c0 = tc * 8u;
  let aOff = bi * p.aBatch;
  let bOff = bi * p.bBatch;
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
  let aB0 = (aOff + min(r0 + 0u, p.m - 1u) * p.k) / 4u;
  let aB1 = (aOff + min(r0 + 1u, p.m - 1u) * p.k) / 4u;
  let aB2 = (aOff + min(r0 + 2u, p.m - 1u) * p.k) / 4u;
  let aB3 = (aOff + min(r0 + 3u, p.m - 1u) * p.k) / 4u;
  let aB4 = (aOff + min(r0 + 4u, p.m - 1u) * p.k) / 4u;
  let aB5 = (aOff + min(r0 + 5u, p.m - 1u) * p.k) / 4u;
  let aB6 = (aOff + min(r0 + 6u, p.m - 1u) * p.k) / 4u;
  let aB7 = (aOff + min(r0 + 7u, p.m - 1u) * p.k) / 4u;
  let bB0 = (bOff + min(c0 + 0u, p.n - 1u) * p.k) / 4u;
  let bB1 = (bOff + min(c0 + 1u, p.n - 1u) * p.k) / 4u;
  let bB2 = (bOff + min(c0 + 2u, p.n - 1u) * p.k) / 4u;
  let bB3 = (bOff + min(c0 + 3u, p.n - 1u) * p.k) / 4u;
  let bB4 = (bOff + min(c0 + 4u, p.n - 1u) * p.k) / 4u;
  let bB5 = (bOff + min(c0 + 5u, p.n - 1u) * p.k) / 4u;
  let bB6 = (bOff + min(c0 + 6u, p.n - 1u) * p.k) / 4u;
  let bB7 = (bOff + min(c0 + 7u, p.n - 1u) * p.k) / 4u;
  let k4 = p.k & ~3u;
  for (var k = 0u; k < k4; k += 4u) {
    let a0 = ta(aB0 + k / 4u);
    let a1 = ta(aB1 + k / 4u);
    let a2 = ta(aB2 + k / 4u);
    let a3 = ta(aB3 + k / 4u);
    let a4 = ta(aB4 + k / 4u);
    let a5 = ta(aB5 + k / 4u);
    let a6 = ta(aB6 + k / 4u);
    let a7 = ta(aB7 + k / 4u);
    let b0 = tb(bB0 + k / 4u);
    let b1 = tb(bB1 + k / 4u);
    let b2 = tb(bB2 + k / 4u);
    let b3 = tb(bB3 + k / 4u);
    let b4 = tb(bB4 + k / 4u);
    let b5 = tb(bB5 + k / 4u);
    let b6 = tb(bB6 + k / 4u);
    let b7 = tb(bB7 + k / 4u);
    acc0_0 = fma(vec4f(a0[0]), vec4f(b0[0], b1[0], b2[0], b3[0]), acc0_0);
    acc0_0 = fma(vec4f(a0[1]), vec4f(b0[1], b1[1], b2[1], b3[1]), acc0_0);
    acc0_0 = fma(vec4f(a0[2]), vec4f(b0[2], b1[2], b2[2], b3[2]), acc0_0);
    acc0_0 = fma(vec4f(a0[3]), vec4f(b0[3], b1[3], b2[3], b3[3]), acc0_0);
    acc0_1 = fma(vec4f(a0[0]), vec4f(b4[0], b5[0], b6[0], b7[0]), acc0_1);
    acc0_1 = fma(vec4f(a0[1]), vec4f(b4[1], b5[1], b6[1], b7[1]), acc0_1);
    acc0_1 = fma(vec4f(a0[2]), vec4f(b4[2], b5[2], b6[2], b7[2]), acc0_1);
    acc0_1 = fma(vec4f(a0[3]), vec4f(b4[3], b5[3], b6[3], b7[3]), acc0_1);
    acc1_0 = fma(vec4f(a1[0]), vec4f(b0[0], b1[0], b2[0], b3[0]), acc1_0);
    acc1_0 = fma(vec4f(a1[1]), vec4f(b0[1], b1[1], b2[1], b3[1]), acc1_0);
    acc1_0 = fma(vec4f(a1[2]), vec4f(b0[2], b1[2], b2[2], b3[2]), acc1_0);
    acc1_0 = fma(vec4f(a1[3]), vec4f(b0[3], b1[3], b2[3], b3[3]), acc1_0);
    acc1_1 = fma(vec4f(a1[0]), vec4f(b4[0], b5[0], b6[0], b7[0]), acc1_1);
    acc1_1 = fma(vec4f(a1[1]), vec4f(b4[1], b5[1], b6[1], b7[1]), acc1_1);
    acc1_1 = fma(vec4f(a1[2]), vec4f(b4[2], b5[2], b6[2], b7[2]), acc1_1);
    acc1_1 = fma(vec4f(a1[3]), vec4f(b4[3], b5[3], b6[3], b7[3]), acc1_1);
    acc2_0 = fma(vec4f(a2[0]), vec4f(b0[0], b1[0], b2[0], b3[0]), acc2_0);
    acc2_0 = fma(vec4f(a2[1]), vec4f(b0[1], b1[1], b2[1], b3[1]), acc2_0);
    acc2_0 = fma(vec4f(a2[2]), vec4f(b0[2], b1[2], b2[2], b3[2]), acc2_0);
    acc2_0 = fma(vec4f(a2[3]), vec4f(b0[3], b1[3], b2[3], b3[3]), acc2_0);
    acc2_1 = fma(vec4f(a2[0]), vec4f(b4[0], b5[0], b6[0], b7[0]), acc2_1);
    acc2_1 = fma(vec4f(a2[1]), vec4f(b4[1], b5[1], b6[1], b7[1]), acc2_1);
    acc2_1 = fma(vec4f(a2[2]), vec4f(b4[2], b5[2], b6[2], b7[2]), acc2_1);
    acc2_1 = fma(vec4f(a2[3]), vec4f(b4[3], b5[3], b6[3], b7[3]), acc2_1);
    acc3_0 = fma(vec4f(a3[0]), vec4f(b0[0], b1[0], b2[0], b3[0]), acc3_0);
    acc3_0 = fma(vec4f(a3[1]), vec4f(b0[1], b1[1], b2[1], b3[1]), acc3_0);
    acc3_0 = fma(vec4f(a3[2]), vec4f(b0[2], b1[2], b2[2], b3[2]), acc3_0);
    acc3_0 = fma(vec4f(a3[3]), vec4f(b0[3], b1[3], b2[3], b3[3]), acc3_0);
    acc3_1 = fma(vec4f(a3[0]), vec4f(b4[0], b5[0], b6[0], b7[0]), acc3_1);
    acc3_1 = fma(vec4f(a3[1]), vec4f(b4[1], b5[1], b6[1], b7[1]), acc3_1);
    acc3_1 = fma(vec4f(a3[2]), vec4f(b4[2], b5[2], b6[2], b7[2]), acc3_1);
    acc3_1 = fma(vec4f(a3[3]), vec4f(b4[3], b5[3], b6[3], b7[3]), acc3_1);
    acc4_0 = fma(vec4f(a4[0]), vec4f(b0[0], b1[0], b2[0], b3[0]), acc4_0);
    acc4_0 = fma(vec4f(a4[1]), vec4f(b0[1], b1[1], b2[1], b3[1]), acc4_0);
    acc4_0 = fma(vec4f(a4[2]), vec4f(b0[2], b1[2], b2[2], b3[2]), acc4_0);
    acc4_0 = fma(vec4f(a4[3]), vec4f(b0[3], b1[3], b2[3], b3[3]), acc4_0);
    acc4_1 = fma(vec4f(a4[0]), vec4f(b4[0], b5[0], b6[0], b7[0]), acc4_1);
    acc4_1 = fma(vec4f(a4[1]), vec4f(b4[1], b5[1], b6[1], b7[1]), acc4_1);
    acc4_1 = fma(vec4f(a4[2]), vec4f(b4[2], b5[2], b6[2], b7[2]), acc4_1);
    acc4_1 = fma(vec4f(a4[3]), vec4f(b4[3], b5[3], b6[3], b7[3]), acc4_1);
    acc5_0 = fma(vec4f(a5[0]), vec4f(b0[0], b1[0], b2[0], b3[0]), acc5_0);
    acc5_0 = fma(vec4f(a5[1]), vec4f(b0[1], b1[1], b2[1], b3[1]), acc5_0);
    acc5_0 = fma(vec4f(a5[2]), vec4f(b0[2], b1[2], b2[2], b3[2]), acc5_0);
    acc5_0 = fma(vec4f(a5[3]), vec4f(b0[3], b1[3], b2[3], b3[3]), acc5_0);
    acc5_1 = fma(vec4f(a5[0]), vec4f(b4[0], b5[0], b6[0], b7[0]), acc5_1);
    acc5_1 = fma(vec4f(a5[1]), vec4f(b4[1], b5[1], b6[1], b7[1]), acc5_1);
    acc5_1 = fma(vec4f(a5[2]), vec4f(b4[2], b5[2], b6[2], b7[2]), acc5_1);
    acc5_1 = fma(vec4f(a5[3]), vec4f(b4[3], b5[3], b6[3], b7[3]), acc5_1);
    acc6_0 = fma(vec4f(a6[0]), vec4f(b0[0], b1[0], b2[0], b3[0]), acc6_0);
    acc6_0 = fma(vec4f(a6[1]), vec4f(b0[1], b1[1], b2[1], b3[1]), acc6_0);
    acc6_0 = fma(vec4f(a6[2]), vec4f(b0[2], b1[2], b2[2], b3[2]), acc6_0);
    acc6_0 = fma(vec4f(a6[3]), vec4f(b0[3], b1[3], b2[3], b3[3]), acc6_0);
    acc6_1 = fma(vec4f(a6[0]), vec4f(b4[0], b5[0], b6[0], b7[0]), acc6_1);
    acc6_1 = fma(vec4f(a6[1]), vec4f(b4[1], b5[1], b6[1], b7[1]), acc6_1);
    acc6_1 = fma(vec4f(a6[2]), vec4f(b4[2], b5[2], b6[2], b7[2]), acc6_1);
    acc6_1 = fma(vec4f(a6[3]), vec4f(b4[3], b5[3], b6[3], b7[3]), acc6_1);
    acc7_0 = fma(vec4f(a7[0]), vec4f(b0[0], b1[0], b2[0], b3[0]), acc7_0);
    acc7_0 = fma(vec4f(a7[1]), vec4f(b0[1], b1[1], b2[1], b3[1]), acc7_0);
    acc7_0 = fma(vec4f(a7[2]), vec4f(b0[2], b1[2], b2[2], b3[2]), acc7_0);
    acc7_0 = fma(vec4f(a7[3]), vec4f(b0[3], b1[3], b2[3], b3[3]), acc7_0);
    acc7_1 = fma(vec4f(a7[0]), vec4f(b4[0], b5[0], b6[0], b7[0]), acc7_1);
    acc7_1 = fma(vec4f(a7[1]), vec4f(b4[1], b5[1], b6[1], b7[1]), acc7_1);
    acc7_1 = fma(vec4f(a7[2]), vec4f(b4[2], b5[2], b6[2], b7[2]), acc7_1);
    acc7_1 = fma(vec4f(a7[3]), vec4f(b4[3], b5[3], b6[3], b7[3]), acc7_1);
  }
  let cOff = bi * p.cBatch;
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
  }
}
