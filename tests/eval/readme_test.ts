import assert from "node:assert/strict";
import { join } from "node:path";
import {
  README_END,
  README_START,
  readmeMarkers,
  readResultsFolder,
  replaceReadmeSection,
  writeReadmeResults,
} from "@e2llm/eval";

const FIXTURE = new URL("../fixtures/results/combined", import.meta.url).pathname;

Deno.test("the README results section is generated from a results folder", async () => {
  const dir = await Deno.makeTempDir({ prefix: "e2llm-readme-" });
  try {
    const readme = join(dir, "README.md");
    await Deno.writeTextFile(
      readme,
      `# x\n\n## Results\n\n${README_START}\nold text\n${README_END}\n\n## After\n`,
    );
    const doc = await readResultsFolder(FIXTURE);
    const written = await writeReadmeResults(doc, FIXTURE, readme);
    const text = await Deno.readTextFile(readme);
    assert.ok(!text.includes("old text"), "the old section was replaced");
    assert.ok(text.includes(`\`${doc.command}\``), "the producing command is named");
    assert.match(text, /### Perplexity by length/);
    assert.ok(!/^# e2llm extrapolation report/m.test(text), "the report title is dropped");
    assert.match(text, /## After\n$/);
    assert.match(text, /!\[Perplexity vs length, log axes\]\(docs\/results-ppl\.svg\)/);
    assert.deepEqual(written, [readme, join(dir, "docs", "results-ppl.svg")]);
    assert.match(await Deno.readTextFile(join(dir, "docs", "results-ppl.svg")), /^<svg/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a README without the markers is refused with the lines to add", () => {
  assert.throws(() => replaceReadmeSection("# nothing here\n", "x"), /results markers/);
});

Deno.test("a preset with its own markers gets its own section: the paper tables and g = 1 only", async () => {
  const dir = await Deno.makeTempDir({ prefix: "e2llm-readme-" });
  try {
    const readme = join(dir, "README.md");
    const paper = readmeMarkers("paper");
    const before = `# x\n\n${paper.start}\nold paper\n${paper.end}\n\n` +
      `${README_START}\nstandard text\n${README_END}\n`;
    await Deno.writeTextFile(readme, before);
    const doc = { ...(await readResultsFolder(FIXTURE)), preset: "paper" };
    const written = await writeReadmeResults(doc, FIXTURE, readme);
    const text = await Deno.readTextFile(readme);
    assert.deepEqual(written, [readme], "no chart for a preset's own section");
    assert.ok(!text.includes("old paper"), "the paper section was replaced");
    assert.ok(text.includes(`${README_START}\nstandard text\n${README_END}`), "standard kept");
    const section = text.slice(text.indexOf(paper.start), text.indexOf(paper.end));
    assert.match(section, /### Does E² with g = 1 extrapolate better/);
    assert.ok(!section.includes("### Perplexity by length"), "only the paper tables and g = 1");

    // Without its markers, the same folder goes to the unnamed section.
    await Deno.writeTextFile(readme, `${README_START}\n${README_END}\n`);
    await writeReadmeResults(doc, FIXTURE, readme);
    assert.match(await Deno.readTextFile(readme), /### Perplexity by length/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
