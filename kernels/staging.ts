/**
 * Texture staging: a tensor's element range is copied (a buffer→texture copy, about memcpy speed)
 * into a cached 2D-array texture, and kernels read it with `textureLoad`.
 *
 * Why: on Mesa llvmpipe a storage-buffer load is a per-lane scalar loop with a bounds check (~15 ns
 * per lane and vec4 on the 2-core machine), while a texel fetch of 4 floats is a vectorized gather
 * (~0.5 ns; `deno task bench --filter primitive`), and the copy costs ~1 ns per float. Matmul (texture variant) and attention always stage their operands;
 * the other ops stage on software adapters only ({@link usesTextureStaging}), when their rows are
 * whole vec4s, and otherwise read storage buffers.
 *
 * Layout: {@link TEXELS_PER_ROW} texels per row; texel e (elements 4e … 4e+3 in rgba32float, element
 * e in r32float) sits at x = e & 63, row y = e >> 6, layer y >> logH, in-layer row
 * y & (2^logH − 1), where 2^logH rows per layer is the power of two from {@link stagingGeometry}.
 *
 * Cache: one texture per (device, slot, format, usage, rows per layer, layers), kept in the
 * device's context (kernels/context.ts) and reused, so a
 * training step allocates nothing after its first call. Reusing a slot for consecutive ops is safe:
 * GPU commands run in order, so each copy lands after the previous reader. Use a different slot
 * for each input of one dispatch. Staging closes the recorder's open compute pass.
 */
import { deviceContext } from "./context.ts";
import { isSoftwareDevice } from "./device.ts";
import type { Recorder } from "./recorder.ts";
import { fmtShape, numel, type Tensor } from "./tensor.ts";

/** Texels per staging-texture row (a power of two; 64 × 16 B and 64 × 4 B rows are 256-byte multiples). */
export const TEXELS_PER_ROW = 64;

/** The formats a tensor can be staged as: 4 consecutive f32 per texel, or one. */
export type StageFormat = "rgba32float" | "r32float";

const FLOATS_PER_TEXEL: Record<StageFormat, number> = { rgba32float: 4, r32float: 1 };

/** A staged tensor: the texture view to bind and log2 of its rows per array layer. */
export interface Staged {
  view: GPUTextureView;
  logH: number;
}

/** Rows per layer (a power of two), layer count and log2(rows per layer) for `texels` texels. */
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

/**
 * Whether the ops with a vec4 texture path take it on `device`: yes on software adapters
 * ({@link isSoftwareDevice}), no elsewhere, unless {@link setTextureStaging} said otherwise.
 */
export function usesTextureStaging(device: GPUDevice): boolean {
  return deviceContext(device).textureStaging ?? isSoftwareDevice(device);
}

/** Force texture staging on or off for `device` (undefined: back to the adapter default). */
export function setTextureStaging(device: GPUDevice, on: boolean | undefined): void {
  deviceContext(device).textureStaging = on;
}

/**
 * Whether elements [elementOffset, elementOffset + elements) of `t` can be staged as `format` on
 * `device`: its buffer can be copied from, the range starts on a texel boundary (16 bytes for
 * rgba32float), and it fits the device's texture limits.
 */
export function canStage(
  device: GPUDevice,
  t: Tensor,
  elementOffset = 0,
  elements: number = numel(t.shape) - elementOffset,
  format: StageFormat = "rgba32float",
): boolean {
  const perTexel = FLOATS_PER_TEXEL[format];
  return (t.buffer.usage & GPUBufferUsage.COPY_SRC) !== 0 &&
    ((t.offset ?? 0) + elementOffset * 4) % (perTexel * 4) === 0 &&
    fitsStaging(device, Math.ceil(elements / perTexel));
}

/**
 * Whether an op takes its vec4 texture path: staging is on for the device, every input (nulls
 * skipped) can be staged whole as rgba32float, and every output starts on a 16-byte boundary
 * (vec4 stores). The caller checks that its rows are whole vec4s.
 */
export function vec4Staging(
  device: GPUDevice,
  inputs: readonly (Tensor | null)[],
  outputs: readonly (Tensor | null)[] = [],
): boolean {
  return usesTextureStaging(device) && inputs.every((t) => !t || canStage(device, t)) &&
    outputs.every((t) => !t || (t.offset ?? 0) % 16 === 0);
}

/**
 * Throw a RangeError unless `t` can be staged whole by the attention and RoPE kernels: it fits the
 * texture limits counting one texel per element (conservative for rgba32float), and its buffer
 * can be copied from.
 */
export function expectStageable(op: string, name: string, device: GPUDevice, t: Tensor): void {
  const { layers } = stagingGeometry(device.limits, numel(t.shape));
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

/** Options of {@link stage}. */
export interface StageOptions {
  /** First element to stage (default 0). */
  elementOffset?: number;
  /** Elements to stage (default: to the end of the tensor). */
  elements?: number;
  /** Texel format (default rgba32float). */
  format?: StageFormat;
  /**
   * Bind as a read-only storage texture (default true). Sampled `textureLoad` of rgba32float
   * reads zeros on wgpu's GL backend (the texture is incomplete without a sampler), so every
   * staged input is read as a storage texture; false keeps a sampled-only texture.
   */
  storage?: boolean;
}

/**
 * Record the copy of a range of `t` (see {@link StageOptions} and {@link canStage}) into the cached
 * staging texture of `slot`, closing the open compute pass; a partial last texel is padded.
 * Returns the view to bind and its log2 rows per layer.
 */
export function stage(
  rec: Recorder,
  op: string,
  t: Tensor,
  slot: string | number,
  opts: StageOptions = {},
): Staged {
  const device = rec.device;
  const { elementOffset = 0, format = "rgba32float", storage = true } = opts;
  const elements = opts.elements ?? numel(t.shape) - elementOffset;
  if (!canStage(device, t, elementOffset, elements, format)) {
    throw new RangeError(
      `${op}: cannot stage ${elements} elements (usage, alignment or size) ` +
        `(t ${fmtShape(t.shape)}${t.dtype === "u32" ? " u32" : ""})`,
    );
  }
  const perTexel = FLOATS_PER_TEXEL[format], texelBytes = perTexel * 4;
  const texels = Math.ceil(elements / perTexel);
  const { height, layers, logH } = stagingGeometry(device.limits, texels);
  const cache = deviceContext(device).staging;
  const key = `${slot}:${format}:${storage ? "storage" : "sampled"}:${height}:${layers}`;
  let entry = cache.textures.get(key);
  if (!entry) {
    const texture = device.createTexture({
      label: `staging ${key}`,
      size: [TEXELS_PER_ROW, height, layers],
      format,
      usage: GPUTextureUsage.TEXTURE_BINDING | GPUTextureUsage.COPY_DST |
        (storage ? GPUTextureUsage.STORAGE_BINDING : 0),
    });
    entry = { texture, view: texture.createView({ dimension: "2d-array" }) };
    cache.textures.set(key, entry);
  }
  const encoder = rec.encoder();
  let source = t.buffer, offset = (t.offset ?? 0) + elementOffset * 4;
  if (offset + texels * texelBytes > source.size) {
    // The last texel would read past the buffer: go through a padded copy.
    if (!cache.pad || cache.pad.size < texels * texelBytes) {
      // (The old pad is left to the garbage collector: recorded commands may still use it.)
      cache.pad = device.createBuffer({
        label: "staging pad",
        size: texels * texelBytes,
        usage: GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
      });
    }
    encoder.copyBufferToBuffer(source, offset, cache.pad, 0, elements * 4);
    source = cache.pad;
    offset = 0;
  }
  const texture = entry.texture;
  const rowBytes = TEXELS_PER_ROW * texelBytes;
  const copy = (row: number, width: number, rows: number, depth: number) =>
    encoder.copyBufferToTexture(
      {
        buffer: source,
        offset: offset + row * rowBytes,
        bytesPerRow: rowBytes,
        rowsPerImage: height,
      },
      { texture, origin: [0, row % height, Math.floor(row / height)] },
      [width, rows, depth],
    );
  const fullRows = Math.floor(texels / TEXELS_PER_ROW);
  const fullLayers = Math.floor(fullRows / height);
  if (fullLayers > 0) copy(0, TEXELS_PER_ROW, height, fullLayers);
  const restRows = fullRows - fullLayers * height;
  if (restRows > 0) copy(fullLayers * height, TEXELS_PER_ROW, restRows, 1);
  const restTexels = texels - fullRows * TEXELS_PER_ROW;
  if (restTexels > 0) copy(fullRows, restTexels, 1, 1);
  return { view: entry.view, logH };
}

/** Panel widths in floats: 16 (one 64-byte cache line per row) or 64 (a 256-byte row). */
export type PanelWidth = 16 | 64;

/**
 * Whether a row-major [rows, cols] matrix at the start of `t` can be staged as panels (see
 * {@link stagePanels}): cols a multiple of 64 (copies need 256-byte row pitches), `t` 16-byte
 * aligned and copyable, rows and panels within the texture limits.
 */
export function canStagePanels(
  device: GPUDevice,
  t: Tensor,
  rows: number,
  cols: number,
  width: PanelWidth,
): boolean {
  const { maxTextureDimension2D, maxTextureArrayLayers } = device.limits;
  return (t.buffer.usage & GPUBufferUsage.COPY_SRC) !== 0 && (t.offset ?? 0) % 16 === 0 &&
    cols > 0 && cols % 64 === 0 && rows > 0 && rows <= maxTextureDimension2D &&
    cols / width <= maxTextureArrayLayers && rows * cols <= numel(t.shape);
}

/**
 * Record the copy of the row-major [rows, cols] matrix at the start of `t` into the cached panel
 * texture of `slot`: layer q holds columns q·w … q·w + w − 1 (w = `width`), texel (x, y) of it
 * elements (y, q·w + 4x … q·w + 4x + 3). A kernel walking down the rows of one panel reads
 * consecutive w·4-byte rows, where the flat layout puts them cols·4 bytes apart (a new page per
 * row when cols ≥ 1024), for the price of one copy per panel. Closes the open compute pass.
 */
export function stagePanels(
  rec: Recorder,
  op: string,
  t: Tensor,
  slot: string,
  rows: number,
  cols: number,
  width: PanelWidth,
): GPUTextureView {
  const device = rec.device;
  if (!canStagePanels(device, t, rows, cols, width)) {
    throw new RangeError(
      `${op}: cannot stage ${rows}x${cols} as ${width}-wide panels (t ${fmtShape(t.shape)})`,
    );
  }
  const layers = cols / width;
  const cache = deviceContext(device).staging;
  const key = `${slot}:panels${width}:${rows}:${layers}`;
  let entry = cache.textures.get(key);
  if (!entry) {
    const texture = device.createTexture({
      label: `staging ${key}`,
      size: [width / 4, rows, layers],
      format: "rgba32float",
      usage: GPUTextureUsage.TEXTURE_BINDING | GPUTextureUsage.COPY_DST |
        GPUTextureUsage.STORAGE_BINDING,
    });
    entry = { texture, view: texture.createView({ dimension: "2d-array" }) };
    cache.textures.set(key, entry);
  }
  const encoder = rec.encoder();
  for (let q = 0; q < layers; q++) {
    encoder.copyBufferToTexture(
      { buffer: t.buffer, offset: (t.offset ?? 0) + q * width * 4, bytesPerRow: cols * 4 },
      { texture: entry.texture, origin: [0, 0, q] },
      [width / 4, rows, 1],
    );
  }
  return entry.view;
}

/**
 * WGSL for an rgba32float-staged input bound at `bindingIndex`: a texture `<name>Tex` and
 * `fn <name>4(e: u32) -> vec4f` returning texel e (elements 4e … 4e+3). `logH` names the u32
 * field of the uniform `p` holding {@link Staged.logH}.
 */
export function stagedInput(name: string, bindingIndex: number, logH: string): string {
  return `@group(0) @binding(${bindingIndex}) var ${name}Tex: ${stagedTextureType()};
fn ${name}4(e: u32) -> vec4f {
  let y = e >> 6u;
  return textureLoad(${name}Tex, vec2u(e & 63u, y & ((1u << p.${logH}) - 1u)), y >> p.${logH});
}`;
}

/** The WGSL type of a staged texture of `format`, as {@link stage} binds it (read-only storage). */
export function stagedTextureType(format: StageFormat = "rgba32float"): string {
  return `texture_storage_2d_array<${format}, read>`;
}

/** Destroy the cached staging textures and pad buffer of `device` (e.g. after a long-context run). */
export function releaseStagingTextures(device: GPUDevice): void {
  const cache = deviceContext(device).staging;
  for (const { texture } of cache.textures.values()) texture.destroy();
  cache.textures.clear();
  cache.pad?.destroy();
  cache.pad = undefined;
}
