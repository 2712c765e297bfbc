/**
 * RMSNorm over rows: `y = x · r · w` with `r = 1/√(mean(x²) + eps)` per row of x [N, D].
 *
 * Backward, with g = dy·w: `dx = r·g − x·r³·(Σ g·x)/D` and `dw = Σ_rows dy·x·r`. dw is a reduction
 * over rows, done in two fixed-order stages (a partial per block of R rows, written by the dx
 * kernel, then one sum per column), so it is deterministic. Each invocation handles R rows with
 * straight loops and no workgroup memory. When D is a multiple of 4 and the adapter prefers it
 * (`usesTextureStaging`, kernels/staging.ts), inputs are staged into textures and outputs written
 * as vec4s (same math; partial sums then run over 4 interleaved lanes, so the bits differ from the
 * storage-buffer path, but each path is deterministic).
 */
import type { Binding, Recorder } from "../recorder.ts";
import { stage, stagedInput, vec4Staging } from "../staging.ts";
import { binding, numel, type Tensor } from "../tensor.ts";
import { checkBindings, checkNoAlias, opError, rowsCols } from "./checks.ts";
import { flatMainWgsl, grid } from "./grid.ts";
import { uniforms } from "../uniforms.ts";

const FORWARD_P = uniforms("rmsnorm", { n: "u32", d: "u32", eps: "f32" });
const FORWARD4_P = uniforms("rmsnorm4", {
  n: "u32",
  d4: "u32",
  eps: "f32",
  logHA: "u32",
  logHB: "u32",
});
const BACKWARD4_P = uniforms("rmsnormBackward4", {
  n: "u32",
  d4: "u32",
  logHA: "u32",
  logHB: "u32",
  logHC: "u32",
  logHD: "u32",
});
const BACKWARD_P = uniforms("rmsnormBackward", { n: "u32", d: "u32" });
const DW_FINISH_P = uniforms("rmsnormBackward.dw", { d: "u32", chunks: "u32" });

/** Invocations per workgroup of the row kernels. */
const ROW_WG = 64;
/**
 * Rows per invocation: several rows share each load of w (and, in the backward, one dw partial
 * per column), which matters because llvmpipe pays per storage access, not per flop.
 */
const R = 8;

/** Entry point of the row kernels: invocation i owns rows [row0, row0 + rows). */
const ROW_BLOCK = `
${flatMainWgsl(ROW_WG, "i")}
  let row0 = i * ${R}u;
  if (row0 >= p.n) { return; }
  let rows = min(${R}u, p.n - row0);`;

/**
 * Forward, R rows per invocation: one pass computes each row's rstd, a second writes y column by
 * column so each w[c] is loaded once for R rows. (No private-array row cache: on llvmpipe,
 * dynamically indexed private arrays of a few hundred floats take seconds to minutes to compile.)
 */
function forwardShader(withRstd: boolean): string {
  return `
${FORWARD_P.wgsl()}
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
${withRstd ? "@group(0) @binding(4) var<storage, read_write> rstd: array<f32>;" : ""}
${ROW_BLOCK}
  var rs: array<f32, ${R}>;
  for (var r = 0u; r < rows; r = r + 1u) {
    let base = (row0 + r) * p.d;
    var ss = 0.0;
    for (var c = 0u; c < p.d; c = c + 1u) {
      let xv = x[base + c];
      ss = ss + xv * xv;
    }
    rs[r] = 1.0 / sqrt(ss / f32(p.d) + p.eps);
    ${withRstd ? "rstd[row0 + r] = rs[r];" : ""}
  }
  for (var c = 0u; c < p.d; c = c + 1u) {
    let wc = w[c];
    for (var r = 0u; r < rows; r = r + 1u) {
      let k = (row0 + r) * p.d + c;
      y[k] = x[k] * rs[r] * wc;
    }
  }
}`;
}

/** Forward on the vec4 texture path (D a multiple of 4): x, w staged; y written as vec4s. */
function forwardShader4(withRstd: boolean): string {
  return `
${FORWARD4_P.wgsl()}
${stagedInput("x", 1, "logHA")}
${stagedInput("w", 2, "logHB")}
@group(0) @binding(3) var<storage, read_write> y: array<vec4f>;
${withRstd ? "@group(0) @binding(4) var<storage, read_write> rstd: array<f32>;" : ""}
${ROW_BLOCK}
  var rs: array<f32, ${R}>;
  for (var r = 0u; r < rows; r = r + 1u) {
    let base = (row0 + r) * p.d4;
    var ss = vec4f(0.0);
    for (var c = 0u; c < p.d4; c = c + 1u) {
      let xv = x4(base + c);
      ss = ss + xv * xv;
    }
    rs[r] = 1.0 / sqrt((ss.x + ss.y + ss.z + ss.w) / f32(4u * p.d4) + p.eps);
    ${withRstd ? "rstd[row0 + r] = rs[r];" : ""}
  }
  for (var c = 0u; c < p.d4; c = c + 1u) {
    let wc = w4(c);
    for (var r = 0u; r < rows; r = r + 1u) {
      let k = (row0 + r) * p.d4 + c;
      y[k] = x4(k) * rs[r] * wc;
    }
  }
}`;
}

/** Backward on the vec4 texture path: x, dy, w (and dx when accumulating) staged. */
function backwardShader4(withDx: boolean, accumulateDx: boolean, withDw: boolean): string {
  const decls = [
    stagedInput("x", 1, "logHA"),
    stagedInput("dy", 2, "logHB"),
    stagedInput("w", 3, "logHC"),
    "@group(0) @binding(4) var<storage, read> rstd: array<f32>;",
  ];
  let b = 5;
  if (withDx) decls.push(`@group(0) @binding(${b++}) var<storage, read_write> dx: array<vec4f>;`);
  if (withDw) {
    decls.push(`@group(0) @binding(${b++}) var<storage, read_write> partial: array<vec4f>;`);
  }
  if (accumulateDx) decls.push(stagedInput("dxOld", b++, "logHD"));
  const pass2 = !withDx ? "" : `
  var k: array<f32, ${R}>;
  for (var r = 0u; r < rows; r = r + 1u) {
    let dot = dots[r].x + dots[r].y + dots[r].z + dots[r].w;
    k[r] = rs[r] * rs[r] * rs[r] * dot / f32(4u * p.d4);
  }
  for (var c = 0u; c < p.d4; c = c + 1u) {
    let wc = w4(c);
    for (var r = 0u; r < rows; r = r + 1u) {
      let j = (row0 + r) * p.d4 + c;
      let v = rs[r] * dy4(j) * wc - x4(j) * k[r];
      dx[j] = ${accumulateDx ? "dxOld4(j) + v" : "v"};
    }
  }`;
  return `
${BACKWARD4_P.wgsl()}
${decls.join("\n")}
${ROW_BLOCK}
  var rs: array<f32, ${R}>;
  var dots: array<vec4f, ${R}>;
  for (var r = 0u; r < rows; r = r + 1u) {
    rs[r] = rstd[row0 + r];
    dots[r] = vec4f(0.0);
  }
  for (var c = 0u; c < p.d4; c = c + 1u) {
    let wc = w4(c);
    var pd = vec4f(0.0);
    for (var r = 0u; r < rows; r = r + 1u) {
      let j = (row0 + r) * p.d4 + c;
      let xv = x4(j);
      let dyv = dy4(j);
      dots[r] = dots[r] + dyv * wc * xv;
      pd = pd + dyv * xv * rs[r];
    }
    ${withDw ? "partial[i * p.d4 + c] = pd;" : ""}
  }
  ${pass2}
}`;
}

/** Check x [N, D], w [D], and same-sized [N, D] companions; returns N and D. */
function dims(op: string, x: Tensor, w: Tensor, others: Record<string, Tensor | null>) {
  const { rows: n, cols: d } = rowsCols(x);
  const all = { x, w, ...others };
  if (numel(w.shape) !== d) throw opError(op, "w must have D = x's last dimension elements", all);
  for (const [name, t] of Object.entries(others)) {
    if (!t) continue;
    const want = name === "rstd" ? n : name === "dw" ? d : n * d;
    if (numel(t.shape) !== want) throw opError(op, `${name} must have ${want} elements`, all);
  }
  return { n, d };
}

/**
 * `y = rmsnorm(x) · w` over rows: x [N, D] (any shape, D = last dimension), w [D], y like x.
 * `rstd` [N] (or null) receives 1/√(mean(x²)+eps) per row, which {@link rmsnormBackward} needs.
 */
export function rmsnorm(
  rec: Recorder,
  x: Tensor,
  w: Tensor,
  y: Tensor,
  rstd: Tensor | null,
  eps = 1e-5,
): void {
  const op = "rmsnorm";
  const { n, d } = dims(op, x, w, { y, rstd });
  checkBindings(rec, op, { x, w, y, rstd });
  checkNoAlias(op, { y, rstd }, { x, w });
  if (d % 4 === 0 && vec4Staging(rec.device, [x, w], [y])) {
    const sx = stage(rec, op, x, 0), sw = stage(rec, op, w, 1);
    const quadBindings: Binding[] = [
      sx.view,
      sw.view,
      binding(y),
    ];
    if (rstd) quadBindings.push(binding(rstd));
    rec.dispatch(
      forwardShader4(rstd !== null),
      FORWARD4_P.pack({ n, d4: d / 4, eps, logHA: sx.logH, logHB: sw.logH }),
      quadBindings,
      grid(rec, Math.ceil(n / R / ROW_WG)),
      op,
    );
    return;
  }
  const bindings = [binding(x), binding(w), binding(y)];
  if (rstd) bindings.push(binding(rstd));
  rec.dispatch(
    forwardShader(rstd !== null),
    FORWARD_P.pack({ n, d, eps }),
    bindings,
    grid(rec, Math.ceil(n / R / ROW_WG)),
    op,
  );
}

/** f32 elements of scratch {@link rmsnormBackward} needs (dw partials: one row per R rows). */
export function rmsnormBackwardScratchLength(n: number, d: number): number {
  return Math.max(1, Math.ceil(n / R)) * d;
}

/**
 * Backward, R rows per invocation. Pass 1 walks the columns: loads w[c] once, and for each row
 * x and dy, accumulating Σ g·x per row and the column's dw partial Σ_rows dy·x·rstd. Pass 2
 * writes dx = r·g − x·r³·(Σ g·x)/D.
 */
function backwardShader(withDx: boolean, accumulateDx: boolean, withDw: boolean) {
  let b = 1;
  const decl = (name: string, access: "read" | "read_write") =>
    `@group(0) @binding(${b++}) var<storage, ${access}> ${name}: array<f32>;`;
  const decls = [decl("x", "read"), decl("w", "read"), decl("rstd", "read"), decl("dy", "read")];
  if (withDx) decls.push(decl("dx", "read_write"));
  if (withDw) decls.push(decl("partial", "read_write"));
  const pass2 = !withDx ? "" : `
  var k: array<f32, ${R}>;
  for (var r = 0u; r < rows; r = r + 1u) { k[r] = rs[r] * rs[r] * rs[r] * dot[r] / f32(p.d); }
  for (var c = 0u; c < p.d; c = c + 1u) {
    let wc = w[c];
    for (var r = 0u; r < rows; r = r + 1u) {
      let j = (row0 + r) * p.d + c;
      let v = rs[r] * dy[j] * wc - x[j] * k[r];
      dx[j] = ${accumulateDx ? "dx[j] + v" : "v"};
    }
  }`;
  return `
${BACKWARD_P.wgsl()}
${decls.join("\n")}
${ROW_BLOCK}
  var rs: array<f32, ${R}>;
  var dot: array<f32, ${R}>;
  for (var r = 0u; r < rows; r = r + 1u) {
    rs[r] = rstd[row0 + r];
    dot[r] = 0.0;
  }
  for (var c = 0u; c < p.d; c = c + 1u) {
    let wc = w[c];
    var pd = 0.0;
    for (var r = 0u; r < rows; r = r + 1u) {
      let j = (row0 + r) * p.d + c;
      let xv = x[j];
      let dyv = dy[j];
      let gv = dyv * wc;
      dot[r] = dot[r] + gv * xv;
      pd = pd + dyv * xv * rs[r];
    }
    ${withDw ? "partial[i * p.d + c] = pd;" : ""}
  }
  ${pass2}
}`;
}

function dwFinishShader(accumulate: boolean): string {
  return `
${DW_FINISH_P.wgsl()}
@group(0) @binding(1) var<storage, read> partial: array<f32>;
@group(0) @binding(2) var<storage, read_write> dw: array<f32>;

${flatMainWgsl(ROW_WG, "i")}
  if (i >= p.d) { return; }
  var acc = 0.0;
  for (var k = 0u; k < p.chunks; k = k + 1u) { acc = acc + partial[k * p.d + i]; }
  dw[i] = ${accumulate ? "dw[i] + acc" : "acc"};
}`;
}

/** Options of {@link rmsnormBackward}: add into dx / dw instead of overwriting them. */
export interface RmsnormBackwardOptions {
  /** dx += … (e.g. into the residual stream's gradient). Default false. */
  accumulateDx?: boolean;
  /** dw += … (gradient accumulation). Default false. */
  accumulateDw?: boolean;
}

/**
 * Backward of {@link rmsnorm}: from x [N, D], w [D], rstd [N] (saved by the forward) and dy
 * [N, D], writes dx [N, D] and dw [D] (either may be null to skip it). `scratch` holds
 * {@link rmsnormBackwardScratchLength}(N, D) f32 (unused when dw is null). Deterministic.
 */
export function rmsnormBackward(
  rec: Recorder,
  x: Tensor,
  w: Tensor,
  rstd: Tensor,
  dy: Tensor,
  dx: Tensor | null,
  dw: Tensor | null,
  scratch: Tensor | null,
  opts: RmsnormBackwardOptions = {},
): void {
  const op = "rmsnormBackward";
  const { n, d } = dims(op, x, w, { rstd, dy, dx, dw });
  const all = { x, w, rstd, dy, dx, dw, scratch };
  const chunks = Math.max(1, Math.ceil(n / R));
  if (dw && (!scratch || numel(scratch.shape) < chunks * d)) {
    throw opError(op, `scratch needs ${chunks * d} elements`, all);
  }
  checkBindings(rec, op, all);
  checkNoAlias(op, { dx, scratch: dw ? scratch : null }, { x, w, rstd, dy });
  checkNoAlias(op, { dw }, { scratch });
  if (!dx && !dw) return;
  const accumulateDx = (opts.accumulateDx ?? false) && dx !== null;
  const staged = accumulateDx ? [x, dy, w, dx!] : [x, dy, w];
  if (d % 4 === 0 && vec4Staging(rec.device, staged, [dx, dw ? scratch : null])) {
    const [sx, sdy, sw, sdx] = staged.map((t, slot) => stage(rec, op, t, slot));
    const quadBindings: Binding[] = [
      sx.view,
      sdy.view,
      sw.view,
      binding(rstd),
    ];
    if (dx) quadBindings.push(binding(dx));
    if (dw) quadBindings.push(binding(scratch!));
    if (sdx) quadBindings.push(sdx.view);
    rec.dispatch(
      backwardShader4(dx !== null, accumulateDx, dw !== null),
      BACKWARD4_P.pack({
        n,
        d4: d / 4,
        logHA: sx.logH,
        logHB: sdy.logH,
        logHC: sw.logH,
        logHD: sdx?.logH ?? 0,
      }),
      quadBindings,
      grid(rec, Math.ceil(chunks / ROW_WG)),
      op,
    );
  } else {
    const bindings = [binding(x), binding(w), binding(rstd), binding(dy)];
    if (dx) bindings.push(binding(dx));
    if (dw) bindings.push(binding(scratch!));
    rec.dispatch(
      backwardShader(dx !== null, accumulateDx, dw !== null),
      BACKWARD_P.pack({ n, d }),
      bindings,
      grid(rec, Math.ceil(chunks / ROW_WG)),
      op,
    );
  }
  if (dw) {
    rec.dispatch(
      dwFinishShader(opts.accumulateDw ?? false),
      DW_FINISH_P.pack({ d, chunks }),
      [binding(scratch!), binding(dw)],
      grid(rec, Math.ceil(d / ROW_WG)),
      `${op}.dw`,
    );
  }
}

/** Every WGSL shader of this file by name (for `deno task wgsl` and the golden tests). */
export function rmsnormShaders(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rstd of [false, true]) {
    const r = rstd ? "-rstd" : "";
    out[`forward${r}`] = forwardShader(rstd);
    out[`forward4${r}`] = forwardShader4(rstd);
  }
  const backward: [boolean, boolean, boolean][] = [
    [true, false, true],
    [true, true, true],
    [true, false, false],
    [true, true, false],
    [false, false, true],
  ];
  for (const [dx, acc, dw] of backward) {
    const name = `${dx ? "-dx" : ""}${acc ? "-accumulate" : ""}${dw ? "-dw" : ""}`;
    out[`backward${name}`] = backwardShader(dx, acc, dw);
    out[`backward4${name}`] = backwardShader4(dx, acc, dw);
  }
  out["dw-finish"] = dwFinishShader(false);
  out["dw-finish-accumulate"] = dwFinishShader(true);
  return out;
}
