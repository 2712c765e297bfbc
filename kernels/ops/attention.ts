/**
 * Causal self-attention, flash-style: online softmax over key blocks, O(T·hd) memory (no T×T
 * matrix is ever stored), softmax scale 1/√hd. The forward writes out [B, T, H, hd] and the row
 * logsumexp lse [B, H, T]; the backward recomputes probabilities from lse in two deterministic
 * kernels (no atomics, fixed summation order): dq (which also writes delta = rowsum(dout∘out)),
 * then dk/dv.
 *
 * Grouped-query attention: k and v (and dk, dv) may have KV < H heads, [B, T, KV, hd] with KV
 * dividing H; query head h then reads key/value head ⌊h / (H / KV)⌋ (Hugging Face's `repeat_kv`).
 *
 * Inputs are staged into cached textures before each kernel (kernels/staging.ts: textureLoad is
 * ~6× cheaper than a storage load on llvmpipe), so recording closes the current compute pass.
 * WGSL lives in attention_wgsl.ts; tile shapes come from {@link attentionTiles}.
 */
import { fixedSubgroupSize, isSoftwareDevice } from "../device.ts";
import type { Recorder } from "../recorder.ts";
import { expectStageable, stage, type StageFormat, stagingGeometry } from "../staging.ts";
import { binding, fmtShape, type Tensor } from "../tensor.ts";
import { checkBindings, expectShape, expectStorageBuffers } from "./checks.ts";
import {
  ATTENTION_GQA_UNIFORMS,
  ATTENTION_UNIFORMS,
  attentionBackwardDkvWgsl,
  attentionBackwardDqWgsl,
  attentionForwardWgsl,
  type AttentionTiles,
} from "./attention_wgsl.ts";

export type { AttentionTiles } from "./attention_wgsl.ts";

/** Options of {@link attention} and {@link attentionBackward}. */
export interface AttentionOptions {
  /** Override the tile shape (benchmarks and tests); default {@link attentionTiles}. */
  tiles?: Partial<AttentionTiles>;
}

/** Largest head dim the unrolled kernels are generated for. */
export const MAX_HEAD_DIM = 128;

/**
 * The default tiles of one kernel for a head dim. On software adapters a workgroup is one 8-wide
 * SIMD row and each invocation owns several rows (loads are dear, spilled registers cheap);
 * chosen by process CPU time per call on llvmpipe at T = 128 and T = 2,048, hd 32 and 64, with
 * compile time in mind (unrolled hd-64 kernels take seconds to compile); the block loads are
 * shared across the lanes when the device has fixed-size `subgroup`s. On GPUs, 64 invocations
 * with one row each.
 */
export function attentionTiles(
  hd: number,
  kernel: "forward" | "dq" | "dkv",
  software = true,
  subgroup = 0,
): AttentionTiles {
  if (!software) return { workgroup: 64, rows: 1, block: 4, subgroup: 0 };
  const [rows, block] = {
    // Shared loads make a key block cheap, so fewer query rows per lane pay off.
    forward: hd <= 32 ? (subgroup ? [4, 4] : [8, 4]) : hd <= 64 ? [4, 2] : [2, 2],
    dq: hd <= 32 ? [4, 2] : hd <= 64 ? [4, 1] : [2, 1],
    dkv: hd <= 32 ? [4, 2] : hd <= 64 ? [4, 1] : [2, 1],
  }[kernel];
  return { workgroup: 8, rows, block, subgroup };
}

/** [B, T, H, hd] dims from `q`, every other tensor checked against them and the limits. */
function attentionDims(
  op: string,
  rec: Recorder,
  q: Tensor,
  heads: Readonly<Record<string, Tensor>>,
  rows: Readonly<Record<string, Tensor>>,
  kvHeads: Readonly<Record<string, Tensor>> = {},
): AttentionCallDims {
  if (q.shape.length !== 4 || q.shape.some((d) => !Number.isInteger(d) || d <= 0)) {
    throw new RangeError(`${op}: expected q as [B, T, H, hd], got ${fmtShape(q.shape)}`);
  }
  const [B, T, H, hd] = q.shape;
  if (hd % 4 !== 0 || hd > MAX_HEAD_DIM) {
    throw new RangeError(
      `${op}: head dim ${hd} (q ${fmtShape(q.shape)}) must be a multiple of 4 and at most ` +
        `${MAX_HEAD_DIM}`,
    );
  }
  const why = `q is ${fmtShape(q.shape)}`;
  for (const [name, t] of Object.entries(heads)) expectShape(op, name, t, q.shape, why);
  for (const [name, t] of Object.entries(rows)) expectShape(op, name, t, [B, H, T], why);
  // Key/value heads: k's third dimension, dividing H (grouped-query attention when fewer).
  const kv = Object.values(kvHeads)[0];
  const KV = kv?.shape.length === 4 ? kv.shape[2] : H;
  if (!Number.isInteger(KV) || KV < 1 || H % KV !== 0) {
    throw new RangeError(
      `${op}: key/value heads ${KV} (k ${fmtShape(kv!.shape)}) must divide the ${H} query heads`,
    );
  }
  for (const [name, t] of Object.entries(kvHeads)) {
    expectShape(op, name, t, [B, T, KV, hd], `${why} with ${KV} key/value heads`);
  }
  const all = { q, ...heads, ...kvHeads, ...rows };
  checkBindings(rec, op, all);
  for (const [name, t] of Object.entries(all)) expectStageable(op, name, rec.device, t);
  expectStorageBuffers(op, rec.device, 2);
  const limit = rec.device.limits.maxComputeWorkgroupsPerDimension;
  if (B * H > limit) {
    throw new RangeError(
      `${op}: B·H = ${B * H} (q ${fmtShape(q.shape)}) exceeds ${limit} workgroups`,
    );
  }
  return { B, T, H, hd, KV };
}

/** Shapes of one attention call: batch, sequence, query heads, head dim, key/value heads. */
interface AttentionCallDims {
  B: number;
  T: number;
  H: number;
  hd: number;
  KV: number;
}

function tilesFor(
  rec: Recorder,
  hd: number,
  kernel: "forward" | "dq" | "dkv",
  opts: AttentionOptions,
): AttentionTiles {
  const sg = fixedSubgroupSize(rec.device);
  const tiles = {
    ...attentionTiles(hd, kernel, isSoftwareDevice(rec.device), sg),
    ...opts.tiles,
  };
  // Sharing needs every lane of a subgroup present: off by default for other workgroup sizes.
  if (opts.tiles?.subgroup === undefined && tiles.workgroup % sg !== 0) tiles.subgroup = 0;
  for (const [name, n] of Object.entries(tiles)) {
    if (!Number.isInteger(n) || n < (name === "subgroup" ? 0 : 1)) {
      throw new RangeError(`attention: tile ${name} must be a positive integer, got ${n}`);
    }
  }
  if (tiles.subgroup !== 0 && (tiles.subgroup !== sg || tiles.workgroup % sg !== 0)) {
    throw new RangeError(
      `attention: shared loads for subgroups of ${tiles.subgroup} lanes need a workgroup that is ` +
        `a multiple of them (got ${tiles.workgroup}) on a device with subgroups of exactly that ` +
        `size (this one: ${sg || "none fixed"})`,
    );
  }
  return tiles;
}

const codeCache = new Map<string, string>();

function code(
  kind: string,
  hd: number,
  tiles: AttentionTiles,
  build: typeof attentionForwardWgsl,
  rep = 1,
) {
  const key = `${kind}:${hd}:${tiles.workgroup}:${tiles.rows}:${tiles.block}:${tiles.subgroup}` +
    (rep > 1 ? `:gqa${rep}` : "");
  let wgsl = codeCache.get(key);
  if (wgsl === undefined) {
    codeCache.set(key, wgsl = rep > 1 ? build(hd, tiles, rep) : build(hd, tiles));
  }
  return wgsl;
}

/** Stage a whole tensor into the attention texture of `slot`; returns the view to bind. */
function stageInput(
  rec: Recorder,
  op: string,
  t: Tensor,
  slot: string,
  format: StageFormat = "rgba32float",
): GPUTextureView {
  return stage(rec, op, t, `attention ${slot}`, { format }).view;
}

/**
 * Uniform params: T, H, row stride in vec4, log2 rows per layer of the vec4 and f32 textures;
 * grouped-query calls add k/v's row stride and layers.
 */
function params(rec: Recorder, dims: AttentionCallDims) {
  const { B, T, H, hd, KV } = dims;
  const logH4 = stagingGeometry(rec.device.limits, (B * T * H * hd) / 4).logH;
  const logH1 = stagingGeometry(rec.device.limits, B * H * T).logH;
  if (KV === H) return ATTENTION_UNIFORMS.pack({ T, H, D4: (H * hd) / 4, logH4, logH1 });
  const logHk = stagingGeometry(rec.device.limits, (B * T * KV * hd) / 4).logH;
  return ATTENTION_GQA_UNIFORMS.pack({
    T,
    H,
    D4: (H * hd) / 4,
    logH4,
    logH1,
    KD4: (KV * hd) / 4,
    logHk,
  });
}

/**
 * Workgroups of one kernel: blocks of `workgroup × rows` rows along T, one row per (b, h), or per
 * (b, key/value head) for `perKvHead` (the dk/dv kernel).
 */
function grid(dims: AttentionCallDims, tiles: AttentionTiles, perKvHead = false): [number, number] {
  return [
    Math.ceil(dims.T / (tiles.workgroup * tiles.rows)),
    dims.B * (perKvHead ? dims.KV : dims.H),
  ];
}

/**
 * Record causal attention: out = softmax(q·kᵀ/√hd + causal mask)·v and lse = row logsumexp.
 * q, out: [B, T, H, hd] (hd a multiple of 4, at most 128); k, v: [B, T, KV, hd] (KV = H, or
 * fewer dividing H: grouped-query); lse: [B, H, T].
 */
export function attention(
  rec: Recorder,
  q: Tensor,
  k: Tensor,
  v: Tensor,
  out: Tensor,
  lse: Tensor,
  opts: AttentionOptions = {},
): void {
  const op = "attention";
  const dims = attentionDims(op, rec, q, { out }, { lse }, { k, v });
  const rep = dims.H / dims.KV;
  const tiles = tilesFor(rec, dims.hd, "forward", opts);
  const qt = stageInput(rec, op, q, "q");
  const kt = stageInput(rec, op, k, "k");
  const vt = stageInput(rec, op, v, "v");
  rec.dispatch(
    code("forward", dims.hd, tiles, attentionForwardWgsl, rep),
    params(rec, dims),
    [qt, kt, vt, binding(out), binding(lse)],
    grid(dims, tiles),
    op,
  );
}

/**
 * Record the backward of {@link attention}: dq, dk, dv (overwritten; dk, dv shaped like k) from q, k, v,
 * out, lse and dout. `delta` [B, H, T] is caller-owned scratch (receives rowsum(dout∘out)).
 */
export function attentionBackward(
  rec: Recorder,
  q: Tensor,
  k: Tensor,
  v: Tensor,
  out: Tensor,
  lse: Tensor,
  dout: Tensor,
  delta: Tensor,
  dq: Tensor,
  dk: Tensor,
  dv: Tensor,
  opts: AttentionOptions = {},
): void {
  const op = "attentionBackward";
  const dims = attentionDims(op, rec, q, { out, dout, dq }, { lse, delta }, { k, v, dk, dv });
  const rep = dims.H / dims.KV;
  const dqTiles = tilesFor(rec, dims.hd, "dq", opts);
  const dkvTiles = tilesFor(rec, dims.hd, "dkv", opts);
  const uniforms = params(rec, dims);
  const qt = stageInput(rec, op, q, "q");
  const kt = stageInput(rec, op, k, "k");
  const vt = stageInput(rec, op, v, "v");
  const ot = stageInput(rec, op, out, "out");
  const gt = stageInput(rec, op, dout, "dout");
  const lt = stageInput(rec, op, lse, "lse", "r32float");
  rec.dispatch(
    code("dq", dims.hd, dqTiles, attentionBackwardDqWgsl, rep),
    uniforms,
    [qt, kt, vt, ot, gt, lt, binding(dq), binding(delta)],
    grid(dims, dqTiles),
    `${op} dq`,
  );
  const dt = stageInput(rec, op, delta, "delta", "r32float");
  rec.dispatch(
    code("dkv", dims.hd, dkvTiles, attentionBackwardDkvWgsl, rep),
    uniforms,
    [qt, kt, vt, gt, lt, dt, binding(dk), binding(dv)],
    grid(dims, dkvTiles, true),
    `${op} dk dv`,
  );
}
