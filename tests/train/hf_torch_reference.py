#!/usr/bin/env python3
"""Optional cross-check (not run by `deno test`): a pure-torch LLaMA forward, written from
Hugging Face's modeling_llama.py (RMSNorm, rotate_half RoPE, repeat_kv GQA, SwiGLU), reads an
exported folder's config.json + model.safetensors (F32/BF16/F16, parsed by hand: no `safetensors`
or `transformers` needed) and compares its per-token NLL of a text file with the JSON that
`deno task eval --checkpoint <dir> --text-file <file> --json` printed.

usage: python3 hf_torch_reference.py <hf-dir> <text-file> <eval-json>
"""
import json
import math
import struct
import sys

import torch

DT = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16}


def load(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + n])
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        b, end = e["data_offsets"]
        t = torch.frombuffer(bytearray(raw[8 + n + b : 8 + n + end]), dtype=DT[e["dtype"]])
        out[name] = t.reshape(e["shape"]).to(torch.float64)
    return out


def main(hf_dir, text_file, eval_json):
    c = json.load(open(f"{hf_dir}/config.json"))
    w = load(f"{hf_dir}/model.safetensors")
    ids = list(open(text_file, "rb").read())
    x_ids = torch.tensor(ids[:-1])
    y_ids = torch.tensor(ids[1:])
    T, D, H = len(x_ids), c["hidden_size"], c["num_attention_heads"]
    KV = c.get("num_key_value_heads", H)
    hd = D // H
    eps, theta = c["rms_norm_eps"], c["rope_theta"]
    scaling = c.get("rope_scaling") or {}
    factor = scaling.get("factor", 1.0) if scaling.get("rope_type") == "linear" else 1.0
    inv = 1.0 / theta ** (torch.arange(0, hd, 2, dtype=torch.float64) / hd) / factor
    ang = torch.arange(T, dtype=torch.float64)[:, None] * inv[None, :]
    cos = torch.cat([ang.cos(), ang.cos()], -1)
    sin = torch.cat([ang.sin(), ang.sin()], -1)

    def rot(x):  # x [heads, T, hd]
        x1, x2 = x[..., : hd // 2], x[..., hd // 2 :]
        return x * cos + torch.cat([-x2, x1], -1) * sin

    def norm(x, g):
        return g * x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps)

    x = w["model.embed_tokens.weight"][x_ids]
    mask = torch.full((T, T), float("-inf"), dtype=torch.float64).triu(1)
    for l in range(c["num_hidden_layers"]):
        p = f"model.layers.{l}."
        h = norm(x, w[p + "input_layernorm.weight"])
        q = (h @ w[p + "self_attn.q_proj.weight"].T).view(T, H, hd).transpose(0, 1)
        k = (h @ w[p + "self_attn.k_proj.weight"].T).view(T, KV, hd).transpose(0, 1)
        v = (h @ w[p + "self_attn.v_proj.weight"].T).view(T, KV, hd).transpose(0, 1)
        q, k = rot(q), rot(k)
        k = k.repeat_interleave(H // KV, 0)
        v = v.repeat_interleave(H // KV, 0)
        a = torch.softmax(q @ k.transpose(1, 2) / math.sqrt(hd) + mask, -1) @ v
        x = x + a.transpose(0, 1).reshape(T, D) @ w[p + "self_attn.o_proj.weight"].T
        h = norm(x, w[p + "post_attention_layernorm.weight"])
        g = h @ w[p + "mlp.gate_proj.weight"].T
        u = h @ w[p + "mlp.up_proj.weight"].T
        x = x + (torch.nn.functional.silu(g) * u) @ w[p + "mlp.down_proj.weight"].T
    head = w["model.embed_tokens.weight"] if c["tie_word_embeddings"] else w["lm_head.weight"]
    logits = norm(x, w["model.norm.weight"]) @ head.T
    nll = torch.nn.functional.cross_entropy(logits, y_ids, reduction="none")
    ours = torch.tensor(json.load(open(eval_json))["nll"], dtype=torch.float64)
    diff = (nll - ours).abs().max().item()
    print(json.dumps({"tokens": T, "max_abs_diff": diff, "torch_ppl": nll.mean().exp().item()}))
    sys.exit(0 if diff < 1e-3 else 1)


if __name__ == "__main__":
    main(*sys.argv[1:4])
