/** f64 reference for fused softmax cross-entropy over logits [N, V]. */

/**
 * Per row n with target t: loss = logsumexp − z[t], hit = argmax (lowest index on ties) = t,
 * dlogits = weight[n]·(softmax − onehot(t)). Targets ≥ V are ignored rows (all zero).
 */
export function crossEntropyRef(
  logits: Float64Array,
  targets: ArrayLike<number>,
  weight: ArrayLike<number>,
  n: number,
  v: number,
): { loss: Float64Array; hit: Float64Array; dlogits: Float64Array } {
  const loss = new Float64Array(n), hit = new Float64Array(n), dlogits = new Float64Array(n * v);
  for (let i = 0; i < n; i++) {
    const t = targets[i];
    if (t >= v) continue;
    const row = logits.subarray(i * v, (i + 1) * v);
    let arg = 0;
    for (let c = 1; c < v; c++) if (row[c] > row[arg]) arg = c;
    const mx = row[arg];
    let se = 0;
    for (let c = 0; c < v; c++) se += Math.exp(row[c] - mx);
    loss[i] = Math.log(se) + mx - row[t];
    hit[i] = arg === t ? 1 : 0;
    for (let c = 0; c < v; c++) {
      dlogits[i * v + c] = weight[i] * (Math.exp(row[c] - mx) / se - (c === t ? 1 : 0));
    }
  }
  return { loss, hit, dlogits };
}
