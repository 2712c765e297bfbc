import { Command, InvalidArgumentError } from "@commander-js/extra-typings";
import { resolve } from "node:path";
import { lockRunFolder } from "@e2llm/train";
import {
  checkMargin,
  DEFAULT_MARGIN,
  mergeResults,
  readResultsFolder,
  writeReadmeResults,
  writeReport,
} from "@e2llm/eval";

/** Where `report --merge` writes when `--out` is not given. */
export const DEFAULT_MERGE_OUT = "runs/merged";

function parseMargin(value: string): number {
  const x = Number(value);
  try {
    return checkMargin(value.trim() === "" ? NaN : x);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

/**
 * `report <dir>`: rebuild report.md, report.html, results.csv and results.json of one result
 * folder (in place, or into `--out`). `report --merge <dir> <dir> … [--out dir]`: combine partial
 * result folders into one report (default output folder `runs/merged`).
 */
export function reportCommand() {
  return new Command("report")
    .description(
      "rebuild report.md, report.html, results.csv, results.json from result folder(s)",
    )
    .argument("<dirs...>", "result folder(s), each holding results.json")
    .option("--merge", "combine several partial result folders into one report")
    .option(
      "--out <dir>",
      `output folder (default: the folder itself; ${DEFAULT_MERGE_OUT} with --merge)`,
    )
    .option(
      "--margin <x>",
      "effective length: PPL may grow to x times the base model's 1× value",
      parseMargin,
      DEFAULT_MARGIN,
    )
    .option(
      "--readme <file>",
      "also write the results section of this README (between its markers)",
    )
    .action(async (dirs, opts) => {
      if (dirs.length > 1 && !opts.merge) {
        throw new Error(`${dirs.length} folders given: pass --merge to combine them`);
      }
      let doc;
      let out: string;
      if (opts.merge) {
        const sources = [];
        for (const folder of dirs) sources.push({ folder, doc: await readResultsFolder(folder) });
        const args = ["--merge", ...dirs];
        if (opts.out) args.push("--out", opts.out);
        doc = mergeResults(sources, { command: `deno task report ${args.join(" ")}` });
        out = opts.out ?? DEFAULT_MERGE_OUT;
      } else {
        doc = await readResultsFolder(dirs[0]);
        out = opts.out ?? dirs[0];
      }
      const lock = await lockRunFolder(out);
      const files = await writeReport(doc, out, { margin: opts.margin }).finally(() =>
        lock.release()
      );
      console.log(`report of ${doc.runs.length} runs written to ${resolve(out)}:`);
      for (const f of files) console.log(`  ${f}`);
      if (opts.readme) {
        const source = opts.merge ? out : dirs[0];
        for (
          const f of await writeReadmeResults(doc, source, opts.readme, { margin: opts.margin })
        ) {
          console.log(`  ${f}`);
        }
      }
    });
}
