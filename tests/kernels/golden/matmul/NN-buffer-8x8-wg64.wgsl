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
@group(0) @binding(1) var<storage, read> A: array<f32>;
@group(0) @binding(2) var<storage, read> B: array<f32>;
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
  let aB0 = aOff + min(r0 + 0u, p.m - 1u) * p.k;
  let aB1 = aOff + min(r0 + 1u, p.m - 1u) * p.k;
  let aB2 = aOff + min(r0 + 2u, p.m - 1u) * p.k;
  let aB3 = aOff + min(r0 + 3u, p.m - 1u) * p.k;
  let aB4 = aOff + min(r0 + 4u, p.m - 1u) * p.k;
  let aB5 = aOff + min(r0 + 5u, p.m - 1u) * p.k;
  let aB6 = aOff + min(r0 + 6u, p.m - 1u) * p.k;
  let aB7 = aOff + min(r0 + 7u, p.m - 1u) * p.k;
  let bC0 = min(c0 + 0u, p.n - 1u);
  let bC1 = min(c0 + 1u, p.n - 1u);
  let bC2 = min(c0 + 2u, p.n - 1u);
  let bC3 = min(c0 + 3u, p.n - 1u);
  let bC4 = min(c0 + 4u, p.n - 1u);
  let bC5 = min(c0 + 5u, p.n - 1u);
  let bC6 = min(c0 + 6u, p.n - 1u);
  let bC7 = min(c0 + 7u, p.n - 1u);
  let k4 = p.k & ~3u;
  for (var k = 0u; k < k4; k += 4u) {
    let a0_0 = A[aB0 + k];
    let a0_1 = A[aB1 + k];
    let a0_2 = A[aB2 + k];
    let a0_3 = A[aB3 + k];
    let a0_4 = A[aB4 + k];
    let a0_5 = A[aB5 + k];
    let a0_6 = A[aB6 + k];
    let a0_7 = A[aB7 + k];
    let a1_0 = A[aB0 + k + 1u];
    let a1_1 = A[aB1 + k + 1u];
    let a1_2 = A[aB2 + k + 1u];
    let a1_3 = A[aB3 + k + 1u];
    let a1_4 = A[aB4 + k + 1u];
    let a1_5 = A[aB5 + k + 1u];
    let a1_6 = A[aB6 + k + 1u];
    let a1_7 = A[aB7 + k + 1u];
    let a2_0 = A[aB0 + k + 2u];
    let a2_1 = A[aB1 + k + 2u];
    let a2_2 = A[aB2 + k + 2u];
    let a2_3 = A[aB3 + k + 2u];
    let a2_4 = A[aB4 + k + 2u];
    let a2_5 = A[aB5 + k + 2u];
    let a2_6 = A[aB6 + k + 2u];
    let a2_7 = A[aB7 + k + 2u];
    let a3_0 = A[aB0 + k + 3u];
    let a3_1 = A[aB1 + k + 3u];
    let a3_2 = A[aB2 + k + 3u];
    let a3_3 = A[aB3 + k + 3u];
    let a3_4 = A[aB4 + k + 3u];
    let a3_5 = A[aB5 + k + 3u];
    let a3_6 = A[aB6 + k + 3u];
    let a3_7 = A[aB7 + k + 3u];
    let bR0 = bOff + (k) * p.n;
    let b0_0 = B[bR0 + bC0];
    let b0_1 = B[bR0 + bC1];
    let b0_2 = B[bR0 + bC2];
    let b0_3 = B[bR0 + bC3];
    let b0_4 = B[bR0 + bC4];
    let b0_5 = B[bR0 + bC5];
    let b0_6 = B[bR0 + bC6];
    let b0_7 = B[bR0 + bC7];
    let bR1 = bOff + (k + 1u) * p.n;
    let b1_0 = B[bR1 + bC0];
    let b1_1 = B[bR1 + bC1];
    let b1_2 = B[bR1 + bC2];
    let b1_3 = B[bR1 + bC3];
    let b1_4 = B[bR1 + bC4];
    let b1_5 = B[bR1 + bC5];
    let b1_6 = B[bR1 + bC6];
    let b1_7 = B[bR1 + bC7];
    let bR2 = bOff + (k + 2u) * p.n;
    let b2_0 = B[bR2 + bC0];
    let b2_1 = B[bR2 + bC1];
    let b2_2 = B[bR2 + bC2];
    let b2_3 = B[bR2 + bC3];
    let b2_4 = B[bR2 + bC4];
    let b2_5 = B[bR2 + bC5];
    let b2_6 = B[bR2 + bC6];
    let b2_7 = B[bR2 + bC7];
    let bR3 = bOff + (k + 3u) * p.n;
    let b3_0 = B[bR3 + bC0];
    let b3_1 = B[bR3 + bC1];
    let b3_2 = B[bR3 + bC2];
    let b3_3 = B[bR3 + bC3];
    let b3_4 = B[bR3 + bC4];
    let b3_5 = B[bR3 + bC5];
    let b3_6 = B[bR3 + bC6];
    let b3_7 = B[bR3 + bC7];
    acc0_0 = fma(vec4f(a0_0), vec4f(b0_0,b0_1,b0_2,b0_3), acc0_0);
    acc0_0 = fma(vec4f(a1_0), vec4f(b1_0,b1_1,b1_2,b1_3), acc0_0);
    acc0_0 = fma(vec4f(a2_0), vec4f(b2_0,b2_1,b2_2,b2_3), acc0_0);
    acc0_0 = fma(vec4f(a3_0), vec4f(b3_0,b3_1,b3_2,b3_3), acc0_0);
    acc0_1 = fma(vec4f(a0_0), vec4f(b0_4,b0_5,b0_6,b0_7), acc0_1);
    acc0_1 = fma(vec4f(a1_0), vec4f(b1_4,b1_5,b1_6,b1_7), acc0_1);
    acc0_1 = fma(vec4f(a2_0), vec4f(b2_4,b2_5,b2_6,b2_7), acc0_1);
    acc0_1 = fma(vec4f(a3_0), vec4f(b3_4,b3_5,b3_6,b3_7), acc0_1);
    acc1_0 = fma(vec4f(a0_1), vec4f(b0_0,b0_1,b0_2,b0_3), acc1_0);
    acc1_0 = fma(vec4f(a1_1), vec4f(b1_0,b1_1,b1_2,b1_3), acc1_0);
    acc1_0 = fma(vec4f(a2_1), vec4f(b2_0,b2_1,b2_2,b2_3), acc1_0);
    acc1_0 = fma(vec4f(a3_1), vec4f(b3_0,b3_1,b3_2,b3_3), acc1_0);
    acc1_1 = fma(vec4f(a0_1), vec4f(b0_4,b0_5,b0_6,b0_7), acc1_1);
    acc1_1 = fma(vec4f(a1_1), vec4f(b1_4,b1_5,b1_6,b1_7), acc1_1);
    acc1_1 = fma(vec4f(a2_1), vec4f(b2_4,b2_5,b2_6,b2_7), acc1_1);
    acc1_1 = fma(vec4f(a3_1), vec4f(b3_4,b3_5,b3_6,b3_7), acc1_1);
    acc2_0 = fma(vec4f(a0_2), vec4f(b0_0,b0_1,b0_2,b0_3), acc2_0);
    acc2_0 = fma(vec4f(a1_2), vec4f(b1_0,b1_1,b1_2,b1_3), acc2_0);
    acc2_0 = fma(vec4f(a2_2), vec4f(b2_0,b2_1,b2_2,b2_3), acc2_0);
    acc2_0 = fma(vec4f(a3_2), vec4f(b3_0,b3_1,b3_2,b3_3), acc2_0);
    acc2_1 = fma(vec4f(a0_2), vec4f(b0_4,b0_5,b0_6,b0_7), acc2_1);
    acc2_1 = fma(vec4f(a1_2), vec4f(b1_4,b1_5,b1_6,b1_7), acc2_1);
    acc2_1 = fma(vec4f(a2_2), vec4f(b2_4,b2_5,b2_6,b2_7), acc2_1);
    acc2_1 = fma(vec4f(a3_2), vec4f(b3_4,b3_5,b3_6,b3_7), acc2_1);
    acc3_0 = fma(vec4f(a0_3), vec4f(b0_0,b0_1,b0_2,b0_3), acc3_0);
    acc3_0 = fma(vec4f(a1_3), vec4f(b1_0,b1_1,b1_2,b1_3), acc3_0);
    acc3_0 = fma(vec4f(a2_3), vec4f(b2_0,b2_1,b2_2,b2_3), acc3_0);
    acc3_0 = fma(vec4f(a3_3), vec4f(b3_0,b3_1,b3_2,b3_3), acc3_0);
    acc3_1 = fma(vec4f(a0_3), vec4f(b0_4,b0_5,b0_6,b0_7), acc3_1);
    acc3_1 = fma(vec4f(a1_3), vec4f(b1_4,b1_5,b1_6,b1_7), acc3_1);
    acc3_1 = fma(vec4f(a2_3), vec4f(b2_4,b2_5,b2_6,b2_7), acc3_1);
    acc3_1 = fma(vec4f(a3_3), vec4f(b3_4,b3_5,b3_6,b3_7), acc3_1);
    acc4_0 = fma(vec4f(a0_4), vec4f(b0_0,b0_1,b0_2,b0_3), acc4_0);
    acc4_0 = fma(vec4f(a1_4), vec4f(b1_0,b1_1,b1_2,b1_3), acc4_0);
    acc4_0 = fma(vec4f(a2_4), vec4f(b2_0,b2_1,b2_2,b2_3), acc4_0);
    acc4_0 = fma(vec4f(a3_4), vec4f(b3_0,b3_1,b3_2,b3_3), acc4_0);
    acc4_1 = fma(vec4f(a0_4), vec4f(b0_4,b0_5,b0_6,b0_7), acc4_1);
    acc4_1 = fma(vec4f(a1_4), vec4f(b1_4,b1_5,b1_6,b1_7), acc4_1);
    acc4_1 = fma(vec4f(a2_4), vec4f(b2_4,b2_5,b2_6,b2_7), acc4_1);
    acc4_1 = fma(vec4f(a3_4), vec4f(b3_4,b3_5,b3_6,b3_7), acc4_1);
    acc5_0 = fma(vec4f(a0_5), vec4f(b0_0,b0_1,b0_2,b0_3), acc5_0);
    acc5_0 = fma(vec4f(a1_5), vec4f(b1_0,b1_1,b1_2,b1_3), acc5_0);
    acc5_0 = fma(vec4f(a2_5), vec4f(b2_0,b2_1,b2_2,b2_3), acc5_0);
    acc5_0 = fma(vec4f(a3_5), vec4f(b3_0,b3_1,b3_2,b3_3), acc5_0);
    acc5_1 = fma(vec4f(a0_5), vec4f(b0_4,b0_5,b0_6,b0_7), acc5_1);
    acc5_1 = fma(vec4f(a1_5), vec4f(b1_4,b1_5,b1_6,b1_7), acc5_1);
    acc5_1 = fma(vec4f(a2_5), vec4f(b2_4,b2_5,b2_6,b2_7), acc5_1);
    acc5_1 = fma(vec4f(a3_5), vec4f(b3_4,b3_5,b3_6,b3_7), acc5_1);
    acc6_0 = fma(vec4f(a0_6), vec4f(b0_0,b0_1,b0_2,b0_3), acc6_0);
    acc6_0 = fma(vec4f(a1_6), vec4f(b1_0,b1_1,b1_2,b1_3), acc6_0);
    acc6_0 = fma(vec4f(a2_6), vec4f(b2_0,b2_1,b2_2,b2_3), acc6_0);
    acc6_0 = fma(vec4f(a3_6), vec4f(b3_0,b3_1,b3_2,b3_3), acc6_0);
    acc6_1 = fma(vec4f(a0_6), vec4f(b0_4,b0_5,b0_6,b0_7), acc6_1);
    acc6_1 = fma(vec4f(a1_6), vec4f(b1_4,b1_5,b1_6,b1_7), acc6_1);
    acc6_1 = fma(vec4f(a2_6), vec4f(b2_4,b2_5,b2_6,b2_7), acc6_1);
    acc6_1 = fma(vec4f(a3_6), vec4f(b3_4,b3_5,b3_6,b3_7), acc6_1);
    acc7_0 = fma(vec4f(a0_7), vec4f(b0_0,b0_1,b0_2,b0_3), acc7_0);
    acc7_0 = fma(vec4f(a1_7), vec4f(b1_0,b1_1,b1_2,b1_3), acc7_0);
    acc7_0 = fma(vec4f(a2_7), vec4f(b2_0,b2_1,b2_2,b2_3), acc7_0);
    acc7_0 = fma(vec4f(a3_7), vec4f(b3_0,b3_1,b3_2,b3_3), acc7_0);
    acc7_1 = fma(vec4f(a0_7), vec4f(b0_4,b0_5,b0_6,b0_7), acc7_1);
    acc7_1 = fma(vec4f(a1_7), vec4f(b1_4,b1_5,b1_6,b1_7), acc7_1);
    acc7_1 = fma(vec4f(a2_7), vec4f(b2_4,b2_5,b2_6,b2_7), acc7_1);
    acc7_1 = fma(vec4f(a3_7), vec4f(b3_4,b3_5,b3_6,b3_7), acc7_1);
  }
  for (var k = k4; k < p.k; k++) {
    let a0_0 = A[aB0 + k];
    let a0_1 = A[aB1 + k];
    let a0_2 = A[aB2 + k];
    let a0_3 = A[aB3 + k];
    let a0_4 = A[aB4 + k];
    let a0_5 = A[aB5 + k];
    let a0_6 = A[aB6 + k];
    let a0_7 = A[aB7 + k];
    let bR0 = bOff + (k) * p.n;
    let b0_0 = B[bR0 + bC0];
    let b0_1 = B[bR0 + bC1];
    let b0_2 = B[bR0 + bC2];
    let b0_3 = B[bR0 + bC3];
    let b0_4 = B[bR0 + bC4];
    let b0_5 = B[bR0 + bC5];
    let b0_6 = B[bR0 + bC6];
    let b0_7 = B[bR0 + bC7];
    acc0_0 = fma(vec4f(a0_0), vec4f(b0_0,b0_1,b0_2,b0_3), acc0_0);
    acc0_1 = fma(vec4f(a0_0), vec4f(b0_4,b0_5,b0_6,b0_7), acc0_1);
    acc1_0 = fma(vec4f(a0_1), vec4f(b0_0,b0_1,b0_2,b0_3), acc1_0);
    acc1_1 = fma(vec4f(a0_1), vec4f(b0_4,b0_5,b0_6,b0_7), acc1_1);
    acc2_0 = fma(vec4f(a0_2), vec4f(b0_0,b0_1,b0_2,b0_3), acc2_0);
    acc2_1 = fma(vec4f(a0_2), vec4f(b0_4,b0_5,b0_6,b0_7), acc2_1);
    acc3_0 = fma(vec4f(a0_3), vec4f(b0_0,b0_1,b0_2,b0_3), acc3_0);
    acc3_1 = fma(vec4f(a0_3), vec4f(b0_4,b0_5,b0_6,b0_7), acc3_1);
    acc4_0 = fma(vec4f(a0_4), vec4f(b0_0,b0_1,b0_2,b0_3), acc4_0);
    acc4_1 = fma(vec4f(a0_4), vec4f(b0_4,b0_5,b0_6,b0_7), acc4_1);
    acc5_0 = fma(vec4f(a0_5), vec4f(b0_0,b0_1,b0_2,b0_3), acc5_0);
    acc5_1 = fma(vec4f(a0_5), vec4f(b0_4,b0_5,b0_6,b0_7), acc5_1);
    acc6_0 = fma(vec4f(a0_6), vec4f(b0_0,b0_1,b0_2,b0_3), acc6_0);
    acc6_1 = fma(vec4f(a0_6), vec4f(b0_4,b0_5,b0_6,b0_7), acc6_1);
    acc7_0 = fma(vec4f(a0_7), vec4f(b0_0,b0_1,b0_2,b0_3), acc7_0);
    acc7_1 = fma(vec4f(a0_7), vec4f(b0_4,b0_5,b0_6,b0_7), acc7_1);
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
