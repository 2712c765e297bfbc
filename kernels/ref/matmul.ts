/**
 * f64 CPU reference for matmul: C = R + alpha·op(A)·op(B), batched with element strides, and its
 * backward (dA, dB for a given dC). Plain loops; inputs in any numeric array type.
 */

/** Transpose mode, as in kernels/ops/matmul.ts. */
export type RefTranspose = "NN" | "NT" | "TN";

/** Problem description for the reference. */
export interface RefMatmulDims {
  trans: RefTranspose;
  m: number;
  n: number;
  k: number;
  batch?: number;
  /** Element strides between batch entries (default: the matrix sizes; B may use 0). */
  strideA?: number;
  strideB?: number;
  strideC?: number;
  alpha?: number;
}

function strides(d: RefMatmulDims) {
  return {
    batch: d.batch ?? 1,
    sa: d.strideA ?? d.m * d.k,
    sb: d.strideB ?? d.k * d.n,
    sc: d.strideC ?? d.m * d.n,
  };
}

/** op(A)[i, p] for batch entry at offset `off`. */
function aAt(a: ArrayLike<number>, d: RefMatmulDims, off: number, i: number, p: number): number {
  return d.trans === "TN" ? a[off + p * d.m + i] : a[off + i * d.k + p];
}

/** op(B)[p, j] for batch entry at offset `off`. */
function bAt(b: ArrayLike<number>, d: RefMatmulDims, off: number, p: number, j: number): number {
  return d.trans === "NT" ? b[off + j * d.k + p] : b[off + p * d.n + j];
}

/**
 * C = R + alpha·op(A)·op(B) in f64. `residual` (same layout as C) is optional; the result has
 * `(batch − 1)·strideC + m·n` elements (gaps between strided entries are 0 or R's values).
 */
export function matmulRef(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  dims: RefMatmulDims,
  residual?: ArrayLike<number>,
): Float64Array {
  const { batch, sa, sb, sc } = strides(dims);
  const alpha = dims.alpha ?? 1;
  const size = batch === 0 ? 0 : (batch - 1) * sc + dims.m * dims.n;
  const c = residual
    ? Float64Array.from(Array.prototype.slice.call(residual, 0, size))
    : new Float64Array(size);
  for (let t = 0; t < batch; t++) {
    for (let i = 0; i < dims.m; i++) {
      for (let j = 0; j < dims.n; j++) {
        let s = 0;
        for (let p = 0; p < dims.k; p++) {
          s += aAt(a, dims, t * sa, i, p) * bAt(b, dims, t * sb, p, j);
        }
        c[t * sc + i * dims.n + j] += alpha * s;
      }
    }
  }
  return c;
}

/**
 * Backward of C = alpha·op(A)·op(B) for upstream gradient `dC`: returns dA and dB in the layouts
 * of A and B (batch strides as in `dims`; a shared B, strideB 0, sums over the batch).
 */
export function matmulBackwardRef(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  dC: ArrayLike<number>,
  dims: RefMatmulDims,
): { dA: Float64Array; dB: Float64Array } {
  const { batch, sa, sb, sc } = strides(dims);
  const alpha = dims.alpha ?? 1;
  const dA = new Float64Array((batch - 1) * sa + dims.m * dims.k);
  const dB = new Float64Array((batch - 1) * sb + dims.k * dims.n);
  for (let t = 0; t < batch; t++) {
    for (let i = 0; i < dims.m; i++) {
      for (let j = 0; j < dims.n; j++) {
        const g = alpha * dC[t * sc + i * dims.n + j];
        for (let p = 0; p < dims.k; p++) {
          const ai = dims.trans === "TN" ? t * sa + p * dims.m + i : t * sa + i * dims.k + p;
          const bi = dims.trans === "NT" ? t * sb + j * dims.k + p : t * sb + p * dims.n + j;
          dA[ai] += g * b[bi];
          dB[bi] += g * a[ai];
        }
      }
    }
  }
  return { dA, dB };
}
