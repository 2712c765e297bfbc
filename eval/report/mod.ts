/**
 * @module
 * Reports from result folders: tidy rows and CSV, report.md, report.html (inline SVG charts),
 * merging partial folders. The results schema itself is in `../results.ts`.
 */
export {
  type BaseRecord,
  BaseRecordSchema,
  type EvalProtocol,
  EvalProtocolSchema,
  type EvalRecord,
  EvalRecordSchema,
  formatPath,
  type LossPoint,
  LossPointSchema,
  type ModelSummary,
  ModelSummarySchema,
  parseResults,
  type PasskeyCell,
  PasskeyCellSchema,
  RESULTS_SCHEMA_VERSION,
  type ResultsDoc,
  ResultsDocSchema,
  ResultsError,
  runKey,
  type RunRecord,
  RunRecordSchema,
  type SourceRecord,
  SourceRecordSchema,
  type TidyRow,
  TidyRowSchema,
  VARIANTS,
} from "../results.ts";
export { lossChartSpec, passkeyChartSpec, pplChartSpec, renderSvg } from "./charts.ts";
export type { ChartSpec } from "./charts.ts";
export { csvField, toCsv } from "./csv.ts";
export {
  basePplBySeed,
  baseReferenceFor,
  checkMargin,
  DEFAULT_MARGIN,
  effectiveLength,
} from "./effective_length.ts";
export type { BaseReference, EffectiveLength } from "./effective_length.ts";
export { buildReport, readResultsFolder, RESULTS_FILE, writeReport } from "./folder.ts";
export type { ReportFiles } from "./folder.ts";
export { answerG1Question, pickControl } from "./g1_question.ts";
export type { G1Answer, Outcome, Verdict } from "./g1_question.ts";
export { escapeHtml, renderHtml } from "./html.ts";
export { mdTable, renderMarkdown } from "./markdown.ts";
export { fmtPaired, pairedRatio, pairedVerdict } from "./paired.ts";
export type { PairedRatio } from "./paired.ts";
export { mergeResults } from "./merge.ts";
export {
  embeddableMarkdown,
  README_END,
  README_START,
  readmeMarkers,
  replaceReadmeSection,
  writeReadmeResults,
} from "./readme.ts";
export type { MergeOptions, ResultsSource } from "./merge.ts";
export { buildReportModel } from "./model.ts";
export type { ReportModel, ReportOptions, Section, Table } from "./model.ts";
export { TIDY_COLUMNS, tidyRows } from "./rows.ts";
export { combineSeeds, tQuantile975 } from "./stats.ts";
export type { PplInterval } from "./stats.ts";
export {
  cellAt,
  compareRuns,
  METHOD_ORDER,
  sortRuns,
  summarize,
  VARIANT_ORDER,
} from "./summary.ts";
export type { LengthCell, Series } from "./summary.ts";
