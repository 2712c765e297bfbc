#!/usr/bin/python3
"""PyTorch CPU reference for `deno task bench`: the same LLaMA-style byte model as train/model.ts.

Started by bench/torch_reference.ts with one JSON argument
  {"mode": "train" | "eval", "model": {vocabSize, dModel, nLayers, nHeads, mlpWidth, ropeBase,
   normEps, initStd, tieEmbeddings}, "batch": B, "length": T, "threads": 2,
   "lr": 1e-3, "weightDecay": 0.1, "beta1": 0.9, "beta2": 0.95, "eps": 1e-8, "gradClip": 1.0}
it builds the model, prints one JSON line {"ready": true, "torch": version, "threads": n}, then
answers each stdin line "run N" with {"seconds": s} after N training steps (forward, cross-entropy,
backward, gradient-norm clipping, AdamW: what Trainer.step records) or N scoring forwards
(per-token NLL and arg-max hit, what the scorer reads back). "quit" or end of input stops it.

Attention is written out (torch 1.13 has no scaled_dot_product_attention); at long lengths the
forward without gradients runs over query chunks so its memory stays O(chunk x T), as the GPU's
flash attention does.
"""

import json
import math
import sys
import time

import torch
import torch.nn.functional as F

QUERY_CHUNK = 1024


class RMSNorm(torch.nn.Module):
    def __init__(self, d, eps):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.ones(d))
        self.eps = eps

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def rope(x, cos, sin):
    """Rotate-half RoPE (LLaMA / Hugging Face, as kernels/ref/rope.ts); x [B, H, T, hd], cos/sin
    [T, hd/2]."""
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat((x1 * cos - x2 * sin, x2 * cos + x1 * sin), dim=-1)


def causal_attention(q, k, v, scale):
    """Causal softmax attention, [B, H, T, hd] each; query chunks when no gradient is needed."""
    T = q.shape[2]
    if torch.is_grad_enabled() or T <= QUERY_CHUNK:
        s = torch.matmul(q, k.transpose(-1, -2)) * scale
        mask = torch.ones(T, T, dtype=torch.bool).triu(1)
        s = s.masked_fill(mask, float("-inf"))
        return torch.matmul(torch.softmax(s, dim=-1), v)
    out = torch.empty_like(q)
    for start in range(0, T, QUERY_CHUNK):
        end = min(T, start + QUERY_CHUNK)
        s = torch.matmul(q[:, :, start:end], k[:, :, :end].transpose(-1, -2)) * scale
        rows = torch.arange(start, end).unsqueeze(1)
        s = s.masked_fill(torch.arange(end).unsqueeze(0) > rows, float("-inf"))
        out[:, :, start:end] = torch.matmul(torch.softmax(s, dim=-1), v[:, :, :end])
    return out


class Block(torch.nn.Module):
    def __init__(self, c):
        super().__init__()
        d, f = c["dModel"], c["mlpWidth"]
        self.heads = c["nHeads"]
        self.attn_norm = RMSNorm(d, c["normEps"])
        self.wqkv = torch.nn.Linear(d, 3 * d, bias=False)
        self.wo = torch.nn.Linear(d, d, bias=False)
        self.mlp_norm = RMSNorm(d, c["normEps"])
        self.w13 = torch.nn.Linear(d, 2 * f, bias=False)
        self.w2 = torch.nn.Linear(f, d, bias=False)

    def forward(self, x, cos, sin):
        B, T, D = x.shape
        H = self.heads
        hd = D // H
        q, k, v = self.wqkv(self.attn_norm(x)).view(B, T, 3, H, hd).permute(2, 0, 3, 1, 4)
        q, k = rope(q, cos, sin), rope(k, cos, sin)
        a = causal_attention(q, k, v, 1 / math.sqrt(hd))
        x = x + self.wo(a.transpose(1, 2).reshape(B, T, D))
        g, u = self.w13(self.mlp_norm(x)).chunk(2, dim=-1)
        return x + self.w2(F.silu(g) * u)


class Model(torch.nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        self.embed = torch.nn.Embedding(c["vocabSize"], c["dModel"])
        self.layers = torch.nn.ModuleList(Block(c) for _ in range(c["nLayers"]))
        self.final_norm = RMSNorm(c["dModel"], c["normEps"])
        self.head = None
        if not c.get("tieEmbeddings", False):
            self.head = torch.nn.Linear(c["dModel"], c["vocabSize"], bias=False)
        std = c["initStd"]
        for name, p in self.named_parameters():
            if p.dim() == 2:
                residual = name.endswith("wo.weight") or name.endswith("w2.weight")
                torch.nn.init.normal_(p, std=std / math.sqrt(2 * c["nLayers"]) if residual else std)

    def forward(self, tokens):
        c = self.c
        T = tokens.shape[1]
        hd = c["dModel"] // c["nHeads"]
        inv_freq = c["ropeBase"] ** (-torch.arange(0, hd, 2, dtype=torch.float32) / hd)
        angles = torch.arange(T, dtype=torch.float32).unsqueeze(1) * inv_freq
        cos, sin = angles.cos(), angles.sin()
        x = self.embed(tokens)
        for layer in self.layers:
            x = layer(x, cos, sin)
        x = self.final_norm(x)
        weight = self.embed.weight if self.head is None else self.head.weight
        return F.linear(x, weight)


def blas_library():
    """The BLAS shared object this process mapped (Debian's alternatives pick it), or "unknown"."""
    torch.matmul(torch.ones(64, 64), torch.ones(64, 64))
    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if "blas" in line.lower() and "/" in line}
    except OSError:
        return "unknown"
    import os
    return ", ".join(sorted(os.path.realpath(p) for p in paths)) or "unknown"


def main():
    args = json.loads(sys.argv[1])
    torch.manual_seed(0)
    torch.set_num_threads(int(args.get("threads", 2)))
    model = Model(args["model"])
    B, T, V = args["batch"], args["length"], args["model"]["vocabSize"]
    tokens = torch.randint(0, V, (B, T))
    targets = torch.randint(0, V, (B, T))
    training = args["mode"] == "train"
    if training:
        decay = [p for p in model.parameters() if p.dim() == 2]
        no_decay = [p for p in model.parameters() if p.dim() != 2]
        opt = torch.optim.AdamW(
            [
                {"params": decay, "weight_decay": args.get("weightDecay", 0.1)},
                {"params": no_decay, "weight_decay": 0.0},
            ],
            lr=args.get("lr", 1e-3),
            betas=(args.get("beta1", 0.9), args.get("beta2", 0.95)),
            eps=args.get("eps", 1e-8),
        )

    def train_step():
        logits = model(tokens)
        loss = F.cross_entropy(logits.view(-1, V), targets.view(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), args.get("gradClip", 1.0))
        opt.step()

    @torch.no_grad()
    def score():
        logits = model(tokens).view(-1, V)
        nll = -torch.log_softmax(logits, dim=-1).gather(1, targets.view(-1, 1))
        hit = logits.argmax(dim=-1) == targets.view(-1)
        return nll.sum().item(), hit.sum().item()

    run_one = train_step if training else score
    ready = {"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads(),
             "blas": blas_library()}
    print(json.dumps(ready), flush=True)
    for line in sys.stdin:
        parts = line.split()
        if not parts or parts[0] == "quit":
            break
        if parts[0] != "run" or len(parts) != 2:
            print(json.dumps({"error": f"unknown command {line.strip()!r}"}), flush=True)
            continue
        started = time.perf_counter()
        for _ in range(int(parts[1])):
            run_one()
        print(json.dumps({"seconds": time.perf_counter() - started}), flush=True)


if __name__ == "__main__":
    main()
