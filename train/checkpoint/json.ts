/**
 * Plain-JSON values: checking that caller data survives JSON exactly; naming differences is
 * config_diff.ts's job (re-exported here).
 */
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

export { type JsonDifference, jsonDifferences, show } from "../config_diff.ts";
