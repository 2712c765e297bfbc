/**
 * The tokenizer of a checkpoint folder, for scoring text: a Hugging Face `tokenizer.json` (BPE as
 * LLaMA-family models use it, and any other model `tokenizers` knows) through
 * `@huggingface/tokenizers` (Hugging Face's own pure-TS port of the Rust crate: no native code,
 * no dependencies, reads tokenizer.json + tokenizer_config.json as published); the byte
 * vocabulary (ours, or a folder exported with it) stays exact and needs no library.
 */
import { Tokenizer as HfTokenizer } from "@huggingface/tokenizers";
import { join } from "node:path";
import { isByteTokenizerJson } from "./tokenizer.ts";

/** Text → token ids. */
export interface TextTokenizer {
  /** "bytes": id = UTF-8 byte; "tokenizer.json": the folder's tokenizer. */
  readonly kind: "bytes" | "tokenizer.json";
  encode(text: string): Uint32Array;
}

const MAX_TOKENIZER_BYTES = 100_000_000;

/** The byte tokenizer (UTF-8 bytes). */
export function byteTextTokenizer(): TextTokenizer {
  const enc = new TextEncoder();
  return { kind: "bytes", encode: (text) => Uint32Array.from(enc.encode(text)) };
}

/**
 * A tokenizer from parsed `tokenizer.json` and `tokenizer_config.json` values: the byte
 * vocabulary when it is ours, else `@huggingface/tokenizers` (special tokens such as BOS added
 * as the tokenizer's post-processor says).
 */
export function textTokenizerFrom(tokenizerJson: unknown, config: unknown = {}): TextTokenizer {
  if (isByteTokenizerJson(tokenizerJson)) return byteTextTokenizer();
  let tok: HfTokenizer;
  try {
    tok = new HfTokenizer(tokenizerJson as object, (config ?? {}) as object);
  } catch (e) {
    throw new Error(
      `tokenizer.json: not a tokenizer @huggingface/tokenizers can load (${(e as Error).message})`,
    );
  }
  return { kind: "tokenizer.json", encode: (text) => Uint32Array.from(tok.encode(text).ids) };
}

/** The tokenizer of `dir`: its `tokenizer.json` when present, else the byte vocabulary. */
export async function loadTextTokenizer(dir: string): Promise<TextTokenizer> {
  const path = join(dir, "tokenizer.json");
  let stat: Deno.FileInfo;
  try {
    stat = await Deno.stat(path);
  } catch {
    return byteTextTokenizer();
  }
  if (stat.size > MAX_TOKENIZER_BYTES) throw new Error(`${path}: ${stat.size} bytes, too large`);
  const parse = async (p: string, optional: boolean) => {
    try {
      return JSON.parse(await Deno.readTextFile(p));
    } catch (e) {
      if (optional && e instanceof Deno.errors.NotFound) return {};
      throw new Error(`${p}: ${(e as Error).message}`);
    }
  };
  return textTokenizerFrom(
    await parse(path, false),
    await parse(join(dir, "tokenizer_config.json"), true),
  );
}
