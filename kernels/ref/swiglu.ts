/** f64 references for SwiGLU: gu [N, 2F] (gate | up) → m [N, F] = silu(gate)·up. */

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/** `m = silu(gate)·up`. */
export function swigluRef(gu: Float64Array, n: number, f: number): Float64Array {
  const m = new Float64Array(n * f);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < f; c++) {
      const g = gu[i * 2 * f + c], u = gu[i * 2 * f + f + c];
      m[i * f + c] = g * sigmoid(g) * u;
    }
  }
  return m;
}

/** dgu [N, 2F] from dm [N, F]: dgate = dm·up·σ(1 + gate(1−σ)), dup = dm·silu(gate). */
export function swigluBackwardRef(
  gu: Float64Array,
  dm: Float64Array,
  n: number,
  f: number,
): Float64Array {
  const dgu = new Float64Array(n * 2 * f);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < f; c++) {
      const g = gu[i * 2 * f + c], u = gu[i * 2 * f + f + c], s = sigmoid(g);
      dgu[i * 2 * f + c] = dm[i * f + c] * u * s * (1 + g * (1 - s));
      dgu[i * 2 * f + f + c] = dm[i * f + c] * g * s;
    }
  }
  return dgu;
}
