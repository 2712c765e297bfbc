/** f64 references for the elementwise helpers (fill, add, scale, copy). */

/** A copy of `a` with [offset, offset+length) set to `value`. */
export function fillRef(
  a: Float64Array,
  value: number,
  offset: number = 0,
  length: number = a.length - offset,
): Float64Array {
  const out = Float64Array.from(a);
  out.fill(value, offset, offset + length);
  return out;
}

/** `a + alpha·b`. */
export function addRef(a: Float64Array, b: Float64Array, alpha = 1): Float64Array {
  return a.map((x, i) => x + alpha * b[i]);
}

/** `a · s`. */
export function scaleRef(a: Float64Array, s: number): Float64Array {
  return a.map((x) => x * s);
}
