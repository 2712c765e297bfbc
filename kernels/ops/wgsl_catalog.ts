/**
 * The generated WGSL of every op, by op and spec name: what `deno task wgsl <op> [spec…]` prints
 * and what the golden tests (tests/kernels/wgsl_golden_test.ts) compare against
 * tests/kernels/golden/<op>/<spec>.wgsl. Each op lists a fixed set of specs; matmul and attention
 * also accept a custom spec written as `key=value,…` over a default spec.
 *
 * Nothing here touches a device: every builder is a pure function of its spec.
 */
import { adamwShaders } from "./adamw.ts";
import { attentionTiles } from "./attention.ts";
import {
  attentionBackwardDkvWgsl,
  attentionBackwardDqWgsl,
  attentionForwardWgsl,
  type AttentionTiles,
} from "./attention_wgsl.ts";
import { crossEntropyShaders } from "./cross_entropy.ts";
import { elementwiseShaders } from "./elementwise.ts";
import { embeddingShaders } from "./embedding.ts";
import { type KernelSpec, matmulWgsl } from "./matmul_wgsl.ts";
import { reduceShaders } from "./reduce.ts";
import { rmsnormShaders } from "./rmsnorm.ts";
import { ropeShaders } from "./rope.ts";
import { swigluShaders } from "./swiglu.ts";

/** One op's shaders: its fixed specs, and optionally a builder for a custom `key=value,…` spec. */
export interface WgslOp {
  /** Every fixed spec's WGSL by spec name. */
  specs(): Record<string, string>;
  /** The WGSL of a custom spec (`key=value,…` over {@link WgslOp.defaults}). */
  custom?(spec: string): string;
  /** The default spec custom specs start from (printed by `deno task wgsl <op> --help`). */
  defaults?: Record<string, string | number | boolean>;
}

/** The default matmul spec custom specs are read over. */
export const MATMUL_DEFAULT_SPEC: KernelSpec = {
  trans: "NN",
  source: "texture",
  tm: 16,
  tn: 16,
  wg: 32,
  residual: "none",
  scaled: false,
  vecStore: true,
  storageTexture: true,
  subgroup: 8,
  sgRows: 2,
  panelA: true,
  panelB: true,
};

/** A fixed set of matmul specs: buffer and texture sources, every transpose and epilogue. */
function matmulSpecs(): Record<string, string> {
  const d = MATMUL_DEFAULT_SPEC;
  const specs: Record<string, KernelSpec> = {};
  for (const trans of ["NN", "NT", "TN"] as const) {
    // The software default: 16×16 tiles, subgroup-shared fetches, panels (A of NN/NT, B of NT
    // are stored along k; the others are read down their rows).
    specs[`${trans}-texture-16x16-wg32-sg2-panels`] = { ...d, trans };
    specs[`${trans}-texture-8x8-wg64-flat`] = {
      ...d,
      trans,
      tm: 8,
      tn: 8,
      wg: 64,
      subgroup: 0,
      sgRows: 1,
      panelA: false,
      panelB: false,
    };
    specs[`${trans}-buffer-8x8-wg64`] = {
      ...d,
      trans,
      source: "buffer",
      tm: 8,
      tn: 8,
      wg: 64,
      subgroup: 0,
      sgRows: 1,
      panelA: false,
      panelB: false,
    };
  }
  specs["NN-buffer-4x4-wg64-separate-scaled-scalar"] = {
    ...specs["NN-buffer-8x8-wg64"],
    tm: 4,
    tn: 4,
    residual: "separate",
    scaled: true,
    vecStore: false,
  };
  specs["NT-texture-8x8-wg64-self-sampled"] = {
    ...specs["NT-texture-8x8-wg64-flat"],
    residual: "self",
    storageTexture: false,
  };
  specs["TN-texture-16x8-wg32-sg1-separate-scaled"] = {
    ...d,
    trans: "TN",
    tn: 8,
    sgRows: 1,
    residual: "separate",
    scaled: true,
    panelA: false,
  };
  return Object.fromEntries(Object.entries(specs).map(([name, s]) => [name, matmulWgsl(s)]));
}

type AttentionKernel = "forward" | "dq" | "dkv";
const ATTENTION_BUILDERS: Record<AttentionKernel, (hd: number, t: AttentionTiles) => string> = {
  forward: attentionForwardWgsl,
  dq: attentionBackwardDqWgsl,
  dkv: attentionBackwardDkvWgsl,
};

/** The default attention spec custom specs are read over (the software tiles of hd 32). */
export const ATTENTION_DEFAULT_SPEC = {
  kernel: "forward",
  hd: 32,
  ...attentionTiles(32, "forward", true, 0),
};

/**
 * Attention at hd 32 and 64: software tiles without and with 8-wide subgroups, GPU tiles;
 * grouped-query kernels at hd 64.
 */
function attentionSpecs(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const hd of [32, 64]) {
    for (const kernel of ["forward", "dq", "dkv"] as const) {
      out[`${kernel}-hd${hd}`] = ATTENTION_BUILDERS[kernel](hd, attentionTiles(hd, kernel));
      out[`${kernel}-hd${hd}-sg8`] = ATTENTION_BUILDERS[kernel](
        hd,
        attentionTiles(hd, kernel, true, 8),
      );
    }
  }
  for (const kernel of ["forward", "dq", "dkv"] as const) {
    out[`${kernel}-hd32-gpu`] = ATTENTION_BUILDERS[kernel](32, attentionTiles(32, kernel, false));
  }
  // Grouped-query attention, 3 query heads per key/value head (SmolLM-135M's shape).
  const gqa = {
    forward: attentionForwardWgsl,
    dq: attentionBackwardDqWgsl,
    dkv: attentionBackwardDkvWgsl,
  };
  for (const kernel of ["forward", "dq", "dkv"] as const) {
    out[`${kernel}-hd64-gqa3`] = gqa[kernel](64, attentionTiles(64, kernel), 3);
  }
  return out;
}

/** Every op with generated WGSL, by the name `deno task wgsl` takes. */
export const WGSL_OPS: Readonly<Record<string, WgslOp>> = {
  adamw: { specs: adamwShaders },
  attention: {
    specs: attentionSpecs,
    defaults: ATTENTION_DEFAULT_SPEC,
    custom(text) {
      const s = parseSpec(text, ATTENTION_DEFAULT_SPEC);
      const build = ATTENTION_BUILDERS[s.kernel as AttentionKernel];
      if (!build) throw new RangeError(`attention: kernel must be forward, dq or dkv`);
      return build(s.hd, s);
    },
  },
  cross_entropy: { specs: crossEntropyShaders },
  elementwise: { specs: elementwiseShaders },
  embedding: { specs: embeddingShaders },
  matmul: {
    specs: matmulSpecs,
    defaults: { ...MATMUL_DEFAULT_SPEC },
    custom: (text) => matmulWgsl(parseSpec(text, MATMUL_DEFAULT_SPEC)),
  },
  reduce: { specs: reduceShaders },
  rmsnorm: { specs: rmsnormShaders },
  rope: { specs: ropeShaders },
  swiglu: { specs: swigluShaders },
};

/**
 * Read `key=value,…` over `defaults`: each value is converted to the type of the default's
 * field; an unknown key or a value of the wrong type throws a RangeError naming it.
 */
export function parseSpec<T extends object>(text: string, defaultSpec: T): T {
  const defaults = defaultSpec as Record<string, unknown>;
  const out: Record<string, unknown> = { ...defaults };
  for (const part of text.split(",").filter((s) => s.trim() !== "")) {
    const eq = part.indexOf("=");
    const key = part.slice(0, eq).trim(), raw = part.slice(eq + 1).trim();
    if (eq < 0 || !(key in defaults)) {
      throw new RangeError(
        `spec "${part}": expected key=value with key one of ${Object.keys(defaults).join(", ")}`,
      );
    }
    const kind = typeof defaults[key];
    if (kind === "number") {
      const n = Number(raw);
      if (raw === "" || !Number.isFinite(n)) {
        throw new RangeError(`spec ${key}: "${raw}" is not a number`);
      }
      out[key] = n;
    } else if (kind === "boolean") {
      if (raw !== "true" && raw !== "false") {
        throw new RangeError(`spec ${key}: "${raw}" is not true or false`);
      }
      out[key] = raw === "true";
    } else out[key] = raw;
  }
  return out as T;
}

/**
 * The shaders of `op` for `specs` (fixed spec names, or custom `key=value,…` specs where the op
 * takes them); all fixed specs when `specs` is empty. Throws a RangeError naming an unknown op or
 * spec and listing the known ones.
 */
export function opShaders(op: string, specs: readonly string[] = []): [string, string][] {
  const entry = WGSL_OPS[op];
  if (!entry) {
    throw new RangeError(`unknown op "${op}"; ops: ${Object.keys(WGSL_OPS).join(", ")}`);
  }
  const fixed = entry.specs();
  if (specs.length === 0) return Object.entries(fixed);
  return specs.map((spec): [string, string] => {
    if (spec in fixed) return [spec, fixed[spec]];
    if (spec.includes("=") && entry.custom) return [spec, entry.custom(spec)];
    throw new RangeError(
      `${op}: unknown spec "${spec}"; specs: ${Object.keys(fixed).join(", ")}` +
        (entry.custom ? ", or key=value,… over the defaults (--help)" : ""),
    );
  });
}
