import assert from "node:assert/strict";
import {
  embedding,
  embeddingBackward,
  embeddingBackwardScratchLength,
  getGpu,
  readF32,
  Recorder,
  upload,
} from "@e2llm/kernels";
import { embeddingBackwardRef, embeddingRef } from "@e2llm/kernels/testing";
import { Rng } from "@e2llm/encodings";
import { assertClose, finiteDiff, randn, withStaging } from "./helpers.ts";

const { device } = await getGpu();
const V = 37, N = 203;

/** Odd D: storage-buffer path; D % 4 = 0 with texture staging: the vec4 texture path. */
const CASES = [
  { d: 19, textures: true },
  { d: 20, textures: true },
  { d: 12, textures: true }, // d4 = 3: an odd number of vec4s per row (a half-used chunk)
  { d: 20, textures: false },
];

function tokensFor(rng: Rng): Uint32Array {
  // Skewed so some tokens repeat a lot and some never occur; two out-of-range ids.
  const t = Uint32Array.from({ length: N }, () => Math.min(rng.int(0, V - 1), rng.int(0, V - 1)));
  t[5] = V;
  t[77] = 0xffffffff;
  return t;
}

for (const { d: D, textures } of CASES) {
  const label = `D=${D}${textures ? "" : " (storage buffers)"}`;
  const quad = textures && D % 4 === 0;

  Deno.test(`embedding ${label}: forward copies table rows (zero rows for ids ≥ V)`, async () => {
    const rng = new Rng(10);
    const tokens = tokensFor(rng), table = randn(rng, V * D);
    const out = upload(device, new Float32Array(N * D).fill(9), [N, D]);
    const staged = withStaging(device, textures, (rec) => {
      embedding(rec, upload(device, tokens), upload(device, table, [V, D]), out);
    });
    assert.equal(staged > 0, quad, "texture path taken iff aligned");
    const want = embeddingRef(tokens, Float64Array.from(table), V, D);
    assert.deepEqual(await readF32(device, out), Float32Array.from(want));
  });

  Deno.test(`embedding ${label}: backward matches the reference and finite differences`, async () => {
    const rng = new Rng(11);
    const tokens = tokensFor(rng), dout = randn(rng, N * D), init = randn(rng, V * D);
    const tTokens = upload(device, tokens), tDout = upload(device, dout, [N, D]);
    const scratch = upload(device, new Uint32Array(embeddingBackwardScratchLength(N, V)));
    const dtable = upload(device, init, [V, D]), dacc = upload(device, init, [V, D]);
    const staged = withStaging(device, textures, (rec) => {
      embeddingBackward(rec, tTokens, tDout, dtable, scratch);
      embeddingBackward(rec, tTokens, tDout, dacc, scratch, { accumulate: true });
    });
    assert.equal(staged > 0, quad, "texture path taken iff aligned");
    const want = embeddingBackwardRef(tokens, Float64Array.from(dout), V, D);
    const got = await readF32(device, dtable);
    assertClose(got, want, { rtol: 1e-5, atol: 1e-5, label: "dtable" });
    assertClose(await readF32(device, dacc), want.map((x, i) => x + init[i]), {
      rtol: 1e-5,
      atol: 1e-5,
      label: "dtable accumulated",
    });
    // L(table) = Σ dout · embedding(table): its gradient is dtable.
    const dout64 = Float64Array.from(dout);
    const loss = (table: Float64Array) =>
      embeddingRef(tokens, table, V, D).reduce((s, y, i) => s + y * dout64[i], 0);
    const fd = finiteDiff(loss, Float64Array.from(init), { n: 40, rng });
    assertClose(fd.index.map((i) => got[i]), fd.grad, { rtol: 1e-4, atol: 1e-5, label: "fd" });
  });
}

for (const textures of [true, false]) {
  Deno.test(`embedding backward is bitwise deterministic${textures ? "" : " (storage buffers)"}`, async () => {
    const rng = new Rng(12);
    const n = 4096, v = 256, d = 32;
    const tokens = upload(device, Uint32Array.from({ length: n }, () => rng.int(0, 15)));
    const dout = upload(device, randn(rng, n * d), [n, d]);
    const scratch = upload(device, new Uint32Array(embeddingBackwardScratchLength(n, v)));
    const run = async () => {
      const dtable = upload(device, new Float32Array(v * d), [v, d]);
      withStaging(device, textures, (rec) => embeddingBackward(rec, tokens, dout, dtable, scratch));
      return new Uint32Array((await readF32(device, dtable)).buffer);
    };
    assert.deepEqual(await run(), await run());
  });
}

Deno.test("embedding ops validate shapes and dtypes before dispatching", () => {
  const rec = new Recorder(device);
  const tokens = upload(device, new Uint32Array(4));
  const table = upload(device, new Float32Array(6 * 3), [6, 3]);
  assert.throws(
    () => embedding(rec, tokens, table, upload(device, new Float32Array(12), [3, 4])),
    /embedding: expected tokens \[N\], table \[V, D\], out \[N, D\] \(tokens \[4\] u32, table \[6, 3\], out \[3, 4\]\)/,
  );
  assert.throws(
    () =>
      embedding(
        rec,
        upload(device, new Float32Array(4)),
        table,
        upload(device, new Float32Array(12), [4, 3]),
      ),
    /embedding: tokens must be u32/,
  );
  assert.throws(
    () =>
      embeddingBackward(
        rec,
        tokens,
        upload(device, new Float32Array(12), [4, 3]),
        table,
        upload(device, new Uint32Array(5)),
      ),
    /embeddingBackward: scratch needs 11 u32/,
  );
  assert.equal(rec.dispatchCount, 0);
});
