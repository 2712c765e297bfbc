/**
 * @module
 * report.html: the report model as one self-contained page — inline CSS, inline SVG charts, no
 * scripts and no external references.
 */
import { retrievalChartSpec } from "./retrieval_section.ts";
import { lossChartSpec, passkeyChartSpec, pplChartSpec, renderSvg } from "./charts.ts";
import { type ReportModel, type Section, type Table, tableAlign } from "./model.ts";

/** Escape text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;").replaceAll("'", "&#39;");
}

/** Escape, then render the inline markup of the model: `**bold**` and `` `code` ``. */
export function inlineHtml(s: string): string {
  return escapeHtml(s)
    .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>")
    .replace(/`([^`]+)`/g, "<code>$1</code>");
}

function tableHtml(t: Table): string {
  const align = tableAlign(t);
  const head = t.headers.map((h) => `<th>${inlineHtml(h)}</th>`).join("");
  const cell = (c: string, i: number) =>
    `<td${align[i] === "right" ? ' class="num"' : ""}>${inlineHtml(c)}</td>`;
  const body = t.rows.map((r) => `<tr>${r.map(cell).join("")}</tr>`).join("\n");
  return `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

function sectionHtml(s: Section, charts: string[]): string {
  const parts = [`<section id="${s.id}">`, `<h2>${inlineHtml(s.title)}</h2>`];
  for (const p of s.paragraphs) parts.push(`<p>${inlineHtml(p)}</p>`);
  if (s.bullets) {
    parts.push(`<ul>${s.bullets.map((b) => `<li>${inlineHtml(b)}</li>`).join("")}</ul>`);
  }
  if (s.table) parts.push(tableHtml(s.table));
  for (const svg of charts) parts.push(`<figure>${svg}</figure>`);
  parts.push("</section>");
  return parts.join("\n");
}

const CSS = `
body { font: 14px/1.45 Helvetica, Arial, sans-serif; color: #222; max-width: 1100px;
  margin: 2em auto; padding: 0 1em; }
h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 13px; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
thead th { background: #f4f4f4; }
code { background: #f4f4f4; padding: 0 3px; }
figure { margin: 1em 0; overflow-x: auto; }
header p { color: #555; }
`;

/** The whole report.html (charts rendered to inline SVG). */
export async function renderHtml(model: ReportModel): Promise<string> {
  const charts: Partial<Record<Section["id"], string[]>> = {};
  const add = async (id: Section["id"], spec: ReturnType<typeof pplChartSpec>, name: string) => {
    if (spec) (charts[id] ??= []).push(await renderSvg(spec, name));
  };
  await add("ppl", pplChartSpec(model.series), "ppl");
  await add("passkey", passkeyChartSpec(model.series), "passkey");
  await add("retrieval", retrievalChartSpec(model.doc), "retrieval");
  await add("cost", lossChartSpec(model.doc, model.series), "loss");
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<title>${escapeHtml(model.title)}</title>`,
    `<style>${CSS}</style>`,
    "</head>",
    "<body>",
    "<header>",
    `<h1>${escapeHtml(model.title)}</h1>`,
    ...model.header.map((l) => `<p>${inlineHtml(l)}</p>`),
    "</header>",
    "<main>",
    ...model.sections.map((s) => sectionHtml(s, charts[s.id] ?? [])),
    "</main>",
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
