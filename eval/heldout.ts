/**
 * @module
 * Held-out documents for evaluation: the validation or test split of the corpus a data config
 * names (split by document id, so every run sees the same text), and how to name them.
 */
import { prepareData } from "@e2llm/train";
import type { DataConfig, TokenDocument } from "@e2llm/train";

/** A held-out split. */
export type HeldOutSplit = "validation" | "test";

/** The documents of `split` of the corpus in `data` (a data config; defaults filled in). */
export async function heldOutDocuments(
  data: Partial<DataConfig>,
  split: HeldOutSplit,
): Promise<TokenDocument[]> {
  const dataset = await prepareData(data);
  return dataset.splits[split];
}

/** "held-out gutenberg + sotu documents (test split)". */
export function heldOutDescription(corpus: DataConfig["corpus"], split: HeldOutSplit): string {
  const what = corpus === "text" ? "gutenberg + sotu" : "typescript";
  return `held-out ${what} documents (${split} split)`;
}
