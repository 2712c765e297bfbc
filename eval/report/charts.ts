/**
 * @module
 * The report's charts as Vega-Lite specs, rendered headless to SVG strings with Vega's
 * `View.toSVG()` (renderer "none": no DOM, no canvas; text widths are estimated).
 */
import * as vega from "vega";
import * as vl from "vega-lite";
import { COMPARE_METHODS, METHOD_RECIPES } from "../methods.ts";
import type { ResultsDoc } from "../results.ts";
import type { Series } from "./summary.ts";

/** A Vega-Lite spec (the subset this module writes). */
export type ChartSpec = vl.TopLevelSpec;

const FONT = { font: "Helvetica, Arial, sans-serif" };
const CONFIG = {
  ...FONT,
  view: { stroke: "#ddd" },
  axis: { labelFontSize: 11, titleFontSize: 12 },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 260 },
};

/** Vega's "tableau10": one colour per method, cycling after ten. */
const METHOD_COLORS = [
  "#4c78a8",
  "#f58518",
  "#e45756",
  "#72b7b2",
  "#54a24b",
  "#eeca3b",
  "#b279a2",
  "#ff9da6",
  "#9d755d",
  "#bab0ac",
];
/** Grey for the base pretraining curves. */
const BASE_COLOR = "#888888";

/** Stroke dashes of the variants that are not a method's main one (in order of appearance). */
const DASHES = [[6, 3], [2, 2], [8, 3, 2, 3], [1, 3], [12, 4]];

function unique<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}

/**
 * The colour scale: one colour per method, in report order, so that a method has the same
 * colour in every chart (`extra` domain values, e.g. the base, get grey).
 */
function methodColorScale(series: readonly Series[], extra: string[] = []) {
  const methods = unique(series.map((s) => s.method));
  return {
    domain: [...methods, ...extra],
    range: [
      ...methods.map((_, i) => METHOD_COLORS[i % METHOD_COLORS.length]),
      ...extra.map(() => BASE_COLOR),
    ],
  };
}

/**
 * The dash scale: solid for a method's main variant (the first of its recipe in methods.ts:
 * `finetuned`, E²'s `g=auto`), a distinct dash for every other variant.
 */
function variantDashScale(series: readonly Series[]) {
  const main = new Set(
    COMPARE_METHODS.map((m) => METHOD_RECIPES[m].variants[0].name),
  );
  const variants = unique(series.map((s) => s.variant));
  let next = 0;
  return {
    domain: variants,
    range: variants.map((v) => main.has(v) ? [1, 0] : DASHES[next++ % DASHES.length]),
  };
}

/**
 * PPL vs length, log–log, one line per method / variant (colour per method, dash per variant),
 * 95% interval as error bars.
 */
export function pplChartSpec(series: readonly Series[]): ChartSpec | null {
  const values = series.flatMap((s) =>
    s.cells.map((c) => ({
      series: s.label,
      method: s.method,
      variant: s.variant,
      length: c.length,
      ppl: c.ppl,
      low: c.pplCiLow,
      high: c.pplCiHigh,
    }))
  );
  if (values.length === 0) return null;
  const x = {
    field: "length",
    type: "quantitative" as const,
    title: "context length (tokens)",
    scale: { type: "log" as const, base: 2 },
    axis: { values: [...new Set(values.map((v) => v.length))] },
  };
  const color = {
    field: "method",
    type: "nominal" as const,
    title: "method",
    scale: methodColorScale(series),
    legend: { symbolType: "stroke", symbolStrokeWidth: 3, symbolSize: 300, symbolOpacity: 1 },
  };
  const strokeDash = {
    field: "variant",
    type: "nominal" as const,
    title: "variant",
    scale: variantDashScale(series),
    legend: {
      symbolType: "stroke",
      symbolStrokeWidth: 2,
      symbolSize: 400,
      symbolOpacity: 1,
      // the dashes are drawn in grey: colour is the method's
      encode: { symbols: { update: { stroke: { value: "#444" } } } },
    },
  };
  const detail = { field: "series", type: "nominal" as const };
  return {
    width: 560,
    height: 340,
    title: "Perplexity vs context length (log–log, 95% intervals)",
    data: { values },
    layer: [
      {
        mark: { type: "rule", strokeWidth: 1.5, opacity: 0.6 },
        encoding: {
          x,
          y: { field: "low", type: "quantitative", scale: { type: "log", nice: false } },
          y2: { field: "high" },
          color,
          detail,
        },
      },
      {
        mark: { type: "line", point: true, strokeWidth: 2 },
        encoding: {
          x,
          y: {
            field: "ppl",
            type: "quantitative",
            title: "perplexity",
            scale: { type: "log", nice: false },
          },
          color,
          strokeDash,
          detail,
        },
      },
    ],
    config: CONFIG,
  };
}

/** Passkey accuracy heatmaps, one panel per method / variant: length × depth of the key. */
export function passkeyChartSpec(series: readonly Series[]): ChartSpec | null {
  const values = series.flatMap((s) =>
    s.cells.flatMap((c) =>
      c.passkeyByDepth.map((d) => ({
        series: s.label,
        length: c.length,
        depth: d.depth,
        acc: d.acc,
      }))
    )
  );
  if (values.length === 0) return null;
  return {
    title: "Passkey accuracy by length and depth of the key",
    data: { values },
    facet: { field: "series", type: "nominal", title: null, sort: series.map((s) => s.label) },
    columns: 4,
    spec: {
      width: 150,
      height: 110,
      layer: [
        {
          mark: "rect",
          encoding: {
            x: {
              field: "length",
              type: "ordinal",
              title: "length",
              sort: "ascending",
              axis: { labelAngle: 0 },
            },
            y: { field: "depth", type: "ordinal", title: "depth", sort: "ascending" },
            color: {
              field: "acc",
              type: "quantitative",
              title: "accuracy",
              scale: { domain: [0, 1], scheme: "viridis" },
            },
          },
        },
        {
          mark: { type: "text", fontSize: 9 },
          encoding: {
            x: { field: "length", type: "ordinal", sort: "ascending" },
            y: { field: "depth", type: "ordinal", sort: "ascending" },
            text: { field: "acc", type: "quantitative", format: ".0%" },
            color: { condition: { test: "datum.acc > 0.6", value: "black" }, value: "white" },
          },
        },
      ],
    },
    config: CONFIG,
  };
}

/**
 * Fine-tuning loss curves (one line per run, coloured per method as in the perplexity chart),
 * and the base pretraining curves (grey) when recorded.
 */
export function lossChartSpec(doc: ResultsDoc, series: readonly Series[]): ChartSpec | null {
  const seen = new Set<string>();
  const values = series.flatMap((s) =>
    s.runs.flatMap((r) => {
      // Variants evaluating one fine-tuned checkpoint (same trainRef) share one curve.
      const ref = r.trainRef === undefined ? null : JSON.stringify([r.method, r.seed, r.trainRef]);
      if (ref !== null && seen.has(ref)) return [];
      if (ref !== null) seen.add(ref);
      return r.lossCurve.map((p) => ({
        series: s.method,
        run: `${s.label} / seed ${r.seed}`,
        phase: "extension fine-tuning",
        step: p.step,
        loss: p.loss,
      }));
    })
  );
  for (const b of doc.bases) {
    for (const p of b.lossCurve) {
      values.push({
        series: "base pretraining",
        run: `base / seed ${b.seed}`,
        phase: "base pretraining",
        step: p.step,
        loss: p.loss,
      });
    }
  }
  if (values.length === 0) return null;
  return {
    title: "Training loss",
    data: { values },
    facet: { field: "phase", type: "nominal", title: null, sort: "descending" },
    resolve: { scale: { x: "independent", y: "independent" } },
    spec: {
      width: 300,
      height: 220,
      mark: { type: "line", strokeWidth: 1.5 },
      encoding: {
        x: { field: "step", type: "quantitative", title: "step" },
        y: {
          field: "loss",
          type: "quantitative",
          title: "loss (nats/token)",
          scale: { zero: false },
        },
        color: {
          field: "series",
          type: "nominal",
          title: "method",
          scale: methodColorScale(
            series,
            doc.bases.some((b) => b.lossCurve.length > 0) ? ["base pretraining"] : [],
          ),
        },
        detail: { field: "run", type: "nominal" },
      },
    },
    config: CONFIG,
  };
}

/**
 * Render a Vega-Lite spec to an SVG string without a DOM. Element ids (clip paths, gradients) are
 * renamed `<idPrefix>-0`, `<idPrefix>-1`, … in order of appearance, so several SVGs can be inlined
 * in one HTML page and the output does not depend on Vega's process-wide id counters.
 */
export async function renderSvg(spec: ChartSpec, idPrefix = "chart"): Promise<string> {
  const compiled = vl.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    const svg = await view.toSVG();
    const ids = new Map<string, string>();
    for (const m of svg.matchAll(/\bid="([^"]+)"/g)) ids.set(m[1], `${idPrefix}-${ids.size}`);
    return svg
      .replace(/\bid="([^"]+)"/g, (_, id) => `id="${ids.get(id)}"`)
      .replace(/url\(#([^)]+)\)/g, (m, id) => (ids.has(id) ? `url(#${ids.get(id)})` : m))
      .replace(/href="#([^"]+)"/g, (m, id) => (ids.has(id) ? `href="#${ids.get(id)}"` : m));
  } finally {
    view.finalize();
  }
}
