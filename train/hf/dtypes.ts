/**
 * The floating-point storage types of Hugging Face checkpoints: F32, F16 (IEEE binary16) and BF16
 * (the top half of an f32). Widening to f32 is exact; narrowing rounds to nearest, ties to even,
 * and is exact for every value the narrow type represents. NaN stays NaN, ±∞ stay ±∞.
 */

/** A safetensors dtype this reader and writer understand. */
export type HfDtype = "F32" | "F16" | "BF16";

/** Bytes per element of each {@link HfDtype}. */
export const DTYPE_BYTES: Readonly<Record<HfDtype, number>> = { F32: 4, F16: 2, BF16: 2 };

/** Whether `s` names a supported dtype. */
export function isHfDtype(s: unknown): s is HfDtype {
  return s === "F32" || s === "F16" || s === "BF16";
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The f32 bits of a BF16 value (exact). */
export function bf16ToF32(bits: number): number {
  u32[0] = (bits & 0xffff) << 16;
  return f32[0];
}

/** Round an f32 value to BF16 bits (nearest, ties to even; NaN stays a quiet NaN). */
export function f32ToBf16(x: number): number {
  f32[0] = x;
  const b = u32[0];
  if ((b & 0x7f800000) === 0x7f800000 && (b & 0x007fffff) !== 0) return (b >>> 16) | 0x0040;
  const rounded = b + 0x7fff + ((b >>> 16) & 1);
  return (rounded >>> 16) & 0xffff;
}

/** The value of F16 bits (exact). */
export function f16ToF32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >>> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** Round an f32 value to F16 bits (nearest, ties to even; overflow → ±∞; NaN stays NaN). */
export function f32ToF16(x: number): number {
  f32[0] = x;
  const b = u32[0];
  const sign = (b >>> 16) & 0x8000;
  const exp = (b >>> 23) & 0xff;
  const mant = b & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  // Unbiased exponent e: normal f16 needs e in [-14, 15].
  const e = exp - 127;
  if (e > 15) return sign | 0x7c00;
  if (e >= -14) {
    // 23 → 10 mantissa bits: drop 13, round to nearest even (a carry may bump the exponent).
    const m = mant >>> 13, rest = mant & 0x1fff;
    let h = ((e + 15) << 10) | m;
    if (rest > 0x1000 || (rest === 0x1000 && (m & 1))) h++;
    return sign | h; // h = 0x7c00 on overflow to ∞, which is correct
  }
  if (e < -25) return sign; // below half the smallest subnormal: ±0
  // Subnormal: value = full · 2^(e−23) with full = 1.mant; f16 subnormal unit is 2^-24.
  const full = mant | 0x800000;
  const shift = -e - 14 + 13; // bits to drop so the unit becomes 2^-24
  const m = full >>> shift;
  const rest = full & ((1 << shift) - 1), halfway = 1 << (shift - 1);
  let h = m;
  if (rest > halfway || (rest === halfway && (m & 1))) h++;
  return sign | h;
}

/** Decode little-endian `bytes` of `dtype` into f32 values. */
export function decodeToF32(bytes: Uint8Array, dtype: HfDtype): Float32Array {
  const n = bytes.byteLength / DTYPE_BYTES[dtype];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(n);
  if (dtype === "F32") {
    for (let i = 0; i < n; i++) out[i] = view.getFloat32(i * 4, true);
  } else if (dtype === "BF16") {
    const o = new Uint32Array(out.buffer);
    for (let i = 0; i < n; i++) o[i] = view.getUint16(i * 2, true) << 16;
  } else {
    for (let i = 0; i < n; i++) out[i] = f16ToF32(view.getUint16(i * 2, true));
  }
  return out;
}

/** Encode f32 values as little-endian `dtype` bytes (rounding as documented above). */
export function encodeFromF32(data: Float32Array, dtype: HfDtype): Uint8Array {
  const out = new Uint8Array(data.length * DTYPE_BYTES[dtype]);
  const view = new DataView(out.buffer);
  if (dtype === "F32") {
    for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i], true);
  } else {
    const f = dtype === "BF16" ? f32ToBf16 : f32ToF16;
    for (let i = 0; i < data.length; i++) view.setUint16(i * 2, f(data[i]), true);
  }
  return out;
}
