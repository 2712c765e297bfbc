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
@group(0) @binding(3) var<storage, read_write> C: array<f32>;
@group(0) @binding(4) var<storage, read> R: array<f32>;
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
  let r0 = tr * 4u;
  let c0 = tc * 4u;
  let aOff = bi * p.aBatch;
  let bOff = bi * p.bBatch;
  var acc0_0 = vec4f(0.0);
  var acc1_0 = vec4f(0.0);
  var acc2_0 = vec4f(0.0);
  var acc3_0 = vec4f(0.0);
  let aB0 = aOff + min(r0 + 0u, p.m - 1u) * p.k;
  let aB1 = aOff + min(r0 + 1u, p.m - 1u) * p.k;
  let aB2 = aOff + min(r0 + 2u, p.m - 1u) * p.k;
  let aB3 = aOff + min(r0 + 3u, p.m - 1u) * p.k;
  let bC0 = min(c0 + 0u, p.n - 1u);
  let bC1 = min(c0 + 1u, p.n - 1u);
  let bC2 = min(c0 + 2u, p.n - 1u);
  let bC3 = min(c0 + 3u, p.n - 1u);
  let k4 = p.k & ~3u;
  for (var k = 0u; k < k4; k += 4u) {
    let a0_0 = A[aB0 + k];
    let a0_1 = A[aB1 + k];
    let a0_2 = A[aB2 + k];
    let a0_3 = A[aB3 + k];
    let a1_0 = A[aB0 + k + 1u];
    let a1_1 = A[aB1 + k + 1u];
    let a1_2 = A[aB2 + k + 1u];
    let a1_3 = A[aB3 + k + 1u];
    let a2_0 = A[aB0 + k + 2u];
    let a2_1 = A[aB1 + k + 2u];
    let a2_2 = A[aB2 + k + 2u];
    let a2_3 = A[aB3 + k + 2u];
    let a3_0 = A[aB0 + k + 3u];
    let a3_1 = A[aB1 + k + 3u];
    let a3_2 = A[aB2 + k + 3u];
    let a3_3 = A[aB3 + k + 3u];
    let bR0 = bOff + (k) * p.n;
    let b0_0 = B[bR0 + bC0];
    let b0_1 = B[bR0 + bC1];
    let b0_2 = B[bR0 + bC2];
    let b0_3 = B[bR0 + bC3];
    let bR1 = bOff + (k + 1u) * p.n;
    let b1_0 = B[bR1 + bC0];
    let b1_1 = B[bR1 + bC1];
    let b1_2 = B[bR1 + bC2];
    let b1_3 = B[bR1 + bC3];
    let bR2 = bOff + (k + 2u) * p.n;
    let b2_0 = B[bR2 + bC0];
    let b2_1 = B[bR2 + bC1];
    let b2_2 = B[bR2 + bC2];
    let b2_3 = B[bR2 + bC3];
    let bR3 = bOff + (k + 3u) * p.n;
    let b3_0 = B[bR3 + bC0];
    let b3_1 = B[bR3 + bC1];
    let b3_2 = B[bR3 + bC2];
    let b3_3 = B[bR3 + bC3];
    acc0_0 = fma(vec4f(a0_0), vec4f(b0_0,b0_1,b0_2,b0_3), acc0_0);
    acc0_0 = fma(vec4f(a1_0), vec4f(b1_0,b1_1,b1_2,b1_3), acc0_0);
    acc0_0 = fma(vec4f(a2_0), vec4f(b2_0,b2_1,b2_2,b2_3), acc0_0);
    acc0_0 = fma(vec4f(a3_0), vec4f(b3_0,b3_1,b3_2,b3_3), acc0_0);
    acc1_0 = fma(vec4f(a0_1), vec4f(b0_0,b0_1,b0_2,b0_3), acc1_0);
    acc1_0 = fma(vec4f(a1_1), vec4f(b1_0,b1_1,b1_2,b1_3), acc1_0);
    acc1_0 = fma(vec4f(a2_1), vec4f(b2_0,b2_1,b2_2,b2_3), acc1_0);
    acc1_0 = fma(vec4f(a3_1), vec4f(b3_0,b3_1,b3_2,b3_3), acc1_0);
    acc2_0 = fma(vec4f(a0_2), vec4f(b0_0,b0_1,b0_2,b0_3), acc2_0);
    acc2_0 = fma(vec4f(a1_2), vec4f(b1_0,b1_1,b1_2,b1_3), acc2_0);
    acc2_0 = fma(vec4f(a2_2), vec4f(b2_0,b2_1,b2_2,b2_3), acc2_0);
    acc2_0 = fma(vec4f(a3_2), vec4f(b3_0,b3_1,b3_2,b3_3), acc2_0);
    acc3_0 = fma(vec4f(a0_3), vec4f(b0_0,b0_1,b0_2,b0_3), acc3_0);
    acc3_0 = fma(vec4f(a1_3), vec4f(b1_0,b1_1,b1_2,b1_3), acc3_0);
    acc3_0 = fma(vec4f(a2_3), vec4f(b2_0,b2_1,b2_2,b2_3), acc3_0);
    acc3_0 = fma(vec4f(a3_3), vec4f(b3_0,b3_1,b3_2,b3_3), acc3_0);
  }
  for (var k = k4; k < p.k; k++) {
    let a0_0 = A[aB0 + k];
    let a0_1 = A[aB1 + k];
    let a0_2 = A[aB2 + k];
    let a0_3 = A[aB3 + k];
    let bR0 = bOff + (k) * p.n;
    let b0_0 = B[bR0 + bC0];
    let b0_1 = B[bR0 + bC1];
    let b0_2 = B[bR0 + bC2];
    let b0_3 = B[bR0 + bC3];
    acc0_0 = fma(vec4f(a0_0), vec4f(b0_0,b0_1,b0_2,b0_3), acc0_0);
    acc1_0 = fma(vec4f(a0_1), vec4f(b0_0,b0_1,b0_2,b0_3), acc1_0);
    acc2_0 = fma(vec4f(a0_2), vec4f(b0_0,b0_1,b0_2,b0_3), acc2_0);
    acc3_0 = fma(vec4f(a0_3), vec4f(b0_0,b0_1,b0_2,b0_3), acc3_0);
  }
  let cOff = bi * p.cBatch;
  let rOff = bi * p.rBatch;
  if (r0 + 0u < p.m) {
    let row = (r0 + 0u) * p.n;
    if (c0 + 0u < p.n) {
      let ci = cOff + row + c0 + 0u;
      C[ci] = R[rOff + row + c0 + 0u] + p.alpha * acc0_0[0];
    }
    if (c0 + 1u < p.n) {
      let ci = cOff + row + c0 + 1u;
      C[ci] = R[rOff + row + c0 + 1u] + p.alpha * acc0_0[1];
    }
    if (c0 + 2u < p.n) {
      let ci = cOff + row + c0 + 2u;
      C[ci] = R[rOff + row + c0 + 2u] + p.alpha * acc0_0[2];
    }
    if (c0 + 3u < p.n) {
      let ci = cOff + row + c0 + 3u;
      C[ci] = R[rOff + row + c0 + 3u] + p.alpha * acc0_0[3];
    }
  }
  if (r0 + 1u < p.m) {
    let row = (r0 + 1u) * p.n;
    if (c0 + 0u < p.n) {
      let ci = cOff + row + c0 + 0u;
      C[ci] = R[rOff + row + c0 + 0u] + p.alpha * acc1_0[0];
    }
    if (c0 + 1u < p.n) {
      let ci = cOff + row + c0 + 1u;
      C[ci] = R[rOff + row + c0 + 1u] + p.alpha * acc1_0[1];
    }
    if (c0 + 2u < p.n) {
      let ci = cOff + row + c0 + 2u;
      C[ci] = R[rOff + row + c0 + 2u] + p.alpha * acc1_0[2];
    }
    if (c0 + 3u < p.n) {
      let ci = cOff + row + c0 + 3u;
      C[ci] = R[rOff + row + c0 + 3u] + p.alpha * acc1_0[3];
    }
  }
  if (r0 + 2u < p.m) {
    let row = (r0 + 2u) * p.n;
    if (c0 + 0u < p.n) {
      let ci = cOff + row + c0 + 0u;
      C[ci] = R[rOff + row + c0 + 0u] + p.alpha * acc2_0[0];
    }
    if (c0 + 1u < p.n) {
      let ci = cOff + row + c0 + 1u;
      C[ci] = R[rOff + row + c0 + 1u] + p.alpha * acc2_0[1];
    }
    if (c0 + 2u < p.n) {
      let ci = cOff + row + c0 + 2u;
      C[ci] = R[rOff + row + c0 + 2u] + p.alpha * acc2_0[2];
    }
    if (c0 + 3u < p.n) {
      let ci = cOff + row + c0 + 3u;
      C[ci] = R[rOff + row + c0 + 3u] + p.alpha * acc2_0[3];
    }
  }
  if (r0 + 3u < p.m) {
    let row = (r0 + 3u) * p.n;
    if (c0 + 0u < p.n) {
      let ci = cOff + row + c0 + 0u;
      C[ci] = R[rOff + row + c0 + 0u] + p.alpha * acc3_0[0];
    }
    if (c0 + 1u < p.n) {
      let ci = cOff + row + c0 + 1u;
      C[ci] = R[rOff + row + c0 + 1u] + p.alpha * acc3_0[1];
    }
    if (c0 + 2u < p.n) {
      let ci = cOff + row + c0 + 2u;
      C[ci] = R[rOff + row + c0 + 2u] + p.alpha * acc3_0[2];
    }
    if (c0 + 3u < p.n) {
      let ci = cOff + row + c0 + 3u;
      C[ci] = R[rOff + row + c0 + 3u] + p.alpha * acc3_0[3];
    }
  }
}
