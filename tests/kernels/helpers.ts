/**
 * Shared test helpers for kernels: random inputs, tolerant comparison, finite differences, and
 * recorders (texture staging forced on or off; one pipeline cache shared by the tests).
 */
import assert from "node:assert/strict";
import { Rng } from "@e2llm/encodings";
import { getGpu, PipelineCache, Recorder } from "@e2llm/kernels";
import { setTextureStaging } from "@e2llm/kernels/testing";

/** `n` standard-normal values scaled by `scale`, from a seeded stream. */
export function randn(rng: Rng, n: number, scale = 1): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.normal() * scale;
  return out;
}

/**
 * Assert |actual − expected| ≤ atol + rtol·|expected| elementwise; the message names the label,
 * the first bad index and the worst error.
 */
export function assertClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  opts: { rtol?: number; atol?: number; label?: string } = {},
): void {
  const { rtol = 1e-5, atol = 1e-6, label = "values" } = opts;
  assert.equal(actual.length, expected.length, `${label}: length`);
  let worst = 0, worstAt = -1;
  for (let i = 0; i < actual.length; i++) {
    const err = Math.abs(actual[i] - expected[i]);
    const allowed = atol + rtol * Math.abs(expected[i]);
    if (!(err <= allowed) && (worstAt < 0 || err > worst || Number.isNaN(err))) {
      worst = err;
      worstAt = i;
    }
  }
  if (worstAt >= 0) {
    assert.fail(
      `${label}: element ${worstAt} is ${actual[worstAt]}, expected ${expected[worstAt]} ` +
        `(error ${worst}, rtol ${rtol}, atol ${atol})`,
    );
  }
}

/**
 * Central finite differences of a scalar function `f` at `x` along `n` random coordinates
 * (all coordinates when `n` ≥ x.length): returns the coordinate indices and the estimates.
 */
export function finiteDiff(
  f: (x: Float64Array) => number,
  x: Float64Array,
  opts: { eps?: number; n?: number; rng?: Rng } = {},
): { index: number[]; grad: number[] } {
  const { eps = 1e-6, n = x.length, rng = new Rng(7) } = opts;
  const index = n >= x.length
    ? Array.from({ length: x.length }, (_, i) => i)
    : Array.from({ length: n }, () => rng.int(0, x.length - 1));
  const grad = index.map((i) => {
    const keep = x[i];
    x[i] = keep + eps;
    const up = f(x);
    x[i] = keep - eps;
    const down = f(x);
    x[i] = keep;
    return (up - down) / (2 * eps);
  });
  return { index, grad };
}

/**
 * Run `body` on a fresh recorder with texture staging forced on or off for `device`, then submit.
 * Returns how many times `body` closed the compute pass (each staging copy does): > 0 iff the
 * texture path ran.
 */
export function withStaging(
  device: GPUDevice,
  textures: boolean,
  body: (rec: Recorder) => void,
): number {
  setTextureStaging(device, textures);
  try {
    const rec = new Recorder(device);
    let staged = 0;
    const encoder = rec.encoder.bind(rec);
    rec.encoder = () => (staged++, encoder());
    body(rec);
    const copies = staged; // (submit() calls encoder() too)
    rec.submit();
    return copies;
  } finally {
    setTextureStaging(device, undefined);
  }
}

let pipelines: PipelineCache | undefined;

/** A recorder sharing one pipeline cache across the tests (each kernel compiles once). */
export async function recorder(): Promise<Recorder> {
  const { device } = await getGpu();
  pipelines ??= new PipelineCache(device);
  return new Recorder(device, pipelines);
}
