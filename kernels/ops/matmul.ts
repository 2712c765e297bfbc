/**
 * matmul: C = alpha·op(A)·op(B) (+ R), with transpose modes NN / NT / TN, an optional batch
 * (per-batch element strides, e.g. attention heads) and a fused residual epilogue
 * (R may be C itself: accumulate, for gradient accumulation and residual streams).
 *
 * Shapes (leading dims are the batch; B may have none, then it is shared by every batch entry):
 *   NN: A [..., M, K] · B [..., K, N] → C [..., M, N]
 *   NT: A [..., M, K] · B [..., N, K] → C [..., M, N]     (y = x·Wᵀ with W[out, in])
 *   TN: A [..., K, M] · B [..., K, N] → C [..., M, N]     (dW = dyᵀ·x)
 *
 * The kernel variant (operand source and tile) comes from, in order: `options.variant`, the
 * autotuned choice cached for this adapter and shape class (see kernels/autotune.ts,
 * matmul_tune.ts), or {@link defaultMatmulVariant}. Every variant gives bitwise identical results.
 */
import { lookupTuned } from "../autotune.ts";
import { fixedSubgroupSize, isSoftwareDevice } from "../device.ts";
import type { Binding, Recorder } from "../recorder.ts";
import { canStage, canStagePanels, type PanelWidth, stage, stagePanels } from "../staging.ts";
import { binding, fmtShape, numel, type Tensor } from "../tensor.ts";
import {
  blockShape,
  type KernelSpec,
  MATMUL_UNIFORMS,
  type MatmulSource,
  matmulWgsl,
  panelWidth,
  type Transpose,
} from "./matmul_wgsl.ts";

export type { MatmulSource, Transpose } from "./matmul_wgsl.ts";

/** A kernel variant: operand source, outputs per invocation (tm × tn), workgroup size. */
export interface MatmulVariant {
  source: MatmulSource;
  tm: number;
  tn: number;
  wg: number;
  /**
   * Texture source only: share texel fetches across a subgroup of S lanes computing R = `sgRows`
   * tile rows × S / R tile columns (see kernels/ops/matmul_share.ts). Needs WGSL subgroups with
   * a fixed size S ({@link fixedSubgroupSize}) dividing `wg`, and R dividing S. Unset: no sharing.
   */
  sgRows?: number;
  /**
   * Texture source only: `false` stages every operand in the flat layout. Unset: operands are
   * staged as panels where their shapes allow (see {@link operandPanels}). Same results either way.
   */
  panels?: false;
}

/** Options of {@link matmul}. */
export interface MatmulOptions {
  /** Transpose mode; default "NN". */
  trans?: Transpose;
  /** Scale of the product: C = R + alpha·op(A)·op(B). Default 1. */
  alpha?: number;
  /** Residual added in the epilogue; pass `c` itself to accumulate into C. */
  residual?: Tensor;
  /**
   * Matrix dims, for tensors whose shapes do not spell them out (e.g. flat buffers with padded
   * batch strides); then only each tensor's element count is checked. Default: the last two dims.
   */
  dims?: { m: number; n: number; k: number };
  /**
   * Batch count, when the batch is not simply the leading dims of C. Strides default to the
   * matrix sizes (0 for B is allowed: one B shared by every batch entry).
   */
  batch?: number;
  /** Elements between consecutive batch entries of A / B / C / the residual. */
  strideA?: number;
  strideB?: number;
  strideC?: number;
  strideR?: number;
  /** Force a kernel variant (tests, benches, tuning). Throws if it cannot run this problem. */
  variant?: MatmulVariant;
}

/** A validated matmul problem: everything that decides the kernel and its parameters. */
export interface MatmulProblem {
  trans: Transpose;
  m: number;
  n: number;
  k: number;
  batch: number;
  strideA: number;
  strideB: number;
  strideC: number;
  strideR: number;
  residual: "none" | "self" | "separate";
  alpha: number;
}

/**
 * The variant used when nothing is tuned or forced (e.g. scoring): texture operands when
 * possible; on software adapters (llvmpipe/lavapipe) with 8-wide subgroups 8×8 tiles whose A
 * fetches are shared along a row of 8 tiles (the fastest or close on most model shapes, and ~10 %
 * ahead of 16×16 sg2 on the scoring shapes, `deno task variants matmul`), else 16×16 tiles,
 * whose big register tiles amortize the fetches; 8×8 tiles elsewhere.
 */
export function defaultMatmulVariant(device: GPUDevice, textureOk: boolean): MatmulVariant {
  const source = textureOk ? "texture" : "buffer";
  if (!textureOk || !isSoftwareDevice(device)) return { source, tm: 8, tn: 8, wg: 64 };
  if (fixedSubgroupSize(device) === 8) return { source, tm: 8, tn: 8, wg: 32, sgRows: 1 };
  return { source, tm: 16, tn: 16, wg: 32 };
}

/**
 * Format a variant for logs and bench results, e.g. `texture 8x8 wg64`, `… sg2` (sgRows 2),
 * `… flat` (panels off).
 */
export function formatVariant(v: MatmulVariant): string {
  return `${v.source} ${v.tm}x${v.tn} wg${v.wg}${v.sgRows ? ` sg${v.sgRows}` : ""}${
    v.panels === false ? " flat" : ""
  }`;
}

/** Whether `device` can run `v`'s subgroup sharing (true for variants without it). */
export function subgroupOk(device: GPUDevice, v: MatmulVariant): boolean {
  if (v.sgRows === undefined) return true;
  const sg = fixedSubgroupSize(device);
  return v.source === "texture" && sg > 0 && v.wg % sg === 0 && Number.isInteger(v.sgRows) &&
    v.sgRows >= 1 && sg % v.sgRows === 0;
}

/**
 * The op name tuned choices are cached under. Versioned with the candidates: a new set (v2 added
 * the subgroup-sharing variants, v3 staged operands as panels, v4 the tiles with one tile row per
 * subgroup) measures afresh instead of reusing older choices.
 */
export const MATMUL_TUNE_KEY = "matmul-v4";

const TRANSPOSES: readonly Transpose[] = ["NN", "NT", "TN"];

/**
 * Validate shapes, strides and device limits; throw a RangeError naming the op and the shapes.
 */
export function matmulProblem(
  device: GPUDevice,
  a: Tensor,
  b: Tensor,
  c: Tensor,
  options: MatmulOptions = {},
): MatmulProblem {
  const trans = options.trans ?? "NN";
  const op = `matmul ${trans}`;
  const shapes = () =>
    `A ${fmtShape(a.shape)}, B ${fmtShape(b.shape)}, C ${fmtShape(c.shape)}` +
    (options.residual ? `, R ${fmtShape(options.residual.shape)}` : "");
  const fail = (why: string): never => {
    throw new RangeError(`${op}: ${why} (${shapes()})`);
  };
  if (!TRANSPOSES.includes(trans)) fail(`unknown transpose mode "${trans}"`);
  const dims = options.dims;
  for (const [name, t] of [["A", a], ["B", b], ["C", c]] as const) {
    if (!dims && t.shape.length < 2) fail(`${name} needs at least 2 dims`);
    if (t.dtype !== "f32") fail(`${name} must be f32`);
    if (t.shape.some((d) => !Number.isInteger(d) || d < 0)) fail(`${name} has a bad dim`);
  }
  const last2 = (t: Tensor) => [t.shape[t.shape.length - 2], t.shape[t.shape.length - 1]];
  let m: number, n: number, k: number;
  if (dims) {
    ({ m, n, k } = dims);
    if (![m, n, k].every((d) => Number.isInteger(d) && d >= 0)) {
      fail(`dims must be non-negative integers, got ${JSON.stringify(dims)}`);
    }
    if (options.batch === undefined) fail("dims need an explicit batch");
  } else {
    [m, n] = last2(c);
    const [a0, a1] = last2(a);
    const [b0, b1] = last2(b);
    const [am, ak] = trans === "TN" ? [a1, a0] : [a0, a1];
    const [bk, bn] = trans === "NT" ? [b1, b0] : [b0, b1];
    if (am !== m) fail(`op(A) has ${am} rows, C has ${m}`);
    if (bn !== n) fail(`op(B) has ${bn} columns, C has ${n}`);
    if (ak !== bk) fail(`op(A) has K = ${ak}, op(B) has K = ${bk}`);
    k = ak;
  }
  const lead = (t: Tensor) => numel(t.shape.slice(0, -2));

  let batch: number;
  let strideA: number, strideB: number, strideC: number;
  if (options.batch !== undefined) {
    batch = options.batch;
    if (!Number.isInteger(batch) || batch < 1) {
      fail(`batch must be a positive integer, got ${batch}`);
    }
    strideA = options.strideA ?? m * k;
    strideB = options.strideB ?? k * n;
    strideC = options.strideC ?? m * n;
  } else {
    batch = lead(c);
    if (lead(a) !== batch) fail(`A has ${lead(a)} batch entries, C has ${batch}`);
    if (lead(b) !== batch && lead(b) !== 1) fail(`B has ${lead(b)} batch entries, C has ${batch}`);
    strideA = options.strideA ?? m * k;
    strideB = options.strideB ?? (lead(b) === 1 ? 0 : k * n);
    strideC = options.strideC ?? m * n;
  }
  for (const [name, s] of [["strideA", strideA], ["strideB", strideB], ["strideC", strideC]]) {
    if (!Number.isInteger(s) || (s as number) < 0) fail(`${name} must be a non-negative integer`);
  }
  if (batch > 1 && strideC < m * n) fail(`strideC ${strideC} makes batch outputs overlap`);
  const extent = (stride: number, size: number) => (batch === 0 ? 0 : (batch - 1) * stride + size);
  if (extent(strideA, m * k) > numel(a.shape)) fail(`A is too small for ${batch} batch entries`);
  if (extent(strideB, k * n) > numel(b.shape)) fail(`B is too small for ${batch} batch entries`);
  if (extent(strideC, m * n) > numel(c.shape)) fail(`C is too small for ${batch} batch entries`);

  let residual: MatmulProblem["residual"] = "none";
  let strideR = strideC;
  const r = options.residual;
  if (r) {
    const same = r.buffer === c.buffer && (r.offset ?? 0) === (c.offset ?? 0);
    if (same) {
      residual = "self";
      if (options.strideR !== undefined && options.strideR !== strideC) {
        fail("an accumulating residual (R = C) must use C's stride");
      }
    } else {
      if (r.buffer === c.buffer) fail("R and C are different views of one buffer");
      residual = "separate";
      strideR = options.strideR ?? strideC;
      const [r0, r1] = last2(r);
      if (!dims && (r0 !== m || r1 !== n)) fail(`R must be ${m}x${n}`);
      if (extent(strideR, m * n) > numel(r.shape)) {
        fail(`R is too small for ${batch} batch entries`);
      }
    }
  }
  if (a.buffer === c.buffer || b.buffer === c.buffer) {
    fail("A or B shares C's buffer (WebGPU forbids a read_write binding beside another binding)");
  }
  const alpha = options.alpha ?? 1;
  if (!Number.isFinite(alpha)) fail(`alpha must be finite, got ${alpha}`);

  const limit = device.limits.maxStorageBufferBindingSize;
  for (const [name, t] of [["C", c], ["R", r]] as const) {
    if (t && binding(t).size > limit) {
      fail(
        `${name} binding of ${binding(t).size} bytes exceeds maxStorageBufferBindingSize ${limit}`,
      );
    }
  }
  return { trans, m, n, k, batch, strideA, strideB, strideC, strideR, residual, alpha };
}

/** Elements of A and of B that the batch reads (from each tensor's start). */
function operandSpans(p: MatmulProblem): { a: number; b: number } {
  const span = (stride: number, size: number) => (p.batch - 1) * stride + size;
  return { a: span(p.strideA, p.m * p.k), b: span(p.strideB, p.k * p.n) };
}

/** Whether the texture variant can run `p` with these tensors on `device`. */
export function textureApplicable(
  device: GPUDevice,
  p: MatmulProblem,
  a: Tensor,
  b: Tensor,
): boolean {
  const aContig = p.trans === "TN" ? p.m : p.k;
  const bContig = p.trans === "NT" ? p.k : p.n;
  const spans = operandSpans(p);
  return aContig % 4 === 0 && bContig % 4 === 0 && p.strideA % 4 === 0 &&
    p.strideB % 4 === 0 && canStage(device, a, 0, spans.a) && canStage(device, b, 0, spans.b);
}

/** How one operand is staged as panels (kernels/staging.ts stagePanels). */
export interface OperandPanels {
  /** Rows per batch entry: the kernel's batch parameter (0: one matrix shared by every entry). */
  rowsPerBatch: number;
  /** Rows and columns of the whole row-major matrix staged. */
  rows: number;
  cols: number;
  width: PanelWidth;
}

/**
 * Which operands of `p` the texture variant `v` stages as panels, {@link panelWidth} wide: those
 * whose batch entries form one contiguous row-major [batch·rows, cols] matrix or share one, when
 * the panel texture fits. Absent: the flat layout.
 */
export function operandPanels(
  device: GPUDevice,
  p: MatmulProblem,
  v: MatmulVariant,
  a: Tensor,
  b: Tensor,
): { a?: OperandPanels; b?: OperandPanels } {
  if (v.source !== "texture" || v.panels === false) return {};
  // Per batch entry, each operand is a row-major [rows, cols] matrix, rows along k or not.
  const panels = (t: Tensor, alongK: boolean, rows: number, cols: number, stride: number) => {
    const shared = p.batch === 1 || stride === 0;
    if (!shared && stride !== rows * cols) return undefined;
    const staged: OperandPanels = {
      rowsPerBatch: shared ? 0 : rows,
      rows: shared ? rows : p.batch * rows,
      cols,
      width: panelWidth(alongK),
    };
    return canStagePanels(device, t, staged.rows, cols, staged.width) ? staged : undefined;
  };
  const aAlongK = p.trans !== "TN", bAlongK = p.trans === "NT";
  return {
    a: aAlongK ? panels(a, true, p.m, p.k, p.strideA) : panels(a, false, p.k, p.m, p.strideA),
    b: bAlongK ? panels(b, true, p.n, p.k, p.strideB) : panels(b, false, p.k, p.n, p.strideB),
  };
}

/** Whether the buffer variant's A and B bindings fit the device's binding size limit. */
function bufferApplicable(device: GPUDevice, a: Tensor, b: Tensor): boolean {
  const limit = device.limits.maxStorageBufferBindingSize;
  return binding(a).size <= limit && binding(b).size <= limit;
}

/** The shape class a tuned choice is stored under: transpose, size buckets, batch, source. */
export function matmulShapeClass(p: MatmulProblem, textureOk: boolean): string {
  const bucket = (x: number) => 2 ** Math.max(4, Math.ceil(Math.log2(Math.max(1, x))));
  return `${p.trans} ${bucket(p.m)}x${bucket(p.k)}x${bucket(p.n)}${p.batch > 1 ? " batched" : ""}${
    textureOk ? "" : " buffer-only"
  }`;
}

/**
 * Record C = alpha·op(A)·op(B) (+ R) into `rec` and return the variant used. Validates everything
 * before recording; never reads back. With texture operands the open compute pass is closed for
 * the staging copies (and reopened by the next dispatch).
 */
export function matmul(
  rec: Recorder,
  a: Tensor,
  b: Tensor,
  c: Tensor,
  options: MatmulOptions = {},
): MatmulVariant {
  const device = rec.device;
  const p = matmulProblem(device, a, b, c, options);
  const textureOk = textureApplicable(device, p, a, b);
  const bufferOk = bufferApplicable(device, a, b);
  const op = `matmul ${p.trans}`;
  let variant = options.variant;
  if (variant) {
    checkVariant(op, variant);
    if (!subgroupOk(device, variant)) {
      throw new RangeError(
        `${op}: variant ${formatVariant(variant)} needs texture operands and WGSL subgroups of ` +
          `a fixed size S with S | wg and sgRows | S (this device: S = ${
            fixedSubgroupSize(device) || "none"
          })`,
      );
    }
    if (variant.source === "texture" && !textureOk) {
      throw new RangeError(
        `${op}: the texture variant cannot run A ${fmtShape(a.shape)}, B ${fmtShape(b.shape)} ` +
          "(needs contiguous dims and strides that are multiples of 4, COPY_SRC buffers, and " +
          "operands within the texture limits)",
      );
    }
  } else {
    const tuned = lookupTuned<MatmulVariant>(
      device,
      MATMUL_TUNE_KEY,
      matmulShapeClass(p, textureOk),
    );
    const usable = tuned && (tuned.source === "buffer" || textureOk) &&
      subgroupOk(device, tuned);
    variant = usable ? tuned : undefined;
    variant ??= defaultMatmulVariant(device, textureOk);
  }
  if (variant.source === "buffer" && !bufferOk) {
    throw new RangeError(
      `${op}: A ${fmtShape(a.shape)} or B ${
        fmtShape(b.shape)
      } exceeds maxStorageBufferBindingSize ` +
        `${device.limits.maxStorageBufferBindingSize} and cannot be staged as a texture`,
    );
  }
  if (p.m === 0 || p.n === 0 || p.batch === 0) return variant;
  recordMatmul(rec, p, variant, a, b, c, options.residual);
  return variant;
}

function checkVariant(op: string, v: MatmulVariant): void {
  const ok = (v.source === "texture" || v.source === "buffer") && v.tm % 4 === 0 &&
    v.tn % 4 === 0 && v.tm >= 4 && v.tn >= 4 && v.tm <= 32 && v.tn <= 32 &&
    Number.isInteger(v.wg) && v.wg >= 1 && v.wg <= 256 &&
    (v.panels === undefined || (v.panels === false && v.source === "texture"));
  if (!ok) throw new RangeError(`${op}: bad variant ${JSON.stringify(v)}`);
}

let storageTextures: boolean | undefined;

/** Read-only storage textures when WGSL has them (cheaper fetches on llvmpipe), else sampled. */
function useStorageTextures(): boolean {
  storageTextures ??= (navigator.gpu as unknown as { wgslLanguageFeatures?: Set<string> })
    .wgslLanguageFeatures?.has("readonly_and_readwrite_storage_textures") ?? false;
  return storageTextures;
}

function recordMatmul(
  rec: Recorder,
  p: MatmulProblem,
  v: MatmulVariant,
  a: Tensor,
  b: Tensor,
  c: Tensor,
  r: Tensor | undefined,
): void {
  const device = rec.device;
  const vecStore = p.n % 4 === 0 && p.strideC % 4 === 0 &&
    (p.residual !== "separate" || p.strideR % 4 === 0);
  const panels = operandPanels(device, p, v, a, b);
  const spec: KernelSpec = {
    trans: p.trans,
    source: v.source,
    tm: v.tm,
    tn: v.tn,
    wg: v.wg,
    residual: p.residual,
    scaled: p.alpha !== 1,
    vecStore,
    storageTexture: useStorageTextures(),
    subgroup: v.sgRows ? fixedSubgroupSize(device) : 0,
    sgRows: v.sgRows ?? 1,
    panelA: panels.a !== undefined,
    panelB: panels.b !== undefined,
  };
  const tilesM = Math.ceil(p.m / v.tm);
  const tilesN = Math.ceil(p.n / v.tn);
  const { bw, bh } = blockShape(v.wg, spec.subgroup, spec.sgRows);
  const blocksN = Math.ceil(tilesN / bw);
  const tilesPerBatch = Math.ceil(tilesM / bh) * blocksN * v.wg;
  const tiles = tilesPerBatch * p.batch;
  const groups = Math.ceil(tiles / v.wg);
  const maxDim = device.limits.maxComputeWorkgroupsPerDimension;
  const groupsX = Math.min(groups, maxDim);
  const groupsY = Math.ceil(groups / groupsX);
  if (groupsY > maxDim) {
    throw new RangeError(
      `matmul ${p.trans}: ${groups} workgroups exceed ${maxDim}² (M ${p.m}, N ${p.n}, batch ${p.batch})`,
    );
  }
  const bindings: Binding[] = [];
  let logHA = 0, logHB = 0;
  if (v.source === "texture") {
    const op = `matmul ${p.trans}`, spans = operandSpans(p);
    const staged = (t: Tensor, slot: string, elements: number, pn?: OperandPanels) =>
      pn
        ? { view: stagePanels(rec, op, t, slot, pn.rows, pn.cols, pn.width), logH: 0 }
        : stage(rec, op, t, slot, { elements });
    const sa = staged(a, "matmul A", spans.a, panels.a);
    const sb = staged(b, "matmul B", spans.b, panels.b);
    bindings.push(sa.view, sb.view);
    logHA = sa.logH;
    logHB = sb.logH;
  } else {
    bindings.push(binding(a), binding(b));
  }
  bindings.push(binding(c));
  if (p.residual === "separate") bindings.push(binding(r!));
  const params = MATMUL_UNIFORMS.pack({
    m: p.m,
    n: p.n,
    k: p.k,
    tilesM,
    tilesN,
    blocksN,
    tilesPerBatch,
    tiles,
    groupsX,
    aBatch: panels.a?.rowsPerBatch ?? p.strideA,
    bBatch: panels.b?.rowsPerBatch ?? p.strideB,
    cBatch: p.strideC,
    rBatch: p.strideR,
    alpha: p.alpha,
    logHA,
    logHB,
  });
  rec.dispatch(wgslFor(spec), params, bindings, [groupsX, groupsY], `matmul ${p.trans}`);
}

const sources = new Map<string, string>();

/** The WGSL for `spec`, generated once per process. */
function wgslFor(spec: KernelSpec): string {
  const key = JSON.stringify(spec);
  let code = sources.get(key);
  if (!code) sources.set(key, code = matmulWgsl(spec));
  return code;
}
