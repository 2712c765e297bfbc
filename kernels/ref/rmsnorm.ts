/** f64 references for RMSNorm forward and backward, rows of x [N, D]. */

/** `y = x / √(mean(x²) + eps) · w` per row, and rstd = 1/√(mean(x²) + eps) per row. */
export function rmsnormRef(
  x: Float64Array,
  w: Float64Array,
  n: number,
  d: number,
  eps: number,
): { y: Float64Array; rstd: Float64Array } {
  const y = new Float64Array(n * d);
  const rstd = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let ss = 0;
    for (let c = 0; c < d; c++) ss += x[i * d + c] ** 2;
    const r = 1 / Math.sqrt(ss / d + eps);
    rstd[i] = r;
    for (let c = 0; c < d; c++) y[i * d + c] = x[i * d + c] * r * w[c];
  }
  return { y, rstd };
}

/**
 * Gradients of L = Σ dy·y with respect to x and w (derived directly, not from the kernel's
 * formula): xhat = x·r, g = dy·w, dx = r·(g − xhat·mean(g·xhat)), dw = Σ_rows dy·xhat.
 */
export function rmsnormBackwardRef(
  x: Float64Array,
  w: Float64Array,
  dy: Float64Array,
  n: number,
  d: number,
  eps: number,
): { dx: Float64Array; dw: Float64Array } {
  const { rstd } = rmsnormRef(x, w, n, d, eps);
  const dx = new Float64Array(n * d);
  const dw = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const r = rstd[i];
    let mean = 0;
    for (let c = 0; c < d; c++) mean += dy[i * d + c] * w[c] * x[i * d + c] * r;
    mean /= d;
    for (let c = 0; c < d; c++) {
      const xhat = x[i * d + c] * r;
      dx[i * d + c] = r * (dy[i * d + c] * w[c] - xhat * mean);
      dw[c] += dy[i * d + c] * xhat;
    }
  }
  return { dx, dw };
}
