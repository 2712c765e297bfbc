/**
 * Checks on what goes into and comes out of an encoding. A plugin's results are never used before
 * these pass: right lengths, finite numbers, positive frequencies and attention scale.
 * @module
 */
import type { EvalPositionContext, Frequencies, FrequencyContext } from "./contract.ts";

/** Throw a RangeError unless the context is usable (even headDim ≥ 2, base > 1, lengths ≥ 1). */
export function checkFrequencyContext(ctx: FrequencyContext): void {
  const { headDim, base, trainLength, seqLength } = ctx;
  if (!Number.isInteger(headDim) || headDim < 2 || headDim % 2 !== 0) {
    throw new RangeError(`headDim must be an even integer ≥ 2, got ${headDim}`);
  }
  if (!Number.isFinite(base) || base <= 1) throw new RangeError(`base must be > 1, got ${base}`);
  checkLength("trainLength", trainLength);
  checkLength("seqLength", seqLength);
}

/** Throw a RangeError unless `length` and `trainLength` are integers ≥ 1. */
export function checkPositionContext(ctx: EvalPositionContext): void {
  checkLength("length", ctx.length);
  checkLength("trainLength", ctx.trainLength);
}

/** Throw a RangeError unless `seed` is an integer in [0, 2³²). */
export function checkSeed(seed: number): void {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`seed must be an integer in [0, 2^32), got ${seed}`);
  }
}

/** Throw a RangeError unless `value` is an integer ≥ 1. */
export function checkLength(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name} must be an integer ≥ 1, got ${value}`);
  }
}

/** Validate what frequencies() returned; returns a fresh copy. Throws an Error saying what is wrong. */
export function validateFrequencies(value: unknown, headDim: number): Frequencies {
  if (typeof value !== "object" || value === null) {
    throw new Error(
      `frequencies() must return { invFreq, attentionScale }, got ${typeName(value)}`,
    );
  }
  const { invFreq, attentionScale } = value as Record<string, unknown>;
  const freqs = toFloat64("invFreq", invFreq, headDim / 2);
  for (let j = 0; j < freqs.length; j++) {
    if (!(freqs[j] > 0) || !Number.isFinite(freqs[j])) {
      throw new Error(
        `invFreq[${j}] is ${freqs[j]}; every inverse frequency must be finite and > 0`,
      );
    }
  }
  if (typeof attentionScale !== "number" || !(attentionScale > 0) || !isFinite(attentionScale)) {
    throw new Error(
      `attentionScale must be a finite number > 0, got ${typeName(attentionScale)}` +
        (typeof attentionScale === "number" ? ` ${attentionScale}` : ""),
    );
  }
  return { invFreq: freqs, attentionScale };
}

/** Validate position ids (right length, finite); returns a fresh Float64Array. */
export function validatePositions(what: string, value: unknown, length: number): Float64Array {
  const ids = toFloat64(what, value, length);
  for (let i = 0; i < ids.length; i++) {
    if (!Number.isFinite(ids[i])) {
      throw new Error(`${what}[${i}] is ${ids[i]}; position ids must be finite numbers`);
    }
  }
  return ids;
}

function toFloat64(what: string, value: unknown, length: number): Float64Array {
  const isNumberArray = Array.isArray(value) ||
    (ArrayBuffer.isView(value) && !(value instanceof DataView) &&
      !(value instanceof BigInt64Array) &&
      !(value instanceof BigUint64Array));
  if (!isNumberArray) {
    throw new Error(`${what} must be a Float64Array or number[], got ${typeName(value)}`);
  }
  const arr = value as ArrayLike<unknown>;
  if (arr.length !== length) {
    throw new Error(`${what} has ${arr.length} entries, expected ${length}`);
  }
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const v = arr[i];
    if (typeof v !== "number") throw new Error(`${what}[${i}] is ${typeName(v)}, not a number`);
    out[i] = v;
  }
  return out;
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (ArrayBuffer.isView(value)) return value.constructor.name;
  return typeof value;
}
