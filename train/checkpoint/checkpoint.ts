/**
 * Checkpoints: a directory holding
 *
 * - `model.safetensors`: the weights (named f32 tensors);
 * - `optimizer.safetensors`: AdamW's first and second moments, tensors `m.<name>` and `v.<name>`
 *   (absent when the checkpoint has no optimizer state);
 * - `meta.json`: format version, step, the model and encoding configs, the optimizer's step and
 *   config, the data cursor, the RNG state and any extra JSON the caller passes, and the byte size
 *   of each tensor file;
 * - `SHA256SUMS`: the SHA-256 of every other file (`sha256sum -c SHA256SUMS` works too).
 *
 * {@link saveCheckpoint} replaces the directory atomically (see atomic.ts); {@link loadCheckpoint}
 * verifies every checksum and size, parses every file strictly, and compares the configs the
 * caller expects, refusing with a {@link CheckpointError} that names the file or the field.
 */
import { join } from "node:path";
import { z } from "zod";
import { replaceDirAtomic, resolveCommitted, writeFileSynced } from "./atomic.ts";
import { formatSums, parseSums, sha256Hex, SUMS_FILE } from "./checksum.ts";
import { CheckpointError } from "./errors.ts";
import { jsonDifferences, show } from "../config_diff.ts";
import { type Json, type JsonObject, toJson } from "./json.ts";
import {
  decodeSafetensors,
  encodeSafetensors,
  type F32Tensor,
  tensorEntries,
  type TensorInput,
} from "./safetensors.ts";

/** File names inside a checkpoint directory. */
export const CHECKPOINT_FILES = {
  model: "model.safetensors",
  optimizer: "optimizer.safetensors",
  meta: "meta.json",
  sums: SUMS_FILE,
} as const;

/** AdamW state to save: its step count, the moments by parameter name, its hyperparameters. */
export interface OptimizerStateInput {
  step: number;
  m: TensorInput;
  v: TensorInput;
  config?: Record<string, unknown>;
}

/** What {@link saveCheckpoint} stores. Configs, `data`, `rng` and `extra` must be plain JSON. */
export interface CheckpointInput {
  /** Training steps completed. */
  step: number;
  /** The model config (compared on load when the caller passes one). */
  model: Record<string, unknown>;
  /** The positional-encoding config (compared on load when the caller passes one). */
  encoding: Record<string, unknown>;
  /** The weights by name. */
  weights: TensorInput;
  optimizer?: OptimizerStateInput;
  /** The data cursor, e.g. a batch sampler's state. */
  data?: unknown;
  /** RNG state(s) beyond the data cursor. */
  rng?: unknown;
  /** Anything else worth keeping (run config, last metrics). */
  extra?: Record<string, unknown>;
}

/** AdamW state as loaded. */
export interface OptimizerState {
  step: number;
  m: Map<string, F32Tensor>;
  v: Map<string, F32Tensor>;
  config: JsonObject;
}

/** A loaded, verified checkpoint. */
export interface Checkpoint {
  /** The directory it was read from (`<dir>.old` after an interrupted save). */
  dir: string;
  step: number;
  model: JsonObject;
  encoding: JsonObject;
  weights: Map<string, F32Tensor>;
  optimizer: OptimizerState | null;
  data: Json;
  rng: Json;
  extra: JsonObject;
}

/** Options of {@link saveCheckpoint}. */
export interface SaveOptions {
  /**
   * Fault injection for tests: called after each file is written into the temporary directory
   * (with its name) and with `"swap"` between moving the old checkpoint aside and moving the new
   * one in. Throwing there simulates a crash at that point.
   */
  faultPoint?: (stage: string) => void | Promise<void>;
}

/** The configs a loader expects; any difference refuses the checkpoint naming the field. */
export interface LoadExpectations {
  model?: Record<string, unknown>;
  encoding?: Record<string, unknown>;
}

const FORMAT = "e2llm-checkpoint";
const VERSION = 1;

const Meta = z.strictObject({
  format: z.literal(FORMAT),
  version: z.literal(VERSION),
  step: z.number().int().min(0),
  model: z.record(z.string(), z.json()),
  encoding: z.record(z.string(), z.json()),
  optimizer: z.strictObject({
    file: z.literal(CHECKPOINT_FILES.optimizer),
    step: z.number().int().min(0),
    config: z.record(z.string(), z.json()),
  }).nullable(),
  data: z.json(),
  rng: z.json(),
  extra: z.record(z.string(), z.json()),
  files: z.record(z.string(), z.strictObject({ bytes: z.number().int().min(0) })),
});
type Meta = z.infer<typeof Meta>;

/** Save a checkpoint to `dir`, atomically replacing any checkpoint already there. */
export async function saveCheckpoint(
  dir: string,
  ckpt: CheckpointInput,
  options: SaveOptions = {},
): Promise<void> {
  if (!Number.isSafeInteger(ckpt.step) || ckpt.step < 0) {
    throw new CheckpointError("invalid", `step must be a non-negative integer, got ${ckpt.step}`, {
      field: "step",
    });
  }
  const files = new Map<string, Uint8Array>();
  files.set(CHECKPOINT_FILES.model, encodeSafetensors(ckpt.weights, { step: String(ckpt.step) }));
  let optimizer: Meta["optimizer"] = null;
  if (ckpt.optimizer) {
    const o = ckpt.optimizer;
    if (!Number.isSafeInteger(o.step) || o.step < 0) {
      throw new CheckpointError("invalid", `optimizer.step must be a non-negative integer`, {
        field: "optimizer.step",
      });
    }
    files.set(CHECKPOINT_FILES.optimizer, encodeOptimizer(ckpt.weights, o));
    optimizer = {
      file: CHECKPOINT_FILES.optimizer,
      step: o.step,
      config: toJson(o.config ?? {}, "optimizer.config") as JsonObject,
    };
  }
  const meta: Meta = {
    format: FORMAT,
    version: VERSION,
    step: ckpt.step,
    model: toJson(ckpt.model, "model") as JsonObject,
    encoding: toJson(ckpt.encoding, "encoding") as JsonObject,
    optimizer,
    data: toJson(ckpt.data ?? null, "data"),
    rng: toJson(ckpt.rng ?? null, "rng"),
    extra: toJson(ckpt.extra ?? {}, "extra") as JsonObject,
    files: Object.fromEntries([...files].map(([name, b]) => [name, { bytes: b.length }])),
  };
  const metaCheck = Meta.safeParse(meta);
  if (!metaCheck.success) {
    const issue = metaCheck.error.issues[0];
    throw new CheckpointError("invalid", `${issue.path.join(".")}: ${issue.message}`, {
      field: issue.path.join("."),
    });
  }
  files.set(CHECKPOINT_FILES.meta, new TextEncoder().encode(JSON.stringify(meta, null, 2) + "\n"));
  const sums = new Map<string, string>();
  for (const [name, bytes] of files) sums.set(name, await sha256Hex(bytes));
  files.set(SUMS_FILE, new TextEncoder().encode(formatSums(sums)));

  await refuseToReplaceNonCheckpoint(dir);
  await replaceDirAtomic(dir, async (tmp) => {
    for (const [name, bytes] of files) {
      await writeFileSynced(join(tmp, name), bytes);
      await options.faultPoint?.(name);
    }
  }, () => options.faultPoint?.("swap"));
}

/**
 * Load and verify the checkpoint at `dir`. Refuses with a {@link CheckpointError}: `missing` (no
 * checkpoint), `corrupt` (a missing, truncated or altered file, a checksum mismatch, a bad
 * header; `.file` names it) or `mismatch` (a config differs from `expect`; `.field` names it).
 */
export async function loadCheckpoint(
  dir: string,
  expect: LoadExpectations = {},
): Promise<Checkpoint> {
  const { at, meta, files } = await readVerified(dir);
  checkExpected(at, "model", meta.model, expect.model);
  checkExpected(at, "encoding", meta.encoding, expect.encoding);
  const model = decodeSafetensors(files.get(CHECKPOINT_FILES.model)!, CHECKPOINT_FILES.model);
  let optimizer: OptimizerState | null = null;
  if (meta.optimizer) {
    const bytes = files.get(CHECKPOINT_FILES.optimizer)!;
    const { m, v } = splitOptimizer(decodeSafetensors(bytes, CHECKPOINT_FILES.optimizer).tensors);
    checkOptimizerShapes(model.tensors, m, v, "corrupt");
    optimizer = { step: meta.optimizer.step, m, v, config: meta.optimizer.config as JsonObject };
  }
  return {
    dir: at,
    step: meta.step,
    model: meta.model as JsonObject,
    encoding: meta.encoding as JsonObject,
    weights: model.tensors,
    optimizer,
    data: meta.data as Json,
    rng: meta.rng as Json,
    extra: meta.extra as JsonObject,
  };
}

/** Check a checkpoint's files (sizes, checksums, meta.json) without decoding the tensors. */
export async function verifyCheckpoint(dir: string): Promise<{ dir: string; step: number }> {
  const { at, meta } = await readVerified(dir);
  return { dir: at, step: meta.step };
}

async function readVerified(
  dir: string,
): Promise<{ at: string; meta: Meta; files: Map<string, Uint8Array> }> {
  const at = await resolveCommitted(dir);
  if (!at) throw new CheckpointError("missing", `no checkpoint at ${dir}`);
  const corrupt = (file: string, why: string) =>
    new CheckpointError("corrupt", `checkpoint ${at}: ${file} ${why}`, { file });
  const read = async (file: string) => {
    try {
      return await Deno.readFile(join(at, file));
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) throw corrupt(file, "is missing");
      throw e;
    }
  };
  const sums = parseSums(new TextDecoder().decode(await read(SUMS_FILE)));
  const files = new Map<string, Uint8Array>();
  const verify = async (file: string, bytes?: number) => {
    const expected = sums.get(file);
    if (!expected) throw corrupt(SUMS_FILE, `has no checksum for ${file}`);
    const data = await read(file);
    if (bytes !== undefined && data.length !== bytes) {
      throw corrupt(
        file,
        data.length < bytes
          ? `is truncated: ${data.length} bytes, expected ${bytes}`
          : `has ${data.length} bytes, expected ${bytes}`,
      );
    }
    const actual = await sha256Hex(data);
    if (actual !== expected) {
      throw corrupt(
        file,
        `fails its checksum (SHA-256 ${actual.slice(0, 12)}…, expected ${
          expected.slice(0, 12)
        }…): the file is corrupted`,
      );
    }
    files.set(file, data);
  };
  await verify(CHECKPOINT_FILES.meta);
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(files.get(CHECKPOINT_FILES.meta)));
  } catch (e) {
    throw corrupt(CHECKPOINT_FILES.meta, `is not JSON (${(e as Error).message})`);
  }
  const result = Meta.safeParse(parsed);
  if (!result.success) {
    const i = result.error.issues[0];
    throw corrupt(
      CHECKPOINT_FILES.meta,
      `is invalid at ${i.path.join(".") || "(root)"}: ${i.message}`,
    );
  }
  const meta = result.data;
  const needed = [CHECKPOINT_FILES.model, ...(meta.optimizer ? [CHECKPOINT_FILES.optimizer] : [])];
  for (const file of needed) {
    if (!meta.files[file]) throw corrupt(CHECKPOINT_FILES.meta, `does not list ${file}`);
  }
  for (const [file, { bytes }] of Object.entries(meta.files)) await verify(file, bytes);
  for (const file of sums.keys()) if (!files.has(file)) await verify(file);
  return { at, meta, files };
}

/** `dir` is replaced wholesale: refuse when it holds files but is not a checkpoint. */
async function refuseToReplaceNonCheckpoint(dir: string): Promise<void> {
  const names: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) names.push(e.name);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory) {
      if (e instanceof Deno.errors.NotADirectory) {
        throw new CheckpointError("invalid", `${dir} is a file, not a checkpoint directory`);
      }
      return;
    }
    throw e;
  }
  if (names.length && !names.includes(CHECKPOINT_FILES.meta) && !names.includes(SUMS_FILE)) {
    throw new CheckpointError(
      "invalid",
      `${dir} holds other files (${names.slice(0, 3).join(", ")}${
        names.length > 3 ? ", …" : ""
      }) ` +
        `and is not a checkpoint; saving would replace it, so give the checkpoint its own directory`,
    );
  }
}

function checkExpected(
  at: string,
  what: "model" | "encoding",
  saved: Record<string, unknown>,
  expected: Record<string, unknown> | undefined,
): void {
  if (!expected) return;
  const diffs = jsonDifferences(saved as Json, toJson(expected, what), what);
  if (!diffs.length) return;
  const list = diffs.map((d) =>
    `${d.path}: checkpoint has ${show(d.actual)}, expected ${show(d.expected)}`
  );
  throw new CheckpointError(
    "mismatch",
    `checkpoint ${at} was saved with a different ${what} config: ${list.join("; ")}`,
    { field: diffs[0].path },
  );
}

function encodeOptimizer(weights: TensorInput, o: OptimizerStateInput): Uint8Array {
  const m = new Map(tensorEntries(o.m));
  const v = new Map(tensorEntries(o.v));
  checkOptimizerShapes(new Map(tensorEntries(weights)), m, v, "invalid");
  const all = new Map<string, F32Tensor>();
  for (const [name, t] of m) all.set(`m.${name}`, t);
  for (const [name, t] of v) all.set(`v.${name}`, t);
  return encodeSafetensors(all, { step: String(o.step) });
}

function splitOptimizer(tensors: Map<string, F32Tensor>) {
  const m = new Map<string, F32Tensor>(), v = new Map<string, F32Tensor>();
  for (const [name, t] of tensors) {
    if (name.startsWith("m.")) m.set(name.slice(2), t);
    else if (name.startsWith("v.")) v.set(name.slice(2), t);
    else {
      throw new CheckpointError(
        "corrupt",
        `${CHECKPOINT_FILES.optimizer}: unexpected tensor "${name}" (expected m.* and v.*)`,
        { file: CHECKPOINT_FILES.optimizer },
      );
    }
  }
  return { m, v };
}

/** AdamW moments must exist in pairs and match their weight's shape. */
function checkOptimizerShapes(
  weights: Map<string, F32Tensor>,
  m: Map<string, F32Tensor>,
  v: Map<string, F32Tensor>,
  kind: "invalid" | "corrupt",
): void {
  const where = kind === "corrupt" ? { file: CHECKPOINT_FILES.optimizer } : {};
  for (const [a, b, label] of [[m, v, "v"], [v, m, "m"]] as const) {
    for (const name of a.keys()) {
      if (!b.has(name)) {
        throw new CheckpointError(kind, `optimizer state for "${name}" has no ${label}`, {
          ...where,
          field: `optimizer.${label}.${name}`,
        });
      }
    }
  }
  for (const [name, t] of m) {
    const w = weights.get(name);
    for (const [label, s] of [["m", t], ["v", v.get(name)!]] as const) {
      if (!w || String(w.shape) !== String(s.shape)) {
        throw new CheckpointError(
          kind,
          w
            ? `optimizer ${label} for "${name}" has shape [${s.shape}], the weight has [${w.shape}]`
            : `optimizer state for "${name}", which is not a weight`,
          { ...where, field: `optimizer.${label}.${name}` },
        );
      }
    }
  }
}
