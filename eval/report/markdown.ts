/**
 * @module
 * report.md: the report model as GitHub-flavoured Markdown.
 */
import { type ReportModel, type Table, tableAlign } from "./model.ts";

/** A table cell: pipes escaped, line breaks flattened. */
export function mdCell(text: string): string {
  return text.replace(/\r?\n/g, " ").replaceAll("|", "\\|");
}

/** A Markdown table, aligned as {@link tableAlign} says. */
export function mdTable(t: Table): string {
  const row = (cells: string[]) => `| ${cells.map(mdCell).join(" | ")} |`;
  const rule = `|${tableAlign(t).map((a) => (a === "left" ? " --- " : " ---: ")).join("|")}|`;
  return [row(t.headers), rule, ...t.rows.map(row)].join("\n");
}

/** The whole report.md. */
export function renderMarkdown(model: ReportModel): string {
  const out = [`# ${model.title}`, "", ...model.header.flatMap((l) => [l, ""])];
  for (const s of model.sections) {
    out.push(`## ${s.title}`, "");
    for (const p of s.paragraphs) out.push(p, "");
    if (s.bullets) out.push(...s.bullets.map((b) => `- ${b}`), "");
    if (s.table) out.push(mdTable(s.table), "");
  }
  return out.join("\n").replace(/\n+$/, "\n");
}
