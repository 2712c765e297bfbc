/**
 * Parameter layout: every weight lives in one flat f32 buffer at a 256-byte aligned offset, so
 * AdamW and gradient clipping run over the whole model in a few dispatches while each op binds
 * its own view. Gradients, AdamW m and v share the layout.
 */
import { Rng } from "@e2llm/encodings";
import type { ModelConfig } from "./config.ts";

/** One named parameter tensor in the flat buffer. */
export interface ParamSpec {
  name: string;
  shape: number[];
  /** Element offset into the flat buffer (multiple of 64). */
  offset: number;
  /** How it is initialised: "normal" with `std`, or "ones". */
  init: { kind: "normal"; std: number } | { kind: "ones" };
  /** Whether AdamW applies weight decay (matrices yes, norms no). */
  decay: boolean;
}

/** The full layout: specs by name and the total flat length. */
export interface ParamLayout {
  specs: ParamSpec[];
  byName: Map<string, ParamSpec>;
  /** Total elements (a multiple of 64). */
  size: number;
}

const ALIGN = 64;

/** Names of one layer's tensors (see {@link layerParamNames}). */
export interface LayerParamNames {
  attnNorm: string;
  wqkv: string;
  wo: string;
  mlpNorm: string;
  w13: string;
  w2: string;
}

/** Names of the per-layer tensors, in storage order. */
export function layerParamNames(layer: number): LayerParamNames {
  const p = `layers.${layer}.`;
  return {
    attnNorm: p + "attn_norm",
    wqkv: p + "attn.wqkv",
    wo: p + "attn.wo",
    mlpNorm: p + "mlp_norm",
    w13: p + "mlp.w13",
    w2: p + "mlp.w2",
  };
}

/** Build the layout for a config. Residual-output projections get GPT-2's 1/√(2L) init. */
export function paramLayout(c: ModelConfig): ParamLayout {
  const specs: ParamSpec[] = [];
  let offset = 0;
  const add = (name: string, shape: number[], init: ParamSpec["init"], decay: boolean) => {
    specs.push({ name, shape, offset, init, decay });
    offset += Math.ceil(shape.reduce((a, b) => a * b, 1) / ALIGN) * ALIGN;
  };
  const D = c.dModel, F = c.mlpWidth, std = c.initStd;
  // q | k | v rows; k and v have fewer heads under grouped-query attention.
  const kvD = (D / c.nHeads) * (c.nKvHeads ?? c.nHeads);
  const residualStd = std / Math.sqrt(2 * c.nLayers);
  add("embed", [c.vocabSize, D], { kind: "normal", std }, true);
  for (let l = 0; l < c.nLayers; l++) {
    const n = layerParamNames(l);
    add(n.attnNorm, [D], { kind: "ones" }, false);
    add(n.wqkv, [D + 2 * kvD, D], { kind: "normal", std }, true);
    add(n.wo, [D, D], { kind: "normal", std: residualStd }, true);
    add(n.mlpNorm, [D], { kind: "ones" }, false);
    add(n.w13, [2 * F, D], { kind: "normal", std }, true);
    add(n.w2, [D, F], { kind: "normal", std: residualStd }, true);
  }
  add("final_norm", [D], { kind: "ones" }, false);
  if (!c.tieEmbeddings) add("head", [c.vocabSize, D], { kind: "normal", std }, true);
  return { specs, byName: new Map(specs.map((s) => [s.name, s])), size: offset };
}

/** Initial weights for a layout, deterministic from `seed` (padding stays zero). */
export function initParams(layout: ParamLayout, seed: number): Float32Array {
  const rng = new Rng(seed);
  const flat = new Float32Array(layout.size);
  for (const s of layout.specs) {
    const n = s.shape.reduce((a, b) => a * b, 1);
    for (let i = 0; i < n; i++) {
      flat[s.offset + i] = s.init.kind === "ones" ? 1 : rng.normal() * s.init.std;
    }
  }
  return flat;
}

/** Number of real (non-padding) parameters. */
export function countParams(layout: ParamLayout): number {
  return layout.specs.reduce((sum, s) => sum + s.shape.reduce((a, b) => a * b, 1), 0);
}
