/**
 * Staging textures for the attention kernels.
 *
 * On Mesa llvmpipe (22.x) every storage-buffer load is a per-lane scalar loop with a bounds check
 * (~50 ns per element per 8-lane SIMD row), while a `textureLoad` is a vectorized gather, about
 * 6× cheaper. Attention re-reads every key (or query) row once per query (or key) block, so the
 * rows it loops over are copied into textures first (a plain buffer→texture copy, ~memcpy speed)
 * and read with `textureLoad`.
 *
 * Geometry: a 2D-array texture 64 texels wide; texel e (of a flat f32 or vec4 array) sits at
 * x = e & 63, row y = e >> 6, layer y >> logH, in-layer row y & (2^logH − 1). One texture per
 * (device, slot, format, size) is cached and reused, so a training step allocates nothing after
 * its first call; consecutive calls reuse a slot safely because GPU commands run in order.
 */
import type { Recorder } from "../recorder.ts";
import { fmtShape, numel, type Tensor } from "../tensor.ts";

/** Texels per texture row (a power of two; 64 × 16 B and 64 × 4 B rows are 256-byte multiples). */
export const TEXTURE_WIDTH = 64;

/** The formats a tensor can be staged as: vec4 rows, or one f32 per texel. */
export type StageFormat = "rgba32float" | "r32float";

/** A staged tensor: the view to bind and log2 of the rows per array layer. */
export interface Staged {
  view: GPUTextureView;
  logH: number;
}

const cache = new WeakMap<GPUDevice, Map<string, { texture: GPUTexture; view: GPUTextureView }>>();

/** Rows per layer (a power of two) and layers for `texels` texels on `device`. */
export function textureGeometry(
  device: GPUDevice,
  texels: number,
): { height: number; layers: number; logH: number } {
  const rows = Math.max(1, Math.ceil(texels / TEXTURE_WIDTH));
  const maxDim = device.limits.maxTextureDimension2D;
  const maxPow2 = 2 ** Math.floor(Math.log2(maxDim));
  const height = Math.min(2 ** Math.ceil(Math.log2(rows)), maxPow2);
  const layers = Math.ceil(rows / height);
  return { height, layers, logH: Math.log2(height) };
}

/** Throw unless `t` can be staged (fits the texture limits, is copyable). */
export function expectStageable(op: string, name: string, device: GPUDevice, t: Tensor): void {
  const { layers } = textureGeometry(device, numel(t.shape));
  if (layers > device.limits.maxTextureArrayLayers) {
    throw new RangeError(
      `${op}: ${name} ${fmtShape(t.shape)} needs ${layers} texture layers, over the device's ` +
        `maxTextureArrayLayers ${device.limits.maxTextureArrayLayers}`,
    );
  }
  if (!(t.buffer.usage & GPUBufferUsage.COPY_SRC)) {
    throw new RangeError(
      `${op}: ${name}'s buffer needs COPY_SRC usage (it is staged as a texture)`,
    );
  }
}

function scratch(
  device: GPUDevice,
  slot: string,
  format: StageFormat,
  height: number,
  layers: number,
): { texture: GPUTexture; view: GPUTextureView } {
  let byDevice = cache.get(device);
  if (!byDevice) cache.set(device, byDevice = new Map());
  const key = `${slot}:${format}:${height}:${layers}`;
  let entry = byDevice.get(key);
  if (!entry) {
    const texture = device.createTexture({
      label: `attention ${slot}`,
      size: [TEXTURE_WIDTH, height, layers],
      format,
      usage: GPUTextureUsage.TEXTURE_BINDING | GPUTextureUsage.COPY_DST,
    });
    entry = { texture, view: texture.createView({ dimension: "2d-array" }) };
    byDevice.set(key, entry);
  }
  return entry;
}

/**
 * Record copies of `t` into the cached texture of `slot` (closing the compute pass) and return
 * its view. rgba32float packs 4 consecutive floats per texel, r32float one.
 */
export function stage(rec: Recorder, t: Tensor, slot: string, format: StageFormat): Staged {
  const perTexel = format === "rgba32float" ? 4 : 1;
  const texels = numel(t.shape) / perTexel;
  const { height, layers, logH } = textureGeometry(rec.device, texels);
  const { texture, view } = scratch(rec.device, slot, format, height, layers);
  const encoder = rec.encoder();
  const rowBytes = TEXTURE_WIDTH * perTexel * 4;
  const base = t.offset ?? 0;
  const fullRows = Math.floor(texels / TEXTURE_WIDTH);
  const fullLayers = Math.floor(fullRows / height);
  const copy = (row: number, width: number, rows: number, depth: number) => {
    encoder.copyBufferToTexture(
      {
        buffer: t.buffer,
        offset: base + row * rowBytes,
        bytesPerRow: rowBytes,
        rowsPerImage: height,
      },
      { texture, origin: [0, row % height, Math.floor(row / height)] },
      [width, rows, depth],
    );
  };
  if (fullLayers > 0) copy(0, TEXTURE_WIDTH, height, fullLayers);
  const restRows = fullRows - fullLayers * height;
  if (restRows > 0) copy(fullLayers * height, TEXTURE_WIDTH, restRows, 1);
  const restTexels = texels - fullRows * TEXTURE_WIDTH;
  if (restTexels > 0) copy(fullRows, restTexels, 1, 1);
  return { view, logH };
}

/** Drop the cached staging textures of `device` (e.g. after a long-context evaluation). */
export function releaseAttentionTextures(device: GPUDevice): void {
  for (const { texture } of cache.get(device)?.values() ?? []) texture.destroy();
  cache.delete(device);
}
