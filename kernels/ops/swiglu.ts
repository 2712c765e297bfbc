/**
 * SwiGLU: from gu [N, 2F] (columns [0, F) = gate, [F, 2F) = up), `m [N, F] = silu(gate) · up`.
 * Backward: with s = σ(gate), `dgate = dm · up · s · (1 + gate · (1 − s))`, `dup = dm · gate · s`.
 *
 * Two paths with the same arithmetic: when F is a multiple of 4 and the adapter prefers it
 * (`usesTextureStaging`, kernels/staging.ts), inputs are staged into textures and outputs written
 * as vec4s; otherwise each invocation reads and writes a run of scalars from storage buffers.
 */
import type { Recorder } from "../recorder.ts";
import { stage, stagedInput, vec4Staging } from "../staging.ts";
import { binding, numel, type Tensor } from "../tensor.ts";
import { uniforms } from "../uniforms.ts";
import { checkBindings, checkNoAlias, opError, rowsCols } from "./checks.ts";
import { flatMainWgsl, grid, PER_INVOCATION, WG } from "./grid.ts";

const SIGMOID = "fn sigmoid(z: f32) -> f32 { return 1.0 / (1.0 + exp(-z)); }";
const SIGMOID4 = "fn sigmoid4(z: vec4f) -> vec4f { return 1.0 / (1.0 + exp(-z)); }";

const SCALAR_P = uniforms("swiglu", { n: "u32", f: "u32" });
const QUAD_P = uniforms("swiglu4", { quads: "u32", f4: "u32", logHA: "u32", logHB: "u32" });

/** Scalar path: `body` runs per element i of m, with row, gi (gate index), g, u, s defined. */
function scalarShader(decls: string, body: string): string {
  return `
${SCALAR_P.wgsl()}
${decls}
${SIGMOID}
${flatMainWgsl(WG)}
  let first = flatIndex(wid, nwg, lid) * ${PER_INVOCATION}u;
  let end = min(first + ${PER_INVOCATION}u, p.n * p.f);
  for (var i = first; i < end; i = i + 1u) {
    let row = i / p.f;
    let gi = i + row * p.f;
    let g = gu[gi];
    let u = gu[gi + p.f];
    let s = sigmoid(g);
    ${body}
  }
}`;
}

/** Vec4 path: `body` runs per quad q of m, with gq (gate quad), g, u, s as vec4s. */
function quadShader(decls: string, body: string): string {
  return `
${QUAD_P.wgsl()}
${decls}
${SIGMOID4}
${flatMainWgsl(WG)}
  let first = flatIndex(wid, nwg, lid) * ${PER_INVOCATION / 2}u;
  let end = min(first + ${PER_INVOCATION / 2}u, p.quads);
  for (var q = first; q < end; q = q + 1u) {
    let gq = q + (q / p.f4) * p.f4;
    let g = gu4(gq);
    let u = gu4(gq + p.f4);
    let s = sigmoid4(g);
    ${body}
  }
}`;
}

const FORWARD = scalarShader(
  `@group(0) @binding(1) var<storage, read> gu: array<f32>;
@group(0) @binding(2) var<storage, read_write> m: array<f32>;`,
  "m[i] = g * s * u;",
);

const BACKWARD = scalarShader(
  `@group(0) @binding(1) var<storage, read> gu: array<f32>;
@group(0) @binding(2) var<storage, read> dm: array<f32>;
@group(0) @binding(3) var<storage, read_write> dgu: array<f32>;`,
  `let d = dm[i];
    dgu[gi] = d * u * s * (1.0 + g * (1.0 - s));
    dgu[gi + p.f] = d * g * s;`,
);

const FORWARD4 = quadShader(
  `${stagedInput("gu", 1, "logHA")}
@group(0) @binding(2) var<storage, read_write> m: array<vec4f>;`,
  "m[q] = g * s * u;",
);

const BACKWARD4 = quadShader(
  `${stagedInput("gu", 1, "logHA")}
${stagedInput("dm", 2, "logHB")}
@group(0) @binding(3) var<storage, read_write> dgu: array<vec4f>;`,
  `let d = dm4(q);
    dgu[gq] = d * u * s * (1.0 + g * (1.0 - s));
    dgu[gq + p.f4] = d * g * s;`,
);

function dims(op: string, gu: Tensor, m: Tensor, all: Record<string, Tensor>) {
  const { rows: n, cols } = rowsCols(gu);
  const f = cols / 2;
  if (!Number.isInteger(f) || rowsCols(m).cols !== f || numel(m.shape) !== n * f) {
    throw opError(op, "expected gu [N, 2F] and m [N, F]", all);
  }
  return { n, f };
}

/** `m = silu(gu[:, :F]) · gu[:, F:]`: gu [N, 2F], m [N, F]. */
export function swiglu(rec: Recorder, gu: Tensor, m: Tensor): void {
  const op = "swiglu";
  const { n, f } = dims(op, gu, m, { gu, m });
  checkBindings(rec, op, { gu, m });
  checkNoAlias(op, { m }, { gu });
  if (f % 4 === 0 && vec4Staging(rec.device, [gu], [m])) {
    const sgu = stage(rec, op, gu, 0);
    const quads = (n * f) / 4;
    rec.dispatch(
      FORWARD4,
      QUAD_P.pack({ quads, f4: f / 4, logHA: sgu.logH, logHB: 0 }),
      [sgu.view, binding(m)],
      grid(rec, Math.ceil(quads / (WG * PER_INVOCATION / 2))),
      op,
    );
    return;
  }
  rec.dispatch(
    FORWARD,
    SCALAR_P.pack({ n, f }),
    [binding(gu), binding(m)],
    grid(rec, Math.ceil((n * f) / (WG * PER_INVOCATION))),
    op,
  );
}

/** Backward of {@link swiglu}: dgu [N, 2F] (overwritten) from gu [N, 2F] and dm [N, F]. */
export function swigluBackward(rec: Recorder, gu: Tensor, dm: Tensor, dgu: Tensor): void {
  const op = "swigluBackward";
  const all = { gu, dm, dgu };
  const { n, f } = dims(op, gu, dm, all);
  if (numel(dgu.shape) !== n * 2 * f || rowsCols(dgu).cols !== 2 * f) {
    throw opError(op, "dgu must have gu's shape", all);
  }
  checkBindings(rec, op, all);
  checkNoAlias(op, { dgu }, { gu, dm });
  if (f % 4 === 0 && vec4Staging(rec.device, [gu, dm], [dgu])) {
    const sgu = stage(rec, op, gu, 0), sdm = stage(rec, op, dm, 1);
    const quads = (n * f) / 4;
    rec.dispatch(
      BACKWARD4,
      QUAD_P.pack({ quads, f4: f / 4, logHA: sgu.logH, logHB: sdm.logH }),
      [sgu.view, sdm.view, binding(dgu)],
      grid(rec, Math.ceil(quads / (WG * PER_INVOCATION / 2))),
      op,
    );
    return;
  }
  rec.dispatch(
    BACKWARD,
    SCALAR_P.pack({ n, f }),
    [binding(gu), binding(dm), binding(dgu)],
    grid(rec, Math.ceil((n * f) / (WG * PER_INVOCATION))),
    op,
  );
}

/** Every WGSL shader of this file by name (for `deno task wgsl` and the golden tests). */
export function swigluShaders(): Record<string, string> {
  return { forward: FORWARD, backward: BACKWARD, forward4: FORWARD4, backward4: BACKWARD4 };
}
