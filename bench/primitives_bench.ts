/**
 * What one operand read costs on this adapter, by source: the facts behind the kernels' design
 * (operands staged into textures, kernels/staging.ts; texel fetches shared across a subgroup,
 * kernels/ops/matmul_share.ts).
 *
 * Each primitive is a WGSL loop in which every lane obtains 8 independent vec4 values per
 * iteration and multiply-adds each into its own accumulator. A result is the device time per
 * lane and value above the loop with a plain multiply-add (`baseline`), in nanoseconds of the
 * whole device (all its threads at once), timed in interleaved rounds (kernels/profile.ts).
 * Addresses differ per lane unless the name says otherwise. Every shader is validated before it
 * is timed: one that fails is an error, not a fast zero.
 */
import { type Binding, fixedSubgroupSize, packParams, type Recorder } from "@e2llm/kernels";
import type { Gpu } from "@e2llm/kernels";
import type { BenchCase, BenchResult } from "./types.ts";
import { timeValidated } from "./time_per_call.ts";

/** One way of obtaining a vec4 per lane. */
export interface Primitive {
  name: string;
  /** The resource read, bound at binding 2 (declared as `T`, `S` or `U`); none for the rest. */
  source?: "texture" | "storage" | "uniform";
  /** WGSL module-scope declarations beyond the source. */
  decl?: string;
  /** WGSL run once before the loop (may use `lid`). */
  pre?: string;
  /** WGSL expression for value `j` of iteration `i` (names: i, g, lid, sl, v). */
  value: (j: number) => string;
  needsSubgroups?: boolean;
}

/** Lanes per workgroup and workgroups per dispatch. */
const WORKGROUP = 64, GROUPS = 64;

/** Texels in the sources (a power of two: addresses are masked into range). */
const TEXELS = 4096, UNIFORM_TEXELS = 1024, WORKGROUP_TEXELS = 256;

/** The primitives, baseline first. */
export const PRIMITIVES: readonly Primitive[] = [
  { name: "baseline vec4 multiply-add", value: (j) => `vec4f(${j + 1}.0)` },
  {
    name: "texel fetch (rgba32float storage texture)",
    source: "texture",
    value: (j) => `textureLoad(T, vec2u((i * 8u + ${j}u + g) & 63u, (i >> 3u) & 63u), 0u)`,
  },
  {
    name: "texel fetch, one texel for all lanes",
    source: "texture",
    value: (j) => `textureLoad(T, vec2u((i * 8u + ${j}u) & 63u, (i >> 3u) & 63u), 0u)`,
  },
  {
    name: "storage-buffer vec4 load",
    source: "storage",
    value: (j) => `S[(i * 8u + ${j}u + g) & ${TEXELS - 1}u]`,
  },
  {
    name: "storage-buffer vec4 load, one address for all lanes",
    source: "storage",
    value: (j) => `S[(i * 8u + ${j}u) & ${TEXELS - 1}u]`,
  },
  {
    name: "uniform-buffer vec4 load",
    source: "uniform",
    value: (j) => `U[(i * 8u + ${j}u + g) & ${UNIFORM_TEXELS - 1}u]`,
  },
  {
    name: "uniform-buffer vec4 load, one address for all lanes",
    source: "uniform",
    value: (j) => `U[(i * 8u + ${j}u) & ${UNIFORM_TEXELS - 1}u]`,
  },
  {
    name: "workgroup-memory vec4 load",
    decl: `var<workgroup> W: array<vec4f, ${WORKGROUP_TEXELS}>;`,
    pre:
      `  for (var t = lid; t < ${WORKGROUP_TEXELS}u; t += ${WORKGROUP}u) { W[t] = vec4f(f32(t)); }
  workgroupBarrier();`,
    value: (j) => `W[(i * 8u + ${j}u + lid) & ${WORKGROUP_TEXELS - 1}u]`,
  },
  {
    name: "subgroup broadcast (vec4)",
    needsSubgroups: true,
    value: (j) => `subgroupBroadcast(v, ${j}u)`,
  },
  {
    name: "subgroup shuffle (vec4)",
    needsSubgroups: true,
    value: (j) => `subgroupShuffle(v, (sl + ${j}u) & 7u)`,
  },
];

const SOURCES = {
  texture: "@group(0) @binding(2) var T: texture_storage_2d_array<rgba32float, read>;",
  storage: "@group(0) @binding(2) var<storage, read> S: array<vec4f>;",
  uniform: `@group(0) @binding(2) var<uniform> U: array<vec4f, ${UNIFORM_TEXELS}>;`,
};

/** The WGSL of `p`: a loop of `p.iterations` (uniform) iterations, 8 values each. */
export function primitiveWgsl(p: Primitive): string {
  const subgroups = p.needsSubgroups === true;
  const body = Array.from({ length: 8 }, (_, j) => `    s${j} = s${j} + v * ${p.value(j)};`);
  return `struct P { iterations: u32 }
@group(0) @binding(0) var<uniform> p: P;
@group(0) @binding(1) var<storage, read_write> O: array<vec4f>;
${p.source ? SOURCES[p.source] : ""}
${p.decl ?? ""}
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(local_invocation_index) lid: u32${
    subgroups ? ", @builtin(subgroup_invocation_id) sl: u32" : ""
  }) {
  let g = gid.x;
${p.pre ?? ""}
  var s0 = vec4f(0.0); var s1 = s0; var s2 = s0; var s3 = s0;
  var s4 = s0; var s5 = s0; var s6 = s0; var s7 = s0;
  for (var i = 0u; i < p.iterations; i++) {
    let v = vec4f(f32(i + g), f32(i), f32(g), 1.0);
${body.join("\n")}
  }
  O[g] = s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7;
}
`;
}

/** Options of {@link primitiveCosts}. */
export interface PrimitiveOptions {
  /** Loop iterations per lane (8 values each). Default 256. */
  iterations?: number;
  /** Interleaved timing rounds. Default 5. */
  rounds?: number;
  /** The primitives to time, baseline first. Default {@link PRIMITIVES}. */
  primitives?: readonly Primitive[];
}

/**
 * Time every primitive the device supports (subgroup ones need a fixed subgroup size) and
 * return one result each: `value` = device ns per lane and value above the baseline (the
 * baseline's own result is its absolute figure), with the median `ms` per dispatch.
 */
export async function primitiveCosts(
  gpu: Gpu,
  options: PrimitiveOptions = {},
): Promise<BenchResult[]> {
  const { device } = gpu;
  const iterations = options.iterations ?? 256;
  const prims = (options.primitives ?? PRIMITIVES).filter((p) =>
    !p.needsSubgroups || fixedSubgroupSize(device) > 0
  );
  const lanes = WORKGROUP * GROUPS;
  const out = device.createBuffer({ size: lanes * 16, usage: GPUBufferUsage.STORAGE });
  const storage = device.createBuffer({ size: TEXELS * 16, usage: GPUBufferUsage.STORAGE });
  const uniform = device.createBuffer({
    size: UNIFORM_TEXELS * 16,
    usage: GPUBufferUsage.UNIFORM,
  });
  const texture = device.createTexture({
    size: [64, 64, 1],
    format: "rgba32float",
    usage: GPUTextureUsage.STORAGE_BINDING | GPUTextureUsage.COPY_DST,
  });
  const sources: Record<NonNullable<Primitive["source"]>, Binding> = {
    texture: texture.createView({ dimension: "2d-array" }),
    storage,
    uniform: { buffer: uniform },
  };
  const params = packParams([iterations]);
  const record = (p: Primitive) => (rec: Recorder) =>
    rec.dispatch(
      primitiveWgsl(p),
      params,
      p.source ? [out, sources[p.source]] : [out],
      [GROUPS],
      `primitive ${p.name}`,
    );
  let times;
  try {
    times = await timeValidated(device, "primitives bench", prims.map(record), options.rounds);
  } finally {
    for (const b of [out, storage, uniform]) b.destroy();
    texture.destroy();
  }
  const values = lanes * iterations * 8;
  const nsPerValue = (ms: number) => (ms * 1e6) / values;
  const base = nsPerValue(times[0].ms);
  return prims.map((p, i) => ({
    name: `primitive ${p.name}`,
    unit: "ns per lane-value (device)",
    value: i === 0 ? base : nsPerValue(times[i].ms) - base,
    ms: times[i].ms,
    lanes,
    iterations,
  }));
}

export const benches: BenchCase[] = [
  { name: "primitive costs", run: (gpu) => primitiveCosts(gpu) },
];
