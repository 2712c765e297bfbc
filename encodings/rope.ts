/**
 * Plain RoPE inverse frequencies, the starting point of every built-in encoding.
 * @module
 */

/** θ_j = base^(−2j/d) for pair j = 0 … d/2−1 (Su et al. 2021; LLaMA's `inv_freq`). */
export function ropeInvFreq(headDim: number, base: number): Float64Array {
  const half = headDim / 2;
  const out = new Float64Array(half);
  for (let j = 0; j < half; j++) out[j] = Math.pow(base, (-2 * j) / headDim);
  return out;
}

/** θ_j of a RoPE whose base is `base · ratio^(d/(d−2))` (NTK-aware); exact for d = 2 too. */
export function ntkInvFreq(headDim: number, base: number, ratio: number): Float64Array {
  const out = ropeInvFreq(headDim, base);
  // base'^(−2j/d) = base^(−2j/d) · ratio^(−2j/(d−2)); written this way d = 2 (j = 0 only) is exact.
  for (let j = 1; j < out.length; j++) out[j] *= Math.pow(ratio, (-2 * j) / (headDim - 2));
  return out;
}
