/**
 * report.html in a real browser (headless Chromium over the DevTools protocol): it loads from a
 * file URL without console errors, every chart has a rendered size, the perplexity chart draws
 * one colour per method and dashes per variant, and a screenshot of the top of the page is
 * written next to the report (`.cache/test-output/report-browser/<name>/report-top.png`, and
 * the perplexity chart as `report-ppl.png`).
 * Needs Chromium (`apt-get install chromium`, or `$CHROMIUM`); `.ci/run` installs it.
 */
import assert from "node:assert/strict";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { readResultsFolder, writeReport } from "@e2llm/eval";
import { BrowserPage, findChromium } from "./browser.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const OUT = join(ROOT, ".cache/test-output/report-browser");

/** What the page shows, measured in the browser. */
interface PageFacts {
  title: string;
  charts: { section: string; width: number; height: number }[];
  sections: string[];
  ppl: { colors: string[]; dashed: number; solid: number; legends: string[] } | null;
}

const MEASURE = `(() => {
  const charts = [...document.querySelectorAll("figure svg")].map((svg) => {
    const r = svg.getBoundingClientRect();
    return { section: svg.closest("section")?.id ?? "", width: r.width, height: r.height };
  });
  const pplSvg = document.querySelector("section#ppl figure svg");
  let ppl = null;
  if (pplSvg) {
    const lines = [...pplSvg.querySelectorAll("g.mark-line path")];
    ppl = {
      colors: [...new Set(lines.map((p) => p.getAttribute("stroke")))],
      dashed: lines.filter((p) => (p.getAttribute("stroke-dasharray") ?? "1,0") !== "1,0").length,
      solid: lines.filter((p) => (p.getAttribute("stroke-dasharray") ?? "1,0") === "1,0").length,
      legends: [...pplSvg.querySelectorAll("g.role-legend g.role-legend-title text")]
        .map((t) => t.textContent),
    };
  }
  return {
    title: document.title,
    charts,
    sections: [...document.querySelectorAll("section")].map((s) => s.id),
    ppl,
  };
})()`;

async function checkInBrowser(name: string, resultsDir: string) {
  const chromium = findChromium();
  assert.ok(
    chromium,
    "Chromium not found: install it (`apt-get install chromium`) or set $CHROMIUM",
  );
  const dir = join(OUT, name);
  await Deno.remove(dir, { recursive: true }).catch(() => {});
  const doc = await readResultsFolder(resultsDir);
  await writeReport(doc, dir);
  const page = await BrowserPage.launch(chromium);
  try {
    await page.goto(pathToFileURL(resolve(dir, "report.html")).href);
    const facts = await page.evaluate<PageFacts>(MEASURE);
    const png = await page.screenshot();
    await Deno.writeFile(join(dir, "report-top.png"), png);
    await Deno.writeFile(join(dir, "report-ppl.png"), await page.screenshot("section#ppl figure"));
    console.log(`screenshots: ${join(dir, "report-top.png")}, report-ppl.png`);
    assert.deepEqual(page.errors, [], "console errors");
    assert.match(facts.title, /e2llm|compare|results/i);
    assert.ok(facts.sections.includes("ppl"), `sections: ${facts.sections}`);
    // ppl, passkey, retrieval by distance (when measured), loss
    const retrieval = doc.runs.some((r) => r.evals.some((e) => (e.retrieval ?? []).length > 0));
    assert.deepEqual(
      facts.charts.map((c) => c.section),
      ["ppl", "passkey", ...(retrieval ? ["retrieval"] : []), "cost"],
      JSON.stringify(facts.charts),
    );
    for (const c of facts.charts) {
      assert.ok(
        c.width > 100 && c.height > 100,
        `chart in #${c.section} renders ${c.width}×${c.height}`,
      );
    }
    const methods = new Set(doc.runs.map((r) => r.method));
    const series = new Set(doc.runs.map((r) => `${r.method}/${r.variant}`));
    assert.ok(facts.ppl, "no perplexity chart");
    assert.equal(facts.ppl.colors.length, methods.size, `colours ${facts.ppl.colors}`);
    assert.equal(facts.ppl.solid + facts.ppl.dashed, series.size, "one line per series");
    assert.ok(facts.ppl.dashed > 0, "no dashed variant line");
    assert.deepEqual(facts.ppl.legends, ["method", "variant"]);
    // a PNG of the viewport
    assert.deepEqual([...png.slice(1, 4)], [...new TextEncoder().encode("PNG")]);
    assert.ok(png.length > 10_000, `screenshot of ${png.length} bytes`);
  } finally {
    await page.close();
  }
}

Deno.test("report.html in Chromium: the committed standard results", async () => {
  await checkInBrowser("standard", join(ROOT, "docs/results/standard"));
});

Deno.test("report.html in Chromium: two seeds and a failed run (fixture)", async () => {
  await checkInBrowser("fixture-combined", join(ROOT, "tests/fixtures/results/combined"));
});
