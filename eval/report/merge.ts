/**
 * @module
 * Combine partial result folders (a sweep split across machines) into one results document.
 *
 * Rules: the folders must share `trainLength`, `model` and (where recorded) `protocol`, otherwise
 * the comparison would not be fair and merging fails naming the field and both folders. Lengths
 * are united. Base records are united by seed; the same seed must name the same checkpoint and
 * token count (the first folder's record is kept, its wall-clock may differ by machine).
 * A run (method + variant + seed) found in several folders: identical copies are kept once; an
 * `ok` run replaces a `failed` one (a rerun of a failure), in either order; two different `ok`
 * runs, or two different failed runs, are an error naming both folders — never a silent
 * last-wins.
 */
import { isDeepStrictEqual } from "node:util";
import { firstDifference, show } from "@e2llm/train";
import {
  type BaseRecord,
  RESULTS_SCHEMA_VERSION,
  type ResultsDoc,
  ResultsError,
  runKey,
  type RunRecord,
} from "../results.ts";
import { sortRuns } from "./summary.ts";

/** A results document and the folder it came from (used in error messages). */
export interface ResultsSource {
  folder: string;
  doc: ResultsDoc;
}

/** Provenance of the merged document. */
export interface MergeOptions {
  /** ISO time of the merge (default: now). */
  createdAt?: string;
  /** The command line that merged (default: "deno task report --merge …"). */
  command?: string;
}

function requireSame(
  field: string,
  first: ResultsSource,
  other: ResultsSource,
  a: unknown,
  b: unknown,
) {
  const d = firstDifference(a, b, field);
  if (d === null) return;
  throw new ResultsError(
    `cannot merge ${other.folder} into ${first.folder}: ${d.path} differs ` +
      `(${show(d.actual)} vs ${show(d.expected)}); ` +
      "only results of the same base model and protocol can be compared",
  );
}

function mergeBases(sources: readonly ResultsSource[]): BaseRecord[] {
  const bySeed = new Map<number, { base: BaseRecord; folder: string }>();
  for (const s of sources) {
    for (const b of s.doc.bases) {
      const prev = bySeed.get(b.seed);
      if (!prev) {
        bySeed.set(b.seed, { base: b, folder: s.folder });
        continue;
      }
      for (const field of ["checkpoint", "trainTokens"] as const) {
        if (prev.base[field] !== b[field]) {
          throw new ResultsError(
            `cannot merge: bases (seed ${b.seed}).${field} is ${
              JSON.stringify(prev.base[field])
            } ` +
              `in ${prev.folder} but ${JSON.stringify(b[field])} in ${s.folder}`,
          );
        }
      }
    }
  }
  return [...bySeed.values()].map((x) => x.base).sort((a, b) => a.seed - b.seed);
}

function mergeRuns(sources: readonly ResultsSource[]): RunRecord[] {
  const byKey = new Map<string, { run: RunRecord; folder: string }>();
  for (const s of sources) {
    for (const run of s.doc.runs) {
      const key = runKey(run);
      const prev = byKey.get(key);
      if (!prev || (prev.run.status === "failed" && run.status === "ok")) {
        byKey.set(key, { run, folder: s.folder });
        continue;
      }
      if (isDeepStrictEqual(prev.run, run)) continue;
      if (prev.run.status === "ok" && run.status === "failed") continue;
      throw new ResultsError(
        `cannot merge: run ${key} is in both ${prev.folder} and ${s.folder} ` +
          `(both ${run.status}, with different results); remove it from one folder`,
      );
    }
  }
  return sortRuns([...byKey.values()].map((x) => x.run));
}

/** Merge partial results (see the module doc for the rules). Throws ResultsError on conflicts. */
export function mergeResults(
  sources: readonly ResultsSource[],
  opts: MergeOptions = {},
): ResultsDoc {
  if (sources.length === 0) throw new ResultsError("nothing to merge: no result folders given");
  const first = sources[0];
  let protocol = first.doc.protocol;
  let protocolSource = first;
  for (const s of sources.slice(1)) {
    requireSame("trainLength", first, s, first.doc.trainLength, s.doc.trainLength);
    requireSame("model", first, s, first.doc.model, s.doc.model);
    if (protocol && s.doc.protocol) {
      requireSame("protocol", protocolSource, s, protocol, s.doc.protocol);
    } else if (s.doc.protocol) {
      protocol = s.doc.protocol;
      protocolSource = s;
    }
  }
  const presets = [...new Set(sources.map((s) => s.doc.preset))];
  const merged: ResultsDoc = {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    createdAt: opts.createdAt ?? new Date().toISOString(),
    command: opts.command ??
      `deno task report --merge ${sources.map((s) => s.folder).join(" ")}`,
    preset: presets.length === 1 ? presets[0] : "mixed",
    trainLength: first.doc.trainLength,
    lengths: [...new Set(sources.flatMap((s) => s.doc.lengths))].sort((a, b) => a - b),
    model: first.doc.model,
    bases: mergeBases(sources),
    ...(protocol ? { protocol } : {}),
    mergedFrom: sources.map((s) => ({
      folder: s.folder,
      createdAt: s.doc.createdAt,
      command: s.doc.command,
      preset: s.doc.preset,
      runs: s.doc.runs.length,
    })),
    runs: mergeRuns(sources),
  };
  return merged;
}
