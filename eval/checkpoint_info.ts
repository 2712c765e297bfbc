/**
 * @module
 * What `deno task eval` reads from a checkpoint folder before scoring: the encoding it was trained
 * with (the default encoding of the evaluation), from `meta.json`.
 */
import { join } from "node:path";
import { CHECKPOINT_FILES, isHfCheckpoint, readHfConfig, resolveCommitted } from "@e2llm/train";
import type { EncodingChoice } from "./evaluate.ts";

/**
 * The encoding a checkpoint's meta.json records: `{name, config}` (a run's encoding spec) or a
 * Hugging Face style config with `rope_type`. `dir` is a checkpoint or a run folder holding one in
 * `checkpoint/`, or a Hugging Face LLaMA folder (its `rope_scaling`). Plain RoPE when the checkpoint records none; throws when there is no checkpoint.
 */
export async function checkpointEncoding(dir: string): Promise<EncodingChoice> {
  // a Hugging Face folder: its config.json's rope_scaling
  if (await isHfCheckpoint(dir)) return (await readHfConfig(dir)).encoding;
  // a run folder holds its checkpoint in checkpoint/ (train/run.ts); openScorer takes either
  const inner = await resolveCommitted(join(dir, "checkpoint"));
  const at = inner ?? await resolveCommitted(dir);
  if (!at) throw new Error(`no checkpoint at ${dir}`);
  const path = join(at, CHECKPOINT_FILES.meta);
  let meta: Record<string, unknown>;
  try {
    meta = JSON.parse(await Deno.readTextFile(path));
  } catch (err) {
    throw new Error(`cannot read ${path}: ${(err as Error).message}`);
  }
  return encodingFromMeta(meta.encoding);
}

/** Interpret a recorded encoding (see {@link checkpointEncoding}). */
export function encodingFromMeta(enc: unknown): EncodingChoice {
  const isObj = (x: unknown): x is Record<string, unknown> =>
    typeof x === "object" && x !== null && !Array.isArray(x);
  if (!isObj(enc)) return { name: "default", config: {} };
  if (typeof enc.name === "string" && (enc.config === undefined || isObj(enc.config))) {
    return { name: enc.name, config: { ...(enc.config as Record<string, unknown> ?? {}) } };
  }
  if (typeof enc.rope_type === "string") return { name: enc.rope_type, config: { ...enc } };
  return { name: "default", config: {} };
}
