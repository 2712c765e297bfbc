/**
 * Document-level train / validation / test split. Whole documents are held out (a book, a speech,
 * a source file), never parts of one. The split depends only on document ids, not on any seed, so
 * every run and every method sees the same held-out text:
 *
 * within each source (gutenberg, sotu, ts-lib, ts-src) documents are ranked by the FNV-1a hash of
 * their id; the first `round(n × validation)` go to validation, the next `round(n × test)` to
 * test (each at least 1 when its fraction is positive and the source has 3+ documents), the rest
 * to train. Each split keeps the corpus order.
 */
import type { Document } from "./corpus.ts";

/** Which split a document is in. */
export type SplitName = "train" | "validation" | "test";

/** Fractions of each source's documents held out. */
export interface SplitFractions {
  validation: number;
  test: number;
}

/** The documents of a corpus by split. */
export type Splits<T> = Record<SplitName, T[]>;

/** 32-bit FNV-1a of a string's UTF-16 code units: a stable, seed-free rank for documents. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Split documents by the rule in this module's description. */
export function splitDocuments<T extends Pick<Document, "id" | "source">>(
  docs: readonly T[],
  fractions: SplitFractions = { validation: 0.1, test: 0.1 },
): Splits<T> {
  const { validation, test } = fractions;
  if (!(validation >= 0 && test >= 0 && validation + test < 1)) {
    throw new RangeError(
      `split fractions need validation ≥ 0, test ≥ 0, validation + test < 1; got ${validation}, ${test}`,
    );
  }
  const assigned = new Map<T, SplitName>();
  const sources = [...new Set(docs.map((d) => d.source))];
  for (const source of sources) {
    const group = docs.filter((d) => d.source === source);
    const ranked = [...group].sort((a, b) => fnv1a(a.id) - fnv1a(b.id) || cmp(a.id, b.id));
    const n = ranked.length;
    const nVal = heldOutCount(n, validation);
    const nTest = Math.min(heldOutCount(n, test), n - nVal - 1);
    ranked.forEach((d, i) => {
      assigned.set(d, i < nVal ? "validation" : i < nVal + nTest ? "test" : "train");
    });
  }
  const out: Splits<T> = { train: [], validation: [], test: [] };
  for (const d of docs) out[assigned.get(d)!].push(d);
  return out;
}

function heldOutCount(n: number, fraction: number): number {
  if (fraction <= 0 || n < 3) return 0;
  return Math.max(1, Math.round(n * fraction));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
