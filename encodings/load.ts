/**
 * `--encoding <name | path | http(s) URL>`: one entry point for every command that takes an
 * encoding. Built-ins run in-process; paths and URLs run in a permission-less sandbox process.
 * Either way the caller gets the same validated, async {@link LoadedEncoding}.
 * @module
 */
import type { LoadedEncoding } from "./contract.ts";
import {
  type ConfigOptions,
  createEncoding,
  EncodingConfigError,
  normalizeRopeType,
} from "./config.ts";
import { wrapEncoding } from "./loaded.ts";
import { builtinNames, findBuiltin } from "./registry.ts";
import { EncodingPluginError, loadSandboxedEncoding, type SandboxOptions } from "./sandbox.ts";

/** Options of {@link loadEncoding}. */
export interface LoadOptions extends ConfigOptions, SandboxOptions {
  /** Directory relative paths are resolved against (default `Deno.cwd()`). */
  cwd?: string;
}

/** What an `--encoding` value names. */
export type EncodingSpec =
  | { kind: "builtin"; name: string }
  | { kind: "plugin"; url: URL };

/**
 * Resolve an `--encoding` value: an http(s) or file URL, a built-in name, or a path (anything with
 * a `/` or a `.ts`/`.js` extension). Throws naming the value when it is none of these.
 */
export function resolveEncodingSpec(spec: string, cwd?: string): EncodingSpec {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(spec)) {
    const url = new URL(spec);
    if (!["http:", "https:", "file:"].includes(url.protocol)) {
      throw new Error(`--encoding ${spec}: only http(s) and file URLs can be loaded`);
    }
    return { kind: "plugin", url };
  }
  if (findBuiltin(spec)) return { kind: "builtin", name: spec };
  if (/[\\/]/.test(spec) || /\.(m?[jt]s|tsx?|jsx)$/.test(spec)) {
    const dir = (cwd ?? Deno.cwd()).replace(/\/*$/, "/");
    return { kind: "plugin", url: new URL(spec, new URL(`file://${encodeURI(dir)}`)) };
  }
  throw new Error(
    `--encoding ${spec}: not a built-in (${builtinNames().join(", ")}), ` +
      `a path (./my_encoding.ts) or an http(s) URL`,
  );
}

/**
 * Load an encoding for use by a training or evaluation loop. `spec` is a built-in name, a path or
 * a URL; when undefined the config's `rope_type` picks the built-in ("default" if absent). For a
 * built-in, `config` is validated by its strict schema; for a plugin it is handed to the plugin's
 * factory. `await close()` the result when done.
 */
export async function loadEncoding(
  spec: string | undefined,
  config: unknown = {},
  options: LoadOptions = {},
): Promise<LoadedEncoding> {
  const normalized = normalizeRopeType(config, options);
  if (spec === undefined) {
    const encoding = createEncoding(normalized, options);
    return wrapEncoding(encoding, `builtin:${encoding.name}`);
  }
  const resolved = resolveEncodingSpec(spec, options.cwd);
  if (resolved.kind === "builtin") {
    const { name } = resolved;
    if (normalized.rope_type !== undefined && normalized.rope_type !== name) {
      throw new EncodingConfigError(
        `--encoding ${name} but the config says rope_type ${JSON.stringify(normalized.rope_type)}`,
        name,
      );
    }
    return wrapEncoding(
      createEncoding({ ...normalized, rope_type: name }, options),
      `builtin:${name}`,
    );
  }
  const { url } = resolved;
  if (url.protocol === "file:") {
    try {
      const stat = await Deno.stat(url);
      if (!stat.isFile) throw new Error("not a file");
    } catch (err) {
      throw new EncodingPluginError(url.href, `cannot read the file (${(err as Error).message})`);
    }
  }
  return await loadSandboxedEncoding(url, normalized, options);
}
