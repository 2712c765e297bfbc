/**
 * f64 CPU reference for RoPE apply (rotate-half layout, as in LLaMA / Hugging Face) fused with
 * the q/k/v split of the fused projection `qkv [N = B·T, 3D]` into `[B, T, H, hd]` tensors.
 */

/** Shapes of a RoPE split: batch, sequence, heads, head dimension (even). */
export interface RopeDims {
  B: number;
  T: number;
  H: number;
  hd: number;
}

/** The rotation angle of pair `j` at row `n` in f64: positions[n] · invFreq[j]. */
export function ropeAngleRef(position: number, invFreq: number): number {
  return position * invFreq;
}

/**
 * Visit every rotation pair (row n, head h, pair j) with the cosine and sine of its angle, `o` the
 * index of x_j in a [B, T, H, hd] tensor and `i` its index in the q columns of qkv [N, 3D] (the k
 * and v columns are at i + D and i + 2D).
 */
function forEachPair(
  dims: RopeDims,
  positions: ArrayLike<number>,
  invFreq: ArrayLike<number>,
  visit: (c: number, s: number, o: number, i: number) => void,
): void {
  const { B, T, H, hd } = dims;
  const D = H * hd;
  for (let n = 0; n < B * T; n++) {
    for (let h = 0; h < H; h++) {
      for (let j = 0; j < hd / 2; j++) {
        const a = ropeAngleRef(positions[n], invFreq[j]);
        visit(Math.cos(a), Math.sin(a), n * D + h * hd + j, n * 3 * D + h * hd + j);
      }
    }
  }
}

/**
 * Forward: q = scale·R(pos)·q_in, k = scale·R(pos)·k_in, v = v_in, where pair j of a head is
 * (x_j, x_{j+hd/2}) rotated by pos·invFreq[j]. Inputs: qkv [N, 3D] (cols q | k | v, each
 * head·hd + i), positions [B·T], invFreq [hd/2]. Outputs are [B, T, H, hd] flat.
 */
export function ropeSplitRef(
  qkv: Float64Array,
  positions: ArrayLike<number>,
  invFreq: ArrayLike<number>,
  dims: RopeDims,
  scale: number,
): { q: Float64Array; k: Float64Array; v: Float64Array } {
  const { B, T, H, hd } = dims;
  const N = B * T, D = H * hd, half = hd / 2;
  const q = new Float64Array(N * D), k = new Float64Array(N * D), v = new Float64Array(N * D);
  forEachPair(dims, positions, invFreq, (c, s, o, i) => {
    for (const [part, dst] of [[0, q], [1, k]] as const) {
      const x1 = qkv[i + part * D];
      const x2 = qkv[i + part * D + half];
      dst[o] = scale * (x1 * c - x2 * s);
      dst[o + half] = scale * (x2 * c + x1 * s);
    }
    v[o] = qkv[i + 2 * D];
    v[o + half] = qkv[i + 2 * D + half];
  });
  return { q, k, v };
}

/**
 * Backward: dqkv [N, 3D] from dq, dk, dv [B, T, H, hd]: the transposed (inverse) rotation times
 * `scale` for q and k, a copy for v.
 */
export function ropeSplitBackwardRef(
  dq: Float64Array,
  dk: Float64Array,
  dv: Float64Array,
  positions: ArrayLike<number>,
  invFreq: ArrayLike<number>,
  dims: RopeDims,
  scale: number,
): Float64Array {
  const { B, T, H, hd } = dims;
  const N = B * T, D = H * hd, half = hd / 2;
  const dqkv = new Float64Array(N * 3 * D);
  forEachPair(dims, positions, invFreq, (c, s, o, i) => {
    for (const [part, src] of [[0, dq], [1, dk]] as const) {
      const g1 = src[o], g2 = src[o + half];
      dqkv[i + part * D] = scale * (g1 * c + g2 * s);
      dqkv[i + part * D + half] = scale * (g2 * c - g1 * s);
    }
    dqkv[i + 2 * D] = dv[o];
    dqkv[i + 2 * D + half] = dv[o + half];
  });
  return dqkv;
}
