/**
 * The adapter's register-only multiply-add rate: GFLOP/s of WGSL loops that do nothing but
 * `fma` on registers (no loads), the best over a few shapes. A kernel has the same fmas to do
 * plus its reads, so a step's FLOPs over this rate say how far the step is from what the
 * adapter's generated code computes when nothing else gets in the way. It is a measured rate,
 * not a proof: other loop shapes may go faster still (on llvmpipe longer loop bodies do, up to
 * the CPU's peak).
 *
 * Each accumulator is a chain `s = fma(s, m, w)` with a multiplier `m` that changes every
 * iteration: the accumulator is multiplied, so no reassociation shortens the chain, and the values
 * stay bounded (|m| < 1). (The addend form `s = fma(m_u, w, s)` ran 4× faster at four steps per
 * iteration on llvmpipe, as if folded into `s + w·Σm`: it measures the compiler, not the FPU.)
 */
import { packParams, type Recorder } from "@e2llm/kernels";
import { timeValidated } from "./time_per_call.ts";

/** Invocations per workgroup, workgroups, loop iterations. */
const WORKGROUP = 64, GROUPS = 256, ITERATIONS = 512;

/** The loops tried: vec4 accumulators per invocation × fma steps per accumulator and iteration. */
export const CEILING_SHAPES = [[2, 8], [2, 16], [2, 32], [4, 8]] as const;

/** The WGSL of the loop with `accumulators` vec4 chains, each advanced `unroll` times per iteration. */
export function fmaCeilingWgsl(accumulators: number, unroll: number): string {
  const acc = Array.from({ length: accumulators }, (_, j) => j);
  const body = Array.from({ length: unroll }, (_, u) =>
    [
      `    let m${u} = base + vec4f(${u}.0 * 1e-4);`,
      ...acc.map((j) => `    s${j} = fma(s${j}, m${u}, w${j});`),
    ].join("\n")).join("\n");
  return `struct P { iterations: u32 }
@group(0) @binding(0) var<uniform> p: P;
@group(0) @binding(1) var<storage, read_write> O: array<vec4f>;
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3u) {
${acc.map((j) => `  var s${j} = vec4f(${j}.0 * 0.01);`).join("\n")}
${acc.map((j) => `  let w${j} = vec4f(f32(gid.x) * 1e-6 + ${j}.0 * 1e-3);`).join("\n")}
  for (var i = 0u; i < p.iterations; i++) {
    let base = vec4f(f32(i & 255u) * 1e-3 + 0.5);
${body}
  }
  O[gid.x] = ${acc.map((j) => `s${j}`).join(" + ")};
}
`;
}

/**
 * Time the loops in interleaved rounds and return the best rate in GFLOP/s, with the rate of each
 * shape (`"accumulators x unroll"`).
 */
export async function fmaCeiling(
  device: GPUDevice,
): Promise<{ gflops: number; byShape: Record<string, number> }> {
  const lanes = WORKGROUP * GROUPS;
  const out = device.createBuffer({ size: lanes * 16, usage: GPUBufferUsage.STORAGE });
  const params = packParams([ITERATIONS]);
  try {
    const times = await timeValidated(
      device,
      "fma ceiling",
      CEILING_SHAPES.map(([n, u]) => (rec: Recorder) =>
        rec.dispatch(fmaCeilingWgsl(n, u), params, [out], [GROUPS], `fma ceiling ${n}x${u}`)
      ),
    );
    const byShape: Record<string, number> = {};
    CEILING_SHAPES.forEach(([n, u], i) => {
      const flops = lanes * ITERATIONS * n * u * 4 * 2;
      byShape[`${n}x${u}`] = Number((flops / times[i].ms / 1e6).toFixed(1));
    });
    return { gflops: Math.max(...Object.values(byShape)), byShape };
  } finally {
    out.destroy();
  }
}
