/**
 * f64 CPU reference for RoPE apply (rotate-half layout, as in LLaMA / Hugging Face) fused with
 * the q/k/v split of the fused projection `qkv [N = B·T, 3D]` into `[B, T, H, hd]` tensors.
 */

/** Shapes of a RoPE split: batch, sequence, heads, head dimension (even), key/value heads. */
export interface RopeDims {
  B: number;
  T: number;
  H: number;
  hd: number;
  /** Key/value heads (grouped-query attention), dividing H; default H. */
  KV?: number;
}

/** The rotation angle of pair `j` at row `n` in f64: positions[n] · invFreq[j]. */
export function ropeAngleRef(position: number, invFreq: number): number {
  return position * invFreq;
}

/**
 * Visit every rotation pair (row n, head h, pair j) with the cosine and sine of its angle: `o` the
 * index of x_j in a [B, T, H, hd] tensor, `i` its index in the q columns of qkv [N, W]
 * (W = D + 2·KV·hd), and for h < KV `ok` (in [B, T, KV, hd]) and `ik` (k columns; v's are at
 * ik + KV·hd); -1 for h ≥ KV.
 */
function forEachPair(
  dims: RopeDims,
  positions: ArrayLike<number>,
  invFreq: ArrayLike<number>,
  visit: (c: number, s: number, o: number, i: number, ok: number, ik: number) => void,
): void {
  const { B, T, H, hd } = dims;
  const KV = dims.KV ?? H;
  const D = H * hd, kvD = KV * hd, W = D + 2 * kvD;
  for (let n = 0; n < B * T; n++) {
    for (let h = 0; h < H; h++) {
      for (let j = 0; j < hd / 2; j++) {
        const a = ropeAngleRef(positions[n], invFreq[j]);
        const kv = h < KV;
        visit(
          Math.cos(a),
          Math.sin(a),
          n * D + h * hd + j,
          n * W + h * hd + j,
          kv ? n * kvD + h * hd + j : -1,
          kv ? n * W + D + h * hd + j : -1,
        );
      }
    }
  }
}

/**
 * Forward: q = scale·R(pos)·q_in, k = scale·R(pos)·k_in, v = v_in, where pair j of a head is
 * (x_j, x_{j+hd/2}) rotated by pos·invFreq[j]. Inputs: qkv [N, D + 2·KV·hd] (cols q | k | v, each
 * head·hd + i), positions [B·T], invFreq [hd/2]. Outputs: q [B, T, H, hd], k and v [B, T, KV, hd].
 */
export function ropeSplitRef(
  qkv: Float64Array,
  positions: ArrayLike<number>,
  invFreq: ArrayLike<number>,
  dims: RopeDims,
  scale: number,
): { q: Float64Array; k: Float64Array; v: Float64Array } {
  const { B, T, H, hd } = dims;
  const N = B * T, D = H * hd, kvD = (dims.KV ?? H) * hd, half = hd / 2;
  const q = new Float64Array(N * D), k = new Float64Array(N * kvD), v = new Float64Array(N * kvD);
  const rotate = (src: number, dst: Float64Array, o: number, c: number, s: number) => {
    const x1 = qkv[src], x2 = qkv[src + half];
    dst[o] = scale * (x1 * c - x2 * s);
    dst[o + half] = scale * (x2 * c + x1 * s);
  };
  forEachPair(dims, positions, invFreq, (c, s, o, i, ok, ik) => {
    rotate(i, q, o, c, s);
    if (ok < 0) return;
    rotate(ik, k, ok, c, s);
    v[ok] = qkv[ik + kvD];
    v[ok + half] = qkv[ik + kvD + half];
  });
  return { q, k, v };
}

/**
 * Backward: dqkv [N, D + 2·KV·hd] from dq [B, T, H, hd], dk, dv [B, T, KV, hd]: the transposed
 * (inverse) rotation times `scale` for q and k, a copy for v.
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
  const N = B * T, D = H * hd, kvD = (dims.KV ?? H) * hd, half = hd / 2;
  const dqkv = new Float64Array(N * (D + 2 * kvD));
  const unrotate = (src: Float64Array, o: number, dst: number, c: number, s: number) => {
    const g1 = src[o], g2 = src[o + half];
    dqkv[dst] = scale * (g1 * c + g2 * s);
    dqkv[dst + half] = scale * (g2 * c - g1 * s);
  };
  forEachPair(dims, positions, invFreq, (c, s, o, i, ok, ik) => {
    unrotate(dq, o, i, c, s);
    if (ok < 0) return;
    unrotate(dk, ok, ik, c, s);
    dqkv[ik + kvD] = dv[ok];
    dqkv[ik + kvD + half] = dv[ok + half];
  });
  return dqkv;
}
