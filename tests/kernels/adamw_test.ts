import assert from "node:assert/strict";
import {
  adamw,
  ADAMW_HYPER_LENGTH,
  adamwHyper,
  type AdamWSettings,
  CLIP,
  getGpu,
  gradNormClip,
  readF32,
  Recorder,
  REDUCE_SCRATCH_LENGTH,
  type Tensor,
  upload,
} from "@e2llm/kernels";
import { adamwRefStep, gradNormClipRef } from "@e2llm/kernels/testing";
import { Rng } from "@e2llm/encodings";
import { assertClose, randn, withStaging } from "./helpers.ts";

const { device } = await getGpu();

function settings(step: number): AdamWSettings {
  // lr changes every step, as with a schedule: the hyper buffer is rewritten each time.
  return { lr: 1e-2 / step, beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1, step };
}

/** P not a multiple of 4: storage path; P = 1024 with texture staging: the vec4 texture path. */
const CASES = [
  { P: 1001, textures: true },
  { P: 1024, textures: true },
  { P: 1024, textures: false },
];

/** Five AdamW steps on the GPU; returns the final params, m, v. */
async function fiveSteps(P: number, textures: boolean, seed: number) {
  const rng = new Rng(seed);
  const p0 = randn(rng, P);
  const tp = upload(device, p0), tm = upload(device, new Float32Array(P));
  const tv = upload(device, new Float32Array(P));
  const hyper = upload(device, new Float32Array(ADAMW_HYPER_LENGTH));
  const grads: Float32Array[] = [];
  let staged = 0;
  for (let step = 1; step <= 5; step++) {
    const g = randn(rng, P, step === 3 ? 1e-4 : 1); // one step with tiny gradients
    grads.push(g);
    device.queue.writeBuffer(hyper.buffer, 0, adamwHyper(settings(step)));
    staged += withStaging(
      device,
      textures,
      (rec) => adamw(rec, tp, upload(device, g), tm, tv, hyper, null),
    );
  }
  const [p, m, v] = await Promise.all([tp, tm, tv].map((t) => readF32(device, t)));
  return { p0, grads, p, m, v, staged };
}

for (const { P, textures } of CASES) {
  const label = `P=${P}${textures ? "" : " (storage buffers)"}`;
  Deno.test(`AdamW ${label}: five steps match PyTorch's AdamW formula (f64)`, async () => {
    const got = await fiveSteps(P, textures, 50);
    assert.equal(got.staged > 0, textures && P % 4 === 0, "texture path taken iff aligned");
    const p = Float64Array.from(got.p0), m = new Float64Array(P), v = new Float64Array(P);
    got.grads.forEach((g, i) => adamwRefStep(p, g, m, v, settings(i + 1)));
    assertClose(got.p, p, { rtol: 1e-5, atol: 1e-6, label: "params" });
    assertClose(got.m, m, { rtol: 1e-5, atol: 1e-7, label: "m" });
    assertClose(got.v, v, { rtol: 1e-5, atol: 1e-9, label: "v" });
    assert.ok(p.some((x, i) => Math.abs(x - got.p0[i]) > 1e-3), "the parameters moved");
  });
}

Deno.test("AdamW: the texture and storage paths give identical bits", async () => {
  const a = await fiveSteps(1024, true, 53), b = await fiveSteps(1024, false, 53);
  for (const k of ["p", "m", "v"] as const) {
    assert.deepEqual(new Uint32Array(a[k].buffer), new Uint32Array(b[k].buffer), k);
  }
});

for (const textures of [true, false]) {
  Deno.test(`AdamW sub-ranges${textures ? "" : " (storage buffers)"}: decay per range, rest untouched`, async () => {
    const P = 1001, rng = new Rng(51);
    const p0 = randn(rng, P), g = randn(rng, P);
    const tp = upload(device, p0), tg = upload(device, g);
    const tm = upload(device, new Float32Array(P)), tv = upload(device, new Float32Array(P));
    const hyper = upload(device, adamwHyper(settings(1)));
    // [0, 300) and [952, 1000) are whole vec4s (texture path); [300, 950) is not.
    const ranges = [[0, 300, true], [300, 950, false], [952, 1000, false]] as const;
    withStaging(device, textures, (rec) => {
      for (const [lo, hi, decay] of ranges) {
        adamw(rec, tp, tg, tm, tv, hyper, null, { offset: lo, length: hi - lo, decay });
      }
    });
    const p = Float64Array.from(p0), m = new Float64Array(P), v = new Float64Array(P);
    for (const [lo, hi, decay] of ranges) {
      adamwRefStep(p.subarray(lo, hi), g.subarray(lo, hi), m.subarray(lo, hi), v.subarray(lo, hi), {
        ...settings(1),
        weightDecay: decay ? settings(1).weightDecay : 0,
      });
    }
    const got = await readF32(device, tp);
    assertClose(got, p, { rtol: 1e-5, atol: 1e-6, label: "ranges" });
    for (const i of [950, 951, 1000]) assert.equal(got[i], p0[i], `element ${i} untouched`);
  });
}

Deno.test("gradient-norm clip: factor and norm above and below maxNorm, used by AdamW", async () => {
  const rng = new Rng(52);
  const g = randn(rng, 100_001, 0.01); // norm ≈ 3.16
  const tg = upload(device, g), scratch = upload(device, new Float32Array(REDUCE_SCRATCH_LENGTH));
  const ref = gradNormClipRef(g, 1);
  assert.ok(ref.norm > 1 && ref.norm < 10);
  const rec = new Recorder(device);
  const clips: Tensor[] = [];
  for (const maxNorm of [1, 10, Infinity]) {
    const clip = upload(device, new Float32Array(2));
    gradNormClip(rec, tg, clip, scratch, maxNorm);
    clips.push(clip);
  }
  // AdamW with the clip buffer equals AdamW on pre-scaled gradients.
  const p0 = randn(rng, g.length);
  const tp = upload(device, p0), tm = upload(device, new Float32Array(g.length));
  const tv = upload(device, new Float32Array(g.length));
  const hyper = upload(device, adamwHyper(settings(1)));
  adamw(rec, tp, tg, tm, tv, hyper, clips[0]);
  rec.submit();
  const tol = 1e-5 * ref.norm;
  const [below, above, inf] = await Promise.all(clips.map((c) => readF32(device, c)));
  for (const c of [below, above, inf]) {
    assert.ok(Math.abs(c[CLIP.norm] - ref.norm) < tol, `norm ${c[1]}`);
  }
  assertClose([below[CLIP.factor]], [gradNormClipRef(g, 1).factor], {
    rtol: 1e-5,
    label: "factor < 1",
  });
  assert.equal(above[CLIP.factor], 1, "norm below maxNorm: factor 1");
  assert.equal(inf[CLIP.factor], 1, "maxNorm Infinity: factor 1");
  const p = Float64Array.from(p0), m = new Float64Array(g.length), v = new Float64Array(g.length);
  adamwRefStep(p, g, m, v, settings(1), below[CLIP.factor]);
  assertClose(await readF32(device, tm), m, { rtol: 1e-5, atol: 1e-9, label: "clipped m" });
  assertClose(await readF32(device, tp), p, { rtol: 1e-5, atol: 1e-6, label: "clipped params" });
});

Deno.test("AdamW and clip validate inputs before dispatching", () => {
  const rec = new Recorder(device);
  const a = upload(device, new Float32Array(10)), b = upload(device, new Float32Array(9));
  const hyper = upload(device, new Float32Array(ADAMW_HYPER_LENGTH));
  assert.throws(
    () => adamw(rec, a, b, a, a, hyper, null),
    /adamw: grads and params differ in size \(params \[10\], grads \[9\]/,
  );
  assert.throws(
    () => adamw(rec, a, a, a, a, hyper, null, { offset: 4, length: 7 }),
    /adamw: range \[4, 11\) is outside params/,
  );
  assert.throws(
    () => adamw(rec, a, a, a, a, upload(device, new Float32Array(4)), null),
    /adamw: hyper needs 8/,
  );
  assert.throws(
    () => gradNormClip(rec, a, upload(device, new Float32Array(1)), a, 1),
    /gradNormClip: clip needs 2 elements/,
  );
  assert.throws(() => gradNormClip(rec, a, b, a, 0), /gradNormClip: maxNorm must be > 0/);
  assert.throws(() => adamwHyper({ ...settings(1), step: 0 }), /step must be an integer ≥ 1/);
  assert.equal(rec.dispatchCount, 0);
});
