/**
 * Load a Hugging Face LLaMA folder (`config.json` + `model.safetensors` or a sharded
 * `model.safetensors.index.json`) as e2llm weights. Every file is validated before tensors are
 * read (see safetensors_io.ts); missing, extra and wrongly shaped tensors are named.
 */
import { join } from "node:path";
import type { ModelConfig } from "../config.ts";
import { type ImportedConfig, importHfConfig } from "./config.ts";
import { fromHfTensors, hfTensorShapes, type NamedTensor } from "./layout.ts";
import { openSafetensors, type SafetensorsReader } from "./safetensors_io.ts";

/** An imported HF checkpoint in e2llm's layout. */
export interface HfCheckpoint {
  dir: string;
  model: ModelConfig;
  /** Key/value heads (= model.nKvHeads ?? model.nHeads). */
  nKvHeads: number;
  /** The encoding its `rope_scaling` names. */
  encoding: { name: string; config: Record<string, unknown> };
  /** Tensors by our names (see params.ts). */
  weights: Map<string, NamedTensor>;
}

const SINGLE = "model.safetensors";
const INDEX = "model.safetensors.index.json";
const MAX_JSON_BYTES = 50_000_000;
/** Tensors some exporters save that carry nothing (recomputed RoPE tables). */
const IGNORED = /\.rotary_emb\.inv_freq$/;

/** Whether `dir` is an HF folder: a `config.json` with `model_type` or `architectures`. */
export async function isHfCheckpoint(dir: string): Promise<boolean> {
  try {
    const raw = await readJson(join(dir, "config.json"));
    return typeof raw === "object" && raw !== null &&
      ("model_type" in raw || "architectures" in raw);
  } catch {
    return false;
  }
}

/** Read and validate an HF folder's config alone (no tensors). */
export async function readHfConfig(dir: string): Promise<ImportedConfig> {
  return importHfConfig(await readJson(join(dir, "config.json")), join(dir, "config.json"));
}

/** Load an HF LLaMA folder (see the module doc). */
export async function loadHfCheckpoint(dir: string): Promise<HfCheckpoint> {
  const { model, nKvHeads, encoding } = await readHfConfig(dir);
  const readers = await openShards(dir);
  try {
    const where = new Map<string, SafetensorsReader>();
    for (const r of readers) {
      for (const name of r.header.entries.keys()) {
        if (where.has(name)) {
          throw new Error(
            `${dir}: tensor ${name} is in both ${where.get(name)!.file} and ${r.file}`,
          );
        }
        where.set(name, r);
      }
    }
    const expected = hfTensorShapes(model);
    for (const [name, shape] of expected) {
      const r = where.get(name);
      if (!r) throw new Error(`${dir}: missing tensor ${name}`);
      const got = r.header.entries.get(name)!.shape;
      if (got.join(",") !== shape.join(",")) {
        throw new Error(`${r.file}: tensor ${name} has shape [${got}], expected [${shape}]`);
      }
    }
    for (const name of where.keys()) {
      if (expected.has(name) || IGNORED.test(name)) continue;
      if (name === "lm_head.weight" && model.tieEmbeddings) continue; // a tied copy
      throw new Error(`${where.get(name)!.file}: unexpected tensor ${name}`);
    }
    const data = new Map<string, Float32Array>();
    for (const name of expected.keys()) data.set(name, await where.get(name)!.read(name));
    const weights = fromHfTensors(model, (name) => data.get(name)!);
    return { dir, model, nKvHeads, encoding, weights };
  } finally {
    for (const r of readers) r.close();
  }
}

async function openShards(dir: string): Promise<SafetensorsReader[]> {
  const indexPath = join(dir, INDEX);
  if (!(await exists(indexPath))) {
    if (!(await exists(join(dir, SINGLE)))) {
      throw new Error(`${dir}: neither ${SINGLE} nor ${INDEX}`);
    }
    return [await openSafetensors(join(dir, SINGLE))];
  }
  const index = await readJson(indexPath);
  const map = (index as { weight_map?: unknown })?.weight_map;
  if (typeof map !== "object" || map === null || Array.isArray(map)) {
    throw new Error(`${indexPath}: no "weight_map" object`);
  }
  const files = new Set<string>();
  for (const [name, file] of Object.entries(map)) {
    if (typeof file !== "string" || !/^[\w.-]+\.safetensors$/.test(file) || file.startsWith(".")) {
      throw new Error(
        `${indexPath}: tensor ${name} maps to a bad file name ${JSON.stringify(file)}`,
      );
    }
    files.add(file);
  }
  for (const f of files) {
    if (!(await exists(join(dir, f)))) throw new Error(`${indexPath}: names missing file ${f}`);
  }
  const readers: SafetensorsReader[] = [];
  try {
    for (const f of [...files].sort()) readers.push(await openSafetensors(join(dir, f)));
    for (const [name, file] of Object.entries(map as Record<string, string>)) {
      const r = readers.find((x) => x.file === join(dir, file))!;
      if (!r.header.entries.has(name)) {
        throw new Error(`${indexPath}: tensor ${name} is not in ${file}`);
      }
    }
    for (const r of readers) {
      for (const name of r.header.entries.keys()) {
        if (!(name in map)) throw new Error(`${r.file}: tensor ${name} is not in ${INDEX}`);
      }
    }
    return readers;
  } catch (e) {
    for (const r of readers) r.close();
    throw e;
  }
}

async function readJson(path: string): Promise<unknown> {
  const stat = await Deno.stat(path);
  if (stat.size > MAX_JSON_BYTES) throw new Error(`${path}: ${stat.size} bytes, too large`);
  const text = await Deno.readTextFile(path);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${path}: not JSON (${(e as Error).message})`);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}
