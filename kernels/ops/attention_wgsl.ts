/**
 * WGSL builders for flash-style causal attention. Head dim and tiles are baked in as constants
 * and the inner loops fully unrolled, so rows, accumulators and scores live in registers — what
 * Mesa llvmpipe (8-wide SIMD across invocations) runs fastest. No workgroup memory is used, so
 * `maxComputeWorkgroupStorageSize` never limits the tiles.
 *
 * Every invocation owns `rows` query rows (forward, dq) or key rows (dk/dv), strided by the
 * workgroup size, and loops over the other side in blocks of `block` rows that are the same for
 * the whole workgroup; each loaded row is reused by all `rows` rows of the invocation. The rows
 * looped over are read from staging textures (see kernels/staging.ts); outputs are storage
 * buffers. Scores are kept in base 2, s₂ = q·k·log₂e/√hd, so exp becomes exp2; lse is stored in
 * natural-log units.
 *
 * Layout: q, k, v, out and their gradients are [B, T, H, hd] (vec4 texels, hd % 4 == 0); lse and
 * delta are [B, H, T] (one f32 texel each).
 *
 * Grouped-query attention (`rep` = H / KV > 1 query heads per key/value head): k, v, dk, dv are
 * [B, T, KV, hd]; query head h reads key/value head ⌊h / rep⌋. Those kernels take
 * {@link ATTENTION_GQA_UNIFORMS} (the key row stride and staging layers of k and v too); the dk/dv
 * kernel owns key rows and loops over the `rep` query heads in order (deterministic). With
 * rep = 1 every builder emits exactly its multi-head WGSL.
 */
import { stagedTextureType } from "../staging.ts";
import { uniforms } from "../uniforms.ts";

/** Tile shape of one attention kernel. */
export interface AttentionTiles {
  /** Invocations per workgroup (the SIMD width on llvmpipe). */
  workgroup: number;
  /** Query (or key) rows per invocation: how often each loaded row is reused. */
  rows: number;
  /** Rows of the other side loaded per loop iteration (keys per online-softmax block). */
  block: number;
  /**
   * Subgroup width S for shared block loads (0 = off). The block is the same for every lane, so
   * each lane fetches 1/S of its texels and `subgroupBroadcast` hands them to the others: same
   * values, S× fewer fetches (a texel fetch is ~40 cycles per 8 lanes on llvmpipe, a broadcast
   * ~15). Needs WGSL subgroups of exactly S lanes.
   */
  subgroup: number;
}

/**
 * The uniforms of every attention kernel: T, H, the row stride in vec4s (D4), and log2 rows per
 * layer of the vec4 and f32 staging textures.
 */
export const ATTENTION_UNIFORMS = uniforms(
  "attention",
  { T: "u32", H: "u32", D4: "u32", logH4: "u32", logH1: "u32" },
  "Params",
);

/** The uniforms of the grouped-query kernels: those above, plus k/v's row stride and layers. */
export const ATTENTION_GQA_UNIFORMS = uniforms(
  "attention_gqa",
  { T: "u32", H: "u32", D4: "u32", logH4: "u32", logH1: "u32", KD4: "u32", logHk: "u32" },
  "Params",
);

const LOG2E = Math.LOG2E;

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function f32(x: number): string {
  return x.toPrecision(17).replace(/0+$/, "").replace(/\.$/, ".0");
}

function sum(terms: string[]): string {
  return terms.join(" + ");
}

/**
 * a·b of two vec4 expressions (plain names or calls, evaluated once each by the compiler) as an
 * explicit fma chain over x, y, z, w. WGSL's `dot` leaves the order open, and Mesa's llvmpipe
 * picks different ones via OpenGL and via Vulkan (lavapipe); this chain is what Vulkan computes
 * for `dot`, so results there are unchanged and both backends agree bit for bit.
 */
function dot4(a: string, b: string): string {
  return `fma(${a}.w, ${b}.w, fma(${a}.z, ${b}.z, fma(${a}.y, ${b}.y, ${a}.x * ${b}.x)))`;
}

/**
 * The lines every kernel starts with: params, the staged `textures` (bindings 1, 2, …), then the
 * read-write storage `outputs` (name → element type), texture fetch helpers, the head/row
 * bookkeeping and the invocation's own rows ({@link ownRows}).
 */
/** The staged inputs holding one float per texel (lse and delta); the others hold vec4s. */
const SCALAR_TEXTURES = new Set(["lt", "dt"]);

/** WGSL accessor reading texel e of the staged texture `t` (see kernels/staging.ts). */
function accessor(t: string, rep = 1): string {
  const scalar = SCALAR_TEXTURES.has(t);
  const logH = scalar ? "p.logH1" : rep > 1 && (t === "kt" || t === "vt") ? "p.logHk" : "p.logH4";
  return `fn at${scalar ? 1 : 4}_${t}(e: u32) -> ${scalar ? "f32" : "vec4f"} {
  let y = e >> 6u;
  return textureLoad(${t}, vec2u(e & 63u, y & ((1u << ${logH}) - 1u)), y >> ${logH})${
    scalar ? ".x" : ""
  };
}`;
}

function prelude(
  hd: number,
  tiles: AttentionTiles,
  textures: string[],
  outputs: Record<string, "vec4f" | "f32">,
  rep = 1,
  own: "q" | "k" = "q",
): string[] {
  let b = 1;
  const bindings = textures.map((t) =>
    `@group(0) @binding(${b++}) var ${t}: ${
      stagedTextureType(SCALAR_TEXTURES.has(t) ? "r32float" : "rgba32float")
    };`
  );
  for (const [name, type] of Object.entries(outputs)) {
    bindings.push(`@group(0) @binding(${b++}) var<storage, read_write> ${name}: array<${type}>;`);
  }
  const head = /* wgsl */ `
${(rep > 1 ? ATTENTION_GQA_UNIFORMS : ATTENTION_UNIFORMS).wgsl()}

${bindings.join("\n")}
const QS: f32 = ${f32(LOG2E / Math.sqrt(hd))};
const SM: f32 = ${f32(1 / Math.sqrt(hd))};
const NEG: f32 = -1e30;

// Texel e of each staged input (vec4 tensors: at4_<name>, [B, H, T] scalars: at1_<name>).
// One accessor per texture: naga's GLSL output reads zeros from a texture passed as an argument.
${textures.map((t) => accessor(t, rep)).join("\n")}

@compute @workgroup_size(${tiles.workgroup})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) li: u32${
    tiles.subgroup > 0 ? ", @builtin(subgroup_invocation_id) sl: u32" : ""
  }) {
  let T = p.T;
  let bh = wid.y;${
    rep > 1 ? gqaHeads(hd, rep, own) : `
  let base = (bh / p.H) * T;
  let hoff = (bh % p.H) * ${hd / 4}u;`
  }
  let first = wid.x * ${tiles.workgroup * tiles.rows}u;
  let last = min(T, first + ${tiles.workgroup * tiles.rows}u);`;
  const owned = rep > 1 && own === "k" ? ["p.KD4", "khoff"] as const : ["p.D4", "hoff"] as const;
  return [head, ...ownRows(tiles.rows, tiles.workgroup, ...owned)];
}

/**
 * Grouped-query head bookkeeping: `base` (the batch's first row), the query head's texel offset
 * `hoff` and its key/value head's `khoff`. Query-row kernels run one workgroup row per (b, h);
 * the dk/dv kernel (own "k") one per (b, key/value head), `kvh`.
 */
function gqaHeads(hd: number, rep: number, own: "q" | "k"): string {
  if (own === "q") {
    return `
  let base = (bh / p.H) * T;
  let hoff = (bh % p.H) * ${hd / 4}u;
  let khoff = ((bh % p.H) / ${rep}u) * ${hd / 4}u;`;
  }
  return `
  let KV = p.H / ${rep}u;
  let base = (bh / KV) * T;
  let kvh = bh % KV;
  let khoff = kvh * ${hd / 4}u;`;
}

/**
 * Row index t_r, its clamp tc_r and first texel e_r (row stride `stride`, head offset `off`), for
 * each of the invocation's rows.
 */
function ownRows(rows: number, wg: number, stride = "p.D4", off = "hoff"): string[] {
  const out: string[] = [];
  for (const r of range(rows)) {
    out.push(`  let t_${r} = first + li + ${wg * r}u;`);
    out.push(`  let tc_${r} = min(t_${r}, T - 1u);`);
    out.push(`  let e_${r} = (base + tc_${r}) * ${stride} + ${off};`);
  }
  return out;
}

/**
 * Lines loading texel (c, i) of a block — c < `rows` block rows, i < `per` texels each — into
 * `name(c, i)`, from `fetch(c, i)` (WGSL for the fetch, c and i WGSL u32 expressions). Without a
 * subgroup every lane fetches everything; with one (`S` lanes) texel n = c·per + i is fetched by
 * lane n mod S into its slot ⌊n / S⌋ and broadcast. `hoisted` goes before the loop.
 */
function blockLoads(
  S: number,
  tag: string,
  rows: number,
  per: number,
  fetch: (c: string, i: string) => string,
  name: (c: number, i: number) => string,
): { hoisted: string[]; body: string[] } {
  const hoisted: string[] = [], body: string[] = [];
  if (S === 0) {
    for (const c of range(rows)) {
      for (const i of range(per)) body.push(`    let ${name(c, i)} = ${fetch(`${c}u`, `${i}u`)};`);
    }
    return { hoisted, body };
  }
  const n = rows * per;
  for (const slot of range(Math.ceil(n / S))) {
    const job = `min(${slot * S}u + sl, ${n - 1}u)`;
    hoisted.push(
      `  let ${tag}c${slot} = ${job} / ${per}u;`,
      `  let ${tag}i${slot} = ${job} % ${per}u;`,
    );
    body.push(`    let ${tag}x${slot} = ${fetch(`${tag}c${slot}`, `${tag}i${slot}`)};`);
  }
  for (const j of range(n)) {
    const slot = Math.floor(j / S);
    body.push(
      `    let ${name(Math.floor(j / per), j % per)} = subgroupBroadcast(${tag}x${slot}, ${
        j % S
      }u);`,
    );
  }
  return { hoisted, body };
}

/** The loads of key block rows `loop` + c (k_c_i, v_c_i) of the forward and dq kernels. */
function keyValueLoads(
  tiles: AttentionTiles,
  block: number,
  hd4: number,
  loop: string,
  rep = 1,
): { hoisted: string[]; body: string[] } {
  const [stride, off] = rep > 1 ? ["p.KD4", "khoff"] : ["p.D4", "hoff"];
  const row = (c: string) => `(base + min(${loop} + ${c}, T - 1u)) * ${stride} + ${off}`;
  const load = (tag: string, texture: string, name: string) =>
    blockLoads(tiles.subgroup, tag, block, hd4, (c, i) => `at4_${texture}(${row(c)} + ${i})`, (
      c,
      i,
    ) => `${name}_${c}_${i}`);
  const ks = load("K", "kt", "k"), vs = load("V", "vt", "v");
  return { hoisted: [...ks.hoisted, ...vs.hoisted], body: [...ks.body, ...vs.body] };
}

/**
 * Forward: out = softmax(q·kᵀ/√hd, causal)·v and lse, online softmax over key blocks.
 * Bindings: q, k, v (textures), out, lse (storage).
 */
export function attentionForwardWgsl(hd: number, tiles: AttentionTiles, rep = 1): string {
  const hd4 = hd / 4, R = tiles.rows, C = tiles.block;
  const L = prelude(hd, tiles, ["qt", "kt", "vt"], { o: "vec4f", lse: "f32" }, rep);
  for (const r of range(R)) {
    for (const i of range(hd4)) L.push(`  let q_${r}_${i} = at4_qt(e_${r} + ${i}u) * QS;`);
    for (const i of range(hd4)) L.push(`  var a_${r}_${i} = vec4f(0.0);`);
    L.push(`  var m_${r} = NEG;`, `  var l_${r} = 0.0;`);
  }
  const kv = keyValueLoads(tiles, C, hd4, "kb", rep);
  L.push(...kv.hoisted);
  L.push(`  for (var kb = 0u; kb < last; kb += ${C}u) {`, ...kv.body);
  for (const r of range(R)) {
    for (const c of range(C)) {
      const dot = sum(range(hd4).map((i) => dot4(`q_${r}_${i}`, `k_${c}_${i}`)));
      L.push(`    let s_${r}_${c} = select(NEG, ${dot}, kb + ${c}u <= tc_${r});`);
    }
    const mx = range(C).slice(1).reduce((acc, c) => `max(${acc}, s_${r}_${c})`, `s_${r}_0`);
    L.push(`    let mn_${r} = max(m_${r}, ${mx});`);
    L.push(`    let al_${r} = exp2(m_${r} - mn_${r});`);
    L.push(`    m_${r} = mn_${r};`);
    for (const c of range(C)) L.push(`    let p_${r}_${c} = exp2(s_${r}_${c} - mn_${r});`);
    L.push(`    l_${r} = l_${r} * al_${r} + ${sum(range(C).map((c) => `p_${r}_${c}`))};`);
    for (const i of range(hd4)) {
      const pv = sum(range(C).map((c) => `p_${r}_${c} * v_${c}_${i}`));
      L.push(`    a_${r}_${i} = a_${r}_${i} * al_${r} + ${pv};`);
    }
  }
  L.push(`  }`);
  for (const r of range(R)) {
    L.push(`  if (t_${r} < T) {`, `    let inv_${r} = 1.0 / l_${r};`);
    for (const i of range(hd4)) L.push(`    o[e_${r} + ${i}u] = a_${r}_${i} * inv_${r};`);
    L.push(`    lse[bh * T + t_${r}] = (m_${r} + log2(l_${r})) * ${f32(Math.LN2)};`, `  }`);
  }
  L.push(`}`);
  return L.join("\n");
}

/**
 * Backward, first kernel, one invocation per `rows` query rows looping over keys:
 * delta = rowsum(dout∘out) and dq = Σ_s p·(dout·v_s − delta)·k_s/√hd.
 * Bindings: q, k, v, out, dout, lse (textures), dq, delta (storage).
 */
export function attentionBackwardDqWgsl(hd: number, tiles: AttentionTiles, rep = 1): string {
  const hd4 = hd / 4, R = tiles.rows, C = tiles.block;
  const textures = ["qt", "kt", "vt", "ot", "gt", "lt"];
  const L = prelude(hd, tiles, textures, { dq: "vec4f", delta: "f32" }, rep);
  for (const r of range(R)) {
    for (const i of range(hd4)) L.push(`  let q_${r}_${i} = at4_qt(e_${r} + ${i}u) * QS;`);
    for (const i of range(hd4)) L.push(`  let g_${r}_${i} = at4_gt(e_${r} + ${i}u);`);
    for (const i of range(hd4)) L.push(`  var dq_${r}_${i} = vec4f(0.0);`);
    for (const i of range(hd4)) L.push(`  let o_${r}_${i} = at4_ot(e_${r} + ${i}u);`);
    const dlt = sum(range(hd4).map((i) => dot4(`g_${r}_${i}`, `o_${r}_${i}`)));
    L.push(`  let dl_${r} = ${dlt};`);
    L.push(`  let L_${r} = at1_lt(bh * T + tc_${r}) * ${f32(LOG2E)};`);
  }
  const kv = keyValueLoads(tiles, C, hd4, "s", rep);
  L.push(...kv.hoisted);
  L.push(`  for (var s = 0u; s < last; s += ${C}u) {`, ...kv.body);
  for (const r of range(R)) {
    for (const c of range(C)) {
      const qk = sum(range(hd4).map((i) => dot4(`q_${r}_${i}`, `k_${c}_${i}`)));
      const gv = sum(range(hd4).map((i) => dot4(`g_${r}_${i}`, `v_${c}_${i}`)));
      L.push(`    let p_${r}_${c} = select(0.0, exp2(${qk} - L_${r}), s + ${c}u <= tc_${r});`);
      L.push(`    let ds_${r}_${c} = p_${r}_${c} * (${gv} - dl_${r});`);
    }
    for (const i of range(hd4)) {
      L.push(`    dq_${r}_${i} += ${sum(range(C).map((c) => `ds_${r}_${c} * k_${c}_${i}`))};`);
    }
  }
  L.push(`  }`);
  for (const r of range(R)) {
    L.push(`  if (t_${r} < T) {`);
    for (const i of range(hd4)) L.push(`    dq[e_${r} + ${i}u] = dq_${r}_${i} * SM;`);
    L.push(`    delta[bh * T + t_${r}] = dl_${r};`, `  }`);
  }
  L.push(`}`);
  return L.join("\n");
}

/**
 * Backward, second kernel (after the first wrote delta), one invocation per `rows` key rows
 * looping over the queries t ≥ its first key: dv = Σ_t p·dout_t and
 * dk = Σ_t p·(dout_t·v − delta_t)·q_t/√hd.
 * Bindings: q, k, v, dout, lse, delta (textures), dk, dv (storage).
 */
export function attentionBackwardDkvWgsl(hd: number, tiles: AttentionTiles, rep = 1): string {
  const hd4 = hd / 4, R = tiles.rows, C = tiles.block;
  const textures = ["qt", "kt", "vt", "gt", "lt", "dt"];
  const L = prelude(hd, tiles, textures, { dk: "vec4f", dv: "vec4f" }, rep, "k");
  for (const r of range(R)) {
    for (const i of range(hd4)) L.push(`  let k_${r}_${i} = at4_kt(e_${r} + ${i}u) * QS;`);
    for (const i of range(hd4)) L.push(`  let v_${r}_${i} = at4_vt(e_${r} + ${i}u);`);
    for (const i of range(hd4)) L.push(`  var dk_${r}_${i} = vec4f(0.0);`);
    for (const i of range(hd4)) L.push(`  var dv_${r}_${i} = vec4f(0.0);`);
  }
  const S = tiles.subgroup;
  const u = (c: string) => `min(t + ${c}, T - 1u)`;
  // Grouped-query: the query head hq (of the rep sharing this key/value head) is the outer loop.
  const [qoff, bq] = rep > 1 ? ["qoff", "bq"] : ["hoff", "bh"];
  const row = (c: string) => `(base + ${u(c)}) * p.D4 + ${qoff}`;
  const loads = [
    blockLoads(S, "Q", C, hd4, (c, i) => `at4_qt(${row(c)} + ${i})`, (c, i) => `q_${c}_${i}`),
    blockLoads(S, "G", C, hd4, (c, i) => `at4_gt(${row(c)} + ${i})`, (c, i) => `g_${c}_${i}`),
    blockLoads(S, "L", C, 1, (c) => `at1_lt(${bq} * T + ${u(c)})`, (c) => `lr_${c}`),
    blockLoads(S, "D", C, 1, (c) => `at1_dt(${bq} * T + ${u(c)})`, (c) => `D_${c}`),
  ];
  L.push(...loads.flatMap((l) => l.hoisted));
  if (rep > 1) {
    L.push(
      `  for (var g = 0u; g < ${rep}u; g++) {`,
      `  let hq = kvh * ${rep}u + g;`,
      `  let qoff = hq * ${hd4}u;`,
      `  let bq = (bh / KV) * p.H + hq;`,
    );
  }
  L.push(`  for (var t = first; t < T; t += ${C}u) {`, ...loads.flatMap((l) => l.body));
  for (const c of range(C)) {
    L.push(`    let L_${c} = lr_${c} * ${f32(LOG2E)};`);
    L.push(`    let in_${c} = t + ${c}u < T;`);
  }
  for (const r of range(R)) {
    for (const c of range(C)) {
      const kq = sum(range(hd4).map((i) => dot4(`k_${r}_${i}`, `q_${c}_${i}`)));
      const vg = sum(range(hd4).map((i) => dot4(`v_${r}_${i}`, `g_${c}_${i}`)));
      L.push(
        `    let p_${r}_${c} = select(0.0, exp2(${kq} - L_${c}), in_${c} && t + ${c}u >= tc_${r});`,
      );
      L.push(`    let ds_${r}_${c} = p_${r}_${c} * (${vg} - D_${c});`);
    }
    for (const i of range(hd4)) {
      L.push(`    dv_${r}_${i} += ${sum(range(C).map((c) => `p_${r}_${c} * g_${c}_${i}`))};`);
      L.push(`    dk_${r}_${i} += ${sum(range(C).map((c) => `ds_${r}_${c} * q_${c}_${i}`))};`);
    }
  }
  L.push(`  }`);
  if (rep > 1) L.push(`  }`);
  for (const r of range(R)) {
    L.push(`  if (t_${r} < T) {`);
    for (const i of range(hd4)) L.push(`    dk[e_${r} + ${i}u] = dk_${r}_${i} * SM;`);
    for (const i of range(hd4)) L.push(`    dv[e_${r} + ${i}u] = dv_${r}_${i};`);
    L.push(`  }`);
  }
  L.push(`}`);
  return L.join("\n");
}
