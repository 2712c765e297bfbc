"""Retrieval recipe probe (issue 14): how fast does the standard model learn needle / recall?

Trains `bench/torch_reference.py`'s model (the `standard` preset's d128 / 4 layers / 4 heads /
SwiGLU 320, R = 128) in PyTorch on rows generated in the formats of `train/data/retrieval.ts`
(`{KEY=4821}` … `{KEY=4821}`; recall `{#5170}` pairs, then the queries shuffled), with the loss
on the answer bytes only, and prints teacher-forced exact match, character accuracy and the hit
rate per answer byte on 40 held-out rows per task (test split; depths 0…1) every `evalEvery` steps.
A recipe can be tried here without touching the data pipeline (1,000 steps: 434 s on one thread
beside another run, the trainer 597 s beside one); what it finds is then checked with
`deno task train` + `deno task eval`.

    deno run -A tools/retrieval_probe/dump_corpus.ts /tmp/rx
    /usr/bin/python3 tools/retrieval_probe/probe.py '{"steps": 1500, "lr": 1e-3, "minLr": 1e-3}'

Options (JSON, defaults in `ARGS`): steps, batch, lr, minLr (cosine after `warmup` steps), wd,
beta2, seed, threads; rate (share of rows that are task rows, the rest plain text with loss on
every byte), tasks (needle, recall, repeat: a span of the row's text stated again at its end),
digits, pairs, names (characters per recall name), alphabet (what names are drawn from), sep
(between a recall name and its value), marker (the needle's text between `{` and the key), w
(answer loss weight).
"""
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "bench"))
from torch_reference import Model  # noqa: E402

ARGS = {"steps": 300, "batch": 16, "R": 128, "lr": 1e-3, "minLr": 1e-3, "warmup": 30, "wd": 0.1,
        "beta2": 0.95, "seed": 0, "threads": 2, "rate": 1.0, "tasks": ["needle", "recall"],
        "digits": 4, "pairs": 4, "names": 1, "alphabet": "#%&*+/<>@^_`|~", "sep": "",
        "marker": "KEY=", "w": 1.0, "evalEvery": 100, "data": "/tmp/rx"}


def b(s):
    return np.frombuffer(s.encode(), np.uint8)


def needle_text(key, marker="KEY="):
    """The needle as the trainer writes it: `{KEY=4821}` (`marker` between `{` and the key)."""
    return f"{{{marker}{key}}}"


def needle_row(filler, depth, key, marker="KEY="):
    """`filler` with `{KEY=key}` at `depth`, then `{KEY=key}`: train/data/retrieval.ts's needle
    (`marker` is the text between `{` and the key).

    Returns the row and the indices of the answer bytes (the last key's digits)."""
    cut = int(math.floor(depth * len(filler) + 0.5))  # Math.round, as the trainer
    text = b(needle_text(key, marker))
    row = np.concatenate([filler[:cut], text, filler[cut:], text])
    first = len(row) - 1 - len(key)
    return row, list(range(first, first + len(key)))


def pair_text(name, value, sep=""):
    """One recall pair as the trainer writes it: `{#5170}` (`sep` between name and value)."""
    return f"{{{name}{sep}{value}}}"


def recall_row(filler, depth, pairs, order, sep=""):
    """`pairs` [(name, value)] as `{#5170}` at `depth`, then each queried again in `order`:
    train/data/retrieval.ts's recall. Returns the row and the indices of every answer byte."""
    cut = int(math.floor(depth * len(filler) + 0.5))  # Math.round, as the trainer
    block = "".join(pair_text(n, v, sep) for n, v in pairs)
    head = np.concatenate([filler[:cut], b(block), filler[cut:]])
    queries, answers = "", []
    for i in order:
        n, v = pairs[i]
        start = len(head) + len(queries) + len(pair_text(n, "", sep)) - 1
        answers += list(range(start, start + len(v)))
        queries += pair_text(n, v, sep)
    return np.concatenate([head, b(queries)]), answers


def main():
    a = {**ARGS, **json.loads(sys.argv[1] if len(sys.argv) > 1 else "{}")}
    unknown = set(a) - set(ARGS)
    if unknown:
        sys.exit(f"unknown option(s): {sorted(unknown)}; known: {sorted(ARGS)}")
    torch.manual_seed(a["seed"])
    torch.set_num_threads(a["threads"])
    rng = np.random.default_rng(a["seed"])
    train = np.fromfile(f"{a['data']}/train.bin", dtype=np.uint8)
    test = np.fromfile(f"{a['data']}/test.bin", dtype=np.uint8)
    model = Model({"vocabSize": 256, "dModel": 128, "nLayers": 4, "nHeads": 4, "mlpWidth": 320,
                   "ropeBase": 10000, "normEps": 1e-5, "initStd": 0.02, "tieEmbeddings": False})
    R, D, P = a["R"], a["digits"], a["pairs"]
    # Bytes a sample adds to its filler: needle = marker + query; recall = pair block + queries.
    EXTRA = {"needle": 2 * len(needle_text("0" * D, a["marker"])),
             "recall": 2 * P * len(pair_text("a" * a["names"], "0" * D, a["sep"]))}

    def window(src, n, g):
        s = g.integers(0, len(src) - n)
        return src[s:s + n].copy()

    def key(g):
        return "".join(str(x) for x in g.integers(0, 10, D))

    def needle(filler, g, depth):
        return needle_row(filler, depth, key(g), a["marker"])

    def recall(filler, g, depth):
        pairs = {}
        abc = a["alphabet"]
        while len(pairs) < P:
            name = "".join(abc[g.integers(0, len(abc))] for _ in range(a["names"]))
            pairs.setdefault(name, key(g))
        return recall_row(filler, depth, list(pairs.items()), g.permutation(P), a["sep"])

    def repeat(n, g, src):
        """Text whose last 8…32 bytes restate a span of it: answers are the restated bytes."""
        s = int(g.integers(8, 33))
        body = window(src, n - s, g)
        start = int(g.integers(0, len(body) - s))
        return np.concatenate([body, body[start:start + s]]), list(range(n - s + 1, n))

    def sample(task, n, g, src, depth=None):
        if task == "repeat":
            return repeat(n, g, src)
        filler = window(src, n - EXTRA[task], g)
        depth = g.random() if depth is None else depth
        row, answers = (needle if task == "needle" else recall)(filler, g, depth)
        assert len(row) == n, (task, len(row), n)
        return row, answers

    def batch():
        B = a["batch"]
        inp, tgt = np.zeros((B, R), np.int64), np.zeros((B, R), np.int64)
        w = np.zeros((B, R), np.float32)
        for r in range(B):
            if rng.random() < a["rate"]:
                row, answers = sample(a["tasks"][rng.integers(0, len(a["tasks"]))], R + 1, rng, train)
                for i in answers:
                    w[r, i - 1] = a["w"]
            else:
                row = window(train, R + 1, rng)
                w[r] = 1
            inp[r], tgt[r] = row[:R], row[1:]
        return torch.from_numpy(inp), torch.from_numpy(tgt), torch.from_numpy(w)

    eval_rng = np.random.default_rng(1234)
    EVAL = {t: [sample(t, R + 1, eval_rng, test, depth=d) for d in np.linspace(0, 1, 40)]
            for t in ["needle", "recall"]}

    @torch.no_grad()
    def evaluate():
        """Per task: (exact match, character accuracy, hit rate per answer byte)."""
        out = {}
        for task, rows in EVAL.items():
            x = torch.from_numpy(np.stack([r[:-1] for r, _ in rows]).astype(np.int64))
            pred = model(x).argmax(-1).numpy()
            hits = [[pred[i, j - 1] == r[j] for j in answers] for i, (r, answers) in enumerate(rows)]
            flat = [h for row in hits for h in row]
            exact = [all(row[j:j + D]) for row in hits for j in range(0, len(row), D)]
            by_byte = [round(float(np.mean(flat[j::D])), 2) for j in range(D)]
            out[task] = (round(float(np.mean(exact)), 3), round(float(np.mean(flat)), 3), by_byte)
        return out

    decay = [p for p in model.parameters() if p.dim() == 2]
    no_decay = [p for p in model.parameters() if p.dim() != 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": a["wd"]},
                             {"params": no_decay, "weight_decay": 0.0}],
                            lr=a["lr"], betas=(0.9, a["beta2"]), eps=1e-8)

    def lr_at(s):
        if s < a["warmup"]:
            return a["lr"] * (s + 1) / a["warmup"]
        p = min(1, (s - a["warmup"]) / max(1, a["steps"] - a["warmup"]))
        return a["minLr"] + 0.5 * (a["lr"] - a["minLr"]) * (1 + math.cos(math.pi * p))

    t0, total, n = time.time(), 0.0, 0
    for s in range(a["steps"]):
        x, y, w = batch()
        for group in opt.param_groups:
            group["lr"] = lr_at(s)
        nll = F.cross_entropy(model(x).view(-1, 256), y.view(-1), reduction="none").view(x.shape)
        loss = (nll * w).sum() / w.sum()
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        total, n = total + loss.item(), n + 1
        if (s + 1) % a["evalEvery"] == 0 or s + 1 == a["steps"]:
            print(f"step {s + 1} loss {total / n:.3f} {evaluate()} {time.time() - t0:.0f}s", flush=True)
            total, n = 0.0, 0


if __name__ == "__main__":
    main()
