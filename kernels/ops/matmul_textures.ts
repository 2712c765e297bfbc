/**
 * Staging textures for the "texture" matmul variant: an operand's element range is copied
 * (buffer→texture copy, memcpy speed) into an rgba32float 2D-array texture laid out flat:
 * texel e (elements 4e..4e+3) sits at x = e & 63, row y = e >> 6, layer y >> logH.
 *
 * One texture per (device, slot, height, layers) is cached and reused, so a training step
 * allocates nothing after its first call. Reusing a slot for consecutive matmuls is safe: GPU
 * commands run in order, so each copy lands after the previous dispatch has read the texture.
 */
import type { Recorder } from "../recorder.ts";
import { TEXELS_PER_ROW } from "./matmul_wgsl.ts";

/** A staged operand: the view to bind and log2 of the texture rows per array layer. */
export interface StagedOperand {
  view: GPUTextureView;
  logH: number;
}

/** Rows per layer (a power of two), layer count and log2(rows per layer) for `texels`. */
export function stagingGeometry(
  limits: { maxTextureDimension2D: number },
  texels: number,
): { height: number; layers: number; logH: number } {
  const rows = Math.max(1, Math.ceil(texels / TEXELS_PER_ROW));
  const maxPow2 = 2 ** Math.floor(Math.log2(limits.maxTextureDimension2D));
  const height = Math.min(2 ** Math.ceil(Math.log2(rows)), maxPow2);
  return { height, layers: Math.ceil(rows / height), logH: Math.log2(height) };
}

/** Whether `texels` texels fit the device's texture limits. */
export function fitsStaging(device: GPUDevice, texels: number): boolean {
  return stagingGeometry(device.limits, texels).layers <= device.limits.maxTextureArrayLayers;
}

const cache = new WeakMap<GPUDevice, Map<string, { texture: GPUTexture; view: GPUTextureView }>>();

function scratch(
  device: GPUDevice,
  slot: string,
  height: number,
  layers: number,
): { texture: GPUTexture; view: GPUTextureView } {
  let byDevice = cache.get(device);
  if (!byDevice) cache.set(device, byDevice = new Map());
  const key = `${slot}:${height}:${layers}`;
  let entry = byDevice.get(key);
  if (!entry) {
    const texture = device.createTexture({
      label: `matmul ${slot}`,
      size: [TEXELS_PER_ROW, height, layers],
      format: "rgba32float",
      usage: GPUTextureUsage.TEXTURE_BINDING | GPUTextureUsage.STORAGE_BINDING |
        GPUTextureUsage.COPY_DST,
    });
    entry = { texture, view: texture.createView({ dimension: "2d-array" }) };
    byDevice.set(key, entry);
  }
  return entry;
}

/**
 * Record the copy of `elements` f32 values (a multiple of 4) of `buffer` starting at byte
 * `offset` (a multiple of 16) into the cached texture of `slot`; closes the open compute pass.
 */
export function stageOperand(
  rec: Recorder,
  buffer: GPUBuffer,
  offset: number,
  elements: number,
  slot: string,
): StagedOperand {
  const texels = elements / 4;
  const { height, layers, logH } = stagingGeometry(rec.device.limits, texels);
  const { texture, view } = scratch(rec.device, slot, height, layers);
  const encoder = rec.encoder();
  const rowBytes = TEXELS_PER_ROW * 16;
  const copy = (row: number, width: number, rows: number, depth: number) => {
    encoder.copyBufferToTexture(
      { buffer, offset: offset + row * rowBytes, bytesPerRow: rowBytes, rowsPerImage: height },
      { texture, origin: [0, row % height, Math.floor(row / height)] },
      [width, rows, depth],
    );
  };
  const fullRows = Math.floor(texels / TEXELS_PER_ROW);
  const fullLayers = Math.floor(fullRows / height);
  if (fullLayers > 0) copy(0, TEXELS_PER_ROW, height, fullLayers);
  const restRows = fullRows - fullLayers * height;
  if (restRows > 0) copy(fullLayers * height, TEXELS_PER_ROW, restRows, 1);
  const restTexels = texels - fullRows * TEXELS_PER_ROW;
  if (restTexels > 0) copy(fullRows, restTexels, 1, 1);
  return { view, logH };
}

/** Destroy the cached staging textures of `device` (e.g. after a long-context evaluation). */
export function releaseMatmulTextures(device: GPUDevice): void {
  for (const { texture } of cache.get(device)?.values() ?? []) texture.destroy();
  cache.delete(device);
}
