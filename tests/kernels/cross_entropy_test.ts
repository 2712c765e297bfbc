import assert from "node:assert/strict";
import { crossEntropy, getGpu, readF32, Recorder, type Tensor, upload } from "@e2llm/kernels";
import { crossEntropyRef } from "@e2llm/kernels/testing";
import { Rng } from "@e2llm/encodings";
import { assertClose, finiteDiff, randn, withStaging } from "./helpers.ts";

const { device } = await getGpu();
const N = 29;

/** Odd V: storage-buffer path; V % 4 = 0 with texture staging: the vec4 texture path. */
const CASES = [
  { v: 53, textures: true },
  { v: 56, textures: true },
  { v: 56, textures: false },
];

function inputs(seed: number, v: number) {
  const rng = new Rng(seed);
  const logits = randn(rng, N * v, 3);
  const targets = Uint32Array.from({ length: N }, () => rng.int(0, v - 1));
  const weight = Float32Array.from({ length: N }, () => rng.next());
  // Row 0: all equal (argmax tie → index 0); row 1: target is the argmax; row 2: ignored row;
  // row 3: huge logits (needs the max subtraction); row 4: a tie between columns 7 and 9;
  // row 5: target is the last column.
  logits.fill(0.25, 0, v);
  targets[0] = 0;
  let best = 0;
  for (let c = 0; c < v; c++) if (logits[v + c] > logits[v + best]) best = c;
  targets[1] = best;
  targets[2] = 0xffffffff;
  for (let c = 0; c < v; c++) logits[3 * v + c] += 1e4;
  logits[4 * v + 7] = logits[4 * v + 9] = 50;
  targets[4] = 9;
  targets[5] = v - 1;
  return { rng, logits, targets, weight };
}

const zeros = (n: number, shape?: number[]) => upload(device, new Float32Array(n), shape ?? [n]);
const bits = async (t: Tensor) => [...new Uint32Array((await readF32(device, t)).buffer)];

for (const { v, textures } of CASES) {
  const label = `V=${v}${textures ? "" : " (storage buffers)"}`;

  Deno.test(`cross-entropy ${label}: loss, hit and dlogits match the reference`, async () => {
    const { rng, logits, targets, weight } = inputs(40, v);
    const loss = zeros(N), hit = zeros(N), dlogits = zeros(N * v, [N, v]);
    const staged = withStaging(device, textures, (rec) => {
      const tl = upload(device, logits, [N, v]), tt = upload(device, targets);
      crossEntropy(rec, tl, tt, upload(device, weight), loss, hit, dlogits);
    });
    assert.equal(staged > 0, textures && v % 4 === 0, "texture path taken iff aligned");
    const l64 = Float64Array.from(logits);
    const want = crossEntropyRef(l64, targets, weight, N, v);
    const gotLoss = await readF32(device, loss);
    assertClose(gotLoss, want.loss, { rtol: 1e-5, atol: 1e-5, label: "loss" });
    assert.deepEqual([...await readF32(device, hit)], [...want.hit], "hit");
    assert.deepEqual([gotLoss[2], want.hit[0], want.hit[1], want.hit[4]], [0, 1, 1, 0]);
    const got = await readF32(device, dlogits);
    assertClose(got, want.dlogits, { rtol: 1e-5, atol: 1e-6, label: "dlogits" });
    // L(logits) = Σ weight·loss: its gradient is dlogits.
    const lossOf = (z: Float64Array) =>
      crossEntropyRef(z, targets, weight, N, v).loss.reduce((s, l, i) => s + weight[i] * l, 0);
    const fd = finiteDiff(lossOf, Float64Array.from(l64), { n: 60, rng });
    assertClose(fd.index.map((i) => got[i]), fd.grad, { rtol: 1e-4, atol: 1e-6, label: "fd" });
  });

  Deno.test(`cross-entropy ${label}: in place, chunked and eval-only agree bitwise`, async () => {
    const { logits, targets, weight } = inputs(41, v);
    const tt = upload(device, targets), tw = upload(device, weight);
    const loss = zeros(N), hit = zeros(N), dlogits = zeros(N * v, [N, v]);
    const inPlace = upload(device, logits, [N, v]);
    const loss2 = zeros(N), hit2 = zeros(N), loss3 = zeros(N), hit3 = zeros(N);
    const loss4 = zeros(N), dlogits4 = zeros(N * v, [N, v]);
    withStaging(device, textures, (rec) => {
      crossEntropy(rec, upload(device, logits, [N, v]), tt, tw, loss, hit, dlogits);
      crossEntropy(rec, inPlace, tt, tw, loss2, hit2, inPlace);
      // Two chunks of rows (10 + 19), eval only: no weight, no gradient.
      const chunkA = upload(device, logits.slice(0, 10 * v), [10, v]);
      const chunkB = upload(device, logits.slice(10 * v), [N - 10, v]);
      crossEntropy(rec, chunkA, tt, null, loss3, hit3, null);
      crossEntropy(rec, chunkB, tt, null, loss3, hit3, null, { rowOffset: 10 });
      // A second run of the first call: identical bits.
      crossEntropy(rec, upload(device, logits, [N, v]), tt, tw, loss4, null, dlogits4);
    });
    assert.deepEqual(await bits(inPlace), await bits(dlogits), "in-place gradient");
    assert.deepEqual(await bits(dlogits4), await bits(dlogits), "rerun gradient");
    for (const [a, b, c] of [[loss, loss2, loss3], [hit, hit2, hit3]]) {
      const ref = await bits(a);
      assert.deepEqual(await bits(b), ref);
      assert.deepEqual(await bits(c), ref);
    }
    assert.deepEqual(await bits(loss4), await bits(loss));
  });
}

Deno.test("cross-entropy on wide rows (V = 1101) matches the reference", async () => {
  const rng = new Rng(42);
  const n = 5, v = 1101;
  const logits = randn(rng, n * v, 4);
  const targets = Uint32Array.from({ length: n }, () => rng.int(0, v - 1));
  const weight = Float32Array.from({ length: n }, () => rng.next());
  const loss = zeros(n), hit = zeros(n), dlogits = zeros(n * v, [n, v]);
  const rec = new Recorder(device);
  const tw = upload(device, weight);
  crossEntropy(
    rec,
    upload(device, logits, [n, v]),
    upload(device, targets),
    tw,
    loss,
    hit,
    dlogits,
  );
  rec.submit();
  const want = crossEntropyRef(Float64Array.from(logits), targets, weight, n, v);
  assertClose(await readF32(device, loss), want.loss, { rtol: 1e-5, atol: 1e-5, label: "loss" });
  assert.deepEqual([...await readF32(device, hit)], [...want.hit], "hit");
  assertClose(await readF32(device, dlogits), want.dlogits, {
    rtol: 1e-5,
    atol: 1e-7,
    label: "dl",
  });
});

Deno.test("cross-entropy validates shapes before dispatching", () => {
  const rec = new Recorder(device);
  const logits = zeros(4 * 5, [4, 5]), targets = upload(device, new Uint32Array(4));
  const w = zeros(4), loss = zeros(4);
  assert.throws(
    () => crossEntropy(rec, logits, targets, null, loss, null, logits),
    /crossEntropy: dlogits needs weight/,
  );
  assert.throws(
    () => crossEntropy(rec, logits, targets, w, loss, null, null, { rowOffset: 1 }),
    /crossEntropy: rows \[1, 5\) of logits exceed targets \(logits \[4, 5\], targets \[4\] u32/,
  );
  assert.throws(
    () => crossEntropy(rec, logits, targets, w, zeros(3), null, null),
    /crossEntropy: loss must have one value per target/,
  );
  assert.throws(
    () => crossEntropy(rec, logits, zeros(4), w, loss, null, null),
    /crossEntropy: targets must be u32/,
  );
  const both = zeros(64 + 4 * 5); // room for a second [4, 5] view at byte 256
  const half = { ...both, shape: [4, 5], offset: 0 };
  assert.throws(
    () => crossEntropy(rec, half, targets, w, loss, null, { ...half, offset: 256 }),
    /crossEntropy: dlogits is written and shares its buffer with logits/,
  );
  assert.equal(rec.dispatchCount, 0);
});
