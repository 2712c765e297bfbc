/**
 * Fused softmax cross-entropy, one invocation per row of logits [R, V]. For row r, with
 * n = rowOffset + r and t = targets[n]:
 *   loss[n]    = logsumexp(z) − z[t]                 (unweighted NLL)
 *   hit[n]     = 1 if argmax(z) = t else 0           (ties: lowest index)
 *   dlogits[r] = weight[n] · (softmax(z) − onehot(t))
 * The max, Σexp and z[t] come from one online pass (Σexp rescaled when the max grows); a second
 * pass writes the gradient. `rowOffset` lets evaluation process the rows in chunks (logits for
 * one chunk at a time) while targets / weight / loss / hit cover all N rows. A target ≥ V marks
 * an ignored row: loss 0, hit 0, gradient 0. dlogits may be `logits` itself (same buffer and
 * offset): the gradient then overwrites the logits in place.
 *
 * When V is a multiple of 4 and the adapter prefers it (`usesTextureStaging`, kernels/staging.ts),
 * the logits are staged into a texture and the gradient written as vec4s; otherwise everything is
 * read from storage buffers.
 */
import type { Binding, Recorder } from "../recorder.ts";
import { stage, stagedInput, vec4Staging } from "../staging.ts";
import { binding, numel, type Tensor } from "../tensor.ts";
import { checkBindings, checkNoAlias, opError, rowsCols } from "./checks.ts";
import { flatMainWgsl, grid } from "./grid.ts";
import { uniforms } from "../uniforms.ts";

const SCALAR_P = uniforms("crossEntropy", { rows: "u32", v: "u32", rowOffset: "u32" });
const QUAD_P = uniforms("crossEntropy4", {
  rows: "u32",
  v: "u32",
  v4: "u32",
  rowOffset: "u32",
  logHA: "u32",
});

const ROW_WG = 64;

type GradMode = "none" | "separate" | "inPlace";

/** Storage declarations shared by both paths, from binding `first` on. */
function rowDecls(first: number, withHit: boolean, withWeight: boolean, gradType: string | null) {
  let b = first;
  const decl = (name: string, type: string, access: "read" | "read_write") =>
    `@group(0) @binding(${b++}) var<storage, ${access}> ${name}: array<${type}>;`;
  const lines = [decl("targets", "u32", "read"), decl("loss", "f32", "read_write")];
  if (withHit) lines.push(decl("hit", "f32", "read_write"));
  if (withWeight) lines.push(decl("weight", "f32", "read"));
  if (gradType) lines.push(decl("dlogits", gradType, "read_write"));
  return lines.join("\n");
}

const ROW_START = `
  let r = flatIndex(wid, nwg, lid);
  if (r >= p.rows) { return; }
  let n = p.rowOffset + r;
  let t = targets[n];`;

const ROW_END = (withHit: boolean) => `
  let valid = t < p.v;
  loss[n] = select(0.0, (mx - zt) + log(se), valid);
  ${withHit ? "hit[n] = select(0.0, 1.0, valid && arg == t);" : ""}`;

const ENTRY = `
${flatMainWgsl(ROW_WG)}`;

/** One step of the online pass for element `c` with value `z`. */
const ONLINE = (z: string, c: string) => `
    zt = select(zt, ${z}, ${c} == t);
    if (${z} > mx) {
      se = se * exp(mx - ${z}) + 1.0;
      mx = ${z};
      arg = ${c};
    } else {
      se = se + exp(${z} - mx);
    }`;

/** Storage-buffer path (any V). In place, `logits` is bound read-write and also receives dz. */
function scalarShader(grad: GradMode, withHit: boolean): string {
  const access = grad === "inPlace" ? "read_write" : "read";
  const out = grad === "inPlace" ? "logits" : "dlogits";
  const gradient = grad === "none" ? "" : `
  let wn = weight[n];
  let scale = select(0.0, wn / se, t < p.v);
  for (var c = 0u; c < p.v; c = c + 1u) {
    ${out}[base + c] = exp(logits[base + c] - mx) * scale - select(0.0, wn, c == t);
  }`;
  return `
${SCALAR_P.wgsl()}
@group(0) @binding(1) var<storage, ${access}> logits: array<f32>;
${rowDecls(2, withHit, grad !== "none", grad === "separate" ? "f32" : null)}
${ENTRY}
  ${ROW_START}
  let base = r * p.v;
  let z0 = logits[base];
  var mx = z0;
  var arg = 0u;
  var se = 1.0;
  var zt = select(0.0, z0, t == 0u);
  for (var c = 1u; c < p.v; c = c + 1u) {
    let z = logits[base + c];
    ${ONLINE("z", "c")}
  }
  ${ROW_END(withHit)}
  ${gradient}
}`;
}

/** Texture path (V a multiple of 4): logits staged; the gradient written as vec4s. */
function quadShader(grad: GradMode, withHit: boolean): string {
  const comps = ["x", "y", "z", "w"];
  const online = comps.map((k, i) =>
    `{
    let z = zq.${k};
    let c = 4u * c4 + ${i}u;${ONLINE("z", "c")}
  }`
  ).join("\n    ");
  const gradient = grad === "none" ? "" : `
  let wn = weight[n];
  let scale = select(0.0, wn / se, t < p.v);
  for (var c4 = 0u; c4 < p.v4; c4 = c4 + 1u) {
    let idx = vec4u(4u * c4) + vec4u(0u, 1u, 2u, 3u);
    dlogits[base + c4] = exp(lg4(base + c4) - mx) * scale -
      select(vec4f(0.0), vec4f(wn), idx == vec4u(t));
  }`;
  return `
${QUAD_P.wgsl()}
${stagedInput("lg", 1, "logHA")}
${rowDecls(2, withHit, grad !== "none", grad === "none" ? null : "vec4f")}
${ENTRY}
  ${ROW_START}
  let base = r * p.v4;
  var mx = -3.4028235e38;
  var arg = 0u;
  var se = 0.0;
  var zt = 0.0;
  for (var c4 = 0u; c4 < p.v4; c4 = c4 + 1u) {
    let zq = lg4(base + c4);
    ${online}
  }
  ${ROW_END(withHit)}
  ${gradient}
}`;
}

/** Options of {@link crossEntropy}. */
export interface CrossEntropyOptions {
  /** The row of targets / weight / loss / hit that logits row 0 belongs to (default 0). */
  rowOffset?: number;
}

/**
 * Softmax cross-entropy of logits [R, V] against targets u32 [N] (rows rowOffset … rowOffset+R−1
 * are used). Writes loss [N] and, when given, hit [N] (f32 0/1) at those rows. When `dlogits`
 * [R, V] is given (it may be `logits` itself, for in place), writes weight[n]·(softmax − onehot)
 * there; `weight` [N] is then required. Without dlogits, weight is ignored and may be null.
 */
export function crossEntropy(
  rec: Recorder,
  logits: Tensor,
  targets: Tensor,
  weight: Tensor | null,
  loss: Tensor,
  hit: Tensor | null,
  dlogits: Tensor | null,
  opts: CrossEntropyOptions = {},
): void {
  const op = "crossEntropy";
  const all = { logits, targets, weight, loss, hit, dlogits };
  const { rows, cols: v } = rowsCols(logits);
  const n = numel(targets.shape);
  const { rowOffset = 0 } = opts;
  if (v < 1) throw opError(op, "logits need at least one column", all);
  if (!Number.isInteger(rowOffset) || rowOffset < 0 || rowOffset + rows > n) {
    throw opError(op, `rows [${rowOffset}, ${rowOffset + rows}) of logits exceed targets`, all);
  }
  for (const [name, t] of [["loss", loss], ["hit", hit], ["weight", weight]] as const) {
    if (t && numel(t.shape) !== n) throw opError(op, `${name} must have one value per target`, all);
  }
  let mode: GradMode = "none";
  if (dlogits) {
    if (!weight) throw opError(op, "dlogits needs weight", all);
    if (numel(dlogits.shape) !== rows * v) throw opError(op, "dlogits must match logits", all);
    const inPlace = dlogits.buffer === logits.buffer &&
      (dlogits.offset ?? 0) === (logits.offset ?? 0);
    mode = inPlace ? "inPlace" : "separate";
  }
  checkBindings(rec, op, all, { targets: "u32" });
  const written = { loss, hit, dlogits: mode === "separate" ? dlogits : null };
  checkNoAlias(op, mode === "inPlace" ? { ...written, logits } : written, {
    logits,
    targets,
    weight: mode === "none" ? null : weight,
  });
  const rowBindings: Binding[] = [binding(targets), binding(loss)];
  if (hit) rowBindings.push(binding(hit));
  if (mode !== "none") rowBindings.push(binding(weight!));
  const quad = v % 4 === 0 && vec4Staging(rec.device, [logits], [dlogits]);
  if (quad) {
    const sl = stage(rec, op, logits, 0);
    // The gradient goes to dlogits, which may be the logits buffer: the reads come from the
    // staged copy, so in place needs no special case here.
    if (mode !== "none") rowBindings.push(binding(dlogits!));
    rec.dispatch(
      quadShader(mode === "none" ? "none" : "separate", hit !== null),
      QUAD_P.pack({ rows, v, v4: v / 4, rowOffset, logHA: sl.logH }),
      [sl.view, ...rowBindings],
      grid(rec, Math.ceil(rows / ROW_WG)),
      op,
    );
    return;
  }
  if (mode === "separate") rowBindings.push(binding(dlogits!));
  rec.dispatch(
    scalarShader(mode, hit !== null),
    SCALAR_P.pack({ rows, v, rowOffset }),
    [binding(logits), ...rowBindings],
    grid(rec, Math.ceil(rows / ROW_WG)),
    op,
  );
}

/** Every WGSL shader of this file by name (for `deno task wgsl` and the golden tests). */
export function crossEntropyShaders(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const hit of [false, true]) {
    const h = hit ? "-hit" : "";
    for (const grad of ["none", "separate", "inPlace"] as const) {
      out[`scalar-${grad}${h}`] = scalarShader(grad, hit);
    }
    for (const grad of ["none", "separate"] as const) {
      out[`quad-${grad}${h}`] = quadShader(grad, hit);
    }
  }
  return out;
}
