/**
 * @module
 * The question from the E²-LLM discussion: after scale + shift training, does the model also
 * extrapolate better *without* scaling at inference (g = 1) than the `default` control? Answered
 * from the numbers: at each length beyond R, better / worse only when the 95% interval of the
 * paired ratio e2 / control (same seeds and windows, eval/report/paired.ts) excludes 1 — or, where
 * no paired interval exists, when the two intervals do not overlap — otherwise inconclusive.
 */
import { VARIANTS } from "../results.ts";
import { type EffectiveLength, effectiveLength } from "./effective_length.ts";
import { fmtAnd, fmtLength, fmtList, fmtPplCi } from "./format.ts";
import { fmtPaired, type PairedRatio, pairedRatio } from "./paired.ts";
import { cellAt, type LengthCell, type Series } from "./summary.ts";

/** How e2 / g=1 compares with the control at one length. */
export type Outcome = "better" | "worse" | "inconclusive";

/** The overall answer. */
export type Verdict = "yes" | "partly" | "no" | "mixed" | "inconclusive" | "unknown";

/** The answer with its evidence. */
export interface G1Answer {
  verdict: Verdict;
  /** One paragraph; the first words in **bold** state the verdict. */
  text: string;
  /** The two series compared (undefined when missing). */
  e2?: Series;
  control?: Series;
  perLength: {
    length: number;
    e2: LengthCell;
    control: LengthCell;
    /** e2 / control paired over seeds and windows; null where it has no interval. */
    paired: PairedRatio | null;
    outcome: Outcome;
  }[];
}

/** The control series: `default / finetuned` when present (same budget as e2), else the first. */
export function pickControl(series: readonly Series[]): Series | undefined {
  const defaults = series.filter((s) => s.method === "default");
  return defaults.find((s) => s.variant === VARIANTS.finetuned) ?? defaults[0];
}

function compareCells(e2: LengthCell, control: LengthCell, paired: PairedRatio | null): Outcome {
  if (paired) return paired.high < 1 ? "better" : paired.low > 1 ? "worse" : "inconclusive";
  if (e2.pplCiHigh < control.pplCiLow) return "better";
  if (e2.pplCiLow > control.pplCiHigh) return "worse";
  return "inconclusive";
}

const VERDICT_WORDS: Record<Verdict, string> = {
  yes: "Yes.",
  partly: "Partly.",
  no: "No.",
  mixed: "Mixed.",
  inconclusive: "Inconclusive.",
  unknown: "Cannot tell.",
};

/** Answer the g = 1 question from the series of a report (see the module doc for the rule). */
export function answerG1Question(
  series: readonly Series[],
  lengths: readonly number[],
  trainLength: number,
  margin: number,
  effective?: ReadonlyMap<Series, EffectiveLength>,
): G1Answer {
  const e2 = series.find((s) => s.method === "e2" && s.variant === VARIANTS.g1);
  const control = pickControl(series);
  if (!e2 || !control) {
    const missing = [!e2 ? "e2 / g=1" : "", !control ? "default" : ""].filter(Boolean);
    return {
      verdict: "unknown",
      text: `**${VERDICT_WORDS.unknown}** The results hold no ${fmtAnd(missing)} runs, ` +
        "so the question cannot be answered from this folder.",
      e2,
      control,
      perLength: [],
    };
  }
  const perLength = [...lengths]
    .filter((l) => l > trainLength)
    .sort((a, b) => a - b)
    .flatMap((length) => {
      const a = cellAt(e2, length);
      const b = cellAt(control, length);
      if (!a || !b) return [];
      const paired = pairedRatio(e2, length, control, length);
      return [{ length, e2: a, control: b, paired, outcome: compareCells(a, b, paired) }];
    });
  const at = (o: Outcome) =>
    fmtAnd(perLength.filter((p) => p.outcome === o).map((p) => fmtLength(p.length, trainLength)));
  const n = (o: Outcome) => perLength.filter((p) => p.outcome === o).length;
  const who = `the E²-trained model evaluated with g = 1 (${e2.label}, seeds ${
    fmtList(e2.seedsOk)
  }) against the \`default\` control (${control.label}, seeds ${fmtList(control.seedsOk)})`;
  if (perLength.length === 0) {
    return {
      verdict: "unknown",
      text: `**${VERDICT_WORDS.unknown}** Comparing ${who}: no length beyond ${trainLength} ` +
        "was evaluated for both, so there is nothing to compare.",
      e2,
      control,
      perLength,
    };
  }
  const better = n("better"), worse = n("worse");
  const verdict: Verdict = better > 0 && worse > 0
    ? "mixed"
    : better === perLength.length
    ? "yes"
    : better > 0
    ? "partly"
    : worse > 0
    ? "no"
    : "inconclusive";
  const parts: string[] = [];
  const allPaired = perLength.every((p) => p.paired !== null);
  const rule = allPaired
    ? "the 95% interval of the paired ratio e2 / control excludes 1"
    : "the 95% intervals do not overlap";
  if (better > 0) {
    parts.push(`e2 with g = 1 has the lower perplexity (${rule}) at ${at("better")}`);
  }
  if (worse > 0) parts.push(`it has the higher perplexity (${rule}) at ${at("worse")}`);
  if (n("inconclusive") > 0) {
    parts.push(
      `${allPaired ? "the ratio's interval contains 1" : "the intervals overlap"} at ${
        at("inconclusive")
      }, so no difference can be claimed there`,
    );
  }
  const last = perLength[perLength.length - 1];
  const effOf = (s: Series) =>
    effective?.get(s) ?? effectiveLength(s, lengths, trainLength, margin);
  const effE2 = effOf(e2), effCtl = effOf(control);
  const eff = (e: EffectiveLength) =>
    e.length === null ? "n/a" : e.length === 0 ? "none" : fmtLength(e.length, trainLength);
  const against = effE2.reference === "base" && effCtl.reference === "base"
    ? "the base model's 1× PPL"
    : "the 1× PPL (the base's where a base run exists, else its own)";
  const sentences = [
    `**${VERDICT_WORDS[verdict]}** Comparing ${who}: ${parts.join("; ")}.`,
    `At the longest shared length, ${fmtLength(last.length, trainLength)}, the PPL is ${
      fmtPplCi(last.e2.ppl, last.e2.pplCiLow, last.e2.pplCiHigh)
    } for e2 / g=1 against ${
      fmtPplCi(last.control.ppl, last.control.pplCiLow, last.control.pplCiHigh)
    } for the control.`,
    `Effective length (PPL within ${margin}× of ${against}): ${eff(effE2)} for e2 / g=1, ${
      eff(effCtl)
    } for the control.`,
  ];
  const ratios = perLength.filter((p) => p.paired !== null);
  if (ratios.length > 0) {
    sentences.splice(
      2,
      0,
      `Paired ratio e2 / control (same seeds and evaluation windows; eval/report/paired.ts): ${
        ratios.map((p) => `${fmtLength(p.length, trainLength)} ${fmtPaired(p.paired)}`).join("; ")
      }.`,
    );
  }
  if (e2.seedsOk.length < 2 || control.seedsOk.length < 2) {
    sentences.push(
      "With a single seed on at least one side the intervals only cover evaluation noise, not " +
        "training noise; more seeds (`--preset full`) would make the answer firmer.",
    );
  }
  if (control.variant !== VARIANTS.finetuned) {
    sentences.push(
      `The control (${control.label}) was not fine-tuned, so the comparison mixes the effect of ` +
        "the augmentation with that of fine-tuning itself.",
    );
  }
  return { verdict, text: sentences.join(" "), e2, control, perLength };
}
