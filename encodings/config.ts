/**
 * Config validation for the built-in encodings: strict zod schemas with Hugging Face `rope_scaling`
 * key names; errors name the key and the encoding; legacy `type` is accepted for `rope_type`.
 * @module
 */
import type { z } from "npm:zod@4.6.7";
import type { PositionalEncoding } from "./contract.ts";
import { builtinNames, findBuiltin } from "./registry.ts";

/** A config that failed validation; `message` names the encoding and the key(s). */
export class EncodingConfigError extends Error {
  /** The encoding whose config was rejected, when known. */
  readonly encoding: string | undefined;
  constructor(message: string, encoding?: string) {
    super(message);
    this.name = "EncodingConfigError";
    this.encoding = encoding;
  }
}

/** Options shared by config parsing and loading. */
export interface ConfigOptions {
  /** Where warnings (e.g. legacy `type`) go; `console.warn` by default. */
  warn?: (message: string) => void;
}

/** A config with `rope_type` resolved (legacy `type` folded in) and validated by its schema. */
export interface ParsedEncodingConfig {
  /** The built-in's name (`rope_type`). */
  name: string;
  /** The schema's output: defaults filled in. */
  config: Record<string, unknown>;
}

/** True for a plain `{…}` object (not null, not an array). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Fold the legacy `type` key into `rope_type` (warning once), leaving other keys untouched.
 * Throws when both are given and differ, or when the config is not an object.
 */
export function normalizeRopeType(
  config: unknown,
  options: ConfigOptions = {},
): Record<string, unknown> {
  if (!isPlainObject(config)) {
    throw new EncodingConfigError(
      `an encoding config must be a JSON object, got ${describeValue(config)}`,
    );
  }
  if (!("type" in config)) return { ...config };
  const { type, ...rest } = config;
  if ("rope_type" in rest && rest.rope_type !== type) {
    throw new EncodingConfigError(
      `config has both "rope_type" (${JSON.stringify(rest.rope_type)}) and the legacy "type" ` +
        `(${JSON.stringify(type)}); keep only "rope_type"`,
    );
  }
  (options.warn ?? console.warn)(
    `warning: encoding config key "type" is a legacy alias of "rope_type"; use "rope_type"`,
  );
  return { rope_type: type, ...rest };
}

/** Validate a built-in config; `rope_type` defaults to "default". */
export function parseEncodingConfig(
  config: unknown,
  options: ConfigOptions = {},
): ParsedEncodingConfig {
  const normalized = normalizeRopeType(config, options);
  const name = normalized.rope_type ?? "default";
  if (typeof name !== "string") {
    throw new EncodingConfigError(`key "rope_type" must be a string, got ${describeValue(name)}`);
  }
  const builtin = findBuiltin(name);
  if (!builtin) {
    throw new EncodingConfigError(
      `unknown rope_type "${name}"; built-in encodings: ${builtinNames().join(", ")} ` +
        `(load a plugin with --encoding <path | URL>)`,
    );
  }
  const result = builtin.schema.safeParse({ ...normalized, rope_type: name });
  if (!result.success) {
    throw new EncodingConfigError(
      `invalid config for encoding "${name}": ${formatIssues(result.error.issues)}`,
      name,
    );
  }
  return { name, config: result.data as Record<string, unknown> };
}

/** Validate a config and build the built-in encoding it names (`rope_type`, "default" if absent). */
export function createEncoding(config: unknown, options: ConfigOptions = {}): PositionalEncoding {
  const parsed = parseEncodingConfig(config, options);
  return findBuiltin(parsed.name)!.create(parsed.config);
}

function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((issue) => {
    if (issue.code === "unrecognized_keys") {
      const keys = issue.keys.map((k) => JSON.stringify(k)).join(", ");
      return `unknown key${issue.keys.length > 1 ? "s" : ""} ${keys}`;
    }
    const key = issue.path.length ? `key "${issue.path.join(".")}"` : "config";
    return `${key}: ${issue.message}`;
  }).join("; ");
}

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "string" ? JSON.stringify(value) : typeof value;
}
