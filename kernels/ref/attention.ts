/**
 * f64 CPU reference for causal self-attention: plain softmax over the full (masked) score matrix,
 * one row at a time. Tensors are flat `[B, T, H, hd]` (q, out), `[B, T, KV, hd]` (k, v; KV = H
 * unless grouped-query) and `[B, H, T]` (lse). With KV < H, query head h reads key/value head
 * ⌊h / (H / KV)⌋ (Hugging Face's `repeat_kv`).
 */

/** Shapes of an attention call: batch, sequence, heads, head dimension, key/value heads. */
export interface AttentionDims {
  B: number;
  T: number;
  H: number;
  hd: number;
  /** Key/value heads (grouped-query attention), dividing H; default H. */
  KV?: number;
}

function index(dims: AttentionDims, b: number, t: number, h: number): number {
  return ((b * dims.T + t) * dims.H + h) * dims.hd;
}

/** Index of the key/value row that query head `h` reads at position `t`. */
function kvIndex(dims: AttentionDims, b: number, t: number, h: number): number {
  const KV = dims.KV ?? dims.H;
  return ((b * dims.T + t) * KV + Math.floor(h / (dims.H / KV))) * dims.hd;
}

/** Causal softmax probabilities of query row `t` (keys 0..t) and its logsumexp. */
function rowProbs(
  q: Float64Array,
  k: Float64Array,
  dims: AttentionDims,
  b: number,
  h: number,
  t: number,
): { p: Float64Array; lse: number } {
  const { hd } = dims;
  const scale = 1 / Math.sqrt(hd);
  const qi = index(dims, b, t, h);
  const p = new Float64Array(t + 1);
  let max = -Infinity;
  for (let s = 0; s <= t; s++) {
    const ki = kvIndex(dims, b, s, h);
    let dot = 0;
    for (let i = 0; i < hd; i++) dot += q[qi + i] * k[ki + i];
    p[s] = dot * scale;
    max = Math.max(max, p[s]);
  }
  let sum = 0;
  for (let s = 0; s <= t; s++) sum += p[s] = Math.exp(p[s] - max);
  for (let s = 0; s <= t; s++) p[s] /= sum;
  return { p, lse: max + Math.log(sum) };
}

/** Forward: out = softmax(q·kᵀ/√hd + causal mask)·v, and the row logsumexp lse [B, H, T]. */
export function attentionRef(
  q: Float64Array,
  k: Float64Array,
  v: Float64Array,
  dims: AttentionDims,
): { out: Float64Array; lse: Float64Array } {
  const { B, T, H, hd } = dims;
  const out = new Float64Array(q.length);
  const lse = new Float64Array(B * H * T);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      for (let t = 0; t < T; t++) {
        const row = rowProbs(q, k, dims, b, h, t);
        lse[(b * H + h) * T + t] = row.lse;
        const oi = index(dims, b, t, h);
        for (let s = 0; s <= t; s++) {
          const vi = kvIndex(dims, b, s, h);
          for (let i = 0; i < hd; i++) out[oi + i] += row.p[s] * v[vi + i];
        }
      }
    }
  }
  return { out, lse };
}

/**
 * Backward of {@link attentionRef} given dout: dP = dout·vᵀ, dS = P∘(dP − rowsum(dP∘P)),
 * dq = dS·k/√hd, dk = dSᵀ·q/√hd, dv = Pᵀ·dout (summed over the query heads sharing a key/value
 * head). Recomputes P from q and k.
 */
export function attentionBackwardRef(
  q: Float64Array,
  k: Float64Array,
  v: Float64Array,
  dout: Float64Array,
  dims: AttentionDims,
): { dq: Float64Array; dk: Float64Array; dv: Float64Array } {
  const { B, T, H, hd } = dims;
  const scale = 1 / Math.sqrt(hd);
  const dq = new Float64Array(q.length), dk = new Float64Array(k.length);
  const dv = new Float64Array(v.length);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      for (let t = 0; t < T; t++) {
        const { p } = rowProbs(q, k, dims, b, h, t);
        const qi = index(dims, b, t, h);
        const dp = new Float64Array(t + 1);
        let rowDot = 0;
        for (let s = 0; s <= t; s++) {
          const vi = kvIndex(dims, b, s, h);
          let dot = 0;
          for (let i = 0; i < hd; i++) dot += dout[qi + i] * v[vi + i];
          dp[s] = dot;
          rowDot += dot * p[s];
        }
        for (let s = 0; s <= t; s++) {
          const si = kvIndex(dims, b, s, h);
          const ds = p[s] * (dp[s] - rowDot) * scale;
          for (let i = 0; i < hd; i++) {
            dq[qi + i] += ds * k[si + i];
            dk[si + i] += ds * q[qi + i];
            dv[si + i] += p[s] * dout[qi + i];
          }
        }
      }
    }
  }
  return { dq, dk, dv };
}
