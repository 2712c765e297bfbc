/**
 * WebGPU adapter and device acquisition.
 *
 * The device is requested with the adapter's own limits: WebGPU's defaults (16 KiB of workgroup
 * memory, 8 storage buffers per stage, 128 MiB bindings) are too small for attention backward.
 */
import { ensureRuntimeDir } from "./runtime_dir.ts";

/** What `doctor` prints about the adapter: enough to explain a slow or failing run. */
export interface AdapterReport {
  description: string;
  vendor: string;
  architecture: string;
  /** The backend Deno was asked for (`DENO_WEBGPU_BACKEND`), or "auto". */
  backend: string;
  /** True for software adapters (Mesa llvmpipe / lavapipe, SwiftShader, WARP). */
  isSoftware: boolean;
  features: string[];
  limits: Record<string, number>;
}

/** A ready device plus the adapter report it came from. */
export interface Gpu {
  adapter: GPUAdapter;
  device: GPUDevice;
  report: AdapterReport;
}

/** Raised when no WebGPU adapter exists; its message says what to install. */
export class NoAdapterError extends Error {
  constructor(detail: string) {
    super(
      `No WebGPU adapter found (${detail}). e2llm needs any WebGPU adapter; a software one is fine.\n` +
        "  - Linux: Mesa's llvmpipe via OpenGL ships with most images (package libgl1-mesa-dri);\n" +
        "    for Vulkan lavapipe: apt-get install -y mesa-vulkan-drivers, then DENO_WEBGPU_BACKEND=vulkan\n" +
        "  - Check with: deno task doctor",
    );
    this.name = "NoAdapterError";
  }
}

/** Limits worth printing and requesting. */
export const KEY_LIMITS = [
  "maxStorageBufferBindingSize",
  "maxBufferSize",
  "maxStorageBuffersPerShaderStage",
  "maxStorageTexturesPerShaderStage",
  "maxSampledTexturesPerShaderStage",
  "maxComputeWorkgroupStorageSize",
  "maxComputeInvocationsPerWorkgroup",
  "maxComputeWorkgroupSizeX",
  "maxComputeWorkgroupSizeY",
  "maxComputeWorkgroupsPerDimension",
  "maxUniformBufferBindingSize",
  "maxBindGroups",
] as const;

const SOFTWARE_NAMES = /llvmpipe|lavapipe|softpipe|swiftshader|warp|software/i;

/**
 * True for software (CPU) adapters: a fallback adapter, or one whose description or device name
 * is a known software rasterizer (Mesa llvmpipe / lavapipe / softpipe, SwiftShader, WARP).
 */
export function isSoftwareAdapter(info: GPUAdapterInfo): boolean {
  const fallback = (info as unknown as { isFallbackAdapter?: boolean }).isFallbackAdapter ?? false;
  return fallback || SOFTWARE_NAMES.test(`${info.description ?? ""} ${info.device ?? ""}`);
}

/**
 * Whether `device` comes from a software adapter ({@link isSoftwareAdapter} of its adapter info).
 * Kernels pick their tiles and texture staging by it. False when the runtime exposes no adapter
 * info on the device (Deno 2.x always does).
 */
export function isSoftwareDevice(device: GPUDevice): boolean {
  const info = (device as unknown as { adapterInfo?: GPUAdapterInfo }).adapterInfo;
  return info !== undefined && isSoftwareAdapter(info);
}

/** Describe an adapter without touching a device. */
export function describeAdapter(adapter: GPUAdapter): AdapterReport {
  const info = adapter.info;
  const limits: Record<string, number> = {};
  for (const key of KEY_LIMITS) limits[key] = Number(adapter.limits[key]);
  return {
    description: info.description || info.device || "unknown",
    vendor: info.vendor,
    architecture: info.architecture,
    backend: Deno.env.get("DENO_WEBGPU_BACKEND") ?? "auto",
    isSoftware: isSoftwareAdapter(info),
    features: [...adapter.features].map(String).sort(),
    limits,
  };
}

/** Find an adapter or throw {@link NoAdapterError}. */
export async function requestAdapter(
  options: GPURequestAdapterOptions = { powerPreference: "high-performance" },
): Promise<GPUAdapter> {
  if (typeof navigator === "undefined" || !("gpu" in navigator)) {
    throw new NoAdapterError("this runtime has no navigator.gpu");
  }
  ensureRuntimeDir();
  let adapter: GPUAdapter | null = null;
  try {
    adapter = await navigator.gpu.requestAdapter(options);
  } catch (err) {
    throw new NoAdapterError(`requestAdapter failed: ${(err as Error).message}`);
  }
  if (!adapter) throw new NoAdapterError("requestAdapter returned null");
  return adapter;
}

/**
 * Acquire adapter and device, requesting the adapter's own limits for every key limit and the
 * `timestamp-query` feature when present. Uncaptured device errors are logged, never swallowed.
 */
export async function requestGpu(options?: GPURequestAdapterOptions): Promise<Gpu> {
  const adapter = await requestAdapter(options);
  const requiredLimits: Record<string, number> = {};
  for (const key of KEY_LIMITS) requiredLimits[key] = Number(adapter.limits[key]);
  const requiredFeatures: GPUFeatureName[] = [];
  if (adapter.features.has("timestamp-query")) requiredFeatures.push("timestamp-query");
  // Deno's adapter does not list `subgroups` even where the backend has it (Vulkan): ask for it
  // and fall back without it (GL refuses).
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({
      requiredLimits,
      requiredFeatures: [...requiredFeatures, "subgroups" as GPUFeatureName],
    });
  } catch {
    device = await adapter.requestDevice({ requiredLimits, requiredFeatures });
  }
  device.addEventListener("uncapturederror", (event) => {
    console.error(`WebGPU error: ${(event as GPUUncapturedErrorEvent).error.message}`);
  });
  return { adapter, device, report: describeAdapter(adapter) };
}

let shared: Promise<Gpu> | undefined;

/** One device per process, shared by training, evaluation and tests. */
export function getGpu(): Promise<Gpu> {
  shared ??= requestGpu().catch((err) => {
    shared = undefined;
    throw err;
  });
  return shared;
}

/**
 * The device's subgroup width when it is fixed (min = max) and WGSL subgroup ops are enabled,
 * else 0. llvmpipe: 8, its SIMD width.
 */
export function fixedSubgroupSize(device: GPUDevice): number {
  if (!device.features.has("subgroups")) return 0;
  const info =
    (device as unknown as { adapterInfo?: { subgroupMinSize?: number; subgroupMaxSize?: number } })
      .adapterInfo;
  const min = info?.subgroupMinSize ?? 0;
  return min > 0 && min === info?.subgroupMaxSize ? min : 0;
}
