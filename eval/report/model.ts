/**
 * @module
 * The report's content as data — header lines, sections of paragraphs and tables — built once
 * from a results document and rendered by both the Markdown and the HTML writer. Text uses a tiny
 * inline markup: `**bold**` and `` `code` ``.
 */
import { retrievalSection } from "./retrieval_section.ts";
import type { ResultsDoc } from "../results.ts";
import {
  basePplBySeed,
  baseReferenceFor,
  checkMargin,
  DEFAULT_MARGIN,
  type EffectiveLength,
  effectiveLength,
} from "./effective_length.ts";
import {
  fmtInt,
  fmtLength,
  fmtList,
  fmtPct,
  fmtPpl,
  fmtPplCi,
  fmtRatio,
  fmtSeconds,
} from "./format.ts";
import { answerG1Question, type G1Answer } from "./g1_question.ts";
import { paperSections } from "./paper_tables.ts";
import { cellAt, type Series, summarize } from "./summary.ts";

/** A table: header row and body rows of text cells; `align` per column (default: first two left). */
export interface Table {
  headers: string[];
  rows: string[][];
  align?: ("left" | "right")[];
}

/** Column alignment of `t`: its own, or the first two columns left and the rest right. */
export function tableAlign(t: Table): ("left" | "right")[] {
  return t.align ?? t.headers.map((_, i) => (i < 2 ? "left" : "right"));
}

/** A titled section: paragraphs, then an optional table, then an optional chart slot. */
export interface Section {
  id:
    | "setup"
    | "ppl"
    | "passkey"
    | "retrieval"
    | "effective"
    | "g1"
    | "cost"
    | "failed"
    | "seeds"
    | `paper-${string}`;
  title: string;
  paragraphs: string[];
  bullets?: string[];
  table?: Table;
}

/** Options of the report writers. */
export interface ReportOptions {
  /** Effective length margin: PPL may grow to `margin` × the base's 1× value (default 1.5). */
  margin?: number;
}

/** Everything the writers render. */
export interface ReportModel {
  title: string;
  /** Provenance lines (when and by what the results were made); differ between merged copies. */
  header: string[];
  sections: Section[];
  margin: number;
  lengths: number[];
  series: Series[];
  effective: Map<Series, EffectiveLength>;
  g1: G1Answer;
  doc: ResultsDoc;
}

const DASH = "—";

/**
 * How many seeds a series has: "3", or with failures "3 (1 failed)" (the seeds' ids are in the
 * Seeds section).
 */
export function fmtSeedCount(s: Pick<Series, "seedsOk" | "seedsFailed">): string {
  const n = s.seedsOk.length + s.seedsFailed.length;
  return s.seedsFailed.length ? `${n} (${s.seedsFailed.length} failed)` : String(n);
}

function lengthHeaders(lengths: number[], r: number): string[] {
  return lengths.map((l) => fmtLength(l, r));
}

function setupSection(doc: ResultsDoc, lengths: number[], margin: number): Section {
  const m = doc.model;
  const bullets = [
    `Training length R = ${doc.trainLength} tokens; evaluated at ${
      lengths.map((l) => fmtLength(l, doc.trainLength)).join(", ")
    }.`,
    `Base model${m.name ? ` \`${m.name}\`` : ""}: ${
      fmtInt(m.params)
    } parameters, ${m.layers} layers, ` +
    `${m.heads} heads, d_model ${m.dModel}, head dim ${m.headDim}, vocabulary ${m.vocabSize}, ` +
    `RoPE base ${m.ropeBase}.`,
  ];
  for (const b of doc.bases) {
    bullets.push(
      `Base pretraining (seed ${b.seed}): ${fmtInt(b.trainTokens)} tokens, ${
        fmtSeconds(b.trainSeconds)
      }${b.checkpoint ? `, checkpoint \`${b.checkpoint}\`` : ""}.`,
    );
  }
  if (doc.protocol) {
    const p = doc.protocol;
    bullets.push(
      `Perplexity on ${p.dataset}: ${p.scoring}; ${
        p.stride === null ? "non-overlapping windows" : `sliding windows, stride ${p.stride}`
      }; ${Math.round(p.ciLevel * 100)}% intervals over windows.` +
        (p.passkeyTrials ? ` Passkey: ${p.passkeyTrials} trials per length × depth.` : ""),
    );
  }
  bullets.push(
    "Several seeds are combined as the geometric mean of their PPLs (the mean NLL), with the " +
      "wider of the t-interval over seeds (on log PPL) and the mean window interval.",
    `Effective length: the longest length L such that PPL at every evaluated length from R up to ` +
      `L stays within ${margin}× the base model's PPL at R (same seeds), so a method that loses ` +
      "short-context quality cannot win by being uniformly worse; its 1× cost is shown beside it.",
  );
  return { id: "setup", title: "Setup", paragraphs: [], bullets };
}

function pplSection(series: Series[], lengths: number[], r: number): Section {
  return {
    id: "ppl",
    title: "Perplexity by length",
    paragraphs: [
      "Perplexity on held-out text, 95% interval in brackets; lower is better; seeds: how many " +
      "seeds are combined (their ids under Seeds). " +
      `${DASH}: not evaluated (see failed runs).`,
    ],
    table: {
      headers: ["method", "variant", "seeds", ...lengthHeaders(lengths, r)],
      rows: series.map((s) => [
        s.method,
        s.variant,
        fmtSeedCount(s),
        ...lengths.map((l) => {
          const c = cellAt(s, l);
          return c ? fmtPplCi(c.ppl, c.pplCiLow, c.pplCiHigh) : DASH;
        }),
      ]),
    },
  };
}

function passkeySection(series: Series[], lengths: number[], r: number): Section {
  const measured = series.some((s) => s.cells.some((c) => c.passkeyAcc !== null));
  if (!measured) {
    return { id: "passkey", title: "Passkey accuracy", paragraphs: ["Passkey was not measured."] };
  }
  return {
    id: "passkey",
    title: "Passkey accuracy",
    paragraphs: [
      "Share of 5-digit keys retrieved exactly (teacher-forced), over all depths and seeds.",
    ],
    table: {
      headers: ["method", "variant", ...lengthHeaders(lengths, r)],
      rows: series.map((s) => [
        s.method,
        s.variant,
        ...lengths.map((l) => {
          const acc = cellAt(s, l)?.passkeyAcc;
          return acc === undefined || acc === null ? DASH : fmtPct(acc);
        }),
      ]),
    },
  };
}

/** "+115%" / "−3%" / "+0%": the relative change of PPL at 1× against the base. */
function fmtCost(cost: number): string {
  const pct = Math.round((cost - 1) * 100);
  return pct < 0 ? `−${-pct}%` : `+${pct}%`;
}

/** The reference PPL cell: its value, "(own 1×)" without a base, and its seeds when they differ. */
function fmtReference(s: Series, e: EffectiveLength): string {
  const own = e.reference === "own" ? " (own 1×)" : "";
  const same = e.referenceSeeds.length === s.seedsOk.length &&
    e.referenceSeeds.every((x, i) => x === s.seedsOk[i]);
  return `${fmtPpl(e.basePpl!)}${own}${same ? "" : ` (seeds ${fmtList(e.referenceSeeds)})`}`;
}

/** "2048 (16×) (all)", or "none (1× above limit)" when R itself fails. */
export function fmtEffective(e: EffectiveLength, r: number): string {
  if (e.length === null) return "n/a (no 1× PPL)";
  if (e.length === 0) {
    return e.stoppedAt?.reason === "not evaluated"
      ? "n/a (not evaluated at 1×)"
      : "none (1× above limit)";
  }
  return `${fmtLength(e.length, r)}${e.reachedLongest ? " (all)" : ""}`;
}

function effectiveSection(
  series: Series[],
  effective: Map<Series, EffectiveLength>,
  r: number,
  margin: number,
): Section {
  return {
    id: "effective",
    title: "Effective length",
    paragraphs: [
      `Longest length L such that PPL at every length from R to L stays within ${margin}× the ` +
      "**base model's** 1× PPL (its `no-finetune` runs at R, same seeds; “own 1×” where no base " +
      "run exists). “1× cost”: the method's own 1× PPL against the base's. “(all)”: every " +
      "evaluated length qualifies, the true value may be longer.",
    ],
    table: {
      headers: [
        "method",
        "variant",
        "base PPL at 1×",
        "own PPL at 1×",
        "1× cost",
        "limit",
        "effective length",
        "stopped at",
      ],
      align: ["left", "left", "right", "right", "right", "right", "right", "left"],
      rows: series.map((s) => {
        const e = effective.get(s)!;
        const own = e.ownPpl === null ? DASH : fmtPpl(e.ownPpl);
        if (e.basePpl === null) {
          return [s.method, s.variant, DASH, own, DASH, DASH, fmtEffective(e, r), DASH];
        }
        return [
          s.method,
          s.variant,
          fmtReference(s, e),
          own,
          e.cost1x === null ? DASH : fmtCost(e.cost1x),
          fmtPpl(e.limit!),
          fmtEffective(e, r),
          e.stoppedAt ? `${fmtRatio(e.stoppedAt.length, r)} (${e.stoppedAt.reason})` : DASH,
        ];
      }),
    },
  };
}

function costSection(series: Series[]): Section {
  return {
    id: "cost",
    title: "Training cost",
    paragraphs: [
      "Extension fine-tuning per method, mean over the seeds that finished (their number under " +
      "seeds; the base model's " +
      "pretraining, shared by all, is under Setup). Variants that evaluate the same fine-tuned " +
      "checkpoint share its cost.",
    ],
    table: {
      headers: ["method", "variant", "seeds", "tokens", "seconds", "shares training with"],
      align: ["left", "left", "right", "right", "right", "left"],
      rows: series.map((s) => [
        s.method,
        s.variant,
        String(s.seedsOk.length),
        s.trainTokens === null ? DASH : fmtInt(s.trainTokens),
        s.trainSeconds === null ? DASH : fmtSeconds(s.trainSeconds),
        fmtList(s.sharesTrainingWith),
      ]),
    },
  };
}

function oneLine(s: string, max = 240): string {
  const flat = s.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function failedSection(series: Series[], r: number): Section {
  const failed = series.flatMap((s) => s.runs.filter((x) => x.status === "failed"));
  if (failed.length === 0) {
    return { id: "failed", title: "Failed runs", paragraphs: ["None: every run finished."] };
  }
  return {
    id: "failed",
    title: "Failed runs",
    paragraphs: [
      "These runs stopped with an error; the lengths they evaluated before failing are still " +
      "reported above.",
    ],
    table: {
      headers: ["method", "variant", "seed", "evaluated", "error"],
      align: ["left", "left", "right", "left", "left"],
      rows: failed.map((x) => [
        x.method,
        x.variant,
        String(x.seed),
        fmtList(x.evals.map((e) => fmtRatio(e.length, r))),
        oneLine(x.error ?? ""),
      ]),
    },
  };
}

function seedsSection(series: Series[]): Section {
  return {
    id: "seeds",
    title: "Seeds",
    paragraphs: ["The seed ids of each method / variant."],
    table: {
      headers: ["method", "variant", "seeds finished", "seeds failed"],
      align: ["left", "left", "left", "left"],
      rows: series.map((s) => [
        s.method,
        s.variant,
        fmtList(s.seedsOk),
        fmtList(s.seedsFailed),
      ]),
    },
  };
}

function headerLines(doc: ResultsDoc): string[] {
  const lines = [
    `Results created ${doc.createdAt} by \`${doc.command}\` (preset ${doc.preset}); ` +
    `${doc.runs.length} runs.`,
  ];
  if (doc.mergedFrom && doc.mergedFrom.length > 0) {
    lines.push(
      `Merged from ${doc.mergedFrom.length} folders: ${
        doc.mergedFrom.map((s) =>
          `\`${s.folder}\` (${s.runs} runs, ${s.createdAt}, \`${s.command}\`)`
        ).join("; ")
      }.`,
    );
  }
  return lines;
}

/** Build the report content of `doc`. */
export function buildReportModel(doc: ResultsDoc, opts: ReportOptions = {}): ReportModel {
  const margin = checkMargin(opts.margin ?? DEFAULT_MARGIN);
  const lengths = [...doc.lengths].sort((a, b) => a - b);
  const r = doc.trainLength;
  const series = summarize(doc);
  const bySeed = basePplBySeed(doc);
  const effective = new Map(
    series.map((s) => [s, effectiveLength(s, lengths, r, margin, baseReferenceFor(s, bySeed))]),
  );
  const g1 = answerG1Question(series, lengths, r, margin, effective);
  return {
    title: "e2llm extrapolation report",
    header: headerLines(doc),
    sections: [
      setupSection(doc, lengths, margin),
      pplSection(series, lengths, r),
      passkeySection(series, lengths, r),
      ...[retrievalSection(doc)].filter((x) => x !== null),
      effectiveSection(series, effective, r, margin),
      {
        id: "g1",
        title: "Does E² with g = 1 extrapolate better than the default control?",
        paragraphs: [g1.text],
      },
      ...paperSections(series, lengths, r),
      costSection(series),
      failedSection(series, r),
      seedsSection(series),
    ],
    margin,
    lengths,
    series,
    effective,
    g1,
    doc,
  };
}
