/**
 * @module
 * The retrieval keys of `compare`'s `eval` section (zod fields spread into its schema) and the
 * evaluation options a compare configuration implies: tasks and depths from `eval`, key digits and
 * recall pairs from `data` (the shape the base was trained on), seed `eval.passkeySeed`.
 */
import { RETRIEVAL_TASKS, type RetrievalTask } from "@e2llm/train";
import { z } from "zod";
import type { RetrievalEvalOptions } from "./evalset.ts";

/** zod fields of the retrieval evaluation keys, spread into the `eval` schema. */
export const retrievalEvalFields = {
  /** Retrieval samples per length × task × depth (0: none). */
  retrievalTrials: z.number().int().min(0).default(0),
  /** Tasks evaluated. */
  retrievalTasks: z.array(z.enum(RETRIEVAL_TASKS)).min(1).refine(
    (a) => new Set(a).size === a.length,
    "has duplicates",
  ).default(["needle", "recall"]),
  /** Depths of the needle (or pair block). */
  retrievalDepths: z.array(z.number().min(0).max(1)).min(1).refine(
    (a) => new Set(a).size === a.length,
    "has duplicates",
  ).default([0, 0.25, 0.5, 0.75, 1]),
};

/** What {@link retrievalOptions} reads from a compare configuration. */
export interface RetrievalConfigView {
  data: { keyDigits: number; recallPairs: number };
  eval: {
    retrievalTrials: number;
    retrievalTasks: RetrievalTask[];
    retrievalDepths: number[];
    passkeySeed: number;
  };
}

/** The retrieval evaluation of a compare configuration, or undefined when it has 0 trials. */
export function retrievalOptions(config: RetrievalConfigView): RetrievalEvalOptions | undefined {
  if (config.eval.retrievalTrials === 0) return undefined;
  return {
    trials: config.eval.retrievalTrials,
    tasks: config.eval.retrievalTasks,
    depths: config.eval.retrievalDepths,
    seed: config.eval.passkeySeed,
    shape: { keyDigits: config.data.keyDigits, recallPairs: config.data.recallPairs },
  };
}
