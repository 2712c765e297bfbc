/**
 * AdamW over flat parameter buffers, and global gradient-norm clipping without a readback.
 *
 * Hyperparameters live in a small f32 storage buffer the caller rewrites every step
 * (`queue.writeBuffer(hyper.buffer, 0, adamwHyper({...}))`), not in uniforms: uniforms are cached
 * by content, and lr / step change every step. The update is PyTorch's `torch.optim.AdamW`
 * (decoupled weight decay, Loshchilov & Hutter):
 *   g = grad·clip;  m = β1·m + (1−β1)·g;  v = β2·v + (1−β2)·g²
 *   p -= lr·( (m/bc1) / (√(v/bc2) + eps) + wd·p ),   bc1 = 1−β1^t, bc2 = 1−β2^t.
 * On software adapters, ranges that start and end on a multiple of 4 read p, g, m, v from staged
 * textures and write vec4s (same arithmetic, same bits); otherwise storage buffers.
 */
import type { Binding, Recorder } from "../recorder.ts";
import { canStage, stage, stagedInput, usesTextureStaging } from "../staging.ts";
import { binding, numel, type Tensor } from "../tensor.ts";
import { uniforms } from "../uniforms.ts";
import { checkBindings, checkNoAlias, opError } from "./checks.ts";
import { flatMainWgsl, grid, WG } from "./grid.ts";
import { finishShader, recordPartials } from "./reduce.ts";

/** Layout of the hyperparameter buffer (f32 words). */
export const ADAMW_HYPER = {
  lr: 0,
  beta1: 1,
  beta2: 2,
  eps: 3,
  weightDecay: 4,
  /** 1 − β1^t */
  biasCorrection1: 5,
  /** 1 − β2^t */
  biasCorrection2: 6,
} as const;

/** f32 words in the hyperparameter buffer (7 used, padded to 8). */
export const ADAMW_HYPER_LENGTH = 8;

/** One step's optimizer settings; `step` counts from 1. */
export interface AdamWSettings {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  step: number;
}

/** The hyperparameter buffer contents for `s` (bias corrections computed in f64). */
export function adamwHyper(s: AdamWSettings): Float32Array<ArrayBuffer> {
  if (!Number.isInteger(s.step) || s.step < 1) {
    throw new RangeError(`adamw: step must be an integer ≥ 1, got ${s.step}`);
  }
  if (!(s.beta1 >= 0 && s.beta1 < 1 && s.beta2 >= 0 && s.beta2 < 1)) {
    throw new RangeError(`adamw: betas must be in [0, 1), got ${s.beta1}, ${s.beta2}`);
  }
  const h = new Float32Array(ADAMW_HYPER_LENGTH);
  h[ADAMW_HYPER.lr] = s.lr;
  h[ADAMW_HYPER.beta1] = s.beta1;
  h[ADAMW_HYPER.beta2] = s.beta2;
  h[ADAMW_HYPER.eps] = s.eps;
  h[ADAMW_HYPER.weightDecay] = s.weightDecay;
  h[ADAMW_HYPER.biasCorrection1] = 1 - Math.pow(s.beta1, s.step);
  h[ADAMW_HYPER.biasCorrection2] = 1 - Math.pow(s.beta2, s.step);
  return h;
}

/** Layout of the clip buffer written by {@link gradNormClip} (f32 words). */
export const CLIP = { factor: 0, norm: 1 } as const;

/** Parameters each AdamW invocation updates (a contiguous run): amortizes the hyper loads. */
const ADAMW_RUN = 16;

const ADAMW_P = uniforms("adamw", {
  offset: "u32",
  n: "u32",
  decay: "f32",
  logHP: "u32",
  logHG: "u32",
  logHM: "u32",
  logHV: "u32",
});
const CLIP_FINISH_P = uniforms("gradNormClip.finish", { partials: "u32", maxNorm: "f32" });

/**
 * The update over a run. Scalar path: storage buffers, element i. Quad path (`quad`): p, g, m, v
 * staged into textures (fetched as `P4(q)`…), the results written as vec4s; q counts vec4s from
 * the start of the range, the outputs are written at `p.offset + q` (in vec4s).
 */
function adamwShader(clipped: boolean, quad: boolean): string {
  const T = quad ? "vec4f" : "f32";
  const decls = quad
    ? [
      "@group(0) @binding(2) var<storage, read_write> param: array<vec4f>;",
      "@group(0) @binding(3) var<storage, read_write> m: array<vec4f>;",
      "@group(0) @binding(4) var<storage, read_write> v: array<vec4f>;",
      stagedInput("P", 5, "logHP"),
      stagedInput("G", 6, "logHG"),
      stagedInput("M", 7, "logHM"),
      stagedInput("V", 8, "logHV"),
    ]
    : [
      "@group(0) @binding(2) var<storage, read_write> param: array<f32>;",
      "@group(0) @binding(3) var<storage, read_write> m: array<f32>;",
      "@group(0) @binding(4) var<storage, read_write> v: array<f32>;",
      "@group(0) @binding(5) var<storage, read> grad: array<f32>;",
    ];
  if (clipped) {
    decls.push(`@group(0) @binding(${quad ? 9 : 6}) var<storage, read> clip: array<f32>;`);
  }
  const run = quad ? ADAMW_RUN / 4 : ADAMW_RUN;
  const load = quad
    ? { g: "G4(q)", m: "M4(q)", v: "V4(q)", p: "P4(q)", at: "p.offset + q" }
    : { g: "grad[i]", m: "m[i]", v: "v[i]", p: "param[i]", at: "i" };
  return `
${ADAMW_P.wgsl()}
@group(0) @binding(1) var<storage, read> hyper: array<f32, ${ADAMW_HYPER_LENGTH}>;
${decls.join("\n")}
${flatMainWgsl(WG)}
  let first = flatIndex(wid, nwg, lid) * ${run}u;
  if (first >= p.n) { return; }
  let end = min(first + ${run}u, p.n);
  let lr = hyper[${ADAMW_HYPER.lr}];
  let b1 = hyper[${ADAMW_HYPER.beta1}];
  let b2 = hyper[${ADAMW_HYPER.beta2}];
  let eps = hyper[${ADAMW_HYPER.eps}];
  let wd = hyper[${ADAMW_HYPER.weightDecay}] * p.decay;
  let bc1 = hyper[${ADAMW_HYPER.biasCorrection1}];
  let bc2 = hyper[${ADAMW_HYPER.biasCorrection2}];
  let factor = ${clipped ? `clip[${CLIP.factor}]` : "1.0"};
  for (var q = first; q < end; q = q + 1u) {
    ${quad ? "" : "let i = p.offset + q;"}
    let g: ${T} = ${load.g} * factor;
    let mi = b1 * ${load.m} + (1.0 - b1) * g;
    let vi = b2 * ${load.v} + (1.0 - b2) * g * g;
    let pi = ${load.p};
    m[${load.at}] = mi;
    v[${load.at}] = vi;
    param[${load.at}] = pi - lr * ((mi / bc1) / (sqrt(vi / bc2) + eps) + wd * pi);
  }
}`;
}

/** Options of {@link adamw}: an element sub-range, and whether weight decay applies to it. */
export interface AdamWOptions {
  /** First element to update (default 0). */
  offset?: number;
  /** Elements to update (default: to the end). */
  length?: number;
  /** Apply the buffer's weight decay (default true); false for norms and embeddings. */
  decay?: boolean;
}

/**
 * One AdamW step over `params`, `grads`, `m`, `v` (flat f32, same length), elements
 * [offset, offset+length). `hyper` holds {@link ADAMW_HYPER_LENGTH} f32 written with
 * {@link adamwHyper}; `clip` (or null for no clipping) is the buffer {@link gradNormClip} wrote,
 * whose factor multiplies the gradient. Grads are read only: zero them for the next step yourself.
 */
export function adamw(
  rec: Recorder,
  params: Tensor,
  grads: Tensor,
  m: Tensor,
  v: Tensor,
  hyper: Tensor,
  clip: Tensor | null,
  opts: AdamWOptions = {},
): void {
  const op = "adamw";
  const n = numel(params.shape);
  const all = { params, grads, m, v, hyper, clip };
  for (const [name, t] of [["grads", grads], ["m", m], ["v", v]] as const) {
    if (numel(t.shape) !== n) throw opError(op, `${name} and params differ in size`, all);
  }
  if (numel(hyper.shape) < ADAMW_HYPER_LENGTH) {
    throw opError(op, `hyper needs ${ADAMW_HYPER_LENGTH} elements`, all);
  }
  if (clip && numel(clip.shape) < 1) throw opError(op, "clip needs 1 element", all);
  const { offset = 0, length = n - offset, decay = true } = opts;
  if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length < 0) {
    throw opError(op, `offset ${offset} and length ${length} must be non-negative integers`, all);
  }
  if (offset + length > n) {
    throw opError(op, `range [${offset}, ${offset + length}) is outside params`, all);
  }
  checkBindings(rec, op, all);
  checkNoAlias(op, { params, m, v }, { grads, hyper, clip });
  const hyperBinding = { ...binding(hyper), size: ADAMW_HYPER_LENGTH * 4 };
  const quad = offset % 4 === 0 && length % 4 === 0 && usesTextureStaging(rec.device) &&
    [params, grads, m, v].every((t) => canStage(rec.device, t, offset, length));
  const bindings: Binding[] = [hyperBinding, binding(params), binding(m), binding(v)];
  let staged = [0, 0, 0, 0];
  if (quad) {
    const views = [params, grads, m, v].map((t, slot) =>
      stage(rec, op, t, slot, { elementOffset: offset, elements: length })
    );
    bindings.push(...views.map((s) => s.view));
    staged = views.map((s) => s.logH);
  } else {
    bindings.push(binding(grads));
  }
  if (clip) bindings.push(binding(clip));
  const [units, start] = quad ? [length / 4, offset / 4] : [length, offset];
  rec.dispatch(
    adamwShader(clip !== null, quad),
    ADAMW_P.pack({
      offset: start,
      n: units,
      decay: decay ? 1 : 0,
      logHP: staged[0],
      logHG: staged[1],
      logHM: staged[2],
      logHV: staged[3],
    }),
    bindings,
    grid(rec, Math.ceil(length / (WG * ADAMW_RUN))),
    op,
  );
}

const CLIP_FINISH = finishShader(
  CLIP_FINISH_P,
  `let norm = sqrt(total);
    out[${CLIP.factor}] = min(1.0, p.maxNorm / (norm + 1e-6));
    out[${CLIP.norm}] = norm;`,
);

/**
 * Global gradient-norm clipping without a readback: computes ‖grads‖₂ deterministically and
 * writes `clip = [min(1, maxNorm / (norm + 1e-6)), norm]` (see {@link CLIP}) for {@link adamw}.
 * Pass `maxNorm = Infinity` to only measure the norm (factor 1). `scratch` holds
 * `REDUCE_SCRATCH_LENGTH` f32.
 */
export function gradNormClip(
  rec: Recorder,
  grads: Tensor,
  clip: Tensor,
  scratch: Tensor,
  maxNorm: number,
): void {
  const op = "gradNormClip";
  if (!(maxNorm > 0)) throw opError(op, `maxNorm must be > 0, got ${maxNorm}`);
  if (numel(clip.shape) < 2) throw opError(op, "clip needs 2 elements [factor, norm]", { clip });
  checkBindings(rec, op, { clip });
  checkNoAlias(op, { clip }, { scratch });
  const partials = recordPartials(rec, op, "square", grads, null, scratch);
  rec.dispatch(
    CLIP_FINISH,
    CLIP_FINISH_P.pack({ partials, maxNorm }),
    [binding(scratch), binding(clip)],
    [1],
    `${op}.finish`,
  );
}

/** Every WGSL shader of this file by name (for `deno task wgsl` and the golden tests). */
export function adamwShaders(): Record<string, string> {
  return {
    adamw: adamwShader(false, false),
    "adamw-clipped": adamwShader(true, false),
    adamw4: adamwShader(false, true),
    "adamw4-clipped": adamwShader(true, true),
    "clip-finish": CLIP_FINISH,
  };
}
