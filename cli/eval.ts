/**
 * `eval`: perplexity and passkey accuracy of one checkpoint at several lengths
 * (`deno task eval --checkpoint <dir> …`).
 * @module
 */
import { Command, InvalidArgumentError, Option } from "@commander-js/extra-typings";
import { isPlainObject } from "@e2llm/encodings";
import {
  type Backend,
  defaultBackend,
  evalCheckpoint,
  EvalRecordSchema,
  formatEvalTable,
  scoreTextFile,
} from "@e2llm/eval";
import { lockRunFolder, RETRIEVAL_TASKS, type RetrievalTask, type RunLock } from "@e2llm/train";

/** Lock `--out` (a file) and refuse an existing one unless `overwrite`. */
async function claimOutFile(path: string, overwrite: boolean): Promise<RunLock> {
  const lock = await lockRunFolder(path, { file: true });
  if (!overwrite && await Deno.stat(path).then(() => true, () => false)) {
    await lock.release();
    throw new Error(`${path} already exists; pass --overwrite to replace it`);
  }
  return lock;
}

/** "128,256" → [128, 256]: positive integers, no duplicates. */
export function parseIntList(value: string): number[] {
  const parts = value.split(",").map((s) => s.trim());
  const nums = parts.map(Number);
  const bad = parts.find((p, i) => p === "" || !Number.isInteger(nums[i]) || nums[i] < 1);
  if (bad !== undefined) throw new InvalidArgumentError(`"${bad}" is not a positive integer`);
  if (new Set(nums).size !== nums.length) throw new InvalidArgumentError("duplicate values");
  return nums;
}

/** "0,0.5,1" → depths in [0, 1], no duplicates. */
export function parseDepths(value: string): number[] {
  const parts = value.split(",").map((s) => s.trim());
  const nums = parts.map(Number);
  const bad = parts.find((p, i) => p === "" || !(nums[i] >= 0 && nums[i] <= 1));
  if (bad !== undefined) throw new InvalidArgumentError(`"${bad}" is not a depth in [0, 1]`);
  if (new Set(nums).size !== nums.length) throw new InvalidArgumentError("duplicate depths");
  return nums;
}

/** "needle,recall" → retrieval task names, no duplicates. */
export function parseTasks(value: string): RetrievalTask[] {
  const parts = value.split(",").map((s) => s.trim());
  const bad = parts.find((p) => !(RETRIEVAL_TASKS as readonly string[]).includes(p));
  if (bad !== undefined) {
    throw new InvalidArgumentError(`"${bad}" is not a task (${RETRIEVAL_TASKS.join(", ")})`);
  }
  if (new Set(parts).size !== parts.length) throw new InvalidArgumentError("duplicate tasks");
  return parts as RetrievalTask[];
}

/** An integer ≥ `min`. */
export function intAtLeast(min: number) {
  return (value: string): number => {
    const x = Number(value);
    if (value.trim() === "" || !Number.isInteger(x) || x < min) {
      throw new InvalidArgumentError(`"${value}" is not an integer ≥ ${min}`);
    }
    return x;
  };
}

function parseJsonObject(value: string): Record<string, unknown> {
  let x: unknown;
  try {
    x = JSON.parse(value);
  } catch (err) {
    throw new InvalidArgumentError(`not valid JSON (${(err as Error).message})`);
  }
  if (!isPlainObject(x)) throw new InvalidArgumentError("must be a JSON object");
  return x;
}

/** The `eval` command; `backend` defaults to the real GPU model (tests pass fakes). */
export function evalCommand(backend: () => Backend = defaultBackend) {
  return new Command("eval")
    .description(
      "perplexity (95% CI over windows) and passkey accuracy of a checkpoint at several lengths",
    )
    // not requiredOption: commander would report it before an unknown flag
    .option("--checkpoint <dir>", "checkpoint folder (required)")
    .option(
      "--encoding <spec>",
      "built-in name, path or http(s) URL (default: the checkpoint's own encoding)",
    )
    .option(
      "--encoding-config <json>",
      "encoding config, Hugging Face rope_scaling keys",
      parseJsonObject,
    )
    .option("--factor-from-length", "set factor = max(1, L/R) at each length (no fine-tuning)")
    .option("--lengths <list>", "comma-separated lengths (default: 1,2,4,8,16 × R)", parseIntList)
    .option(
      "--stride <n>",
      "sliding windows: score only the last n targets of each window (default: non-overlapping)",
      intAtLeast(1),
    )
    .option("--windows <n>", "windows per length (at least)", intAtLeast(1), 16)
    .option("--window-tokens <n>", "at least n tokens per length (more windows)", intAtLeast(0), 0)
    .option("--passkey-trials <n>", "passkey samples per length × depth (0: off)", intAtLeast(0), 4)
    .option("--passkey-depths <list>", "depths of the key in [0, 1]", parseDepths, [
      0,
      0.25,
      0.5,
      0.75,
      1,
    ])
    .option("--passkey-seed <n>", "seed of the keys", intAtLeast(0), 1234)
    .option(
      "--retrieval-trials <n>",
      "needle/recall samples per length × task × depth, scored by distance (0: off)",
      intAtLeast(0),
      0,
    )
    .option("--retrieval-tasks <list>", "needle,recall,passkey (comma-separated)", parseTasks, [
      "needle",
      "recall",
    ] as RetrievalTask[])
    .option("--retrieval-depths <list>", "depths of the needle in [0, 1]", parseDepths, [
      0,
      0.25,
      0.5,
      0.75,
      1,
    ])
    .option("--key-digits <n>", "digits of a needle key / recall value", intAtLeast(1), 4)
    .option("--recall-pairs <n>", "key→value pairs per recall sample", intAtLeast(1), 4)
    .addOption(
      new Option("--split <name>", "held-out split").choices(["validation", "test"] as const)
        .default("test" as const),
    )
    .addOption(
      new Option("--corpus <name>", "held-out corpus").choices(["text", "code"] as const)
        .default("text" as const),
    )
    .option(
      "--text-file <file>",
      "score this file as one sequence at its natural positions: per-token nll and ppl",
    )
    .option("--json", "print the result as JSON instead of a table")
    .option("--out <file>", "also write the JSON result to this file")
    .option("--overwrite", "replace an existing --out file (refused without it)")
    .action(async (opts) => {
      if (!opts.checkpoint) throw new Error("required option '--checkpoint <dir>' not specified");
      if (opts.encodingConfig && !opts.encoding) {
        throw new Error("--encoding-config needs --encoding");
      }
      const lock = opts.out ? await claimOutFile(opts.out, opts.overwrite ?? false) : undefined;
      try {
        if (opts.textFile) {
          const scored = await scoreTextFile({
            backend: backend(),
            checkpoint: opts.checkpoint,
            textFile: opts.textFile,
            encoding: opts.encoding
              ? { name: opts.encoding, config: opts.encodingConfig ?? {} }
              : undefined,
          });
          const text = JSON.stringify(scored) + "\n";
          if (opts.out) await Deno.writeTextFile(opts.out, text);
          if (opts.json) console.log(text.trimEnd());
          else {
            console.log(
              `${scored.textFile}: ${scored.tokens} tokens, ${scored.nll.length} scored, ` +
                `ppl ${scored.ppl.toFixed(4)} (${scored.encoding.name})`,
            );
          }
          return;
        }
        const out = await evalCheckpoint({
          backend: backend(),
          checkpoint: opts.checkpoint,
          encoding: opts.encoding
            ? { name: opts.encoding, config: opts.encodingConfig ?? {} }
            : undefined,
          factorFromLength: opts.factorFromLength ?? false,
          lengths: opts.lengths,
          stride: opts.stride ?? null,
          windows: opts.windows,
          windowTokens: opts.windowTokens,
          passkeyTrials: opts.passkeyTrials,
          passkeyDepths: opts.passkeyDepths,
          passkeySeed: opts.passkeySeed,
          retrieval: {
            trials: opts.retrievalTrials,
            tasks: opts.retrievalTasks,
            depths: opts.retrievalDepths,
            seed: opts.passkeySeed,
            shape: { keyDigits: opts.keyDigits, recallPairs: opts.recallPairs },
          },
          split: opts.split,
          corpus: opts.corpus,
          log: opts.json ? undefined : (line) => console.error(line),
        });
        for (const e of out.evals) EvalRecordSchema.parse(e);
        const json = JSON.stringify(out, null, 2) + "\n";
        if (opts.out) await Deno.writeTextFile(opts.out, json);
        if (opts.json) console.log(json.trimEnd());
        else console.log(formatEvalTable(out));
      } finally {
        await lock?.release();
      }
    });
}
