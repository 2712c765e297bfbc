/**
 * Embedding lookup and its deterministic backward.
 *
 * Forward: `out[n, :] = table[tokens[n], :]` (tokens ≥ V give a zero row).
 * Backward: `dtable[v, :] (+)= Σ_{n : tokens[n] = v} dout[n, :]`, summed in increasing n. With no
 * float atomics, the scatter-add is a gather: one invocation buckets the row indices by token
 * (a stable counting sort into `scratch`), then each invocation sums the bucket's rows for a few
 * columns of one vocabulary entry. On software adapters, with D a multiple of 4, the table / dout
 * are read from staged textures and rows written as vec4s (`usesTextureStaging`,
 * kernels/staging.ts).
 */
import type { Binding, Recorder } from "../recorder.ts";
import { stage, stagedInput, vec4Staging } from "../staging.ts";
import { binding, numel, type Tensor } from "../tensor.ts";
import { checkBindings, checkNoAlias, opError, rowsCols } from "./checks.ts";
import { flatMainWgsl, grid, WG } from "./grid.ts";
import { uniforms } from "../uniforms.ts";

const FORWARD_P = uniforms("embedding", { n: "u32", d: "u32", v: "u32", chunks: "u32" });
const FORWARD4_P = uniforms("embedding4", {
  n: "u32",
  d4: "u32",
  v: "u32",
  chunks: "u32",
  logHA: "u32",
});
const BUCKETS_P = uniforms("embeddingBackward.buckets", { n: "u32", v: "u32" });
const GATHER_P = uniforms("embeddingBackward.gather", { v: "u32", d: "u32", chunks: "u32" });
const GATHER4_P = uniforms("embeddingBackward.gather4", {
  v: "u32",
  d4: "u32",
  chunks: "u32",
  logHA: "u32",
  logHB: "u32",
});

/** Columns each invocation handles (one token load serves them all). */
const COLS = 8;

const FORWARD = `
${FORWARD_P.wgsl()}
@group(0) @binding(1) var<storage, read> tokens: array<u32>;
@group(0) @binding(2) var<storage, read> table: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;
${flatMainWgsl(WG, "i")}
  if (i >= p.n * p.chunks) { return; }
  let row = i / p.chunks;
  let c0 = (i - row * p.chunks) * ${COLS}u;
  let c1 = min(c0 + ${COLS}u, p.d);
  let t = tokens[row];
  for (var c = c0; c < c1; c = c + 1u) {
    var value = 0.0;
    if (t < p.v) { value = table[t * p.d + c]; }
    out[row * p.d + c] = value;
  }
}`;

/** Forward on the texture path (D a multiple of 4): table staged, rows written as vec4s. */
const FORWARD4 = `
${FORWARD4_P.wgsl()}
@group(0) @binding(1) var<storage, read> tokens: array<u32>;
${stagedInput("table", 2, "logHA")}
@group(0) @binding(3) var<storage, read_write> out: array<vec4f>;
${flatMainWgsl(WG, "i")}
  if (i >= p.n * p.chunks) { return; }
  let row = i / p.chunks;
  let c0 = (i - row * p.chunks) * ${COLS / 4}u;
  let c1 = min(c0 + ${COLS / 4}u, p.d4);
  let t = tokens[row];
  for (var c = c0; c < c1; c = c + 1u) {
    var value = vec4f(0.0);
    if (t < p.v) { value = table4(t * p.d4 + c); }
    out[row * p.d4 + c] = value;
  }
}`;

/**
 * `out [N, D] = table[tokens]`, with tokens u32 [N] (any shape with N elements), table [V, D],
 * out [N, D] (any shape with last dimension D). Tokens ≥ V produce zero rows.
 */
export function embedding(rec: Recorder, tokens: Tensor, table: Tensor, out: Tensor): void {
  const op = "embedding";
  const all = { tokens, table, out };
  const n = numel(tokens.shape);
  const { rows: v, cols: d } = rowsCols(table);
  if (table.shape.length !== 2 || rowsCols(out).cols !== d || numel(out.shape) !== n * d) {
    throw opError(op, "expected tokens [N], table [V, D], out [N, D]", all);
  }
  checkBindings(rec, op, all, { tokens: "u32" });
  checkNoAlias(op, { out }, { tokens, table });
  if (d % 4 === 0 && vec4Staging(rec.device, [table], [out])) {
    const st = stage(rec, op, table, 0);
    const chunks = Math.ceil(d / COLS);
    rec.dispatch(
      FORWARD4,
      FORWARD4_P.pack({ n, d4: d / 4, v, chunks, logHA: st.logH }),
      [binding(tokens), st.view, binding(out)],
      grid(rec, Math.ceil((n * chunks) / WG)),
      op,
    );
    return;
  }
  const chunks = Math.ceil(d / COLS);
  rec.dispatch(
    FORWARD,
    FORWARD_P.pack({ n, d, v, chunks }),
    [binding(tokens), binding(table), binding(out)],
    grid(rec, Math.ceil((n * chunks) / WG)),
    op,
  );
}

/** u32 elements of scratch {@link embeddingBackward} needs: bucket starts [V+1] and rows [N]. */
export function embeddingBackwardScratchLength(n: number, v: number): number {
  return v + 1 + n;
}

/**
 * One invocation, sequential (~7N + 3V storage accesses, far fewer than any parallel scan over
 * all tokens per vocabulary entry): a stable counting sort of the rows by token. Afterwards
 * idx[0..V] are the bucket bounds (bucket t = rows idx[V+1+k] for k in [idx[t], idx[t+1])), in
 * increasing row order within a bucket.
 */
const BUCKETS = `
${BUCKETS_P.wgsl()}
@group(0) @binding(1) var<storage, read> tokens: array<u32>;
@group(0) @binding(2) var<storage, read_write> idx: array<u32>;
@compute @workgroup_size(1)
fn main() {
  for (var t = 0u; t <= p.v; t = t + 1u) { idx[t] = 0u; }
  for (var r = 0u; r < p.n; r = r + 1u) {
    let t = tokens[r];
    if (t < p.v) { idx[t + 1u] = idx[t + 1u] + 1u; }
  }
  var run = 0u;
  for (var t = 0u; t < p.v; t = t + 1u) {
    let c = idx[t + 1u];
    idx[t + 1u] = run;
    run = run + c;
  }
  for (var r = 0u; r < p.n; r = r + 1u) {
    let t = tokens[r];
    if (t < p.v) {
      let k = idx[t + 1u];
      idx[p.v + 1u + k] = r;
      idx[t + 1u] = k + 1u;
    }
  }
}`;

function gatherShader(accumulate: boolean): string {
  return `
${GATHER_P.wgsl()}
@group(0) @binding(1) var<storage, read> idx: array<u32>;
@group(0) @binding(2) var<storage, read> dout: array<f32>;
@group(0) @binding(3) var<storage, read_write> dtable: array<f32>;
${flatMainWgsl(WG, "i")}
  if (i >= p.v * p.chunks) { return; }
  let t = i / p.chunks;
  let c0 = (i - t * p.chunks) * ${COLS}u;
  let width = min(${COLS}u, p.d - c0);
  var acc: array<f32, ${COLS}>;
  for (var j = 0u; j < ${COLS}u; j = j + 1u) { acc[j] = 0.0; }
  let end = idx[t + 1u];
  for (var k = idx[t]; k < end; k = k + 1u) {
    let base = idx[p.v + 1u + k] * p.d + c0;
    for (var j = 0u; j < width; j = j + 1u) { acc[j] = acc[j] + dout[base + j]; }
  }
  let out = t * p.d + c0;
  for (var j = 0u; j < width; j = j + 1u) {
    dtable[out + j] = ${accumulate ? "dtable[out + j] + acc[j]" : "acc[j]"};
  }
}`;
}

/** Gather on the texture path: dout (and the old dtable when accumulating) staged. */
function gatherShader4(accumulate: boolean): string {
  return `
${GATHER4_P.wgsl()}
@group(0) @binding(1) var<storage, read> idx: array<u32>;
${stagedInput("dout", 2, "logHA")}
@group(0) @binding(3) var<storage, read_write> dtable: array<vec4f>;
${accumulate ? stagedInput("old", 4, "logHB") : ""}
${flatMainWgsl(WG, "i")}
  if (i >= p.v * p.chunks) { return; }
  let t = i / p.chunks;
  let c0 = (i - t * p.chunks) * 2u;
  let two = c0 + 1u < p.d4;
  var acc0 = vec4f(0.0);
  var acc1 = vec4f(0.0);
  let end = idx[t + 1u];
  for (var k = idx[t]; k < end; k = k + 1u) {
    let base = idx[p.v + 1u + k] * p.d4 + c0;
    acc0 = acc0 + dout4(base);
    if (two) { acc1 = acc1 + dout4(base + 1u); }
  }
  let o = t * p.d4 + c0;
  dtable[o] = ${accumulate ? "old4(o) + acc0" : "acc0"};
  if (two) { dtable[o + 1u] = ${accumulate ? "old4(o + 1u) + acc1" : "acc1"}; }
}`;
}

/**
 * Backward of {@link embedding}: `dtable[v] = Σ dout[n]` over rows with `tokens[n] = v`, summed
 * in increasing n (rows of unused tokens become 0); with `accumulate` the sum is added to
 * `dtable`'s current value instead. `scratch` is u32 with at least
 * {@link embeddingBackwardScratchLength}(N, V) elements. Deterministic.
 */
export function embeddingBackward(
  rec: Recorder,
  tokens: Tensor,
  dout: Tensor,
  dtable: Tensor,
  scratch: Tensor,
  opts: { accumulate?: boolean } = {},
): void {
  const op = "embeddingBackward";
  const all = { tokens, dout, dtable, scratch };
  const n = numel(tokens.shape);
  const { rows: v, cols: d } = rowsCols(dtable);
  if (dtable.shape.length !== 2 || rowsCols(dout).cols !== d || numel(dout.shape) !== n * d) {
    throw opError(op, "expected tokens [N], dout [N, D], dtable [V, D]", all);
  }
  if (numel(scratch.shape) < embeddingBackwardScratchLength(n, v)) {
    throw opError(op, `scratch needs ${embeddingBackwardScratchLength(n, v)} u32`, all);
  }
  checkBindings(rec, op, all, { tokens: "u32", scratch: "u32" });
  checkNoAlias(op, { scratch }, { tokens });
  checkNoAlias(op, { dtable }, { scratch, dout });
  rec.dispatch(
    BUCKETS,
    BUCKETS_P.pack({ n, v }),
    [binding(tokens), binding(scratch)],
    [1],
    `${op}.buckets`,
  );
  const accumulate = opts.accumulate ?? false;
  const chunks = Math.ceil(d / COLS);
  if (d % 4 === 0 && vec4Staging(rec.device, [dout, accumulate ? dtable : null], [dtable])) {
    const sd = stage(rec, op, dout, 0);
    const so = accumulate ? stage(rec, op, dtable, 1) : null;
    const bindings: Binding[] = [binding(scratch), sd.view, binding(dtable)];
    if (so) bindings.push(so.view);
    rec.dispatch(
      gatherShader4(accumulate),
      GATHER4_P.pack({ v, d4: d / 4, chunks, logHA: sd.logH, logHB: so?.logH ?? 0 }),
      bindings,
      grid(rec, Math.ceil((v * chunks) / WG)),
      `${op}.gather`,
    );
    return;
  }
  rec.dispatch(
    gatherShader(accumulate),
    GATHER_P.pack({ v, d, chunks }),
    [binding(scratch), binding(dout), binding(dtable)],
    grid(rec, Math.ceil((v * chunks) / WG)),
    `${op}.gather`,
  );
}

/** Every WGSL shader of this file by name (for `deno task wgsl` and the golden tests). */
export function embeddingShaders(): Record<string, string> {
  return {
    forward: FORWARD,
    forward4: FORWARD4,
    buckets: BUCKETS,
    gather: gatherShader(false),
    "gather-accumulate": gatherShader(true),
    gather4: gatherShader4(false),
    "gather4-accumulate": gatherShader4(true),
  };
}
