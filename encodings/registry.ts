/**
 * The built-in encodings, by `rope_type`.
 * @module
 */
import { defaultEncoding } from "./builtin/default.ts";
import type { BuiltinEncoding } from "./builtin/define.ts";
import { dynamicEncoding } from "./builtin/dynamic.ts";
import { e2Encoding } from "./builtin/e2.ts";
import { linearEncoding } from "./builtin/linear.ts";
import { ntkEncoding } from "./builtin/ntk.ts";
import { poseEncoding } from "./builtin/pose.ts";
import { randomizedEncoding } from "./builtin/randomized.ts";
import { yarnEncoding } from "./builtin/yarn.ts";

/** Every built-in encoding, in the order `encoding list` shows them. */
export const builtinEncodings: readonly BuiltinEncoding[] = [
  defaultEncoding,
  linearEncoding,
  ntkEncoding,
  dynamicEncoding,
  yarnEncoding,
  e2Encoding,
  poseEncoding,
  randomizedEncoding,
];

/** The built-in with this `rope_type`, or undefined. */
export function findBuiltin(name: string): BuiltinEncoding | undefined {
  return builtinEncodings.find((b) => b.name === name);
}

/** The names of the built-ins. */
export function builtinNames(): string[] {
  return builtinEncodings.map((b) => b.name);
}
