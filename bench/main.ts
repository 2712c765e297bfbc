/**
 * `deno task bench [--filter SUBSTRING] [--out file.jsonl] [--markdown [file]]`: runs every
 * `bench/*_bench.ts` (each exports `benches: BenchCase[]`) and prints one JSON line per result;
 * `--markdown` also writes the results as docs/performance.md (the one place for speed figures);
 * `--markdown --from a.jsonl b.jsonl` renders saved `--out` files instead of running.
 */
import { Command } from "@commander-js/extra-typings";
import { getGpu } from "@e2llm/kernels";
import type { BenchCase, BenchResult } from "./types.ts";
import {
  cpuDescription,
  DEFAULT_MARKDOWN,
  loadAverage,
  writePerformanceMarkdown,
} from "./markdown.ts";

/** Every bench case from the `*_bench.ts` files next to this one, in file-name order. */
export async function discoverBenches(): Promise<BenchCase[]> {
  const dir = new URL(".", import.meta.url);
  const files = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n.endsWith("_bench.ts"))
    .sort();
  const cases: BenchCase[] = [];
  for (const file of files) {
    const mod = await import(new URL(file, dir).href);
    cases.push(...(mod.benches as BenchCase[]));
  }
  return cases;
}

/** Run the benches whose name contains `filter`, printing JSON lines as they finish. */
export async function runBenches(filter = "", out?: string): Promise<BenchResult[]> {
  const gpu = await getGpu();
  const all: BenchResult[] = [];
  for (const bench of await discoverBenches()) {
    if (!bench.name.includes(filter)) continue;
    for (const result of await bench.run(gpu)) {
      const line = { ...result, adapter: gpu.report.description };
      console.log(JSON.stringify(line));
      if (out) await Deno.writeTextFile(out, JSON.stringify(line) + "\n", { append: true });
      all.push(line);
    }
  }
  return all;
}

if (import.meta.main) {
  const program = new Command("bench")
    .description("run benchmarks; one JSON line {name, unit, value, ...} per result")
    .option("--filter <substring>", "only benches whose name contains this", "")
    .option("--out <file>", "also append the JSON lines to this file")
    .option("--markdown [file]", `also write the results as markdown (${DEFAULT_MARKDOWN})`)
    .option(
      "--from <files...>",
      "with --markdown: render saved JSON lines (e.g. several --out files) instead of running",
    )
    .parse(Deno.args, { from: "user" });
  const opts = program.opts();
  if (opts.from && !opts.markdown) program.error("--from needs --markdown");
  const rows = opts.from
    ? opts.from.flatMap((f) =>
      Deno.readTextFileSync(f).split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l))
    )
    : await runBenches(opts.filter, opts.out);
  if (opts.markdown) {
    const file = opts.markdown === true ? DEFAULT_MARKDOWN : opts.markdown;
    const args = Deno.args.map((a) => (/[\s"]/.test(a) ? JSON.stringify(a) : a)).join(" ");
    await writePerformanceMarkdown(file, rows, {
      command: `deno task bench ${args}`.trim(),
      date: new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC",
      adapter: String(rows[0]?.adapter ?? "no adapter"),
      cpu: cpuDescription(),
      load: loadAverage(),
    });
    console.error(`wrote ${file}`);
  }
}
