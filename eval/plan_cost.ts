/**
 * @module
 * The size of a compare plan in tokens, for `--dry-run` and for estimating wall time from a
 * measured rate: training tokens by kind and length, and evaluated tokens (windows × length)
 * with their attention work (Σ windows × L², relative to the same tokens at R).
 */
import type { ComparePlan } from "./plan.ts";
import { windowsAt } from "./perplexity.ts";
import type { CompareConfig } from "./presets.ts";

/** Token counts of a plan. */
export interface PlanCost {
  /** Base pretraining tokens (all seeds). */
  baseTokens: number;
  /** Fine-tuning tokens at R (all seeds). */
  finetuneTokensAtR: number;
  /** Fine-tuning tokens at longer lengths (all seeds), by sequence length. */
  finetuneTokensLong: Record<number, number>;
  /** Tokens scored by perplexity evaluation (all runs and lengths). */
  evalTokens: number;
  /** Σ over windows of (L / R)·L: the attention work of evaluation in units of "tokens at R". */
  evalAttentionTokens: number;
}

/** Count the tokens `plan` trains on and evaluates (perplexity windows only). */
export function planCost(plan: ComparePlan, config: CompareConfig): PlanCost {
  const R = plan.trainLength;
  let baseTokens = 0, finetuneTokensAtR = 0;
  const finetuneTokensLong: Record<number, number> = {};
  for (const t of plan.trainings) {
    const len = t.config.seqLength ?? R;
    if (t.kind === "base") baseTokens += t.tokens;
    else if (len === R) finetuneTokensAtR += t.tokens;
    else finetuneTokensLong[len] = (finetuneTokensLong[len] ?? 0) + t.tokens;
  }
  let evalTokens = 0, evalAttentionTokens = 0;
  for (const r of plan.runs) {
    for (const L of r.lengths) {
      const n = windowsAt(L, config.eval.windows, config.eval.windowTokens) * L;
      evalTokens += n;
      evalAttentionTokens += n * (L / R);
    }
  }
  return { baseTokens, finetuneTokensAtR, finetuneTokensLong, evalTokens, evalAttentionTokens };
}
