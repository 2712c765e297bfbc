/** f64 references for the embedding lookup and its backward. */

/** `out[n, :] = table[tokens[n], :]` (zero rows for tokens ≥ V); table [V, D]. */
export function embeddingRef(
  tokens: ArrayLike<number>,
  table: Float64Array,
  v: number,
  d: number,
): Float64Array {
  const out = new Float64Array(tokens.length * d);
  for (let n = 0; n < tokens.length; n++) {
    const t = tokens[n];
    if (t >= v) continue;
    for (let c = 0; c < d; c++) out[n * d + c] = table[t * d + c];
  }
  return out;
}

/** `dtable[v, :] = Σ_{n: tokens[n] = v} dout[n, :]`; dtable [V, D]. */
export function embeddingBackwardRef(
  tokens: ArrayLike<number>,
  dout: Float64Array,
  v: number,
  d: number,
): Float64Array {
  const dtable = new Float64Array(v * d);
  for (let n = 0; n < tokens.length; n++) {
    const t = tokens[n];
    if (t >= v) continue;
    for (let c = 0; c < d; c++) dtable[t * d + c] += dout[n * d + c];
  }
  return dtable;
}
