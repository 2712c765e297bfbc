/**
 * Per-adapter kernel choices, measured once and cached on disk.
 *
 * A choice (e.g. a matmul tile) is stored per adapter and per (op, shape class) in
 * `<dir>/tiles-<adapter hash>.json`, where `<dir>` is `$E2LLM_CACHE_DIR` or `.cache/e2llm`.
 * Kernels look choices up synchronously while recording ({@link lookupTuned}); measuring happens
 * only in explicit tuning calls (submit + wait), never inside a training step.
 * `E2LLM_AUTOTUNE=0` disables both reading and tuning: every kernel uses its default.
 * The adapter identity and the files read so far live in the device's context (kernels/context.ts).
 */
import { type AdapterIdentity, deviceContext, forgetTileFiles, tileFilesOf } from "./context.ts";

/** One cached choice. */
export interface TunedEntry<V = unknown> {
  choice: V;
  /** Milliseconds per run of the choice when it was measured. */
  ms: number;
  /** Every candidate measured, for the record. */
  measured?: { choice: V; ms: number }[];
  /** The problem that was measured, e.g. "NT 2048x128x384". */
  problem?: string;
  /** ISO time of the measurement. */
  at: string;
}

/** The on-disk file: the adapter it belongs to and the entries by `op|class`. */
export interface TileFile {
  adapter: string;
  backend: string;
  /** The device features the choices were measured with (files from before this was added lack it). */
  features?: string;
  entries: Record<string, TunedEntry>;
}

/** Whether a permission is already granted (never prompts). */
function granted(desc: Deno.PermissionDescriptor): boolean {
  try {
    return typeof Deno !== "undefined" && Deno.permissions.querySync(desc).state === "granted";
  } catch {
    return false;
  }
}

function env(name: string): string | undefined {
  return granted({ name: "env", variable: name }) ? Deno.env.get(name) : undefined;
}

/** False when `E2LLM_AUTOTUNE` is "0", "off" or "false". */
export function autotuneEnabled(): boolean {
  const v = env("E2LLM_AUTOTUNE")?.toLowerCase();
  return !(v === "0" || v === "off" || v === "false");
}

/** The cache directory: `$E2LLM_CACHE_DIR`, else `.cache/e2llm` (git-ignored). */
export function cacheDir(): string {
  return env("E2LLM_CACHE_DIR") || ".cache/e2llm";
}

/** Adapter identity (description, vendor, architecture, backend, features) and its short hash. */
export function adapterIdentity(device: GPUDevice): AdapterIdentity {
  const ctx = deviceContext(device);
  return ctx.identity ??= identify(device);
}

function identify(device: GPUDevice): AdapterIdentity {
  const info = (device as unknown as { adapterInfo?: GPUAdapterInfo }).adapterInfo;
  const adapter = [info?.description || info?.device || "unknown", info?.vendor, info?.architecture]
    .filter((s) => s).join(" / ");
  const backend = env("DENO_WEBGPU_BACKEND") ?? "auto";
  // The backend actually used is not exposed ("auto" may be Vulkan or OpenGL, e.g. before and
  // after mesa-vulkan-drivers is installed): the feature set tells those apart.
  const features = [...device.features].sort().join(",");
  return { adapter, backend, features, hash: fnv1a(`${adapter}|${backend}|${features}`) };
}

/** 64-bit FNV-1a of a string, as 16 hex digits. */
export function fnv1a(text: string): string {
  let h = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= BigInt(byte);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, "0");
}

/** The cache file path for `device` under `dir`. */
export function tileCachePath(device: GPUDevice, dir: string = cacheDir()): string {
  return `${dir}/tiles-${adapterIdentity(device).hash}.json`;
}

/** The cache for `device` (read from disk on first use; empty if absent or unreadable). */
export function tileCache(device: GPUDevice, dir: string = cacheDir()): TileFile {
  const path = tileCachePath(device, dir);
  const loaded = tileFilesOf(device);
  let file = loaded.get(path);
  if (!file) {
    const { adapter, backend, features } = adapterIdentity(device);
    file = { adapter, backend, features, entries: {} };
    try {
      if (!granted({ name: "read", path })) throw new Error("no read permission");
      const parsed = JSON.parse(Deno.readTextFileSync(path)) as TileFile;
      if (parsed && typeof parsed.entries === "object" && parsed.adapter === adapter) {
        file.entries = parsed.entries;
      }
    } catch {
      // absent, unreadable or corrupt: start empty (it is only a cache)
    }
    loaded.set(path, file);
  }
  return file;
}

/** The cached choice for `op` and `shapeClass` on `device`, or undefined (also when disabled). */
export function lookupTuned<V>(device: GPUDevice, op: string, shapeClass: string): V | undefined {
  if (!autotuneEnabled()) return undefined;
  return tileCache(device).entries[`${op}|${shapeClass}`]?.choice as V | undefined;
}

/** Store a choice and write the cache file (creating its directory). */
export function storeTuned<V>(
  device: GPUDevice,
  op: string,
  shapeClass: string,
  entry: TunedEntry<V>,
  dir: string = cacheDir(),
): string {
  const file = tileCache(device, dir);
  file.entries[`${op}|${shapeClass}`] = entry as TunedEntry;
  const path = tileCachePath(device, dir);
  Deno.mkdirSync(dir, { recursive: true });
  const tmp = `${path}.${Deno.pid}.tmp`;
  Deno.writeTextFileSync(tmp, JSON.stringify(file, null, 2) + "\n");
  Deno.renameSync(tmp, path);
  return path;
}

/** Forget the in-memory copies on every device (tests; the next lookup re-reads the files). */
export function forgetTileCaches(): void {
  forgetTileFiles();
}
