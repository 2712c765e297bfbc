/**
 * The decoder in f64 on the CPU, composed from the kernels' references: the oracle the GPU model's
 * loss and every gradient are tested against. Slow and only for tiny configs.
 */
import {
  attentionBackwardRef,
  attentionRef,
  crossEntropyRef,
  embeddingBackwardRef,
  embeddingRef,
  matmulBackwardRef,
  matmulRef,
  rmsnormBackwardRef,
  rmsnormRef,
  ropeSplitBackwardRef,
  ropeSplitRef,
  swigluBackwardRef,
  swigluRef,
} from "@e2llm/kernels/testing";
import { headDim, kvHeads, type ModelConfig } from "./config.ts";
import { layerParamNames, paramLayout } from "./params.ts";

/** One reference batch: `batch` rows of `length` tokens. */
export interface ReferenceBatch {
  batch: number;
  length: number;
  tokens: ArrayLike<number>;
  targets: ArrayLike<number>;
  /** Loss weight per row (the loss is Σ weight·NLL). */
  weights: ArrayLike<number>;
  positions: ArrayLike<number>;
  invFreq: ArrayLike<number>;
  attentionScale: number;
}

/** Loss Σ weight·NLL, per-row NLL, and the gradient of the loss in the flat parameter layout. */
export interface ReferenceResult {
  loss: number;
  nll: Float64Array;
  grads: Float64Array;
}

/** Forward and backward of the whole model in f64; `params` uses {@link paramLayout}. */
export function referenceModel(
  c: ModelConfig,
  params: ArrayLike<number>,
  b: ReferenceBatch,
): ReferenceResult {
  const layout = paramLayout(c);
  const W = (name: string) => {
    const s = layout.byName.get(name)!;
    const n = s.shape.reduce((a, x) => a * x, 1);
    return Float64Array.from({ length: n }, (_, i) => params[s.offset + i]);
  };
  const grads = new Float64Array(layout.size);
  const addGrad = (name: string, g: Float64Array) => {
    const s = layout.byName.get(name)!;
    for (let i = 0; i < g.length; i++) grads[s.offset + i] += g[i];
  };
  const N = b.batch * b.length, D = c.dModel, F = c.mlpWidth, V = c.vocabSize, eps = c.normEps;
  const rope = { B: b.batch, T: b.length, H: c.nHeads, hd: headDim(c), KV: kvHeads(c) };
  const QKV = D + 2 * kvHeads(c) * headDim(c); // fused q | k | v rows
  const linear = (x: Float64Array, w: Float64Array, out: number, inp: number, r?: Float64Array) =>
    matmulRef(x, w, { trans: "NT", m: N, n: out, k: inp }, r);
  const linearBack = (
    x: Float64Array,
    w: Float64Array,
    dy: Float64Array,
    out: number,
    inp: number,
  ) => matmulBackwardRef(x, w, dy, { trans: "NT", m: N, n: out, k: inp });
  const add = (a: Float64Array, g: Float64Array) => a.map((v, i) => v + g[i]);

  // Forward, keeping what the backward needs.
  const headName = c.tieEmbeddings ? "embed" : "head";
  let x = embeddingRef(b.tokens, W("embed"), V, D);
  const saved = [];
  for (let l = 0; l < c.nLayers; l++) {
    const n = layerParamNames(l);
    const h1 = rmsnormRef(x, W(n.attnNorm), N, D, eps).y;
    const qkv = linear(h1, W(n.wqkv), QKV, D);
    const { q, k, v } = ropeSplitRef(qkv, b.positions, b.invFreq, rope, b.attentionScale);
    const a = attentionRef(q, k, v, rope).out;
    const xMid = linear(a, W(n.wo), D, D, x);
    const h2 = rmsnormRef(xMid, W(n.mlpNorm), N, D, eps).y;
    const gu = linear(h2, W(n.w13), 2 * F, D);
    const m = swigluRef(gu, N, F);
    saved.push({ x, h1, q, k, v, a, xMid, h2, gu, m });
    x = linear(m, W(n.w2), D, F, xMid);
  }
  const hf = rmsnormRef(x, W("final_norm"), N, D, eps).y;
  const logits = linear(hf, W(headName), V, D);
  const ce = crossEntropyRef(logits, b.targets, b.weights, N, V);
  let loss = 0;
  for (let i = 0; i < N; i++) loss += b.weights[i] * ce.loss[i];

  // Backward.
  const head = linearBack(hf, W(headName), ce.dlogits, V, D);
  addGrad(headName, head.dB);
  const fin = rmsnormBackwardRef(x, W("final_norm"), head.dA, N, D, eps);
  addGrad("final_norm", fin.dw);
  let dx = fin.dx;
  for (let l = c.nLayers - 1; l >= 0; l--) {
    const n = layerParamNames(l), s = saved[l];
    const w2 = linearBack(s.m, W(n.w2), dx, D, F);
    addGrad(n.w2, w2.dB);
    const dgu = swigluBackwardRef(s.gu, w2.dA, N, F);
    const w13 = linearBack(s.h2, W(n.w13), dgu, 2 * F, D);
    addGrad(n.w13, w13.dB);
    const norm2 = rmsnormBackwardRef(s.xMid, W(n.mlpNorm), w13.dA, N, D, eps);
    addGrad(n.mlpNorm, norm2.dw);
    const dxMid = add(dx, norm2.dx);
    const wo = linearBack(s.a, W(n.wo), dxMid, D, D);
    addGrad(n.wo, wo.dB);
    const att = attentionBackwardRef(s.q, s.k, s.v, wo.dA, rope);
    const dqkv = ropeSplitBackwardRef(
      att.dq,
      att.dk,
      att.dv,
      b.positions,
      b.invFreq,
      rope,
      b.attentionScale,
    );
    const wqkv = linearBack(s.h1, W(n.wqkv), dqkv, QKV, D);
    addGrad(n.wqkv, wqkv.dB);
    const norm1 = rmsnormBackwardRef(s.x, W(n.attnNorm), wqkv.dA, N, D, eps);
    addGrad(n.attnNorm, norm1.dw);
    dx = add(dxMid, norm1.dx);
  }
  addGrad("embed", embeddingBackwardRef(b.tokens, dx, V, D));
  return { loss, nll: ce.loss, grads };
}
