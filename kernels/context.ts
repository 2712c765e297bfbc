/**
 * Everything the kernels keep per device, in one object: the buffer pool, the compiled pipelines,
 * the texture-staging switch and cached staging textures, the adapter identity and the tuned-choice
 * tables read from disk. {@link deviceContext} returns the device's context (created on first use,
 * collected with the device); the older accessors (`poolFor`, `usesTextureStaging`,
 * `releaseStagingTextures`, `tileCache`, …) read and write it.
 */
import type { TileFile } from "./autotune.ts";
import { PipelineCache } from "./pipelines.ts";
import { BufferPool } from "./pool.ts";

/** The cached staging textures of a device (see kernels/staging.ts). */
export interface StagingTextures {
  /** Textures by slot, format, usage and geometry, with the view kernels bind. */
  readonly textures: Map<string, { texture: GPUTexture; view: GPUTextureView }>;
  /** Scratch for ranges whose last texel would read past their buffer's end. */
  pad?: GPUBuffer;
}

/** Who the device's adapter is, for the tuned-choice cache file name. */
export interface AdapterIdentity {
  adapter: string;
  backend: string;
  /** 16 hex digits of FNV-1a over adapter and backend. */
  hash: string;
}

/** The per-device state of the kernels. */
export class DeviceContext {
  /** Storage buffers reused by size and usage (models of the same shapes share them). */
  readonly pool: BufferPool;
  /** Compiled pipelines, the default of every {@link Recorder} on this device. */
  readonly pipelines: PipelineCache;
  /** Texture staging forced on or off; undefined: the adapter default (software: on). */
  textureStaging: boolean | undefined = undefined;
  /** Cached staging textures and pad buffer. */
  readonly staging: StagingTextures = { textures: new Map() };
  /** The adapter identity, computed on first use. */
  identity: AdapterIdentity | undefined = undefined;
  /** Tuned-choice files read so far, by path; valid while `tileGeneration` is current. */
  readonly tileFiles: Map<string, TileFile> = new Map();
  /** The {@link forgetTileFiles} generation `tileFiles` belongs to. */
  tileGeneration = 0;

  constructor(readonly device: GPUDevice) {
    this.pool = new BufferPool(device);
    this.pipelines = new PipelineCache(device);
  }
}

const contexts = new WeakMap<GPUDevice, DeviceContext>();

/** The context of `device`, created on first use. */
export function deviceContext(device: GPUDevice): DeviceContext {
  let ctx = contexts.get(device);
  if (!ctx) contexts.set(device, ctx = new DeviceContext(device));
  return ctx;
}

let tileGeneration = 0;

/**
 * The tuned-choice files `device` has read, emptied first if {@link forgetTileFiles} was called
 * since they were read.
 */
export function tileFilesOf(device: GPUDevice): Map<string, TileFile> {
  const ctx = deviceContext(device);
  if (ctx.tileGeneration !== tileGeneration) {
    ctx.tileFiles.clear();
    ctx.tileGeneration = tileGeneration;
  }
  return ctx.tileFiles;
}

/** Forget every device's in-memory tuned-choice files (the next lookup re-reads them). */
export function forgetTileFiles(): void {
  tileGeneration++;
}

/** The shared pool of `device` (models of the same shapes reuse each other's buffers). */
export function poolFor(device: GPUDevice): BufferPool {
  return deviceContext(device).pool;
}
