/**
 * Elementwise helpers over flat f32 buffers: fill, add, scale, copy. On software adapters
 * (`usesTextureStaging`, kernels/staging.ts) add and scale read their inputs from staged textures
 * and write vec4s when the tensors are whole vec4s; elsewhere they read storage buffers.
 */
import type { Recorder } from "../recorder.ts";
import { stage, stagedInput, vec4Staging } from "../staging.ts";
import { binding, numel, type Tensor } from "../tensor.ts";
import { f32Bits, uniforms } from "../uniforms.ts";
import { checkBindings, checkNoAlias, opError } from "./checks.ts";
import { flatMainWgsl, grid, PER_INVOCATION, WG } from "./grid.ts";

/** Workgroups for `n` elements, {@link PER_INVOCATION} per invocation, {@link WG} per group. */
function flatGroups(n: number): number {
  return Math.ceil(n / (WG * PER_INVOCATION));
}

/** A flat kernel: `body` runs for every `i` in this invocation's run of [0, p.n). */
function flatKernel(decls: string, body: string): string {
  return `
${decls}
${flatMainWgsl(WG)}
  let first = flatIndex(wid, nwg, lid) * ${PER_INVOCATION}u;
  let end = min(first + ${PER_INVOCATION}u, p.n);
  for (var i = first; i < end; i = i + 1u) {
    ${body}
  }
}`;
}

// ---------------------------------------------------------------------------------------------
// Uniforms.

const FILL_P = uniforms("fill", { n: "u32", offset: "u32", bits: "u32" });
const ADD_P = uniforms("add", { n: "u32", alpha: "f32" });
const SCALE_P = uniforms("scale", { n: "u32", s: "f32" });
const COPY_P = uniforms("copy", { n: "u32" });
const ADD4_P = uniforms("add4", { n: "u32", alpha: "f32", logHA: "u32", logHB: "u32" });
const SCALE4_P = uniforms("scale4", { n: "u32", s: "f32", logHA: "u32" });

// ---------------------------------------------------------------------------------------------
// Kernels. On llvmpipe every storage access costs far more than arithmetic, so each kernel
// touches each element once, and each invocation handles a short contiguous run.

const FILL = flatKernel(
  `${FILL_P.wgsl()}
@group(0) @binding(1) var<storage, read_write> a: array<u32>;`,
  "a[p.offset + i] = p.bits;",
);

const ADD = flatKernel(
  `${ADD_P.wgsl()}
@group(0) @binding(1) var<storage, read_write> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;`,
  "a[i] = a[i] + p.alpha * b[i];",
);

const SCALE = flatKernel(
  `${SCALE_P.wgsl()}
@group(0) @binding(1) var<storage, read_write> a: array<f32>;`,
  "a[i] = a[i] * p.s;",
);

const COPY = flatKernel(
  `${COPY_P.wgsl()}
@group(0) @binding(1) var<storage, read> src: array<u32>;
@group(0) @binding(2) var<storage, read_write> dst: array<u32>;`,
  "dst[i] = src[i];",
);

/** vec4 variants: `i` counts vec4s; inputs come from staged textures (`a4(i)`, `b4(i)`). */
const FILL4 = flatKernel(
  `${FILL_P.wgsl()}
@group(0) @binding(1) var<storage, read_write> a: array<vec4u>;`,
  "a[p.offset + i] = vec4u(p.bits);",
);

const ADD4 = flatKernel(
  `${ADD4_P.wgsl()}
@group(0) @binding(1) var<storage, read_write> a: array<vec4f>;
${stagedInput("a", 2, "logHA")}
${stagedInput("b", 3, "logHB")}`,
  "a[i] = a4(i) + p.alpha * b4(i);",
);

const SCALE4 = flatKernel(
  `${SCALE4_P.wgsl()}
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
  return tensors.every((t) => quads(t)) && vec4Staging(rec.device, tensors);
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
  const bits = out.dtype === "f32" ? f32Bits(value) : value;
  if (quads(out, offset, length)) {
    rec.dispatch(
      FILL4,
      FILL_P.pack({ n: length / 4, offset: offset / 4, bits }),
      [binding(out)],
      grid(rec, flatGroups(length / 4)),
      op,
    );
    return;
  }
  rec.dispatch(
    FILL,
    FILL_P.pack({ n: length, offset, bits }),
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
      ADD4_P.pack({ n: n / 4, alpha, logHA: sa.logH, logHB: sb.logH }),
      [binding(a), sa.view, sb.view],
      grid(rec, flatGroups(n / 4)),
      op,
    );
    return;
  }
  rec.dispatch(
    ADD,
    ADD_P.pack({ n, alpha }),
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
      SCALE4_P.pack({ n: n / 4, s, logHA: sa.logH }),
      [binding(a), sa.view],
      grid(rec, flatGroups(n / 4)),
      op,
    );
    return;
  }
  rec.dispatch(SCALE, SCALE_P.pack({ n, s }), [binding(a)], grid(rec, flatGroups(n)), op);
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
    COPY_P.pack({ n }),
    [binding(src), binding(dst)],
    grid(rec, flatGroups(n)),
    op,
  );
}

/** Every WGSL shader of this file by name (for `deno task wgsl` and the golden tests). */
export function elementwiseShaders(): Record<string, string> {
  return {
    fill: FILL,
    add: ADD,
    scale: SCALE,
    copy: COPY,
    fill4: FILL4,
    add4: ADD4,
    scale4: SCALE4,
  };
}
