/**
 * WGSL for matmul: C[M,N] = alpha·op(A)·op(B) (+ R), batched, register-tiled.
 *
 * Each invocation computes a TM×TN tile of C. Every output accumulates `fma(a, b, acc)` over k in
 * ascending order starting from 0, in every variant: the tile shape and the operand source change
 * speed, never the bits of the result.
 *
 * Operand sources:
 * - "buffer": scalar loads straight from the storage buffers (any shape, any adapter).
 * - "texture": A and B are first copied into rgba32float 2D-array textures (flat layout, 64 texels
 *   per row, see kernels/staging.ts) and read with `textureLoad`, 4 floats per fetch. On Mesa
 *   llvmpipe 22.x a storage-buffer load is a per-lane scalar loop while a texel fetch is a
 *   vectorized gather, ~30× cheaper per vec4 (`deno task bench --filter primitive`).
 * - "texture" with subgroup sharing: the lanes of a subgroup split the block's texel fetches and
 *   pass them on with subgroup shuffles (kernels/ops/matmul_share.ts).
 * - "texture" with panels (`panelA` / `panelB`): the operand is staged as column panels of its
 *   row-major matrix (kernels/staging.ts stagePanels), {@link panelWidth} floats wide, so a
 *   workgroup walking along k reads consecutive short rows instead of rows a matrix row apart.
 *
 * Rows/columns past M/N are clamped on load (results discarded on store), so any M, N work.
 */

import type { PanelWidth } from "../staging.ts";
import { uniforms } from "../uniforms.ts";
import {
  alongKFetch,
  alongKRow,
  matmulSharedOperands,
  panelFetch,
  SharedFetch,
} from "./matmul_share.ts";

/** Transpose mode: C = A·B (NN), A·Bᵀ (NT), Aᵀ·B (TN). */
export type Transpose = "NN" | "NT" | "TN";

/** Where the kernel reads A and B from. */
export type MatmulSource = "texture" | "buffer";

/** Everything that shapes the generated WGSL (dims are runtime parameters). */
export interface KernelSpec {
  trans: Transpose;
  source: MatmulSource;
  /** Output rows per invocation (multiple of 4). */
  tm: number;
  /** Output columns per invocation (multiple of 4). */
  tn: number;
  /** Invocations per workgroup. */
  wg: number;
  /** Epilogue: nothing, C += …, or C = R + … with R a separate tensor. */
  residual: "none" | "self" | "separate";
  /** Multiply the product by `alpha`. */
  scaled: boolean;
  /** Read/write C (and R) as vec4 (needs N and the C/R batch strides to be multiples of 4). */
  vecStore: boolean;
  /** Texture source: read-only storage textures (true) or sampled textures (false). */
  storageTexture: boolean;
  /**
   * Subgroup width S for shared fetches (texture source only; 0 = off): needs WGSL subgroup ops
   * and a fixed subgroup size (llvmpipe: 8, its SIMD width). See kernels/ops/matmul_share.ts.
   */
  subgroup: number;
  /** With `subgroup`: tile rows R a subgroup spans (it spans S / R tile columns). */
  sgRows: number;
  /**
   * Texture source: A is staged as panels (see {@link panelWidth}) and its batch stride `aBatch`
   * counts rows of its row-major matrix. Else the flat layout.
   */
  panelA: boolean;
  /** The same for B (`bBatch` in rows). */
  panelB: boolean;
}

/** The uniforms of every matmul kernel (all u32 except `alpha`), declared as a block. */
export const MATMUL_UNIFORMS = uniforms("matmul", {
  m: "u32",
  n: "u32",
  k: "u32",
  tilesM: "u32",
  tilesN: "u32",
  blocksN: "u32",
  tilesPerBatch: "u32",
  tiles: "u32",
  groupsX: "u32",
  aBatch: "u32",
  bBatch: "u32",
  cBatch: "u32",
  rBatch: "u32",
  alpha: "f32",
  logHA: "u32",
  logHB: "u32",
});

/**
 * Tile columns (bw) × tile rows (bh) covered by one workgroup of `wg` invocations; with subgroup
 * sharing, its wg / S subgroups of R × (S / R) tiles are stacked vertically.
 */
export function blockShape(wg: number, subgroup = 0, sgRows = 1): { bw: number; bh: number } {
  if (subgroup > 0) return { bw: subgroup / sgRows, bh: sgRows * (wg / subgroup) };
  const bw = Math.min(8, wg);
  return { bw, bh: Math.ceil(wg / bw) };
}

/**
 * Floats per panel row for an operand staged as panels: 16 (one cache line) for an operand stored
 * along k, whose 16 k values per row serve four k steps of every tile row; 64 for one read down
 * its rows (B of NN / TN, A of TN), one subgroup block's columns.
 */
export function panelWidth(alongK: boolean): PanelWidth {
  return alongK ? 16 : 64;
}

/** The WGSL source for `spec`. */
export function matmulWgsl(spec: KernelSpec): string {
  const { trans, source, tm, tn, wg } = spec;
  if (tm % 4 || tn % 4 || tm < 4 || tn < 4) {
    throw new RangeError(`matmul: tile ${tm}x${tn} must be multiples of 4`);
  }
  const tex = source === "texture";
  const sg = spec.subgroup, sgRows = spec.sgRows;
  if (sg > 0 && (!tex || wg % sg !== 0 || sg % sgRows !== 0)) {
    throw new RangeError(
      `matmul: subgroup sharing needs texture operands, wg % ${sg} = 0 and ${sgRows} | ${sg}`,
    );
  }
  const aRowsK = trans !== "TN"; // A element (row, k) contiguous along k
  const bRowsK = trans === "NT"; // B element (k, col) contiguous along k
  if ((spec.panelA || spec.panelB) && !tex) {
    throw new RangeError("matmul: panels need texture operands");
  }
  const tn4 = tn / 4;
  const L: string[] = [];
  const emit = (s: string) => L.push(s);

  emit(MATMUL_UNIFORMS.wgsl("block"));
  if (tex) {
    const ty = spec.storageTexture
      ? "texture_storage_2d_array<rgba32float, read>"
      : "texture_2d_array<f32>";
    emit(`@group(0) @binding(1) var TA: ${ty};`);
    emit(`@group(0) @binding(2) var TB: ${ty};`);
    const lvl = spec.storageTexture ? "" : ", 0";
    const fetches = [
      ["ta", "TA", "p.logHA", spec.panelA, aRowsK],
      ["tb", "TB", "p.logHB", spec.panelB, bRowsK],
    ] as const;
    for (const [f, t, logH, panels, alongK] of fetches) {
      if (panels) {
        // Column quad c4 of row y: texel c4 % (w / 4) of row y in layer (panel) c4 / (w / 4).
        const quads = panelWidth(alongK) / 4;
        emit(`fn ${f}p(c4: u32, y: u32) -> vec4f {`);
        emit(
          `  return textureLoad(${t}, vec2u(c4 & ${quads - 1}u, y), c4 >> ${
            Math.log2(quads)
          }u${lvl});`,
        );
      } else {
        emit(`fn ${f}(e: u32) -> vec4f {`);
        emit(`  let y = e >> 6u;`);
        emit(
          `  return textureLoad(${t}, vec2u(e & 63u, y & ((1u << ${logH}) - 1u)), y >> ${logH}${lvl});`,
        );
      }
      emit("}");
    }
  } else {
    emit("@group(0) @binding(1) var<storage, read> A: array<f32>;");
    emit("@group(0) @binding(2) var<storage, read> B: array<f32>;");
  }
  const cType = spec.vecStore ? "vec4f" : "f32";
  emit(`@group(0) @binding(3) var<storage, read_write> C: array<${cType}>;`);
  if (spec.residual === "separate") {
    emit(`@group(0) @binding(4) var<storage, read> R: array<${cType}>;`);
  }

  emit(`@compute @workgroup_size(${wg})`);
  const lane = sg > 0 ? ", @builtin(subgroup_invocation_id) sl: u32" : "";
  emit(
    `fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u${lane}) {`,
  );
  // A workgroup covers a block of BW tile columns × BH tile rows (so the B columns it reads are
  // reused by all its rows from cache); a batch entry is a row-major grid of blocks.
  const { bw, bh } = blockShape(wg, sg, sgRows);
  if (sg > 0) {
    // Shuffles need every lane: lanes past the edge compute a clamped tile and store nothing.
    emit(`  let raw = (wid.y * p.groupsX + wid.x) * ${wg}u + lid.x;`);
    emit("  let lin = min(raw, p.tiles - 1u);");
  } else {
    emit(`  let lin = (wid.y * p.groupsX + wid.x) * ${wg}u + lid.x;`);
    emit("  if (lin >= p.tiles) { return; }");
  }
  emit("  let bi = lin / p.tilesPerBatch;");
  emit("  let t = lin % p.tilesPerBatch;");
  emit(`  let blk = t / ${wg}u;`);
  emit(`  let w = t % ${wg}u;`);
  if (sg > 0) {
    // Subgroup q of the block spans tile rows trB + 0..R-1, columns tcB + 0..C-1; lane l sits
    // at (l / C, l % C) (lanes are local invocations in order: checked by the tests).
    const cols = sg / sgRows;
    emit(`  let trB = (blk / p.blocksN) * ${bh}u + (w / ${sg}u) * ${sgRows}u;`);
    emit(`  let tcB = (blk % p.blocksN) * ${bw}u;`);
    emit(`  let lr = (w % ${sg}u) / ${cols}u;`);
    emit(`  let lc = (w % ${sg}u) % ${cols}u;`);
    emit("  let live = raw < p.tiles && trB + lr < p.tilesM && tcB + lc < p.tilesN;");
    emit("  let tr = min(trB + lr, p.tilesM - 1u);");
    emit("  let tc = min(tcB + lc, p.tilesN - 1u);");
  } else {
    emit(`  let tr = (blk / p.blocksN) * ${bh}u + w / ${bw}u;`);
    emit(`  let tc = (blk % p.blocksN) * ${bw}u + w % ${bw}u;`);
    emit("  if (tr >= p.tilesM || tc >= p.tilesN) { return; }");
  }
  emit(`  let r0 = tr * ${tm}u;`);
  emit(`  let c0 = tc * ${tn}u;`);
  emit(`  let ${spec.panelA ? "aRow0" : "aOff"} = bi * p.aBatch;`);
  emit(`  let ${spec.panelB ? "bRow0" : "bOff"} = bi * p.bBatch;`);
  for (let i = 0; i < tm; i++) {
    for (let j = 0; j < tn4; j++) emit(`  var acc${i}_${j} = vec4f(0.0);`);
  }

  // Per-row / per-column load bases, hoisted out of the k loop.
  const tail = !(tex && (aRowsK || bRowsK));
  let shared: { a: SharedFetch; b: SharedFetch } | undefined;
  if (sg > 0) {
    const ops = matmulSharedOperands(spec, aRowsK, bRowsK);
    shared = { a: new SharedFetch(ops.a, sg, emit), b: new SharedFetch(ops.b, sg, emit) };
    for (const kks of tail ? [4, 1] : [4]) {
      shared.a.hoist(kks, "  ");
      shared.b.hoist(kks, "  ");
    }
  } else {
    if (aRowsK) {
      for (let i = 0; i < tm; i++) {
        const row = `min(r0 + ${i}u, p.m - 1u)`;
        emit(`  let aB${i} = ${tex ? alongKRow("a", spec.panelA, row) : `aOff + ${row} * p.k`};`);
      }
    } else if (tex) {
      for (let i4 = 0; i4 < tm / 4; i4++) {
        emit(`  let aC${i4} = min(r0 / 4u + ${i4}u, p.m / 4u - 1u);`);
      }
    } else {
      for (let i = 0; i < tm; i++) emit(`  let aC${i} = min(r0 + ${i}u, p.m - 1u);`);
    }
    if (bRowsK) {
      for (let j = 0; j < tn; j++) {
        const col = `min(c0 + ${j}u, p.n - 1u)`;
        emit(`  let bB${j} = ${tex ? alongKRow("b", spec.panelB, col) : `bOff + ${col} * p.k`};`);
      }
    } else if (tex) {
      for (let j4 = 0; j4 < tn4; j4++) {
        emit(`  let bC${j4} = min(c0 / 4u + ${j4}u, p.n / 4u - 1u);`);
      }
    } else {
      for (let j = 0; j < tn; j++) emit(`  let bC${j} = min(c0 + ${j}u, p.n - 1u);`);
    }
  }

  /** Emit loads for k = `kExpr` (+ kk), returning accessors a(i, kk) and b(kk, j4) (a vec4). */
  const block = (kExpr: string, kks: number, ind: string) => {
    const aVal: string[][] = Array.from({ length: tm }, () => []);
    const bVec: string[][] = Array.from({ length: kks }, () => []);
    const kAt = (kk: number) => (kk === 0 ? kExpr : `${kExpr} + ${kk}u`);
    if (shared) {
      const av = shared.a.load(kExpr, kks, ind), bv = shared.b.load(kExpr, kks, ind);
      for (let kk = 0; kk < kks; kk++) {
        for (let i = 0; i < tm; i++) {
          aVal[i][kk] = aRowsK ? `${av[i]}[${kk}]` : `${av[kk * (tm / 4) + (i >> 2)]}[${i & 3}]`;
        }
        for (let j4 = 0; j4 < tn4; j4++) {
          bVec[kk][j4] = bRowsK
            ? `vec4f(${[0, 1, 2, 3].map((q) => `${bv[j4 * 4 + q]}[${kk}]`).join(", ")})`
            : bv[kk * tn4 + j4];
        }
      }
    } else {
      // A loads
      if (tex && aRowsK) {
        // kks === 4: one texel per row holds k..k+3.
        for (let i = 0; i < tm; i++) {
          emit(`${ind}let a${i} = ${alongKFetch("a", spec.panelA, `aB${i}`, kExpr)};`);
          for (let kk = 0; kk < kks; kk++) aVal[i][kk] = `a${i}[${kk}]`;
        }
      } else if (tex) {
        for (let kk = 0; kk < kks; kk++) {
          if (!spec.panelA) emit(`${ind}let aR${kk} = (aOff + (${kAt(kk)}) * p.m) / 4u;`);
          for (let i4 = 0; i4 < tm / 4; i4++) {
            const fetch = spec.panelA
              ? panelFetch("a", `aC${i4}`, `aRow0 + ${kAt(kk)}`)
              : `ta(aR${kk} + aC${i4})`;
            emit(`${ind}let a${kk}_${i4} = ${fetch};`);
            for (let q = 0; q < 4; q++) aVal[i4 * 4 + q][kk] = `a${kk}_${i4}[${q}]`;
          }
        }
      } else {
        for (let kk = 0; kk < kks; kk++) {
          if (!aRowsK) emit(`${ind}let aR${kk} = aOff + (${kAt(kk)}) * p.m;`);
          for (let i = 0; i < tm; i++) {
            const idx = aRowsK ? `aB${i} + ${kAt(kk)}` : `aR${kk} + aC${i}`;
            emit(`${ind}let a${kk}_${i} = A[${idx}];`);
            aVal[i][kk] = `a${kk}_${i}`;
          }
        }
      }
      // B loads
      if (tex && bRowsK) {
        const bs: string[] = [];
        for (let j = 0; j < tn; j++) {
          emit(`${ind}let b${j} = ${alongKFetch("b", spec.panelB, `bB${j}`, kExpr)};`);
          bs.push(`b${j}`);
        }
        for (let kk = 0; kk < kks; kk++) {
          for (let j4 = 0; j4 < tn4; j4++) {
            const c = [0, 1, 2, 3].map((q) => `${bs[j4 * 4 + q]}[${kk}]`);
            bVec[kk][j4] = `vec4f(${c.join(", ")})`;
          }
        }
      } else if (tex) {
        for (let kk = 0; kk < kks; kk++) {
          if (!spec.panelB) emit(`${ind}let bR${kk} = (bOff + (${kAt(kk)}) * p.n) / 4u;`);
          for (let j4 = 0; j4 < tn4; j4++) {
            const fetch = spec.panelB
              ? panelFetch("b", `bC${j4}`, `bRow0 + ${kAt(kk)}`)
              : `tb(bR${kk} + bC${j4})`;
            emit(`${ind}let b${kk}_${j4} = ${fetch};`);
            bVec[kk][j4] = `b${kk}_${j4}`;
          }
        }
      } else {
        for (let kk = 0; kk < kks; kk++) {
          if (!bRowsK) emit(`${ind}let bR${kk} = bOff + (${kAt(kk)}) * p.n;`);
          const bs: string[] = [];
          for (let j = 0; j < tn; j++) {
            const idx = bRowsK ? `bB${j} + ${kAt(kk)}` : `bR${kk} + bC${j}`;
            emit(`${ind}let b${kk}_${j} = B[${idx}];`);
            bs.push(`b${kk}_${j}`);
          }
          for (let j4 = 0; j4 < tn4; j4++) bVec[kk][j4] = `vec4f(${bs.slice(j4 * 4, j4 * 4 + 4)})`;
        }
      }
    }
    // Accumulator-major order: each accumulator takes its kk = 0..3 updates back to back, so it
    // stays in a register (llvmpipe spills most of a big tile; this measured ~1.5× faster).
    for (let i = 0; i < tm; i++) {
      for (let j4 = 0; j4 < tn4; j4++) {
        for (let kk = 0; kk < kks; kk++) {
          emit(`${ind}acc${i}_${j4} = fma(vec4f(${aVal[i][kk]}), ${bVec[kk][j4]}, acc${i}_${j4});`);
        }
      }
    }
  };

  emit("  let k4 = p.k & ~3u;");
  emit("  for (var k = 0u; k < k4; k += 4u) {");
  block("k", 4, "    ");
  emit("  }");
  // Tail (k % 4 ≠ 0) — impossible for texture operands stored along k (their k is a multiple of 4).
  if (tail) {
    emit("  for (var k = k4; k < p.k; k++) {");
    block("k", 1, "    ");
    emit("  }");
  }

  // Epilogue.
  emit("  let cOff = bi * p.cBatch;");
  if (spec.residual === "separate") emit("  let rOff = bi * p.rBatch;");
  const value = (acc: string) => (spec.scaled ? `p.alpha * ${acc}` : acc);
  if (sg > 0) emit("  if (!live) { return; }");
  for (let i = 0; i < tm; i++) {
    emit(`  if (r0 + ${i}u < p.m) {`);
    emit(`    let row = (r0 + ${i}u) * p.n;`);
    for (let j4 = 0; j4 < tn4; j4++) {
      const acc = `acc${i}_${j4}`;
      if (spec.vecStore) {
        emit(`    if (c0 + ${j4 * 4}u < p.n) {`);
        emit(`      let ci = (cOff + row + c0) / 4u + ${j4}u;`);
        if (spec.residual === "self") emit(`      C[ci] = C[ci] + ${value(acc)};`);
        else if (spec.residual === "separate") {
          emit(`      C[ci] = R[(rOff + row + c0) / 4u + ${j4}u] + ${value(acc)};`);
        } else emit(`      C[ci] = ${value(acc)};`);
        emit("    }");
      } else {
        for (let q = 0; q < 4; q++) {
          const col = `c0 + ${j4 * 4 + q}u`;
          emit(`    if (${col} < p.n) {`);
          emit(`      let ci = cOff + row + ${col};`);
          const v = value(`${acc}[${q}]`);
          if (spec.residual === "self") emit(`      C[ci] = C[ci] + ${v};`);
          else if (spec.residual === "separate") {
            emit(`      C[ci] = R[rOff + row + ${col}] + ${v};`);
          } else emit(`      C[ci] = ${v};`);
          emit("    }");
        }
      }
    }
    emit("  }");
  }
  emit("}");
  return L.join("\n") + "\n";
}
