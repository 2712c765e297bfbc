/**
 * E²: the defaults sample the paper's ids (first four ids i/g, one offset t ~ U{0..gR−R} after
 * them, g ~ U{1..20}; χ² with fixed seeds); the global-shift control leaves q·k logits unchanged
 * (rotated in f64), the split shift does not; the earlier readings follow their distributions.
 */
import assert from "node:assert/strict";
import {
  createEncoding,
  drawE2Sample,
  E2_DEFAULT_MAX_SCALE,
  E2_DEFAULT_SINK_TOKENS,
  type E2Config,
  e2Encoding,
  e2Positions,
  Rng,
  ropeInvFreq,
} from "@e2llm/encodings";
import { chiSquare as chiSquareCounts, offsetChiSquare, paperE2Structure } from "./e2_structure.ts";

const parse = (extra: Record<string, unknown>) =>
  e2Encoding.schema.parse({ rope_type: "e2", ...extra }) as E2Config;

/** Rotate-half RoPE of x (length d) at position p, in f64. */
function rotate(x: Float64Array, p: number, invFreq: Float64Array): Float64Array {
  const h = invFreq.length;
  const out = new Float64Array(2 * h);
  for (let j = 0; j < h; j++) {
    const c = Math.cos(p * invFreq[j]), s = Math.sin(p * invFreq[j]);
    out[j] = x[j] * c - x[j + h] * s;
    out[j + h] = x[j] * s + x[j + h] * c;
  }
  return out;
}

/** Causal q·k logits of random q, k rotated at the given positions. */
function logits(ids: Float64Array, q: Float64Array[], k: Float64Array[], invFreq: Float64Array) {
  const qr = q.map((v, i) => rotate(v, ids[i], invFreq));
  const kr = k.map((v, i) => rotate(v, ids[i], invFreq));
  const out: number[] = [];
  for (let m = 0; m < ids.length; m++) {
    for (let n = 0; n <= m; n++) out.push(qr[m].reduce((acc, v, j) => acc + v * kr[n][j], 0));
  }
  return out;
}

function maxRelDiff(a: number[], b: number[]): number {
  return Math.max(...a.map((v, i) => Math.abs(v - b[i]) / Math.max(1, Math.abs(b[i]))));
}

Deno.test("e2 global shift gives exactly the logits of plain scaling; split shift does not", () => {
  const rng = new Rng(7);
  const d = 16, n = 48, trainLength = 48;
  const invFreq = ropeInvFreq(d, 10000);
  const randn = () => Float64Array.from({ length: d }, () => rng.normal());
  const q = Array.from({ length: n }, randn), k = Array.from({ length: n }, randn);
  // The earlier reading (random split) and the paper's default (4 sinks) both change the logits.
  const globalEnc = createEncoding({ rope_type: "e2", max_scale: 8, shift: "global" });
  const noneEnc = createEncoding({ rope_type: "e2", max_scale: 8, shift: "none" });
  const splitEnc = createEncoding({ rope_type: "e2", max_scale: 8, split: "uniform" });
  const sinksEnc = createEncoding({ rope_type: "e2", max_scale: 8 });
  let shifted = 0, splitDiffers = 0, sinksDiffer = 0;
  for (let seed = 1; seed <= 12; seed++) {
    const ctx = (s: number) => ({ length: n, trainLength, random: new Rng(s).random });
    // g is the first draw of every mode, so the same seed gives the same g.
    const g = globalEnc.trainPositions!(ctx(seed));
    const none = noneEnc.trainPositions!(ctx(seed));
    const split = splitEnc.trainPositions!(ctx(seed));
    if (g[0] !== none[0]) shifted++;
    const base = logits(none, q, k, invFreq);
    assert.ok(maxRelDiff(logits(g, q, k, invFreq), base) < 1e-9, `seed ${seed}: global shift`);
    if (maxRelDiff(logits(split, q, k, invFreq), base) > 1e-3) splitDiffers++;
    const sinks = sinksEnc.trainPositions!(ctx(seed));
    if (maxRelDiff(logits(sinks, q, k, invFreq), base) > 1e-3) sinksDiffer++;
  }
  assert.ok(shifted >= 8, `the global shift moved the ids in ${shifted}/12 samples`);
  assert.ok(splitDiffers >= 8, `the split shift changed the logits in ${splitDiffers}/12 samples`);
  assert.ok(sinksDiffer >= 8, `the sink shift changed the logits in ${sinksDiffer}/12 samples`);
});

/** Pearson χ² of observed counts against expected probabilities. */
function chiSquare(counts: number[], probabilities: number[], total: number): number {
  return counts.reduce(
    (acc, c, i) => acc + (c - total * probabilities[i]) ** 2 / (total * probabilities[i]),
    0,
  );
}

Deno.test("e2 defaults are the paper's: 4 sinks, one offset t ~ U{0..gR−R}, g ~ U{1..20}", () => {
  const cfg = parse({});
  assert.equal(cfg.split, "sinks");
  assert.equal(E2_DEFAULT_SINK_TOKENS, 4);
  assert.equal(E2_DEFAULT_MAX_SCALE, 20);
  const enc = createEncoding({ rope_type: "e2" });
  const random = new Rng(20240113).random;
  const N = 6000, R = 128;
  const samples: { g: number; t: number }[] = [];
  const gCounts = new Array(20).fill(0);
  let atTop = 0;
  for (let i = 0; i < N; i++) {
    const ids = enc.trainPositions!({ length: R, trainLength: R, random });
    const s = paperE2Structure(ids, R);
    assert.ok(s.g <= 20, `g ${s.g}`);
    if (s.g === 1) assert.equal(s.t, 0, "g = 1 has t_max = 0");
    if (s.g === 20 && s.t > 0.95 * (19 * R)) atTop++;
    gCounts[s.g - 1]++;
    samples.push(s);
  }
  // g: χ² with 19 degrees of freedom, 43.82 is the p = 0.001 critical value.
  const chiG = chiSquareCounts(gCounts, gCounts.map(() => N / 20));
  assert.ok(chiG < 43.82, `g counts ${gCounts}, χ² ${chiG}`);
  // t: pooled over g > 1 in 10 slices of each sample's range; 9 degrees of freedom, 27.88.
  const { chi, n } = offsetChiSquare(samples, R);
  assert.ok(n > 5000, `${n} shifted samples`);
  assert.ok(chi < 27.88, `t χ² ${chi}`);
  assert.ok(atTop > 0, "t reaches the top 5% of 0..19R at g = 20");
  // The range ends exactly: the largest draw gives g = 20 and t = 20R − R, the smallest 1 and 0.
  assert.deepEqual(drawE2Sample(cfg, { length: R, trainLength: R, random: () => 1 - 1e-12 }), {
    scale: 20,
    split: 4,
    shift: 19 * R,
  });
  assert.deepEqual(drawE2Sample(cfg, { length: R, trainLength: R, random: () => 0 }), {
    scale: 1,
    split: 4,
    shift: 0,
  });
  // Short samples: the sinks are never shifted; a sample of ≤ 4 tokens is not shifted at all.
  for (let i = 0; i < 200; i++) {
    paperE2Structure(enc.trainPositions!({ length: 5, trainLength: R, random }), R);
    const tiny = enc.trainPositions!({ length: 3, trainLength: R, random });
    assert.deepEqual([...tiny], [0, tiny[1], 2 * tiny[1]]);
  }
  // sink_tokens moves the split; a wrong key combination is an error naming the key.
  const two = createEncoding({ rope_type: "e2", sink_tokens: 2, max_scale: 3 });
  for (let i = 0; i < 50; i++) {
    paperE2Structure(two.trainPositions!({ length: 16, trainLength: 16, random }), 16, 2);
  }
  assert.throws(
    () => createEncoding({ rope_type: "e2", split: "uniform", sink_tokens: 4 }),
    /sink_tokens/,
  );
});

Deno.test("e2 sampling: g uniform over 1..G, t ~ U{0..(g−1)R}, split ~ U{1..n−1} (seed 2024)", () => {
  const cfg = parse({ max_scale: 4, split: "uniform" });
  const random = new Rng(2024).random;
  const N = 20000, R = 64, n = 64;
  const gCounts = [0, 0, 0, 0];
  const tByG: number[][] = [[], [], [], []];
  let splitSum = 0;
  for (let i = 0; i < N; i++) {
    const s = drawE2Sample(cfg, { length: n, trainLength: R, random });
    assert.ok(Number.isInteger(s.scale) && s.scale >= 1 && s.scale <= 4, `g ${s.scale}`);
    assert.ok(
      Number.isInteger(s.shift) && s.shift >= 0 && s.shift <= (s.scale - 1) * R,
      `t ${s.shift}`,
    );
    assert.ok(Number.isInteger(s.split) && s.split >= 1 && s.split <= n - 1, `split ${s.split}`);
    gCounts[s.scale - 1]++;
    tByG[s.scale - 1].push(s.shift);
    splitSum += s.split;
  }
  // χ² with 3 degrees of freedom: 16.27 is the p = 0.001 critical value.
  const chi = chiSquare(gCounts, [0.25, 0.25, 0.25, 0.25], N);
  assert.ok(chi < 16.27, `g counts ${gCounts}, χ² ${chi}`);
  assert.ok(tByG[0].every((t) => t === 0), "g = 1 never shifts");
  for (const g of [2, 3, 4]) {
    const ts = tByG[g - 1], M = (g - 1) * R;
    // Kolmogorov–Smirnov against the discrete uniform on 0..M (1.95/√n ≈ p = 0.001).
    const sorted = [...ts].sort((a, b) => a - b);
    let ks = 0;
    for (let i = 0; i < sorted.length; i++) {
      if (i + 1 < sorted.length && sorted[i + 1] === sorted[i]) continue;
      ks = Math.max(ks, Math.abs((i + 1) / sorted.length - (sorted[i] + 1) / (M + 1)));
    }
    assert.ok(ks < 1.95 / Math.sqrt(ts.length), `g ${g}: KS ${ks}`);
    assert.equal(Math.max(...ts) > M * 0.95, true, `g ${g}: t reaches near (g−1)R`);
  }
  const meanSplit = splitSum / N; // uniform on 1..63: mean 32, sd 18.2, se 0.13
  assert.ok(Math.abs(meanSplit - 32) < 0.6, `mean split ${meanSplit}`);
});

Deno.test("e2 sampling: an explicit weighted list of scales (seed 99)", () => {
  const cfg = parse({ scales: [1, 2, 8], scale_weights: [1, 2, 1] });
  const random = new Rng(99).random;
  const N = 20000, counts = [0, 0, 0];
  for (let i = 0; i < N; i++) {
    const { scale } = drawE2Sample(cfg, { length: 32, trainLength: 32, random });
    counts[[1, 2, 8].indexOf(scale)]++;
  }
  assert.ok(counts.every((c) => c > 0), `every scale drawn: ${counts}`);
  // χ² with 2 degrees of freedom: 13.82 is the p = 0.001 critical value.
  const chi = chiSquare(counts, [0.25, 0.5, 0.25], N);
  assert.ok(chi < 13.82, `counts ${counts}, χ² ${chi}`);
});

Deno.test("e2 trainPositions replays its own draw; shift none / half split rules", () => {
  for (const cfg of [parse({ max_scale: 8 }), parse({ max_scale: 8, split: "uniform" })]) {
    const enc = e2Encoding.create(cfg);
    for (let seed = 0; seed < 20; seed++) {
      const ctx = () => ({ length: 40, trainLength: 40, random: new Rng(seed).random });
      const sample = drawE2Sample(cfg, ctx());
      assert.deepEqual([...enc.trainPositions!(ctx())], [...e2Positions(40, sample)]);
    }
  }
  const half = parse({ max_scale: 8, split: "half" });
  const none = parse({ max_scale: 8, shift: "none" });
  const random = new Rng(5).random;
  for (let i = 0; i < 200; i++) {
    assert.equal(drawE2Sample(half, { length: 41, trainLength: 40, random }).split, 20);
    const s = drawE2Sample(none, { length: 41, trainLength: 40, random });
    assert.equal(s.shift, 0);
    assert.equal(s.split, 41);
  }
});
