/** Plain-JSON values: checking that caller data survives JSON exactly, and naming differences. */
import { CheckpointError } from "./errors.ts";

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A JSON object. */
export type JsonObject = { [key: string]: Json };

/**
 * `value` as plain JSON, or a {@link CheckpointError} naming the first path (e.g. `data.cursor`)
 * holding something JSON would lose: NaN/±Infinity, undefined, a bigint, a function, a class
 * instance, a typed array.
 */
export function toJson(value: unknown, path: string): Json {
  const fail = (what: string) => {
    throw new CheckpointError("invalid", `${path} is ${what}, which JSON cannot store`, {
      field: path,
    });
  };
  if (value === null || typeof value === "boolean" || typeof value === "string") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : fail(String(value));
  if (Array.isArray(value)) return value.map((v, i) => toJson(v, `${path}[${i}]`));
  if (typeof value === "object") {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return fail(`a ${proto.constructor?.name}`);
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) out[k] = toJson(v, path ? `${path}.${k}` : k);
    }
    return out;
  }
  return fail(typeof value);
}

/** One difference between two JSON values: where, and both sides (`undefined` = absent). */
export interface JsonDifference {
  path: string;
  actual: Json | undefined;
  expected: Json | undefined;
}

/** Every path where `actual` and `expected` differ (object keys in sorted order). */
export function jsonDifferences(
  actual: Json | undefined,
  expected: Json | undefined,
  path: string,
): JsonDifference[] {
  if (isObject(actual) && isObject(expected)) {
    const keys = [...new Set([...Object.keys(actual), ...Object.keys(expected)])].sort();
    return keys.flatMap((k) => jsonDifferences(actual[k], expected[k], `${path}.${k}`));
  }
  if (Array.isArray(actual) && Array.isArray(expected) && actual.length === expected.length) {
    return actual.flatMap((v, i) => jsonDifferences(v, expected[i], `${path}[${i}]`));
  }
  return JSON.stringify(actual) === JSON.stringify(expected) ? [] : [{ path, actual, expected }];
}

/** `value` for a message: its JSON, or `(absent)`. */
export function show(value: Json | undefined): string {
  return value === undefined ? "(absent)" : JSON.stringify(value);
}

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
