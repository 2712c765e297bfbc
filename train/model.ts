/**
 * The LLaMA-style decoder on WebGPU: token embedding; N × (RMSNorm → QKV → RoPE driven by the
 * encoding → causal flash attention → output projection + residual; RMSNorm → SwiGLU MLP +
 * residual); final RMSNorm; LM head. Forward, loss and backward are recorded into one compute
 * pass; weights, gradients and AdamW moments each live in one flat buffer (see params.ts).
 *
 * Activations are allocated once for the largest batch (`maxRows` = B·T); a smaller call uses
 * views of them, so steps and evaluation calls allocate nothing.
 */
import {
  add,
  attention,
  attentionBackward,
  type BufferPool,
  crossEntropy,
  DEFAULT_USAGE,
  embedding,
  embeddingBackward,
  embeddingBackwardScratchLength,
  matmul,
  numel,
  poolFor,
  type Recorder,
  rmsnorm,
  rmsnormBackward,
  rmsnormBackwardScratchLength,
  ropeSplit,
  ropeSplitBackward,
  swiglu,
  swigluBackward,
  type Tensor,
  view,
} from "@e2llm/kernels";
import type { MatmulTuneProblem } from "@e2llm/kernels";
import { headDim, kvHeads, type ModelConfig } from "./config.ts";
import { checkDeviceLimits } from "./limits.ts";
import { layerParamNames, type ParamLayout, paramLayout } from "./params.ts";

/** Buffers a step or an evaluation call reads (written by the host before recording). */
export interface BatchBuffers {
  tokens: Tensor; // u32 [maxRows]
  targets: Tensor; // u32 [maxRows]
  weights: Tensor; // f32 [maxRows]: loss weight per row (1/count where scored, else 0)
  positions: Tensor; // f32 [maxRows]
  invFreq: Tensor; // f32 [headDim/2]
  loss: Tensor; // f32 [maxRows]: per-row NLL
  hit: Tensor; // f32 [maxRows]: 1 where argmax == target
}

interface LayerActivations {
  x: Tensor; // residual stream entering the layer [R, D]
  h1: Tensor; // attn_norm(x) [R, D]
  rstd1: Tensor; // [R]
  q: Tensor; // [B, T, H, hd]
  k: Tensor;
  v: Tensor;
  a: Tensor; // attention output [R, D]
  lse: Tensor; // [B, H, T]
  xMid: Tensor; // x + attention branch [R, D]
  h2: Tensor; // mlp_norm(xMid) [R, D]
  rstd2: Tensor; // [R]
  gu: Tensor; // [R, 2F]
  m: Tensor; // swiglu(gu) [R, F]
}

/** Scratch gradients shared by every layer in the backward pass. */
interface BackwardScratch {
  dx: Tensor; // gradient of the residual stream [R, D]
  dxMid: Tensor; // [R, D]
  dh: Tensor; // [R, D]
  dm: Tensor; // [R, F]
  dgu: Tensor; // [R, 2F]
  dqkv: Tensor; // [R, 3D]
  dq: Tensor;
  dk: Tensor;
  dv: Tensor;
  da: Tensor; // [R, D]
  delta: Tensor; // [B, H, T]
  normScratch: Tensor;
  embedScratch: Tensor; // u32
}

/** The decoder's GPU state: parameters, optional gradients, activations and batch buffers. */
export class GpuModel {
  readonly layout: ParamLayout;
  readonly params: Tensor;
  readonly grads: Tensor | null;
  readonly io: BatchBuffers;
  readonly #layers: LayerActivations[];
  /** The forward QKV projection, reused by every layer [R, 3D]. */
  readonly #qkv: Tensor;
  readonly #xFinal: Tensor;
  readonly #hFinal: Tensor;
  readonly #rstdFinal: Tensor;
  readonly #logits: Tensor;
  readonly #scratch: BackwardScratch | null;
  readonly #owned: GPUBuffer[] = [];
  readonly #pool: BufferPool;
  /**
   * Rows of logits computed at a time: all of them when training; in evaluation, as many as fit
   * one storage binding (a multiple of 64 rows), so vocabularies of 150k fit the device.
   */
  readonly logitRows: number;

  /**
   * Allocate for at most `maxRows` = batch · length tokens per call. `training` adds gradient and
   * backward buffers. Throws, naming the numbers, when a buffer would exceed the device limits.
   * `opts.logitRows` (evaluation; a multiple of 64) overrides the logits chunk ({@link logitRows}).
   */
  constructor(
    readonly device: GPUDevice,
    readonly config: ModelConfig,
    readonly maxRows: number,
    readonly training: boolean,
    opts: { logitRows?: number } = {},
  ) {
    const c = config, R = maxRows, D = c.dModel, F = c.mlpWidth, V = c.vocabSize;
    const kvD = headDim(c) * kvHeads(c); // key/value width (D unless grouped-query)
    this.layout = paramLayout(c);
    this.logitRows = training ? R : Math.min(R, opts.logitRows ?? logitChunkRows(device, R, V));
    if (this.logitRows < R && this.logitRows % 64 !== 0) {
      throw new RangeError(`model: logitRows ${this.logitRows} must be a multiple of 64`);
    }
    checkDeviceLimits(
      device,
      c,
      R,
      this.layout,
      training ? undefined : { logitRows: this.logitRows },
    );
    this.#pool = poolFor(device);
    const f32 = (shape: number[], label: string) => this.#alloc(shape, "f32", label);
    const u32 = (shape: number[], label: string) => this.#alloc(shape, "u32", label);
    this.params = f32([this.layout.size], "params");
    this.grads = training ? f32([this.layout.size], "grads") : null;
    this.io = {
      tokens: u32([R], "tokens"),
      targets: u32([R], "targets"),
      weights: f32([R], "weights"),
      positions: f32([R], "positions"),
      invFreq: f32([headDim(c) / 2], "invFreq"),
      loss: f32([R], "loss"),
      hit: f32([R], "hit"),
    };
    // Evaluation keeps no per-layer activations: every layer reuses layer 0's buffers.
    const layerCount = training ? c.nLayers : 1;
    const bhT = [R * c.nHeads];
    this.#layers = Array.from({ length: layerCount }, (_, l) => ({
      x: f32([R, D], `x${l}`),
      h1: f32([R, D], `h1.${l}`),
      rstd1: f32([R], `rstd1.${l}`),
      q: f32([R, D], `q${l}`),
      k: f32([R, kvD], `k${l}`),
      v: f32([R, kvD], `v${l}`),
      a: f32([R, D], `a${l}`),
      lse: f32(bhT, `lse${l}`),
      xMid: f32([R, D], `xMid${l}`),
      h2: f32([R, D], `h2.${l}`),
      rstd2: f32([R], `rstd2.${l}`),
      gu: f32([R, 2 * F], `gu${l}`),
      m: f32([R, F], `m${l}`),
    }));
    this.#qkv = f32([R, D + 2 * kvD], "qkv");
    this.#xFinal = f32([R, D], "xFinal");
    this.#hFinal = f32([R, D], "hFinal");
    this.#rstdFinal = f32([R], "rstdFinal");
    this.#logits = f32([this.logitRows, V], "logits");
    this.#scratch = training
      ? {
        dx: f32([R, D], "dx"),
        dxMid: f32([R, D], "dxMid"),
        dh: f32([R, D], "dh"),
        dm: f32([R, F], "dm"),
        dgu: f32([R, 2 * F], "dgu"),
        dqkv: f32([R, D + 2 * kvD], "dqkv"),
        dq: f32([R, D], "dq"),
        dk: f32([R, kvD], "dk"),
        dv: f32([R, kvD], "dv"),
        da: f32([R, D], "da"),
        delta: f32(bhT, "delta"),
        normScratch: f32([rmsnormBackwardScratchLength(R, D)], "normScratch"),
        embedScratch: u32([embeddingBackwardScratchLength(R, V)], "embedScratch"),
      }
      : null;
  }

  /** A parameter's view in the flat buffer (or the gradient's, with `grads`). */
  param(name: string, of: Tensor = this.params): Tensor {
    const spec = this.layout.byName.get(name);
    if (!spec) throw new Error(`no parameter named ${name}`);
    return view(of, spec.offset, spec.shape);
  }

  /** Upload a flat weight vector laid out by {@link layout}. */
  setParams(flat: Float32Array): void {
    if (flat.length !== this.layout.size) {
      throw new RangeError(`setParams: ${flat.length} values for a layout of ${this.layout.size}`);
    }
    this.device.queue.writeBuffer(this.params.buffer, 0, flat as Float32Array<ArrayBuffer>);
  }

  /**
   * Record the forward pass for `batch` sequences of `length` tokens, then the cross-entropy:
   * per-row loss and hit into `io`, and (training) dlogits weighted by `io.weights`.
   */
  recordForward(rec: Recorder, batch: number, length: number, withGrad: boolean): void {
    const c = this.config, R = batch * length, D = c.dModel, H = c.nHeads, hd = headDim(c);
    if (R > this.maxRows) {
      throw new RangeError(`model: ${batch}×${length} = ${R} rows exceeds maxRows ${this.maxRows}`);
    }
    if (withGrad && !this.training) throw new Error("model was created without gradients");
    const rows = (t: Tensor, cols: number) => view(t, 0, [R, cols]);
    const heads = (t: Tensor) => view(t, 0, [batch, length, H, hd]);
    const kvHeadsOf = (t: Tensor) => view(t, 0, [batch, length, kvHeads(c), hd]);
    const io = this.io;
    const positions = view(io.positions, 0, [batch, length]);
    let x = rows(this.#layers[0].x, D);
    embedding(rec, view(io.tokens, 0, [R]), this.param("embed"), x);
    for (let l = 0; l < c.nLayers; l++) {
      const act = this.#layers[this.training ? l : 0];
      const names = layerParamNames(l);
      if (rows(act.x, D).buffer !== x.buffer) throw new Error("internal: residual stream mismatch");
      const h1 = rows(act.h1, D), rstd1 = view(act.rstd1, 0, [R]);
      rmsnorm(rec, x, this.param(names.attnNorm), h1, rstd1, c.normEps);
      const qkv = rows(this.#qkv, D + 2 * kvHeads(c) * hd);
      matmul(rec, h1, this.param(names.wqkv), qkv, { trans: "NT" });
      const q = heads(act.q), k = kvHeadsOf(act.k), v = kvHeadsOf(act.v), a = heads(act.a);
      ropeSplit(rec, qkv, positions, io.invFreq, q, k, v, { scale: this.attentionScale });
      attention(rec, q, k, v, a, view(act.lse, 0, [batch, H, length]));
      const xMid = rows(act.xMid, D);
      matmul(rec, rows(act.a, D), this.param(names.wo), xMid, { trans: "NT", residual: x });
      const h2 = rows(act.h2, D), rstd2 = view(act.rstd2, 0, [R]);
      rmsnorm(rec, xMid, this.param(names.mlpNorm), h2, rstd2, c.normEps);
      const gu = rows(act.gu, 2 * c.mlpWidth), m = rows(act.m, c.mlpWidth);
      matmul(rec, h2, this.param(names.w13), gu, { trans: "NT" });
      swiglu(rec, gu, m);
      const next = l + 1 < c.nLayers && this.training ? rows(this.#layers[l + 1].x, D) : rows(
        l + 1 < c.nLayers ? act.x : this.#xFinal,
        D,
      );
      // In evaluation the next layer reuses act.x; xMid still holds the residual input.
      matmul(rec, m, this.param(names.w2), next, { trans: "NT", residual: xMid });
      x = next;
    }
    const hf = rows(this.#hFinal, D);
    rmsnorm(rec, x, this.param("final_norm"), hf, view(this.#rstdFinal, 0, [R]), c.normEps);
    if (this.logitRows < R) {
      // Evaluation with a large vocabulary: head + cross-entropy a chunk of rows at a time.
      const V = c.vocabSize, step = this.logitRows;
      for (let r0 = 0; r0 < R; r0 += step) {
        const n = Math.min(step, R - r0);
        const logits = view(this.#logits, 0, [n, V]);
        matmul(rec, view(hf, r0 * D, [n, D]), this.param(this.#headName()), logits, {
          trans: "NT",
        });
        crossEntropy(
          rec,
          logits,
          view(io.targets, r0, [n]),
          null,
          view(io.loss, r0, [n]),
          view(io.hit, r0, [n]),
          null,
        );
      }
      return;
    }
    const logits = rows(this.#logits, c.vocabSize);
    matmul(rec, hf, this.param(this.#headName()), logits, { trans: "NT" });
    crossEntropy(
      rec,
      logits,
      view(io.targets, 0, [R]),
      withGrad ? view(io.weights, 0, [R]) : null,
      view(io.loss, 0, [R]),
      view(io.hit, 0, [R]),
      withGrad ? logits : null,
    );
  }

  /** The q/k scale the RoPE kernel applies (set from the encoding before recording). */
  attentionScale = 1;

  /** Record the backward pass; gradients are overwritten (no zeroing needed). */
  recordBackward(rec: Recorder, batch: number, length: number): void {
    const s = this.#scratch, grads = this.grads;
    if (!s || !grads) throw new Error("model was created without gradients");
    const c = this.config, R = batch * length, D = c.dModel, F = c.mlpWidth, H = c.nHeads;
    const hd = headDim(c);
    const rows = (t: Tensor, cols: number) => view(t, 0, [R, cols]);
    const heads = (t: Tensor) => view(t, 0, [batch, length, H, hd]);
    const kvHeadsOf = (t: Tensor) => view(t, 0, [batch, length, kvHeads(c), hd]);
    const grad = (name: string) => this.param(name, grads);
    // y = x·Wᵀ backward: dW = dyᵀ·x, dx = dy·W.
    const linearBackward = (dy: Tensor, x: Tensor, weight: string, dxOut: Tensor) => {
      matmul(rec, dy, x, grad(weight), { trans: "TN" });
      matmul(rec, dy, this.param(weight), dxOut);
    };
    const io = this.io;
    const positions = view(io.positions, 0, [batch, length]);
    const normScratch = s.normScratch;
    const dlogits = rows(this.#logits, c.vocabSize);
    const hf = rows(this.#hFinal, D);
    const dx = rows(s.dx, D), dxMid = rows(s.dxMid, D), dh = rows(s.dh, D);
    // A block's x → x + f(norm(x)) backward: dxOut = normᵀ(dh) + dSkip (the skip path's gradient).
    const residualNormBackward = (
      x: Tensor,
      weight: string,
      rstd: Tensor,
      dxOut: Tensor,
      dSkip: Tensor,
    ) => {
      const w = this.param(weight), r = view(rstd, 0, [R]);
      rmsnormBackward(rec, x, w, r, dh, dxOut, grad(weight), normScratch);
      add(rec, dxOut, dSkip);
    };
    // LM head (the embedding when tied; its gradient then gains the lookup's below).
    linearBackward(dlogits, hf, this.#headName(), dh);
    rmsnormBackward(
      rec,
      rows(this.#xFinal, D),
      this.param("final_norm"),
      view(this.#rstdFinal, 0, [R]),
      dh,
      dx,
      grad("final_norm"),
      normScratch,
    );
    for (let l = c.nLayers - 1; l >= 0; l--) {
      const act = this.#layers[l];
      const names = layerParamNames(l);
      // MLP branch: x_next = xMid + swiglu(norm(xMid)·W13ᵀ)·W2ᵀ.
      const dm = rows(s.dm, F), dgu = rows(s.dgu, 2 * F);
      linearBackward(dx, rows(act.m, F), names.w2, dm);
      swigluBackward(rec, rows(act.gu, 2 * F), dm, dgu);
      linearBackward(dgu, rows(act.h2, D), names.w13, dh);
      residualNormBackward(rows(act.xMid, D), names.mlpNorm, act.rstd2, dxMid, dx);
      // Attention branch: xMid = x + attn(norm(x))·Woᵀ.
      const da = rows(s.da, D);
      linearBackward(dxMid, rows(act.a, D), names.wo, da);
      attentionBackward(
        rec,
        heads(act.q),
        kvHeadsOf(act.k),
        kvHeadsOf(act.v),
        heads(act.a),
        view(act.lse, 0, [batch, H, length]),
        heads(da),
        view(s.delta, 0, [batch, H, length]),
        heads(s.dq),
        kvHeadsOf(s.dk),
        kvHeadsOf(s.dv),
      );
      const dqkv = rows(s.dqkv, D + 2 * kvHeads(c) * hd);
      ropeSplitBackward(
        rec,
        heads(s.dq),
        kvHeadsOf(s.dk),
        kvHeadsOf(s.dv),
        positions,
        io.invFreq,
        dqkv,
        { scale: this.attentionScale },
      );
      linearBackward(dqkv, rows(act.h1, D), names.wqkv, dh);
      residualNormBackward(rows(act.x, D), names.attnNorm, act.rstd1, dx, dxMid);
    }
    embeddingBackward(rec, view(io.tokens, 0, [R]), dx, grad("embed"), s.embedScratch, {
      accumulate: c.tieEmbeddings,
    });
  }

  /**
   * The distinct matmul shapes of a forward (and, when training, backward) pass over `rows`
   * tokens, for tuning tile choices before the first step.
   */
  matmulShapes(rows = this.maxRows): MatmulTuneProblem[] {
    const c = this.config, D = c.dModel, F = c.mlpWidth, V = c.vocabSize, R = rows;
    const qkvWidth = D + 2 * kvHeads(c) * headDim(c);
    const layers: [number, number][] = [[qkvWidth, D], [D, D], [2 * F, D], [D, F], [V, D]];
    const shapes = new Map<string, MatmulTuneProblem>();
    const add = (p: MatmulTuneProblem) => shapes.set(`${p.trans} ${p.m} ${p.n} ${p.k}`, p);
    for (const [out, inp] of layers) {
      add({ trans: "NT", m: R, n: out, k: inp }); // y = x·Wᵀ
      if (!this.training) continue;
      add({ trans: "NN", m: R, n: inp, k: out }); // dx = dy·W
      add({ trans: "TN", m: out, n: inp, k: R }); // dW = dyᵀ·x
    }
    return [...shapes.values()];
  }

  /** Bytes of GPU memory this model allocated. */
  get allocatedBytes(): number {
    return this.#owned.reduce((sum, b) => sum + b.size, 0);
  }

  /** Return every buffer to the device's pool (the next model of the same shapes reuses them). */
  dispose(): void {
    for (const b of this.#owned) this.#pool.release(b);
    this.#owned.length = 0;
  }

  #headName(): string {
    return this.config.tieEmbeddings ? "embed" : "head";
  }

  #alloc(shape: number[], dtype: "f32" | "u32", label: string): Tensor {
    const bytes = Math.ceil(numel(shape) * 4 / 256) * 256;
    const buffer = this.#pool.acquire(bytes, DEFAULT_USAGE, label);
    this.#owned.push(buffer);
    return { buffer, shape, dtype };
  }
}

/**
 * Rows of logits per chunk in evaluation: all `rows` when [rows, vocab] fits one storage binding,
 * else the largest multiple of 64 rows that does (64-row steps keep every view 256-byte aligned).
 */
export function logitChunkRows(device: GPUDevice, rows: number, vocab: number): number {
  const limit = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
  if (rows * vocab * 4 <= limit) return rows;
  return Math.max(64, Math.floor(limit / (vocab * 4) / 64) * 64);
}
