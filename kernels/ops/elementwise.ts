/**
 * Elementwise helpers over flat f32 buffers (fill, add, scale, copy), plus what the other ops of
 * this folder share: validation (shapes, bindings, aliasing), 2-D dispatch grids, and texture
 * staging of inputs for software adapters.
 */
import type { Recorder } from "../recorder.ts";
import { packParams } from "../recorder.ts";
import { binding, fmtShape, numel, type Tensor } from "../tensor.ts";

// ---------------------------------------------------------------------------------------------
// Shared helpers: validation and 1-D dispatch grids.

/** `name [d0, d1]` for each tensor, for error messages. */
export function describeTensors(tensors: Record<string, Tensor | null | undefined>): string {
  return Object.entries(tensors)
    .filter(([, t]) => t)
    .map(([name, t]) => `${name} ${fmtShape(t!.shape)}${t!.dtype === "u32" ? " u32" : ""}`)
    .join(", ");
}

/** A RangeError that names the op, the problem and the shapes involved. */
export function opError(
  op: string,
  problem: string,
  tensors: Record<string, Tensor | null | undefined> = {},
): RangeError {
  const shapes = describeTensors(tensors);
  return new RangeError(`${op}: ${problem}${shapes ? ` (${shapes})` : ""}`);
}

/**
 * Check every tensor before dispatch: its dtype (when `dtypes` names one), that it fits its buffer,
 * and that its binding is within `maxStorageBufferBindingSize`. Throws {@link opError}.
 */
export function checkBindings(
  rec: Recorder,
  op: string,
  tensors: Record<string, Tensor | null | undefined>,
  dtypes: Record<string, "f32" | "u32"> = {},
): void {
  const limit = rec.device.limits.maxStorageBufferBindingSize;
  for (const [name, t] of Object.entries(tensors)) {
    if (!t) continue;
    const want = dtypes[name] ?? "f32";
    if (t.dtype !== want) throw opError(op, `${name} must be ${want}, got ${t.dtype}`, tensors);
    const b = binding(t);
    if (b.size > limit) {
      throw opError(
        op,
        `${name} binds ${b.size} bytes, over maxStorageBufferBindingSize ${limit}`,
        tensors,
      );
    }
    if (b.offset + b.size > t.buffer.size) {
      throw opError(op, `${name} runs past the end of its ${t.buffer.size}-byte buffer`, tensors);
    }
  }
}

/**
 * WebGPU tracks storage usage per whole buffer within one dispatch: a buffer bound writable may
 * not also be bound read-only, even at a disjoint range (two writable bindings of one buffer are
 * allowed, but must not overlap). Throw {@link opError} naming the pair otherwise.
 */
export function checkNoAlias(
  op: string,
  written: Record<string, Tensor | null | undefined>,
  read: Record<string, Tensor | null | undefined> = {},
): void {
  const present = (m: Record<string, Tensor | null | undefined>) =>
    Object.entries(m).filter(([, t]) => t) as [string, Tensor][];
  const w = present(written), r = present(read).filter(([name]) => !(name in written));
  const all = { ...read, ...written };
  for (const [name, t] of w) {
    for (const [other, u] of r) {
      if (u.buffer === t.buffer) {
        throw opError(
          op,
          `${name} is written and shares its buffer with ${other}, which is read (WebGPU ` +
            "forbids a read-only and a writable binding of one buffer in one dispatch)",
          all,
        );
      }
    }
    for (const [other, u] of w) {
      if (other === name || u.buffer !== t.buffer) continue;
      const a = binding(t), b = binding(u);
      if (a.offset < b.offset + b.size && b.offset < a.offset + a.size) {
        throw opError(op, `${name} and ${other} are both written and overlap`, all);
      }
    }
  }
}

/** Rows and columns of a tensor read as a matrix: columns = last dimension. */
export function rowsCols(t: Tensor): { rows: number; cols: number } {
  const cols = t.shape.length ? t.shape[t.shape.length - 1] : 1;
  return { rows: cols ? numel(t.shape) / cols : 0, cols };
}

/** Invocations per workgroup for the 1-D kernels of this folder. */
export const WG = 256;

/**
 * Workgroup counts [x, y] covering `groups` workgroups without passing the per-dimension limit;
 * shaders recover the flat workgroup index as `wid.y * nwg.x + wid.x` (see {@link FLAT_INDEX}).
 */
export function grid(rec: Recorder, groups: number): [number, number] {
  const limit = rec.device.limits.maxComputeWorkgroupsPerDimension;
  if (groups <= limit) return [groups, 1];
  const y = Math.ceil(groups / limit);
  if (y > limit) throw new RangeError(`${groups} workgroups exceed the 2-D limit ${limit}²`);
  return [Math.ceil(groups / y), y];
}

/** WGSL `flatIndex(wid, nwg, lid)`: the flat invocation index of a {@link grid} dispatch. */
export function flatIndexWgsl(workgroupSize: number): string {
  return `
fn flatIndex(wid: vec3u, nwg: vec3u, lid: vec3u) -> u32 {
  return (wid.y * nwg.x + wid.x) * ${workgroupSize}u + lid.x;
}`;
}

/** {@link flatIndexWgsl} for workgroup size {@link WG}. */
export const FLAT_INDEX = flatIndexWgsl(WG);

// ---------------------------------------------------------------------------------------------
// Texture staging. On llvmpipe a storage-buffer load costs ~8 ns per float per invocation, a
// texel fetch of 4 floats ~4 ns, a buffer→texture copy ~0.5 ns per float, and a vec4 storage
// store ~1.6 ns per float (a scalar one ~4.5 ns). So on software adapters the ops copy their
// inputs into rgba32float textures and read them with textureLoad, and write vec4s; elsewhere
// (and for shapes whose rows are not a whole number of vec4s) they read storage buffers.

/** Texels (4 f32 each) per row of a staging texture: flat layout, texel e at (e & 63, e >> 6). */
export const TEXELS_PER_ROW = 64;

const SOFTWARE = /llvmpipe|lavapipe|softpipe|swiftshader|warp|software/i;
const stagingOverride = new WeakMap<GPUDevice, boolean>();

/**
 * Whether ops stage their inputs through textures on `device`: yes on software adapters (by the
 * adapter description), no elsewhere, unless {@link setTextureStaging} said otherwise.
 */
export function usesTextureStaging(device: GPUDevice): boolean {
  const forced = stagingOverride.get(device);
  if (forced !== undefined) return forced;
  const info = (device as unknown as { adapterInfo?: GPUAdapterInfo }).adapterInfo;
  return SOFTWARE.test(`${info?.description ?? ""} ${info?.device ?? ""}`);
}

/** Force texture staging on or off for `device` (undefined: back to the adapter default). */
export function setTextureStaging(device: GPUDevice, on: boolean | undefined): void {
  if (on === undefined) stagingOverride.delete(device);
  else stagingOverride.set(device, on);
}

/** A staged input: the texture view to bind and log2 of its rows per array layer. */
export interface Staged {
  view: GPUTextureView;
  logH: number;
}

interface StagingCache {
  textures: Map<string, { texture: GPUTexture; view: GPUTextureView }>;
  pad?: GPUBuffer;
}
const stagingCaches = new WeakMap<GPUDevice, StagingCache>();

function stagingCache(device: GPUDevice): StagingCache {
  let cache = stagingCaches.get(device);
  if (!cache) stagingCaches.set(device, cache = { textures: new Map() });
  return cache;
}

/** Rows per layer (a power of two) and layers of the staging texture for `elements` f32. */
function stagingGeometry(limits: GPUSupportedLimits, elements: number) {
  const texels = Math.max(1, Math.ceil(elements / 4));
  const rows = Math.ceil(texels / TEXELS_PER_ROW);
  const maxH = 2 ** Math.floor(Math.log2(limits.maxTextureDimension2D));
  const height = Math.min(2 ** Math.ceil(Math.log2(rows)), maxH);
  return { texels, height, layers: Math.ceil(rows / height) };
}

/**
 * Whether elements [elementOffset, elementOffset + elements) of `t` can be staged on `device`:
 * its buffer can be copied from, the range starts on a 16-byte boundary, and it fits the
 * device's texture limits.
 */
export function canStage(
  device: GPUDevice,
  t: Tensor,
  elementOffset = 0,
  elements = numel(t.shape) - elementOffset,
): boolean {
  return (t.buffer.usage & GPUBufferUsage.COPY_SRC) !== 0 &&
    ((t.offset ?? 0) + elementOffset * 4) % 16 === 0 &&
    stagingGeometry(device.limits, elements).layers <= device.limits.maxTextureArrayLayers;
}

/**
 * Record the copy of `elements` f32 of `t` from `elementOffset` (see {@link canStage}) into the
 * cached staging texture `slot` (closing the open compute pass), padded to whole texels. Slots
 * are reused across ops: commands run in order, so a copy lands after the previous reader.
 * Use a different slot for each input of one dispatch.
 */
export function stage(
  rec: Recorder,
  op: string,
  t: Tensor,
  slot: number,
  elementOffset = 0,
  elements = numel(t.shape) - elementOffset,
): Staged {
  const device = rec.device;
  const { texels, height, layers } = stagingGeometry(device.limits, elements);
  if (!canStage(device, t, elementOffset, elements)) {
    throw opError(op, `cannot stage ${elements} elements (usage, alignment or size)`, { t });
  }
  const cache = stagingCache(device);
  const key = `${slot}:${height}:${layers}`;
  let entry = cache.textures.get(key);
  if (!entry) {
    const texture = device.createTexture({
      label: `staging ${key}`,
      size: [TEXELS_PER_ROW, height, layers],
      format: "rgba32float",
      usage: GPUTextureUsage.TEXTURE_BINDING | GPUTextureUsage.COPY_DST,
    });
    entry = { texture, view: texture.createView({ dimension: "2d-array" }) };
    cache.textures.set(key, entry);
  }
  const encoder = rec.encoder();
  let source = t.buffer, offset = (t.offset ?? 0) + elementOffset * 4;
  if (offset + texels * 16 > source.size) {
    // The last texel would read past the buffer: go through a padded copy.
    if (!cache.pad || cache.pad.size < texels * 16) {
      // (The old pad is left to the garbage collector: recorded commands may still use it.)
      cache.pad = device.createBuffer({
        label: "staging pad",
        size: texels * 16,
        usage: GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
      });
    }
    encoder.copyBufferToBuffer(source, offset, cache.pad, 0, elements * 4);
    source = cache.pad;
    offset = 0;
  }
  const rowBytes = TEXELS_PER_ROW * 16;
  const copy = (row: number, width: number, count: number, depth: number) =>
    encoder.copyBufferToTexture(
      {
        buffer: source,
        offset: offset + row * rowBytes,
        bytesPerRow: rowBytes,
        rowsPerImage: height,
      },
      { texture: entry.texture, origin: [0, row % height, Math.floor(row / height)] },
      [width, count, depth],
    );
  const fullRows = Math.floor(texels / TEXELS_PER_ROW);
  const fullLayers = Math.floor(fullRows / height);
  if (fullLayers > 0) copy(0, TEXELS_PER_ROW, height, fullLayers);
  const restRows = fullRows - fullLayers * height;
  if (restRows > 0) copy(fullLayers * height, TEXELS_PER_ROW, restRows, 1);
  const restTexels = texels - fullRows * TEXELS_PER_ROW;
  if (restTexels > 0) copy(fullRows, restTexels, 1, 1);
  return { view: entry.view, logH: Math.log2(height) };
}

/**
 * WGSL for a staged input bound at `bindingIndex`: a texture `<name>Tex` and `fn <name>4(e: u32)
 * -> vec4f` returning texel e (elements 4e … 4e+3). `logH` names the u32 uniform field holding
 * {@link Staged.logH}.
 */
export function stagedInput(name: string, bindingIndex: number, logH: string): string {
  return `@group(0) @binding(${bindingIndex}) var ${name}Tex: texture_2d_array<f32>;
fn ${name}4(e: u32) -> vec4f {
  let y = e >> 6u;
  return textureLoad(${name}Tex, vec2u(e & 63u, y & ((1u << p.${logH}) - 1u)), y >> p.${logH}, 0);
}`;
}

/** Destroy the cached staging textures and pad buffer of `device`. */
export function releaseStaging(device: GPUDevice): void {
  const cache = stagingCaches.get(device);
  for (const { texture } of cache?.textures.values() ?? []) texture.destroy();
  cache?.pad?.destroy();
  stagingCaches.delete(device);
}

/** Elements each invocation of the flat kernels handles (a contiguous run). */
export const PER_INVOCATION = 8;

/** Workgroups for `n` elements, {@link PER_INVOCATION} per invocation, {@link WG} per group. */
function flatGroups(n: number): number {
  return Math.ceil(n / (WG * PER_INVOCATION));
}

/** A flat kernel: `body` runs for every `i` in this invocation's run of [0, p.n). */
function flatKernel(decls: string, body: string): string {
  return `
${decls}
${FLAT_INDEX}
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_id) lid: vec3u) {
  let first = flatIndex(wid, nwg, lid) * ${PER_INVOCATION}u;
  let end = min(first + ${PER_INVOCATION}u, p.n);
  for (var i = first; i < end; i = i + 1u) {
    ${body}
  }
}`;
}

// ---------------------------------------------------------------------------------------------
// Kernels. On llvmpipe every storage access costs far more than arithmetic, so each kernel
// touches each element once, and each invocation handles a short contiguous run.

const FILL = flatKernel(
  `struct P { n: u32, offset: u32, bits: u32 }
@group(0) @binding(0) var<uniform> p: P;
@group(0) @binding(1) var<storage, read_write> a: array<u32>;`,
  "a[p.offset + i] = p.bits;",
);

const ADD = flatKernel(
  `struct P { n: u32, alpha: f32 }
@group(0) @binding(0) var<uniform> p: P;
@group(0) @binding(1) var<storage, read_write> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;`,
  "a[i] = a[i] + p.alpha * b[i];",
);

const SCALE = flatKernel(
  `struct P { n: u32, s: f32 }
@group(0) @binding(0) var<uniform> p: P;
@group(0) @binding(1) var<storage, read_write> a: array<f32>;`,
  "a[i] = a[i] * p.s;",
);

const COPY = flatKernel(
  `struct P { n: u32 }
@group(0) @binding(0) var<uniform> p: P;
@group(0) @binding(1) var<storage, read> src: array<u32>;
@group(0) @binding(2) var<storage, read_write> dst: array<u32>;`,
  "dst[i] = src[i];",
);

/** vec4 variants: `i` counts vec4s; inputs come from staged textures (`a4(i)`, `b4(i)`). */
const FILL4 = flatKernel(
  `struct P { n: u32, offset: u32, bits: u32 }
@group(0) @binding(0) var<uniform> p: P;
@group(0) @binding(1) var<storage, read_write> a: array<vec4u>;`,
  "a[p.offset + i] = vec4u(p.bits);",
);

const ADD4 = flatKernel(
  `struct P { n: u32, alpha: f32, logHA: u32, logHB: u32 }
@group(0) @binding(0) var<uniform> p: P;
@group(0) @binding(1) var<storage, read_write> a: array<vec4f>;
${stagedInput("a", 2, "logHA")}
${stagedInput("b", 3, "logHB")}`,
  "a[i] = a4(i) + p.alpha * b4(i);",
);

const SCALE4 = flatKernel(
  `struct P { n: u32, s: f32, logHA: u32 }
@group(0) @binding(0) var<uniform> p: P;
@group(0) @binding(1) var<storage, read_write> a: array<vec4f>;
${stagedInput("a", 2, "logHA")}`,
  "a[i] = a4(i) * p.s;",
);

/** Whether `t` is whole vec4s at a 16-byte aligned start (elements [offset, offset+length)). */
function quads(t: Tensor, offset = 0, length = numel(t.shape) - offset): boolean {
  return offset % 4 === 0 && length % 4 === 0 && (t.offset ?? 0) % 16 === 0;
}

/** Whether an elementwise op takes the staged vec4 path for these tensors. */
function staging(rec: Recorder, tensors: Tensor[]): boolean {
  return usesTextureStaging(rec.device) &&
    tensors.every((t) => quads(t) && canStage(rec.device, t));
}

/**
 * Set `out` (or the element range `range` of it) to `value` (default 0): an f32 for f32 tensors,
 * an integer for u32 tensors. Writes raw 32-bit words, so no value is flushed or canonicalised.
 */
export function fill(
  rec: Recorder,
  out: Tensor,
  value = 0,
  range?: { offset: number; length: number },
): void {
  const op = "fill";
  const n = numel(out.shape);
  const { offset = 0, length = n } = range ?? {};
  if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length < 0) {
    throw opError(op, `range offset ${offset} length ${length} must be non-negative integers`);
  }
  if (offset + length > n) {
    throw opError(op, `range [${offset}, ${offset + length}) is outside out`, { out });
  }
  checkBindings(rec, op, { out }, { out: out.dtype });
  const bits = out.dtype === "f32" ? [2] : [];
  if (quads(out, offset, length)) {
    rec.dispatch(
      FILL4,
      packParams([length / 4, offset / 4, value], bits),
      [binding(out)],
      grid(rec, flatGroups(length / 4)),
      op,
    );
    return;
  }
  rec.dispatch(
    FILL,
    packParams([length, offset, value], bits),
    [binding(out)],
    grid(rec, flatGroups(length)),
    op,
  );
}

/** `a += alpha · b`, elementwise over equal-sized f32 tensors (alpha defaults to 1). */
export function add(rec: Recorder, a: Tensor, b: Tensor, alpha = 1): void {
  const op = "add";
  if (numel(a.shape) !== numel(b.shape)) throw opError(op, "sizes differ", { a, b });
  checkBindings(rec, op, { a, b });
  checkNoAlias(op, { a }, { b });
  const n = numel(a.shape);
  if (staging(rec, [a, b])) {
    const sa = stage(rec, op, a, 0), sb = stage(rec, op, b, 1);
    rec.dispatch(
      ADD4,
      packParams([n / 4, alpha, sa.logH, sb.logH], [1]),
      [binding(a), sa.view, sb.view],
      grid(rec, flatGroups(n / 4)),
      op,
    );
    return;
  }
  rec.dispatch(
    ADD,
    packParams([n, alpha], [1]),
    [binding(a), binding(b)],
    grid(rec, flatGroups(n)),
    op,
  );
}

/** `a *= s`, elementwise. */
export function scale(rec: Recorder, a: Tensor, s: number): void {
  const op = "scale";
  checkBindings(rec, op, { a });
  const n = numel(a.shape);
  if (staging(rec, [a])) {
    const sa = stage(rec, op, a, 0);
    rec.dispatch(
      SCALE4,
      packParams([n / 4, s, sa.logH], [1]),
      [binding(a), sa.view],
      grid(rec, flatGroups(n / 4)),
      op,
    );
    return;
  }
  rec.dispatch(SCALE, packParams([n, s], [1]), [binding(a)], grid(rec, flatGroups(n)), op);
}

/**
 * `dst = src`, raw 32-bit words (exact for u32 tensors too; both must have the same dtype): a
 * buffer copy command when the buffers allow it (COPY_SRC / COPY_DST), else a kernel.
 */
export function copy(rec: Recorder, src: Tensor, dst: Tensor): void {
  const op = "copy";
  if (numel(src.shape) !== numel(dst.shape)) throw opError(op, "sizes differ", { src, dst });
  if (src.dtype !== dst.dtype) throw opError(op, "dtypes differ", { src, dst });
  checkBindings(rec, op, { src, dst }, { src: src.dtype, dst: dst.dtype });
  checkNoAlias(op, { dst }, { src });
  const n = numel(src.shape);
  const copyable = (src.buffer.usage & GPUBufferUsage.COPY_SRC) !== 0 &&
    (dst.buffer.usage & GPUBufferUsage.COPY_DST) !== 0;
  if (copyable && n > 0) {
    rec.encoder().copyBufferToBuffer(
      src.buffer,
      src.offset ?? 0,
      dst.buffer,
      dst.offset ?? 0,
      n * 4,
    );
    return;
  }
  rec.dispatch(
    COPY,
    packParams([n]),
    [binding(src), binding(dst)],
    grid(rec, flatGroups(n)),
    op,
  );
}
