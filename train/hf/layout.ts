/**
 * Tensor names and layouts: e2llm's fused weights ↔ Hugging Face LLaMA's. Both store linear
 * weights as [out, in]. Our `attn.wqkv` [3D, D] is q_proj | k_proj | v_proj stacked by rows, each
 * head's hd rows contiguous, RoPE on rotate-half pairs (j, j + hd/2) — HF's own convention, so no
 * permutation is needed. With grouped-query attention (`nKvHeads` < nHeads) wqkv is
 * [D + 2·KV·hd, D]: k_proj and v_proj keep their KV heads. `mlp.w13` [2F, D] is gate_proj | up_proj (SwiGLU m = silu(gate)·up).
 */
import { headDim, kvHeads, type ModelConfig } from "../config.ts";
import { layerParamNames } from "../params.ts";

/** A named f32 tensor. */
export interface NamedTensor {
  shape: number[];
  data: Float32Array;
}

/** The Hugging Face tensor names of one decoder layer. */
export interface HfLayerNames {
  q: string;
  k: string;
  v: string;
  o: string;
  gate: string;
  up: string;
  down: string;
  inputNorm: string;
  postNorm: string;
}

/** HF names of layer `l`'s tensors. */
export function hfLayerNames(l: number): HfLayerNames {
  const p = `model.layers.${l}.`;
  return {
    q: p + "self_attn.q_proj.weight",
    k: p + "self_attn.k_proj.weight",
    v: p + "self_attn.v_proj.weight",
    o: p + "self_attn.o_proj.weight",
    gate: p + "mlp.gate_proj.weight",
    up: p + "mlp.up_proj.weight",
    down: p + "mlp.down_proj.weight",
    inputNorm: p + "input_layernorm.weight",
    postNorm: p + "post_attention_layernorm.weight",
  };
}

/** Every HF tensor of a model, with its expected shape. */
export function hfTensorShapes(c: ModelConfig): Map<string, number[]> {
  const D = c.dModel, F = c.mlpWidth, kvD = headDim(c) * kvHeads(c);
  const out = new Map<string, number[]>([["model.embed_tokens.weight", [c.vocabSize, D]]]);
  for (let l = 0; l < c.nLayers; l++) {
    const n = hfLayerNames(l);
    out.set(n.q, [D, D]).set(n.k, [kvD, D]).set(n.v, [kvD, D]).set(n.o, [D, D]);
    out.set(n.gate, [F, D]).set(n.up, [F, D]).set(n.down, [D, F]);
    out.set(n.inputNorm, [D]).set(n.postNorm, [D]);
  }
  out.set("model.norm.weight", [D]);
  if (!c.tieEmbeddings) out.set("lm_head.weight", [c.vocabSize, D]);
  return out;
}

/** Our tensors (by our names) → HF tensors in HF order: fused weights split by rows. */
export function toHfTensors(
  c: ModelConfig,
  ours: ReadonlyMap<string, NamedTensor>,
): { name: string; shape: number[]; data: Float32Array }[] {
  const get = (name: string) => {
    const t = ours.get(name);
    if (!t) throw new Error(`export: the checkpoint has no tensor ${name}`);
    return t;
  };
  const D = c.dModel, F = c.mlpWidth, kvD = headDim(c) * kvHeads(c);
  const rows = (t: NamedTensor, from: number, count: number, cols: number) => ({
    shape: [count, cols],
    data: t.data.slice(from * cols, (from + count) * cols),
  });
  const out: { name: string; shape: number[]; data: Float32Array }[] = [];
  const push = (name: string, t: NamedTensor) => out.push({ name, shape: t.shape, data: t.data });
  push("model.embed_tokens.weight", get("embed"));
  for (let l = 0; l < c.nLayers; l++) {
    const ourN = layerParamNames(l), n = hfLayerNames(l);
    const qkv = get(ourN.wqkv), w13 = get(ourN.w13);
    push(n.inputNorm, get(ourN.attnNorm));
    push(n.q, rows(qkv, 0, D, D));
    push(n.k, rows(qkv, D, kvD, D));
    push(n.v, rows(qkv, D + kvD, kvD, D));
    push(n.o, get(ourN.wo));
    push(n.postNorm, get(ourN.mlpNorm));
    push(n.gate, rows(w13, 0, F, D));
    push(n.up, rows(w13, F, F, D));
    push(n.down, get(ourN.w2));
  }
  push("model.norm.weight", get("final_norm"));
  if (!c.tieEmbeddings) push("lm_head.weight", get("head"));
  return out;
}

/** HF tensors → ours: q_proj, k_proj, v_proj stacked into wqkv; gate_proj, up_proj into w13. */
export function fromHfTensors(
  c: ModelConfig,
  get: (name: string) => Float32Array,
): Map<string, NamedTensor> {
  const D = c.dModel, F = c.mlpWidth, kvD = headDim(c) * kvHeads(c);
  const out = new Map<string, NamedTensor>();
  out.set("embed", { shape: [c.vocabSize, D], data: get("model.embed_tokens.weight") });
  for (let l = 0; l < c.nLayers; l++) {
    const ourN = layerParamNames(l), n = hfLayerNames(l);
    const qkv = new Float32Array((D + 2 * kvD) * D);
    qkv.set(get(n.q), 0);
    qkv.set(get(n.k), D * D);
    qkv.set(get(n.v), (D + kvD) * D);
    const w13 = new Float32Array(2 * F * D);
    w13.set(get(n.gate), 0);
    w13.set(get(n.up), F * D);
    out.set(ourN.attnNorm, { shape: [D], data: get(n.inputNorm) });
    out.set(ourN.wqkv, { shape: [D + 2 * kvD, D], data: qkv });
    out.set(ourN.wo, { shape: [D, D], data: get(n.o) });
    out.set(ourN.mlpNorm, { shape: [D], data: get(n.postNorm) });
    out.set(ourN.w13, { shape: [2 * F, D], data: w13 });
    out.set(ourN.w2, { shape: [D, F], data: get(n.down) });
  }
  out.set("final_norm", { shape: [D], data: get("model.norm.weight") });
  if (!c.tieEmbeddings) out.set("head", { shape: [c.vocabSize, D], data: get("lm_head.weight") });
  return out;
}
