/**
 * Subgroup-shared operand fetches for the texture matmul (see {@link KernelSpec.sgRows}).
 *
 * The S lanes of a subgroup compute an R × C block of tiles (R·C = S). Per k step the block needs
 * R·T texels of A (T per tile row) and C·T' texels of B; every lane fetches an equal share, and
 * each lane then takes the texels of its own tile row / column from the lane that fetched them
 * with `subgroupShuffle` (or `subgroupBroadcast` when the whole subgroup shares one row). On Mesa
 * llvmpipe a texel fetch costs ~0.5 ns per lane and vec4, a broadcast or shuffle ~0.05 and a
 * multiply-add ~0.2 (`deno task bench --filter primitive`, 2 cores): fewer fetches, same values,
 * same FMA order — the results are bitwise those of the unshared kernel.
 *
 * Jobs are numbered so that a texel's slot never depends on the lane: texel t of group g is job
 * f = t·G + g, fetched by lane f mod S into its slot ⌊f / S⌋ (G divides S, so all G groups' copies
 * of texel t sit in one slot).
 */

/** One operand as a list of texels per k step, each texel addressed per group. */
export interface SharedOperand {
  /** Prefix for the generated names ("a" or "b"). */
  name: string;
  /** Groups G sharing this operand's fetches: tile rows (A) or tile columns (B) per subgroup. */
  groups: number;
  /** WGSL expression: this lane's own group (its tile row / column within the subgroup). */
  myGroup: string;
  /** Texels one group needs for a k step of `kks` values of k. */
  texels: (kks: number) => number;
  /** WGSL for the loop-invariant part of texel `t` of group `g` (a u32 or a vec2u). */
  base: (g: string, t: string, kks: number) => string;
  /** WGSL fetching the texel whose invariant part is `h`, for the k step starting at `kExpr`. */
  fetch: (h: string, kExpr: string) => string;
}

/** Emits the hoisted bases and the per-step fetches of one shared operand. */
export class SharedFetch {
  constructor(
    private readonly op: SharedOperand,
    private readonly sg: number,
    private readonly emit: (line: string) => void,
  ) {
    if (sg % op.groups !== 0) {
      throw new RangeError(`matmul: ${op.groups} groups do not divide ${sg}`);
    }
  }

  /** Fetches per lane for a k step of `kks`. */
  slots(kks: number): number {
    return Math.ceil((this.op.texels(kks) * this.op.groups) / this.sg);
  }

  /** Hoisted (loop-invariant) address of each of this lane's jobs, for steps of `kks`. */
  hoist(kks: number, ind: string): void {
    const { name, groups, texels } = this.op;
    const last = texels(kks) - 1;
    for (let s = 0; s < this.slots(kks); s++) {
      const job = `${s * this.sg}u + sl`;
      const t = `${name}T${kks}_${s}`, g = `${name}G${kks}_${s}`;
      this.emit(`${ind}let ${t} = min((${job}) / ${groups}u, ${last}u);`);
      this.emit(`${ind}let ${g} = (${job}) % ${groups}u;`);
      this.emit(`${ind}let ${name}H${kks}_${s} = ${this.op.base(g, t, kks)};`);
    }
  }

  /**
   * Fetch this lane's share for the step at `kExpr` and return, for each texel t of this lane's
   * own group, the WGSL name holding it.
   */
  load(kExpr: string, kks: number, ind: string): string[] {
    const { name, fetch, groups, myGroup, texels } = this.op;
    for (let s = 0; s < this.slots(kks); s++) {
      this.emit(`${ind}let ${name}S${s} = ${fetch(`${name}H${kks}_${s}`, kExpr)};`);
    }
    const names: string[] = [];
    for (let t = 0; t < texels(kks); t++) {
      const job = t * groups;
      const slot = `${name}S${Math.floor(job / this.sg)}`;
      const lane = job % this.sg;
      let value: string;
      if (groups === this.sg) value = slot; // every lane fetched its own texels
      else if (groups === 1) value = `subgroupBroadcast(${slot}, ${lane}u)`;
      else value = `subgroupShuffle(${slot}, ${lane}u + ${myGroup})`;
      this.emit(`${ind}let ${name}${t} = ${value};`);
      names.push(`${name}${t}`);
    }
    return names;
  }
}

/**
 * The two operands of a texture matmul as shared operands: A grouped by the subgroup's R tile
 * rows, B by its S / R tile columns. Names the kernel must define: `trB`, `tcB` (the subgroup's
 * first tile row / column), `lr`, `lc` (this lane's), `aOff`, `bOff` (flat operands: the batch
 * entry's first element) or `aRow0`, `bRow0` (panels: its first row), `sl`, `p.m/n/k`.
 */
export function matmulSharedOperands(
  spec: {
    tm: number;
    tn: number;
    subgroup: number;
    sgRows: number;
    panelA: boolean;
    panelB: boolean;
  },
  aRowsK: boolean,
  bRowsK: boolean,
): { a: SharedOperand; b: SharedOperand } {
  const a = operand("a", spec.sgRows, "lr", aRowsK, spec.panelA, spec.tm, "trB", "p.m");
  const b = operand(
    "b",
    spec.subgroup / spec.sgRows,
    "lc",
    bRowsK,
    spec.panelB,
    spec.tn,
    "tcB",
    "p.n",
  );
  return { a, b };
}

/**
 * Texel at column quad `c4`, row `y` of operand `name` staged as panels (its fetch function
 * `t<name>p`, see kernels/staging.ts stagePanels).
 */
export function panelFetch(name: string, c4: string, y: string): string {
  return `t${name}p(${c4}, ${y})`;
}

/**
 * Loop-invariant part of row `row` of texture operand `name` stored along k: its panel row, or
 * (flat layout) its first texel.
 */
export function alongKRow(name: string, panels: boolean, row: string): string {
  return panels ? `${name}Row0 + ${row}` : `(${name}Off + ${row} * p.k) / 4u`;
}

/** The texel holding k … k+3 (k a multiple of 4) of the row whose {@link alongKRow} is `h`. */
export function alongKFetch(name: string, panels: boolean, h: string, k: string): string {
  return panels ? panelFetch(name, `${k} / 4u`, h) : `t${name}(${h} + ${k} / 4u)`;
}

/**
 * One operand of the matmul, `tile` rows (A) or columns (B) per group starting at tile
 * `first` + g, in a matrix with `dim` of them, flat or as panels. Stored along k: texel t is
 * row/column t holding k..k+3. Else (A of TN, B of NN/TN): texel t is (kk, x4) = rows/columns
 * 4·x4..4·x4+3 at k + kk.
 */
function operand(
  name: string,
  groups: number,
  myGroup: string,
  alongK: boolean,
  panels: boolean,
  tile: number,
  first: string,
  dim: string,
): SharedOperand {
  const common = { name, groups, myGroup };
  if (alongK) {
    return {
      ...common,
      texels: () => tile,
      base: (g, t) =>
        alongKRow(name, panels, `min((${first} + ${g}) * ${tile}u + ${t}, ${dim} - 1u)`),
      fetch: (h, k) => alongKFetch(name, panels, h, k),
    };
  }
  const t4 = tile / 4;
  const quad = (g: string, t: string) =>
    `min((${first} + ${g}) * ${t4}u + ${t} % ${t4}u, ${dim} / 4u - 1u)`;
  return panels
    ? {
      ...common,
      texels: (kks) => kks * t4,
      base: (g, t) => `vec2u(${quad(g, t)}, ${name}Row0 + ${t} / ${t4}u)`,
      fetch: (h, k) => panelFetch(name, `${h}.x`, `${h}.y + ${k}`),
    }
    : {
      ...common,
      texels: (kks) => kks * t4,
      base: (g, t) => `${name}Off / 4u + (${t} / ${t4}u) * (${dim} / 4u) + ${quad(g, t)}`,
      fetch: (h, k) => `t${name}(${h} + ${k} * (${dim} / 4u))`,
    };
}
