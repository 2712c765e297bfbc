import assert from "node:assert/strict";
import {
  getGpu,
  readF32,
  Recorder,
  REDUCE_SCRATCH_LENGTH,
  sum,
  sumOfSquares,
  type Tensor,
  upload,
  weightedSum,
} from "@e2llm/kernels";
import { setTextureStaging, sumOfSquaresRef, sumRef, weightedSumRef } from "@e2llm/kernels/testing";
import { Rng } from "@e2llm/encodings";
import { randn } from "./helpers.ts";

const { device } = await getGpu();
const EPS32 = 2 ** -24;

/** √K-scaled bound for an f32 sum of K terms: 4·eps·√K·‖terms‖₂. */
function tolerance(terms: ArrayLike<number>): number {
  let ss = 0;
  for (let i = 0; i < terms.length; i++) ss += terms[i] * terms[i];
  return 4 * EPS32 * Math.sqrt(terms.length) * Math.sqrt(ss) + 1e-30;
}

function assertNear(got: number, want: number, tol: number, label: string) {
  assert.ok(Math.abs(got - want) <= tol, `${label}: got ${got}, want ${want} (tol ${tol})`);
}

/** The real device, except that it reports the given limits. */
function withLimits(overrides: Record<string, number>): GPUDevice {
  const limits = new Proxy(device.limits, {
    get: (t, k) => (typeof k === "string" && k in overrides) ? overrides[k] : Reflect.get(t, k),
  });
  return new Proxy(device, {
    get: (t, k) => {
      if (k === "limits") return limits;
      const v = Reflect.get(t, k);
      return typeof v === "function" ? v.bind(t) : v;
    },
  });
}

/** An f32 tensor in a buffer of exactly n·4 bytes (no padding to 16: staging must pad). */
function exact(x: Float32Array): Tensor {
  const buffer = device.createBuffer({
    size: Math.max(4, x.length * 4),
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
  });
  if (x.length) device.queue.writeBuffer(buffer, 0, x as Float32Array<ArrayBuffer>);
  return { buffer, shape: [x.length], dtype: "f32" };
}

const MODES: { name: string; textures: boolean; limits: Record<string, number> }[] = [
  { name: "textures", textures: true, limits: {} },
  { name: "textures, 4-row layers", textures: true, limits: { maxTextureDimension2D: 4 } },
  { name: "storage buffers", textures: false, limits: {} },
];

for (const { name, textures, limits } of MODES) {
  Deno.test(`sum, sumOfSquares, weightedSum (${name}) match f64 within a √K-scaled bound`, async () => {
    const rng = new Rng(3);
    // The override is per device object: set it on the one the recorder uses.
    const limited = withLimits(limits);
    setTextureStaging(limited, textures);
    try {
      const rec = new Recorder(limited);
      const scratch = upload(device, new Float32Array(REDUCE_SCRATCH_LENGTH));
      for (const k of [0, 1, 255, 4097, 100_003]) {
        const x = randn(rng, k), w = randn(rng, k, 0.1);
        const tx = exact(x), tw = exact(w);
        const out = upload(device, new Float32Array(3));
        sum(rec, tx, out, scratch);
        sumOfSquares(rec, tx, out, scratch, { outIndex: 1 });
        weightedSum(rec, tx, tw, out, scratch, { outIndex: 2 });
        rec.submit();
        const [s, ss, ws] = await readF32(device, out);
        assertNear(s, sumRef(x), tolerance(x), `sum K=${k}`);
        assertNear(ss, sumOfSquaresRef(x), tolerance(x.map((v) => v * v)), `sumOfSquares K=${k}`);
        assertNear(
          ws,
          weightedSumRef(x, w),
          tolerance(x.map((v, i) => v * w[i])),
          `weighted K=${k}`,
        );
      }
    } finally {
      setTextureStaging(limited, undefined);
    }
  });

  Deno.test(`a sum of ones (${name}) counts every element exactly once`, async () => {
    const limited = withLimits(limits);
    setTextureStaging(limited, textures);
    try {
      const rec = new Recorder(limited);
      const scratch = upload(device, new Float32Array(REDUCE_SCRATCH_LENGTH));
      // 1,000,004 ones, summed as a view of the first 1,000,003: the last one must not count.
      const k = 1_000_003;
      const ones = upload(device, new Float32Array(k + 1).fill(1));
      const out = upload(device, new Float32Array(1));
      sum(rec, { ...ones, shape: [k] }, out, scratch);
      rec.submit();
      assert.equal((await readF32(device, out))[0], k);
    } finally {
      setTextureStaging(limited, undefined);
    }
  });
}

Deno.test("accumulate adds into out[outIndex] and leaves the rest alone", async () => {
  const rec = new Recorder(device);
  const scratch = upload(device, new Float32Array(REDUCE_SCRATCH_LENGTH));
  const out = upload(device, Float32Array.from([10, 20, 30]));
  const x = upload(device, Float32Array.from([1, 2, 3, 4]));
  sum(rec, x, out, scratch, { outIndex: 1, accumulate: true });
  sum(rec, x, out, scratch, { outIndex: 1, accumulate: true });
  rec.submit();
  assert.deepEqual([...await readF32(device, out)], [10, 40, 30]);
});

Deno.test("reductions are bitwise deterministic", async () => {
  const rng = new Rng(4);
  const x = upload(device, randn(rng, 300_001)), w = upload(device, randn(rng, 300_001));
  const scratch = upload(device, new Float32Array(REDUCE_SCRATCH_LENGTH));
  const run = async () => {
    const out = upload(device, new Float32Array(2));
    const rec = new Recorder(device);
    sumOfSquares(rec, x, out, scratch);
    weightedSum(rec, x, w, out, scratch, { outIndex: 1 });
    rec.submit();
    return new Uint32Array((await readF32(device, out)).buffer);
  };
  assert.deepEqual(await run(), await run());
});

Deno.test("reductions reject bad inputs before dispatching", () => {
  const rec = new Recorder(device);
  const x = upload(device, new Float32Array(8)), w = upload(device, new Float32Array(7));
  const out = upload(device, new Float32Array(1));
  const scratch = upload(device, new Float32Array(REDUCE_SCRATCH_LENGTH));
  assert.throws(
    () => weightedSum(rec, x, w, out, scratch),
    /weightedSum: weights must .*x \[8\], w \[7\]/,
  );
  assert.throws(
    () => sum(rec, x, out, upload(device, new Float32Array(8))),
    new RegExp(`sum: scratch needs ${REDUCE_SCRATCH_LENGTH}`),
  );
  assert.throws(() => sum(rec, x, out, scratch, { outIndex: 1 }), /sum: outIndex 1 is outside out/);
  assert.equal(rec.dispatchCount, 0);
});
