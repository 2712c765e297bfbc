/**
 * @module
 * The report's sections for the `paper` preset: one per table/figure of E²-LLM (arXiv
 * 2401.06951) — Table 3, Table 4, Table 5, Fig. 5 — plus the g = 1 question by fine-tuning budget
 * and our earlier reading, each with the paper's numbers (paper_numbers.json, from METHODS.md)
 * beside ours and a computed verdict per claim (verdict.ts). A section appears only when the
 * results hold the series it needs, so other presets' reports are unchanged.
 *
 * Our numbers are perplexities at R = 128 on held-out text (lower is better); the paper's Table
 * 3 is Proof-pile PPL at 4k…64k (the same multiples of its trained length), its Tables 4 and 5
 * are LongBench scores (higher is better): the claims compare orderings, not values.
 */
import PAPER from "./paper_numbers.json" with { type: "json" };
import { fmtLength, fmtPplCi, fmtRatio } from "./format.ts";
import { lossTail } from "./loss_tail.ts";
import type { Section } from "./model.ts";
import { cellAt, type Series } from "./summary.ts";
import { fmtPaired, type PairedRatio, pairedRatio, pairedVerdict } from "./paired.ts";
import { fmtVerdict, type Interval, tallyVerdicts, type Verdict, verdictOf } from "./verdict.ts";

/** A series picked by method and variant, evaluated at a multiple of R. */
export interface CellRef {
  method: string;
  variant: string;
  ratio: number;
}

/** One claim of the paper: "A ≤ factor × B" (perplexity), with the paper's figures. */
export interface Claim {
  /** What the paper says, in words. */
  text: string;
  /** The paper's figures behind it (free text). */
  paper: string;
  a: CellRef;
  b: CellRef;
  factor?: number;
}

/** A claim judged on our results. */
export interface JudgedClaim extends Claim {
  aCell: Interval | null;
  bCell: Interval | null;
  /** A / (f·B) paired over seeds and windows; null where it has no interval. */
  paired: PairedRatio | null;
  /** From `paired` where it exists, else from the overlap of `aCell` and `bCell`. */
  verdict: Verdict;
}

const DASH = "—";

/** The base model at R: every no-finetune variant is the plain base at 1× (factor 1). */
const BASE: Omit<CellRef, "ratio"> = { method: "linear", variant: "no-finetune" };
/** PI fine-tuned at the target length. */
const PI: Omit<CellRef, "ratio"> = { method: "linear", variant: "finetuned" };
const e2 = (variant: string, ratio: number, method = "e2"): CellRef => ({ method, variant, ratio });
const at = (s: Omit<CellRef, "ratio">, ratio: number): CellRef => ({ ...s, ratio });

function findSeries(series: readonly Series[], ref: Omit<CellRef, "ratio">): Series | undefined {
  return series.find((s) => s.method === ref.method && s.variant === ref.variant);
}

/** Our cell for `ref` (combined over seeds), or null when not evaluated. */
export function cellOf(series: readonly Series[], ref: CellRef, r: number): Interval | null {
  const s = findSeries(series, ref);
  const c = s ? cellAt(s, ref.ratio * r) : undefined;
  return c ? { ppl: c.ppl, low: c.pplCiLow, high: c.pplCiHigh } : null;
}

/** A / (f·B) paired over the seeds (and windows) both cells share, or null. */
export function pairedOf(
  series: readonly Series[],
  a: CellRef,
  b: CellRef,
  r: number,
  factor = 1,
): PairedRatio | null {
  const sa = findSeries(series, a), sb = findSeries(series, b);
  return sa && sb ? pairedRatio(sa, a.ratio * r, sb, b.ratio * r, factor) : null;
}

/** "A ≤ f·B" from the paired ratio where it exists, else from the two intervals. */
export function judge(
  series: readonly Series[],
  a: CellRef,
  b: CellRef,
  r: number,
  factor = 1,
): {
  aCell: Interval | null;
  bCell: Interval | null;
  paired: PairedRatio | null;
  verdict: Verdict;
} {
  const aCell = cellOf(series, a, r), bCell = cellOf(series, b, r);
  const paired = aCell && bCell ? pairedOf(series, a, b, r, factor) : null;
  const verdict = paired ? pairedVerdict(paired) : verdictOf(aCell, bCell, factor);
  return { aCell, bCell, paired, verdict };
}

/** Judge each claim on `series`. */
export function judgeClaims(
  claims: readonly Claim[],
  series: readonly Series[],
  r: number,
): JudgedClaim[] {
  return claims.map((c) => ({ ...c, ...judge(series, c.a, c.b, r, c.factor ?? 1) }));
}

function fmtRef(ref: CellRef): string {
  return `${ref.method} / ${ref.variant} at ${ref.ratio}×`;
}

function fmtCell(c: Interval | null): string {
  return c ? fmtPplCi(c.ppl, c.low, c.high) : DASH;
}

/** A claims table: claim, the paper's figures, ours (A vs B with intervals), the verdict. */
export function claimsTable(judged: readonly JudgedClaim[]): Section["table"] {
  return {
    headers: ["claim", "paper", "ours: A", "ours: B", "A ≤ f·B?", "paired A / (f·B)", "verdict"],
    align: ["left", "left", "left", "left", "right", "left", "left"],
    rows: judged.map((j) => [
      j.text,
      j.paper,
      `${fmtRef(j.a)}: ${fmtCell(j.aCell)}`,
      `${fmtRef(j.b)}: ${fmtCell(j.bCell)}`,
      `f = ${j.factor ?? 1}`,
      fmtPaired(j.paired),
      fmtVerdict(j.verdict, j.paired !== null),
    ]),
  };
}

const t3 = PAPER.table3.rows;
const t3Row = (label: string) => t3.find((x) => x.label.startsWith(label))!.ppl;

/** Table 3's claims (PPL, lower is better). */
export const TABLE3_CLAIMS: readonly Claim[] = [
  {
    text: "At 4× R, E² with g = 4 beats PI fine-tuned at the long length",
    paper: `E²-16k ${t3Row("E²-16k")[2]} vs Vicuna-16k ${t3Row("PI, Vicuna")[2]} at 16k`,
    a: e2("g=4", 4),
    b: at(PI, 4),
  },
  {
    text: "At 8× R, E² with g = 8 beats PI fine-tuned at the long length",
    paper: `E²-32k ${t3Row("E²-32k")[3]} vs LongChat-32k ${t3Row("PI, LongChat")[3]} at 32k`,
    a: e2("g=8", 8),
    b: at(PI, 8),
  },
  {
    text: "A large g costs little at 1×: E² g = 16 within 10% of the base",
    paper: `${t3Row("E²-64k")[0]} vs base ${t3Row("base")[0]} at 4k (+${
      Math.round((t3Row("E²-64k")[0]! / t3Row("base")[0]! - 1) * 1000) / 10
    }%)`,
    a: e2("g=16", 1),
    b: at(BASE, 1),
    factor: 1.1,
  },
  {
    text: "PPL falls with length: E² g = 16 at 16× below its own 1×",
    paper: `${t3Row("E²-64k")[4]} at 64k vs ${t3Row("E²-64k")[0]} at 4k`,
    a: e2("g=16", 16),
    b: e2("g=16", 1),
  },
];

const t4 = PAPER.table4;
/** Table 4's claims at 8× R (the paper: LongBench, higher is better; ours: PPL). */
export const TABLE4_CLAIMS: readonly Claim[] = [
  {
    text: "Full E² beats E² without the offset t (scale only)",
    paper: `LongBench ${t4.full} vs ${t4.without_t}`,
    a: e2("g=auto", 8),
    b: e2("g=auto", 8, "e2-no-t"),
  },
  {
    text: "Full E² beats E² without g augmentation (g fixed at 2, offset only)",
    paper: `LongBench ${t4.full} vs ${t4.without_g}`,
    a: e2("g=auto", 8),
    b: e2("g=auto", 8, "e2-no-g"),
  },
];

const t5 = PAPER.table5.gmax as Record<string, number>;
/** Table 5's claims (g_max), at 8× R. */
export const TABLE5_CLAIMS: readonly Claim[] = [
  {
    text: "g_max 20 beats g_max 5",
    paper: `LongBench ${t5["20"]} vs ${t5["5"]}`,
    a: e2("g=auto", 8),
    b: e2("g=auto", 8, "e2-gmax5"),
  },
  {
    text: "g_max 20 beats g_max 10",
    paper: `LongBench ${t5["20"]} vs ${t5["10"]}`,
    a: e2("g=auto", 8),
    b: e2("g=auto", 8, "e2-gmax10"),
  },
  {
    text: "g_max 30 gains nothing over 20 (20 at least as good)",
    paper: `LongBench ${t5["20"]} vs ${t5["30"]}`,
    a: e2("g=auto", 8),
    b: e2("g=auto", 8, "e2-gmax30"),
  },
];

/** Fig. 5's claims: the g_max = 20 model at unseen scales, "acceptable" = within 1.5× the base. */
export const FIG5_CLAIMS: readonly Claim[] = [
  {
    text: "g = 20 at 20× R stays acceptable (within 1.5× the base's 1× PPL)",
    paper: "acceptable (trained scale)",
    a: e2("g=20", 20),
    b: at(BASE, 1),
    factor: 1.5,
  },
  {
    text: "g = 30 at 30× R stays acceptable (within 1.5× the base's 1× PPL)",
    paper: `acceptable up to about g = ${PAPER.fig5.acceptable_up_to_g} (120k tokens)`,
    a: e2("g=30", 30),
    b: at(BASE, 1),
    factor: 1.5,
  },
  {
    text: "beyond g ≈ 30 it degrades: g = 30 at 30× below g = 50 at 50×",
    paper: "degrades at g = 40, 50",
    a: e2("g=30", 30),
    b: e2("g=50", 50),
  },
];

function has(series: readonly Series[], method: string, variant?: string): boolean {
  return series.some((s) =>
    s.method === method && (variant === undefined || s.variant === variant)
  );
}

/** How the claims tables reach their verdicts, in words. */
const VERDICT_RULE = "Verdict: from the paired ratio A / (f·B) — the same seeds, base models and " +
  "evaluation windows on both sides, so their shared noise cancels; 95% interval, the wider of " +
  "a t-interval over seeds and one over windows (eval/report/paired.ts). **agrees** when the " +
  "interval lies below 1, **disagrees** when above, inconclusive when it contains 1. Where no " +
  "paired interval exists (one seed at two lengths), from the two intervals: agrees / disagrees " +
  "only without overlap.";

/** One of the paper's tables/figures as a set of claims, and when the results can check it. */
interface ClaimSet {
  id: Section["id"];
  /** Where in the paper: "Table 3", "Fig. 5". */
  from: string;
  title: string;
  intro: string;
  claims: readonly Claim[];
  /** Whether the results hold the series the claims need. */
  present: (series: readonly Series[]) => boolean;
}

function claimsSection(set: ClaimSet, judged: readonly JudgedClaim[]): Section {
  return {
    id: set.id,
    title: set.title,
    paragraphs: [set.intro, VERDICT_RULE],
    table: claimsTable(judged),
  };
}

/** Table 3's PPL grid: each paper row, then ours, by multiple of R. */
function table3Grid(series: readonly Series[], r: number): Section["table"] {
  const ratios = PAPER.table3.ratios;
  const ours = (ref: Omit<CellRef, "ratio">, only1x = false) =>
    ratios.map((
      x,
    ) => (only1x && x !== 1 ? DASH : fmtCell(cellOf(series, { ...ref, ratio: x }, r))));
  const fmtPaper = (row: (number | null)[]) => row.map((v) => (v === null ? DASH : v.toFixed(2)));
  const rows: string[][] = [];
  for (const row of t3) {
    rows.push([`paper: ${row.label}`, ...fmtPaper(row.ppl)]);
    if (row.ours === "base") rows.push(["ours: base (R)", ...ours(BASE, true)]);
    else if (row.ours.startsWith("g=")) {
      rows.push([`ours: e2 / ${row.ours}`, ...ours(e2(row.ours, 1))]);
    } else if (row.label.startsWith("PI, LongChat")) {
      rows.push(["ours: PI fine-tuned at 16× R", ...ours(PI)]);
    }
  }
  return {
    headers: ["row", ...ratios.map((x) => fmtRatio(x * r, r))],
    align: ["left", ...ratios.map(() => "right" as const)],
    rows,
  };
}

const BUDGETS = [
  { label: "1/8", e2: "e2-early", control: "default-early" },
  { label: "1/2", e2: "e2-mid", control: "default-mid" },
  { label: "all", e2: "e2", control: "default" },
] as const;

function g1BudgetSection(series: readonly Series[], r: number, ratio: number): Section {
  const rows: string[][] = [];
  const answers: string[] = [];
  for (const b of BUDGETS) {
    const e2s = findSeries(series, { method: b.e2, variant: "g=1" });
    const ctl = findSeries(series, { method: b.control, variant: "finetuned" });
    if (!e2s || !ctl) continue;
    const g1Ref = e2("g=1", ratio, b.e2), autoRef = e2("g=auto", ratio, b.e2);
    const ctlRef = { method: b.control, variant: "finetuned", ratio };
    const vsCtl = judge(series, g1Ref, ctlRef, r), vsAuto = judge(series, g1Ref, autoRef, r);
    const [g1, auto, control] = [vsCtl.aCell, vsAuto.bCell, vsCtl.bCell];
    const g1vsCtl = vsCtl.verdict, g1vsAuto = vsAuto.verdict;
    const words = (j: { verdict: Verdict; paired: PairedRatio | null }) => {
      const v = j.verdict;
      const w = v === "agrees"
        ? "yes"
        : v === "disagrees"
        ? "no"
        : v === "missing"
        ? "n/a"
        : "inconclusive";
      return j.paired ? `${w} (${fmtPaired(j.paired)})` : w;
    };
    rows.push([
      b.label,
      e2s.trainTokens === null ? DASH : String(e2s.trainTokens),
      fmtCell(cellOf(series, e2("g=1", 1, b.e2), r)),
      fmtCell(auto),
      fmtCell(g1),
      fmtCell(control),
      words(vsCtl),
      words(vsAuto),
    ]);
    answers.push(
      `after ${b.label} of the budget, g = 1 ${
        g1vsCtl === "agrees"
          ? "beats"
          : g1vsCtl === "disagrees"
          ? "loses to"
          : "cannot be told apart from"
      } the control at ${ratio}×, and ${
        g1vsAuto === "agrees" ? "beats" : g1vsAuto === "disagrees" ? "loses to" : "ties with"
      } g = ⌈L/R⌉`,
    );
  }
  return {
    id: "paper-g1-budget",
    title: "The g = 1 question, by fine-tuning budget",
    paragraphs: [
      "The paper's discussion asks whether scale + shift training also helps *without* scaling " +
      "at inference (g = 1); the paper gives no figure. The same E² fine-tuning evaluated with " +
      `g = 1 and g = ⌈L/R⌉ at ${fmtLength(ratio * r, r)}, against the control (plain RoPE, ` +
      "same budget), after 1/8, 1/2 and all of the fine-tuning steps; “yes” = lower PPL: the " +
      "paired ratio g=1 / other (same seeds and windows, eval/report/paired.ts) has its 95% " +
      "interval below 1 (“no”: above 1).",
      answers.length > 0
        ? `**Answer:** ${answers.join("; ")}.`
        : "The results hold none of the budget runs.",
    ],
    table: {
      headers: [
        "budget",
        "tokens",
        "e2 g=1 at 1×",
        `e2 g=auto at ${ratio}×`,
        `e2 g=1 at ${ratio}×`,
        `control at ${ratio}×`,
        "g=1 beats control?",
        "g=1 beats g=auto?",
      ],
      align: ["left", "right", "right", "right", "right", "right", "left", "left"],
      rows,
    },
  };
}

function earlierReadingSection(series: readonly Series[], r: number, ratios: number[]): Section {
  const rows: string[][] = [];
  for (const method of ["e2", "e2-split"]) {
    for (const variant of ["g=auto", "g=1"]) {
      if (!has(series, method, variant)) continue;
      rows.push([
        method === "e2" ? "paper: 4 sinks, g_max 20" : "ours: random split, g_max 20",
        variant,
        ...ratios.map((x) => fmtCell(cellOf(series, e2(variant, x, method), r))),
      ]);
    }
  }
  const last = Math.max(...ratios);
  const j = judge(series, e2("g=auto", last), e2("g=auto", last, "e2-split"), r);
  const v = j.verdict;
  const how = j.paired ? `paired ratio ${fmtPaired(j.paired)}` : "intervals";
  return {
    id: "paper-split",
    title: "Ablation: our earlier reading (random split point)",
    paragraphs: [
      "e2llm first read E² as shifting the ids after a random split point k ~ U{1…n−1}; the " +
      "paper keeps the first four tokens unshifted (attention sinks) and shifts every later one. " +
      `At ${last}× with g = ⌈L/R⌉, the paper's rule ${
        v === "agrees"
          ? `has the lower PPL (${how})`
          : v === "disagrees"
          ? `has the higher PPL (${how})`
          : v === "missing"
          ? "was not compared"
          : `cannot be told apart from ours (${how})`
      }.`,
    ],
    table: {
      headers: ["reading", "variant", ...ratios.map((x) => fmtRatio(x * r, r))],
      rows,
    },
  };
}

/** "E² fine-tuning loss over the last quarter: seed 0 −0.010 ± 0.028 (flat), …". */
export function e2LossTailText(series: readonly Series[]): string | null {
  const s = findSeries(series, { method: "e2", variant: "g=auto" });
  if (!s) return null;
  const parts = s.runs.flatMap((run) => {
    const t = lossTail(run.lossCurve);
    if (!t) return [];
    const sign = t.change < 0 ? "−" : "+";
    return [
      `seed ${run.seed} ${sign}${Math.abs(t.change).toFixed(3)} ± ${t.se.toFixed(3)} (${
        t.flat ? "flat" : "still moving"
      })`,
    ];
  });
  if (parts.length === 0) return null;
  return "Convergence: change of the E² fine-tuning loss over the last quarter of its steps " +
    `(least-squares line, ± standard error; flat = within 2 standard errors): ${
      parts.join(", ")
    }. The curves are in the training cost chart.`;
}

/** The claim sets of the report, in the paper's order. */
const CLAIM_SETS: readonly ClaimSet[] = [
  {
    id: "paper-t3-claims",
    from: "Table 3",
    title: "Paper Table 3: claims",
    intro: "What Table 3 shows, checked on our runs.",
    claims: TABLE3_CLAIMS,
    present: (s) => has(s, "e2", "g=4") || has(s, "e2", "g=16"),
  },
  {
    id: "paper-t4",
    from: "Table 4",
    title: "Paper Table 4: ablation of t and g (at 8× R)",
    intro: `${PAPER.table4.about}. Ours: PPL at 8× R (lower is better).`,
    claims: TABLE4_CLAIMS,
    present: (s) => has(s, "e2-no-t") || has(s, "e2-no-g"),
  },
  {
    id: "paper-t5",
    from: "Table 5",
    title: "Paper Table 5: the largest trained scale g_max (at 8× R)",
    intro: `${PAPER.table5.about}. Ours: PPL at 8× R, g = ⌈L/R⌉ capped at each model's g_max.`,
    claims: TABLE5_CLAIMS,
    present: (s) => has(s, "e2-gmax5") || has(s, "e2-gmax10") || has(s, "e2-gmax30"),
  },
  {
    id: "paper-fig5",
    from: "Fig. 5",
    title: "Paper Fig. 5: unseen scales g = 20, 30, 40, 50",
    intro: `${PAPER.fig5.about}. Ours: the g_max = 20 model with g = n at n × R.`,
    claims: FIG5_CLAIMS,
    present: (s) => has(s, "e2", "g=30") || has(s, "e2", "g=50"),
  },
];

/** All of the paper's claims in one table: the paper's figures, our paired ratio, the verdict. */
function summarySection(judgedSets: { set: ClaimSet; judged: JudgedClaim[] }[]): Section {
  const rows = judgedSets.flatMap(({ set, judged }) => judged.map((j) => ({ from: set.from, j })));
  const tally = tallyVerdicts(rows.map(({ j }) => j.verdict));
  return {
    id: "paper-summary",
    title: "The paper's claims at a glance",
    paragraphs: [
      `${rows.length} claims of E²-LLM checked on our runs: ${tally.agrees} agree, ` +
      `${tally.disagrees} disagree, ${tally.inconclusive} inconclusive` +
      (tally.missing > 0 ? `, ${tally.missing} not evaluated` : "") +
      ". Ours: the paired ratio A / (f·B) of perplexities (lower is better) with its 95% " +
      "interval; the sections below give both cells of every claim.",
      VERDICT_RULE,
    ],
    table: {
      headers: ["from", "claim", "paper", "ours: A / (f·B)", "verdict"],
      align: ["left", "left", "left", "left", "left"],
      rows: rows.map(({ from, j }) => [
        from,
        j.text,
        j.paper,
        j.paired ? fmtPaired(j.paired) : `${fmtCell(j.aCell)} vs ${fmtCell(j.bCell)}`,
        fmtVerdict(j.verdict, j.paired !== null),
      ]),
    },
  };
}

/** Table 3's grid section: the paper's rows and ours, with the E² convergence check. */
function table3Section(series: readonly Series[], r: number): Section {
  const tail = e2LossTailText(series);
  return {
    id: "paper-t3",
    title: "Paper Table 3: one E² model, g fixed per row",
    paragraphs: [
      "Perplexity by length: the paper's rows (Proof-pile, LLaMA-2 7B trained at 4k; columns " +
      "4k…64k = 1×…16×) and ours beside them (R = 128; 95% interval over seeds). One E² " +
      "fine-tuning (g_max 20) evaluated with g fixed at 4, 8 and 16 up to g·R; PI fine-tuned " +
      "at 16× R with the same token budget.",
      ...(tail ? [tail] : []),
    ],
    table: table3Grid(series, r),
  };
}

/** The paper's sections for the series present (none when the results hold no paper runs). */
export function paperSections(
  series: readonly Series[],
  lengths: readonly number[],
  r: number,
): Section[] {
  const out: Section[] = [];
  const judgedSets = CLAIM_SETS.filter((set) => set.present(series))
    .map((set) => ({ set, judged: judgeClaims(set.claims, series, r) }));
  if (judgedSets.length > 0) out.push(summarySection(judgedSets));
  for (const { set, judged } of judgedSets) {
    if (set.claims === TABLE3_CLAIMS) out.push(table3Section(series, r));
    out.push(claimsSection(set, judged));
  }
  const ratios = lengths.map((l) => l / r).filter((x) => x <= 16);
  if (BUDGETS.some((b) => has(series, b.e2, "g=1") && b.e2 !== "e2")) {
    out.push(g1BudgetSection(series, r, Math.max(...ratios)));
  }
  if (has(series, "e2-split")) out.push(earlierReadingSection(series, r, ratios));
  return out;
}
