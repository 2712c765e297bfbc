/**
 * @module
 * Comparing configurations (plain JSON values) field by field: where they differ, and a message
 * that names the field and both values. One helper for every "same config?" check (checkpoint
 * load, training resume, `compare` output folders, merging result folders), and the typed error
 * a refused resume throws.
 */

/** One difference between two JSON values: where, and both sides (`undefined` = absent). */
export interface JsonDifference {
  /** The field path: `finetune.steps`, `eval.ratios[2]`, or the `path` given for the root. */
  path: string;
  actual: unknown;
  expected: unknown;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/**
 * Every field where `actual` and `expected` differ (object keys in sorted order; key order and
 * keys holding `undefined` do not count). Arrays of one length are compared element by element
 * (`ratios[2]`), of different lengths as a whole. `path` names the root (default "": top-level
 * keys are named bare, a differing root is "(root)").
 */
export function jsonDifferences(
  actual: unknown,
  expected: unknown,
  path = "",
): JsonDifference[] {
  if (isObject(actual) && isObject(expected)) {
    const keys = [...new Set([...Object.keys(actual), ...Object.keys(expected)])].sort();
    return keys.flatMap((k) => jsonDifferences(actual[k], expected[k], join(path, k)));
  }
  if (Array.isArray(actual) && Array.isArray(expected) && actual.length === expected.length) {
    return actual.flatMap((v, i) => jsonDifferences(v, expected[i], `${path}[${i}]`));
  }
  return JSON.stringify(actual) === JSON.stringify(expected)
    ? []
    : [{ path: path || "(root)", actual, expected }];
}

/** The first difference of {@link jsonDifferences}, or null when the values are equal. */
export function firstDifference(
  actual: unknown,
  expected: unknown,
  path = "",
): JsonDifference | null {
  return jsonDifferences(actual, expected, path)[0] ?? null;
}

/** `value` for a message: its JSON, or `(absent)`. */
export function show(value: unknown): string {
  return JSON.stringify(value) ?? "(absent)";
}

/**
 * A difference for a message: `finetune.steps: 8 there, 9 now` (labels of the actual and
 * expected sides, default "there" and "now").
 */
export function describeDifference(d: JsonDifference, labels: [string, string] = [
  "there",
  "now",
]): string {
  return `${d.path}: ${show(d.actual)} ${labels[0]}, ${show(d.expected)} ${labels[1]}`;
}

/**
 * A run cannot be resumed (or a folder reused) because it was made with another configuration;
 * `field` names the first differing field, `saved` and `now` its two values.
 */
export class ResumeMismatchError extends Error {
  /** The first differing field path (e.g. `optim.lr`). */
  readonly field: string;
  /** The field's value in the saved configuration (`undefined`: absent). */
  readonly saved: unknown;
  /** The field's value in the configuration asked for now (`undefined`: absent). */
  readonly now: unknown;

  /**
   * `what`: the thing refused, e.g. "cannot resume: the checkpoint in runs/x was written by a
   * run with another config"; `hint`: what to do (appended after the difference).
   */
  constructor(what: string, diff: JsonDifference, hint = "") {
    super(`${what} (${describeDifference(diff)}${hint ? `; ${hint}` : ""})`);
    this.name = "ResumeMismatchError";
    this.field = diff.path;
    this.saved = diff.actual;
    this.now = diff.expected;
  }
}
