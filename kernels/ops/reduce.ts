/**
 * Deterministic reductions of a vector to a scalar: Σx, Σx², Σw·x. Two stages with a fixed order
 * (no atomics): stage 1 has P ≤ 4096 invocations, each summing a contiguous run of the vector
 * into one partial in `scratch` (no workgroup memory: llvmpipe pays per memory access, so each
 * element is read once, in long straight runs); stage 2 is one workgroup of 64 that sums the
 * partials (contiguous runs, then a tree) and writes the scalar. P and the runs depend only on the
 * length, so two runs give bitwise identical results. On software adapters stage 1 reads the
 * vector from a staged texture, 4 elements per fetch (`usesTextureStaging`, kernels/staging.ts).
 */
import type { Binding, Recorder } from "../recorder.ts";
import { stage, stagedInput, vec4Staging } from "../staging.ts";
import { binding, numel, type Tensor } from "../tensor.ts";
import { type UniformFields, type Uniforms, uniforms } from "../uniforms.ts";
import { checkBindings, checkNoAlias, opError } from "./checks.ts";

/** Elements of scratch every reduction needs (the stage-1 partials). */
export const REDUCE_SCRATCH_LENGTH = 4096;

/** Invocations per workgroup in both stages. */
const THREADS = 64;
/** Each partial sums at least this many elements, until the partial count reaches its cap. */
const MIN_RUN = 64;

/** What stage 1 sums: x, x², or w·x. */
export type ReduceTerm = "x" | "square" | "weighted";

/**
 * Stage-1 partial count and run length for `n` elements (texels on the texture path): functions
 * of `n` only.
 */
export function partialLayout(n: number): { partials: number; run: number } {
  const partials = Math.min(REDUCE_SCRATCH_LENGTH, Math.max(1, Math.ceil(n / MIN_RUN)));
  return { partials, run: Math.max(1, Math.ceil(n / partials)) };
}

const PARTIALS_P = uniforms("reduce.partials", { n: "u32", partials: "u32", run: "u32" });
const PARTIALS4_P = uniforms("reduce.partials4", {
  n: "u32",
  partials: "u32",
  run: "u32",
  texels: "u32",
  logHA: "u32",
  logHB: "u32",
});
const SUM_FINISH_P = uniforms("reduce.finish", {
  partials: "u32",
  index: "u32",
  accumulate: "u32",
});

function partialsShader(term: ReduceTerm): string {
  const expr = term === "x" ? "x[j]" : term === "square" ? "x[j] * x[j]" : "w[j] * x[j]";
  return `
${PARTIALS_P.wgsl()}
@group(0) @binding(1) var<storage, read> x: array<f32>;
${term === "weighted" ? "@group(0) @binding(2) var<storage, read> w: array<f32>;" : ""}
@group(0) @binding(${term === "weighted" ? 3 : 2}) var<storage, read_write> partial: array<f32>;
@compute @workgroup_size(${THREADS})
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let k = gid.x;
  if (k >= p.partials) { return; }
  let end = min(p.n, (k + 1u) * p.run);
  var acc = 0.0;
  for (var j = k * p.run; j < end; j = j + 1u) {
    acc = acc + ${expr};
  }
  partial[k] = acc;
}`;
}

/**
 * Stage 1 on the texture path: x (and w) staged, each invocation sums a run of texels as a vec4
 * (components past n masked to 0), then adds the four lanes.
 */
function partialsShader4(term: ReduceTerm): string {
  const expr = term === "x" ? "x4(e)" : term === "square" ? "x4(e) * x4(e)" : "w4(e) * x4(e)";
  return `
${PARTIALS4_P.wgsl()}
${stagedInput("x", 1, "logHA")}
${term === "weighted" ? stagedInput("w", 2, "logHB") : ""}
@group(0) @binding(${term === "weighted" ? 3 : 2}) var<storage, read_write> partial: array<f32>;
@compute @workgroup_size(${THREADS})
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let k = gid.x;
  if (k >= p.partials) { return; }
  let end = min(p.texels, (k + 1u) * p.run);
  var acc = vec4f(0.0);
  for (var e = k * p.run; e < end; e = e + 1u) {
    let idx = vec4u(4u * e) + vec4u(0u, 1u, 2u, 3u);
    acc = acc + select(vec4f(0.0), ${expr}, idx < vec4u(p.n));
  }
  partial[k] = (acc.x + acc.y) + (acc.z + acc.w);
}`;
}

/**
 * WGSL for stage 2: sums `p.partials` partials into `total`, then runs `epilogue` in invocation 0
 * (it may use `total`, the uniform `p` declared by `params`, and `out: array<f32>`). `params`
 * must begin with `partials: u32`.
 */
export function finishShader<F extends UniformFields>(
  params: Uniforms<F>,
  epilogue: string,
): string {
  if (params.names[0] !== "partials" || params.fields[params.names[0]] !== "u32") {
    throw new RangeError(`finishShader: ${params.label}'s uniforms must begin with partials: u32`);
  }
  return `
${params.wgsl()}
@group(0) @binding(1) var<storage, read> partial: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
var<workgroup> tree: array<f32, ${THREADS}>;
@compute @workgroup_size(${THREADS})
fn main(@builtin(local_invocation_id) lid: vec3u) {
  let run = (p.partials + ${THREADS - 1}u) / ${THREADS}u;
  let end = min(p.partials, (lid.x + 1u) * run);
  var acc = 0.0;
  for (var j = lid.x * run; j < end; j = j + 1u) { acc = acc + partial[j]; }
  tree[lid.x] = acc;
  workgroupBarrier();
  for (var s = ${THREADS / 2}u; s > 0u; s = s >> 1u) {
    if (lid.x < s) { tree[lid.x] = tree[lid.x] + tree[lid.x + s]; }
    workgroupBarrier();
  }
  if (lid.x == 0u) {
    let total = tree[0];
    ${epilogue}
  }
}`;
}

const SUM_FINISH = finishShader(
  SUM_FINISH_P,
  "out[p.index] = select(0.0, out[p.index], p.accumulate == 1u) + total;",
);

/**
 * Stage 1: record the partial sums of `term` over `x` (and `w`) into `scratch`; returns their
 * count. Validates shapes and bindings first. Used by the sums here and by gradient clipping.
 */
export function recordPartials(
  rec: Recorder,
  op: string,
  term: ReduceTerm,
  x: Tensor,
  w: Tensor | null,
  scratch: Tensor,
): number {
  const n = numel(x.shape);
  if (term === "weighted" && (!w || numel(w.shape) !== n)) {
    throw opError(op, "weights must have as many elements as the values", { x, w });
  }
  if (numel(scratch.shape) < REDUCE_SCRATCH_LENGTH) {
    throw opError(op, `scratch needs ${REDUCE_SCRATCH_LENGTH} elements`, { scratch });
  }
  checkBindings(rec, op, { x, w, scratch });
  checkNoAlias(op, { scratch }, { x, w });
  if (vec4Staging(rec.device, [x, w])) {
    const texels = Math.ceil(n / 4);
    const { partials, run } = partialLayout(texels);
    const sx = stage(rec, op, x, 0);
    const sw = term === "weighted" ? stage(rec, op, w!, 1) : null;
    const bindings: Binding[] = sw
      ? [sx.view, sw.view, binding(scratch)]
      : [sx.view, binding(scratch)];
    rec.dispatch(
      partialsShader4(term),
      PARTIALS4_P.pack({
        n,
        partials,
        run,
        texels,
        logHA: sx.logH,
        logHB: sw?.logH ?? 0,
      }),
      bindings,
      [Math.ceil(partials / THREADS)],
      `${op}.partials`,
    );
    return partials;
  }
  const { partials, run } = partialLayout(n);
  const bindings = term === "weighted"
    ? [binding(x), binding(w!), binding(scratch)]
    : [binding(x), binding(scratch)];
  rec.dispatch(
    partialsShader(term),
    PARTIALS_P.pack({ n, partials, run }),
    bindings,
    [Math.ceil(partials / THREADS)],
    `${op}.partials`,
  );
  return partials;
}

/** Where a reduction writes: `out[outIndex]` (default 0), added to its value when `accumulate`. */
export interface ReduceOptions {
  outIndex?: number;
  accumulate?: boolean;
}

function reduce(
  rec: Recorder,
  op: string,
  term: ReduceTerm,
  x: Tensor,
  w: Tensor | null,
  out: Tensor,
  scratch: Tensor,
  opts: ReduceOptions,
): void {
  const { outIndex = 0, accumulate = false } = opts;
  if (!Number.isInteger(outIndex) || outIndex < 0 || outIndex >= numel(out.shape)) {
    throw opError(op, `outIndex ${outIndex} is outside out`, { out });
  }
  checkBindings(rec, op, { out });
  checkNoAlias(op, { out }, { scratch });
  const partials = recordPartials(rec, op, term, x, w, scratch);
  rec.dispatch(
    SUM_FINISH,
    SUM_FINISH_P.pack({ partials, index: outIndex, accumulate: accumulate ? 1 : 0 }),
    [binding(scratch), binding(out)],
    [1],
    `${op}.finish`,
  );
}

/** `out[outIndex] (+)= Σ x`, deterministic. `scratch` holds {@link REDUCE_SCRATCH_LENGTH} f32. */
export function sum(
  rec: Recorder,
  x: Tensor,
  out: Tensor,
  scratch: Tensor,
  opts: ReduceOptions = {},
): void {
  reduce(rec, "sum", "x", x, null, out, scratch, opts);
}

/** `out[outIndex] (+)= Σ x²`, deterministic. */
export function sumOfSquares(
  rec: Recorder,
  x: Tensor,
  out: Tensor,
  scratch: Tensor,
  opts: ReduceOptions = {},
): void {
  reduce(rec, "sumOfSquares", "square", x, null, out, scratch, opts);
}

/**
 * `out[outIndex] (+)= Σ weight·values`, deterministic: the training loss scalar from per-row
 * losses and per-row weights (e.g. 1/count for a mean), kept on the GPU.
 */
export function weightedSum(
  rec: Recorder,
  values: Tensor,
  weights: Tensor,
  out: Tensor,
  scratch: Tensor,
  opts: ReduceOptions = {},
): void {
  reduce(rec, "weightedSum", "weighted", values, weights, out, scratch, opts);
}

/** Every WGSL shader of this file by name (for `deno task wgsl` and the golden tests). */
export function reduceShaders(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const term of ["x", "square", "weighted"] as const) {
    out[`partials-${term}`] = partialsShader(term);
    out[`partials4-${term}`] = partialsShader4(term);
  }
  out["sum-finish"] = SUM_FINISH;
  return out;
}
