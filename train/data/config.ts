/** The data configuration: which corpus, the held-out split, passkey and retrieval mixing, the data seed. */
import { z } from "zod";
import type { Exact } from "@e2llm/encodings";
import {
  DEFAULT_RETRIEVAL_SHAPE,
  RECALL_NAMES,
  RETRIEVAL_TASKS,
  type RetrievalTask,
} from "./retrieval.ts";

const dataConfigSchema = z.strictObject({
  /** `text` (Gutenberg books + State of the Union speeches) or `code` (TypeScript). */
  corpus: z.enum(["text", "code"]).default("text"),
  /** Seed of the batch sampler (window choice, passkey rows, keys, depths). */
  seed: z.number().int().min(0).max(0xffffffff).default(0),
  /** Probability that a training row is a passkey sample. */
  passkeyRate: z.number().min(0).max(1).default(0.1),
  /** Loss on passkey rows: every target (`all`) or only the 5 answer digits (`answer`). */
  passkeyLoss: z.enum(["all", "answer"]).default("all"),
  /**
   * Probability that a training row (one not already a passkey row) is a retrieval sample of
   * `retrievalTasks` (see data/retrieval.ts), its loss on the answer bytes only. 0: none (and the
   * sampler draws no extra random numbers, so older streams are unchanged).
   */
  retrievalRate: z.number().min(0).max(1).default(0),
  /** Which retrieval tasks the retrieval rows draw from, uniformly. */
  retrievalTasks: z.array(z.enum(RETRIEVAL_TASKS)).min(1).default(["needle", "recall"]),
  /**
   * Loss weight of each retrieval answer byte relative to a text target (the batch loss is the
   * weighted mean): > 1 keeps the few answer bytes from drowning in the text rows' targets.
   */
  retrievalAnswerWeight: z.number().positive().max(1000).default(1),
  /** Digits of a needle key and of a recall value. */
  keyDigits: z.number().int().min(1).max(9).default(DEFAULT_RETRIEVAL_SHAPE.keyDigits),
  /** Key→value pairs per recall sample (at most one per recall name). */
  recallPairs: z.number().int().min(1).max(RECALL_NAMES.length).default(
    DEFAULT_RETRIEVAL_SHAPE.recallPairs,
  ),
  /** Fraction of each source's documents held out for validation. */
  validationFraction: z.number().min(0).max(0.45).default(0.1),
  /** Fraction of each source's documents held out for test. */
  testFraction: z.number().min(0).max(0.45).default(0.1),
});

/** zod schema of the data configuration; every field has a default. */
export const DataConfig: z.ZodType<DataConfig> = dataConfigSchema;
// The written-out type must stay exactly the schema's output (deno check fails otherwise).
const _DataConfigExact: Exact<z.output<typeof dataConfigSchema>, DataConfig> = true;

/** A validated data configuration. */
export type DataConfig = {
  /** `text` (Gutenberg books + State of the Union speeches) or `code` (TypeScript). */
  corpus: "text" | "code";
  /** Seed of the batch sampler (window choice, passkey rows, keys, depths). */
  seed: number;
  /** Probability that a training row is a passkey sample. */
  passkeyRate: number;
  /** Loss on passkey rows: every target (`all`) or only the 5 answer digits (`answer`). */
  passkeyLoss: "all" | "answer";
  /** Probability that a training row (not a passkey row) is a retrieval sample; 0: none. */
  retrievalRate: number;
  /** Which retrieval tasks the retrieval rows draw from, uniformly. */
  retrievalTasks: RetrievalTask[];
  /** Loss weight of each retrieval answer byte relative to a text target. */
  retrievalAnswerWeight: number;
  /** Digits of a needle key and of a recall value. */
  keyDigits: number;
  /** Key→value pairs per recall sample. */
  recallPairs: number;
  /** Fraction of each source's documents held out for validation. */
  validationFraction: number;
  /** Fraction of each source's documents held out for test. */
  testFraction: number;
};

/** Validate a data configuration, throwing an Error that names every bad field. */
export function parseDataConfig(value: unknown, what = "data config"): DataConfig {
  const result = DataConfig.safeParse(value ?? {});
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => {
    const path = i.path.length ? i.path.join(".") : "(root)";
    const keys = "keys" in i && Array.isArray(i.keys) ? ` (${i.keys.join(", ")})` : "";
    return `  ${path}: ${i.message}${keys}`;
  });
  throw new Error(`invalid ${what}:\n${lines.join("\n")}`);
}

/**
 * Notes on a data configuration that is valid but likely not what was meant, given the raw input
 * (`raw`, before defaults) and its parse. Today one: retrieval rows asked for while `passkeyRate`
 * is left at its default, so passkey rows (loss on every byte unless `passkeyLoss` is `answer`)
 * share the stream — measured to keep a retrieval-only run at chance (eval/retrieval/presets.ts).
 */
export function dataConfigNotes(raw: unknown, config: DataConfig): string[] {
  const given = (raw ?? {}) as Record<string, unknown>;
  if (config.retrievalRate > 0 && config.passkeyRate > 0 && !("passkeyRate" in given)) {
    return [
      `data.passkeyRate is ${config.passkeyRate} by default: that share of rows are passkey rows ` +
      `(loss on ${config.passkeyLoss === "all" ? "every byte" : "the answer"}) beside the ` +
      `retrieval rows; set "passkeyRate": 0 for retrieval and text rows only`,
    ];
  }
  return [];
}
