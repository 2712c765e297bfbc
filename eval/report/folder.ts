/**
 * @module
 * Result folders on disk: read and validate `results.json`; write the four report files
 * (`results.json` with the tidy `rows`, `results.csv`, `report.md`, `report.html`).
 */
import { RETRIEVAL_COLUMNS, retrievalRows } from "./retrieval_rows.ts";
import { join } from "node:path";
import { parseResults, type ResultsDoc, ResultsError } from "../results.ts";
import { toCsv } from "./csv.ts";
import { renderHtml } from "./html.ts";
import { renderMarkdown } from "./markdown.ts";
import { buildReportModel, type ReportOptions } from "./model.ts";
import { TIDY_COLUMNS, tidyRows } from "./rows.ts";

/** The results file inside a result folder. */
export const RESULTS_FILE = "results.json";

/** The files a report consists of, by name. */
export type ReportFiles = Record<
  "results.json" | "results.csv" | "retrieval.csv" | "report.md" | "report.html",
  string
>;

/** Read and validate `<dir>/results.json`; errors name the file and the bad field. */
export async function readResultsFolder(dir: string): Promise<ResultsDoc> {
  const path = join(dir, RESULTS_FILE);
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) {
      throw new ResultsError(`no ${RESULTS_FILE} in ${dir} (is it a result folder?)`);
    }
    throw err;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ResultsError(`${path} is not valid JSON: ${(err as Error).message}`);
  }
  return parseResults(json, path);
}

/** Build all four report files in memory. `results.json` is `doc` with `rows` recomputed. */
export async function buildReport(doc: ResultsDoc, opts: ReportOptions = {}): Promise<ReportFiles> {
  const model = buildReportModel(doc, opts);
  const rows = tidyRows(doc);
  return {
    "results.json": JSON.stringify({ ...doc, rows }, null, 2) + "\n",
    "results.csv": toCsv(TIDY_COLUMNS, rows),
    "retrieval.csv": toCsv(RETRIEVAL_COLUMNS, retrievalRows(doc)),
    "report.md": renderMarkdown(model),
    "report.html": await renderHtml(model),
  };
}

/** Write the report of `doc` into `outDir` (created if needed; each file replaced atomically). */
export async function writeReport(
  doc: ResultsDoc,
  outDir: string,
  opts: ReportOptions = {},
): Promise<string[]> {
  const files = await buildReport(doc, opts);
  await Deno.mkdir(outDir, { recursive: true });
  const written: string[] = [];
  for (const [name, text] of Object.entries(files)) {
    const path = join(outDir, name);
    await Deno.writeTextFile(`${path}.tmp`, text);
    await Deno.rename(`${path}.tmp`, path);
    written.push(path);
  }
  return written;
}
