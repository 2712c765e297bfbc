/** f64 references for AdamW (PyTorch's `torch.optim.AdamW` step) and gradient-norm clipping. */

import type { AdamWSettings } from "../ops/adamw.ts";

/**
 * One AdamW step, in place, written as PyTorch's single-tensor implementation does it:
 *   p *= 1 − lr·wd;  m = lerp(m, g, 1−β1);  v = β2·v + (1−β2)·g²
 *   denom = √v / √(1−β2^t) + eps;  p −= (lr / (1−β1^t)) · m / denom
 * with g = grad·clip.
 */
export function adamwRefStep(
  p: Float64Array,
  grad: ArrayLike<number>,
  m: Float64Array,
  v: Float64Array,
  s: AdamWSettings,
  clip = 1,
): void {
  const bc1 = 1 - s.beta1 ** s.step, bc2 = 1 - s.beta2 ** s.step;
  const stepSize = s.lr / bc1;
  for (let i = 0; i < p.length; i++) {
    const g = grad[i] * clip;
    p[i] *= 1 - s.lr * s.weightDecay;
    m[i] += (g - m[i]) * (1 - s.beta1);
    v[i] = s.beta2 * v[i] + (1 - s.beta2) * g * g;
    const denom = Math.sqrt(v[i]) / Math.sqrt(bc2) + s.eps;
    p[i] -= stepSize * m[i] / denom;
  }
}

/** `{factor: min(1, maxNorm/(‖g‖+1e-6)), norm: ‖g‖}` (PyTorch's clip_grad_norm_ coefficient). */
export function gradNormClipRef(
  grad: ArrayLike<number>,
  maxNorm: number,
): { factor: number; norm: number } {
  let ss = 0;
  for (let i = 0; i < grad.length; i++) ss += grad[i] * grad[i];
  const norm = Math.sqrt(ss);
  return { factor: Math.min(1, maxNorm / (norm + 1e-6)), norm };
}
