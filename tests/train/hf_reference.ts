/**
 * An independent f64 forward of Hugging Face's LlamaForCausalLM (eager attention, repeat_kv for
 * grouped-query attention, rotate-half RoPE), written from HF's modeling_llama.py semantics on HF
 * tensor names, so it shares no code with e2llm's model or its fused layout. Test-only.
 */

/** The config keys the reference reads. */
export interface RefLlamaConfig {
  vocab: number;
  hidden: number;
  layers: number;
  heads: number;
  kvHeads: number;
  intermediate: number;
  eps: number;
  theta: number;
  tied: boolean;
  /** Linear rope_scaling factor (1: none). */
  linearFactor?: number;
}

/** Per-token NLL of `targets` given `tokens` (one sequence, positions 0 … T−1). */
export function hfReferenceNll(
  c: RefLlamaConfig,
  w: (name: string) => ArrayLike<number>,
  tokens: ArrayLike<number>,
  targets: ArrayLike<number>,
): Float64Array {
  const T = tokens.length, D = c.hidden, H = c.heads, hd = D / H, KV = c.kvHeads;
  const F = c.intermediate, half = hd / 2, rep = H / KV, factor = c.linearFactor ?? 1;
  const linear = (x: Float64Array, W: ArrayLike<number>, out: number, inp: number) => {
    const y = new Float64Array(T * out);
    for (let t = 0; t < T; t++) {
      for (let o = 0; o < out; o++) {
        let s = 0;
        for (let i = 0; i < inp; i++) s += x[t * inp + i] * W[o * inp + i];
        y[t * out + o] = s;
      }
    }
    return y;
  };
  const norm = (x: Float64Array, g: ArrayLike<number>) => {
    const y = new Float64Array(T * D);
    for (let t = 0; t < T; t++) {
      let ms = 0;
      for (let i = 0; i < D; i++) ms += x[t * D + i] ** 2;
      const r = 1 / Math.sqrt(ms / D + c.eps);
      for (let i = 0; i < D; i++) y[t * D + i] = g[i] * x[t * D + i] * r;
    }
    return y;
  };
  const rope = (x: Float64Array, nHeads: number) => {
    const y = new Float64Array(x.length);
    for (let t = 0; t < T; t++) {
      for (let h = 0; h < nHeads; h++) {
        const base = t * nHeads * hd + h * hd;
        for (let j = 0; j < half; j++) {
          const inv = 1 / c.theta ** ((2 * j) / hd) / factor;
          const a = t * inv, cs = Math.cos(a), sn = Math.sin(a);
          const x1 = x[base + j], x2 = x[base + j + half];
          y[base + j] = x1 * cs - x2 * sn;
          y[base + j + half] = x2 * cs + x1 * sn;
        }
      }
    }
    return y;
  };
  const embed = w("model.embed_tokens.weight");
  let x = new Float64Array(T * D);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < D; i++) x[t * D + i] = embed[tokens[t] * D + i];
  }
  for (let l = 0; l < c.layers; l++) {
    const p = `model.layers.${l}.`;
    const h = norm(x, w(p + "input_layernorm.weight"));
    const q = rope(linear(h, w(p + "self_attn.q_proj.weight"), D, D), H);
    const k = rope(linear(h, w(p + "self_attn.k_proj.weight"), KV * hd, D), KV);
    const v = linear(h, w(p + "self_attn.v_proj.weight"), KV * hd, D);
    const a = new Float64Array(T * D);
    for (let head = 0; head < H; head++) {
      const kvh = Math.floor(head / rep);
      for (let t = 0; t < T; t++) {
        const s = new Float64Array(t + 1);
        let mx = -Infinity;
        for (let u = 0; u <= t; u++) {
          let dot = 0;
          for (let i = 0; i < hd; i++) {
            dot += q[t * D + head * hd + i] * k[u * KV * hd + kvh * hd + i];
          }
          s[u] = dot / Math.sqrt(hd);
          mx = Math.max(mx, s[u]);
        }
        let z = 0;
        for (let u = 0; u <= t; u++) z += s[u] = Math.exp(s[u] - mx);
        for (let u = 0; u <= t; u++) {
          for (let i = 0; i < hd; i++) {
            a[t * D + head * hd + i] += (s[u] / z) * v[u * KV * hd + kvh * hd + i];
          }
        }
      }
    }
    const o = linear(a, w(p + "self_attn.o_proj.weight"), D, D);
    x = x.map((v, i) => v + o[i]);
    const h2 = norm(x, w(p + "post_attention_layernorm.weight"));
    const g = linear(h2, w(p + "mlp.gate_proj.weight"), F, D);
    const u = linear(h2, w(p + "mlp.up_proj.weight"), F, D);
    const m = g.map((gv, i) => (gv / (1 + Math.exp(-gv))) * u[i]);
    const d = linear(m, w(p + "mlp.down_proj.weight"), D, F);
    x = x.map((v, i) => v + d[i]);
  }
  const hf = norm(x, w("model.norm.weight"));
  const logits = linear(hf, w(c.tied ? "model.embed_tokens.weight" : "lm_head.weight"), c.vocab, D);
  const nll = new Float64Array(T);
  for (let t = 0; t < T; t++) {
    let mx = -Infinity;
    for (let i = 0; i < c.vocab; i++) mx = Math.max(mx, logits[t * c.vocab + i]);
    let z = 0;
    for (let i = 0; i < c.vocab; i++) z += Math.exp(logits[t * c.vocab + i] - mx);
    nll[t] = mx + Math.log(z) - logits[t * c.vocab + targets[t]];
  }
  return nll;
}
