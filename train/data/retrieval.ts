/**
 * Retrieval samples a small byte model can learn, each a row of exactly `length` byte tokens with
 * the positions of its answer bytes (the loss and the scoring fall on those only):
 *
 * - `needle`: a key of a few digits behind a distinctive marker, hidden at a depth in book text;
 *   the same marker is the query at the end and the key follows it:
 *
 *       …she said, and {KEY=4821} turned to the window. The rain had…{KEY=4821}
 *
 * - `recall` (associative recall, MQAR-style): several `{name value}` pairs (a one-byte name from
 *   {@link RECALL_NAMES}, symbols the book text (almost) never uses, → digits) in one block at a
 *   depth in book text, then every name asked again in a shuffled order; each queried value is an
 *   answer:
 *
 *       …the old house{#517}{@208}{~931}{^064}. It was late…{~931}{#517}{^064}{@208}
 *
 *   The byte before every answer (`=` of the needle, a recall name) occurs (almost) nowhere else
 *   in the row but where the value was stated, so one induction step ("find the earlier copy of
 *   this byte, read what followed") answers it; with letters and a space before the value, the
 *   same lookup needed the bytes before the space and was learned late or not at all
 *   (eval/retrieval/presets.ts).
 *
 * - `passkey`: the classic format of {@link passkeySample} (repeated filler sentences, a 5-digit
 *   key), wrapped in the same sample shape.
 *
 * The filler of `needle` and `recall` is the caller's book text (training windows in training,
 * held-out documents in evaluation), so the marker is the only thing that tells where the key is.
 * The distance of an answer is the number of tokens from its first byte back to the first byte of
 * the same value where it was stated: what attention has to span.
 */
import type { Rng } from "@e2llm/encodings";
import { PASSKEY_MIN_LENGTH, passkeyNeedle, passkeySample, randomPasskey } from "./passkey.ts";

/** The retrieval tasks. */
export const RETRIEVAL_TASKS = ["needle", "recall", "passkey"] as const;
/** One of {@link RETRIEVAL_TASKS}. */
export type RetrievalTask = (typeof RETRIEVAL_TASKS)[number];

/** Shape of the generated samples (digits per key, pairs per recall sample). */
export interface RetrievalShape {
  /** Digits of a needle key and of a recall value (1…9). */
  keyDigits: number;
  /** Key→value pairs per recall sample (each queried once). */
  recallPairs: number;
}

/** The default shape: 4-digit keys, 4 recall pairs. */
export const DEFAULT_RETRIEVAL_SHAPE: Readonly<RetrievalShape> = { keyDigits: 4, recallPairs: 4 };

/** One answer of a sample: `length` bytes from token index `start` (predicted from `start − 1`). */
export interface RetrievalAnswer {
  /** Token index of the first answer byte. */
  start: number;
  /** The answer's text (digits). */
  value: string;
  /** Tokens from the first byte of the value where it was stated to `start`. */
  distance: number;
}

/** One retrieval sample of exactly `tokens.length` byte tokens. */
export interface RetrievalSample {
  task: RetrievalTask;
  tokens: Uint8Array;
  /** The scored answers, in order of position. */
  answers: RetrievalAnswer[];
  /** Where the needle (or pair block) landed: filler bytes before it ÷ all filler bytes. */
  depth: number;
}

/** The needle marker, stated before the key and asked again at the end: `{KEY=`. */
export const NEEDLE_MARKER = "{KEY=";

/**
 * The recall names: one byte each, drawn from symbols that (almost) never occur in the book corpus
 * (`#` `<` `^` `|` `~` not at all; the others ≤ 300 times in 13.5M training bytes; `_`, Gutenberg's
 * italics, once in 8,500 bytes of the held-out test text), so a query's name points at exactly one
 * earlier position — MQAR's separate key vocabulary.
 */
export const RECALL_NAMES = "#%&*+/<>@^_`|~";

/** The needle text around a key: `{KEY=4821}`. */
export function needleText(key: string): string {
  return `${NEEDLE_MARKER}${key}}`;
}

/** Bytes of a needle sample besides the filler: the needle, the query marker and the key. */
export function needleOverhead(keyDigits: number): number {
  return needleText("0".repeat(keyDigits)).length + NEEDLE_MARKER.length + keyDigits + 1;
}

/** Bytes of a recall sample besides the filler: the pair block and the queries. */
export function recallOverhead(shape: RetrievalShape): number {
  return 2 * shape.recallPairs * pairText("#", "0".repeat(shape.keyDigits)).length;
}

/** The shortest sample of `task` (no filler), in tokens. */
export function minRetrievalLength(task: RetrievalTask, shape: RetrievalShape): number {
  if (task === "needle") return needleOverhead(shape.keyDigits);
  if (task === "recall") return recallOverhead(shape);
  return PASSKEY_MIN_LENGTH;
}

/** A random key of `digits` digits (leading zeros allowed). Draws one number from `rng`. */
export function randomKey(rng: Rng, digits: number): string {
  return String(rng.int(0, 10 ** digits - 1)).padStart(digits, "0");
}

/** Throws unless `filler` has at least `n` bytes. */
function checkFiller(filler: Uint8Array, n: number, what: string): void {
  if (filler.length < n) {
    throw new RangeError(`${what} needs ${n} filler bytes, got ${filler.length}`);
  }
}

function checkArgs(length: number, depth: number, min: number, what: string): void {
  if (!Number.isInteger(length) || length < min) {
    throw new RangeError(`${what} sample length ${length} is below the minimum ${min} tokens`);
  }
  if (!(depth >= 0 && depth <= 1)) throw new RangeError(`${what} depth ${depth} is not in [0, 1]`);
}

function checkShape(shape: RetrievalShape): void {
  if (!Number.isInteger(shape.keyDigits) || shape.keyDigits < 1 || shape.keyDigits > 9) {
    throw new RangeError(`keyDigits ${shape.keyDigits} is not an integer in 1…9`);
  }
  const most = RECALL_NAMES.length;
  if (!Number.isInteger(shape.recallPairs) || shape.recallPairs < 1 || shape.recallPairs > most) {
    throw new RangeError(`recallPairs ${shape.recallPairs} is not an integer in 1…${most}`);
  }
}

/** Bytes of `text` (ASCII only) into `out` at `at`; returns the index after. */
function put(out: Uint8Array, at: number, text: string): number {
  for (let i = 0; i < text.length; i++) out[at + i] = text.charCodeAt(i);
  return at + text.length;
}

/**
 * A needle sample of `length` tokens: the first `length − overhead` bytes of `filler` with
 * `{KEY=key}` inserted at `depth` of them, then `{KEY=key}` again as the query; the answer is the
 * key's digits (the closing `}` ends the row and is not scored).
 */
export function needleSample(
  filler: Uint8Array,
  length: number,
  depth: number,
  key: string,
): RetrievalSample {
  if (!/^[0-9]{1,9}$/.test(key)) throw new RangeError(`needle key "${key}" is not 1…9 digits`);
  checkArgs(length, depth, needleOverhead(key.length), "needle");
  const fillerLength = length - needleOverhead(key.length);
  checkFiller(filler, fillerLength, "needle");
  const cut = Math.round(depth * fillerLength);
  const tokens = new Uint8Array(length);
  tokens.set(filler.subarray(0, cut), 0);
  let at = put(tokens, cut, needleText(key));
  tokens.set(filler.subarray(cut, fillerLength), at);
  at += fillerLength - cut;
  at = put(tokens, at, NEEDLE_MARKER);
  const start = at;
  put(tokens, put(tokens, at, key), "}");
  const stated = cut + NEEDLE_MARKER.length;
  return {
    task: "needle",
    tokens,
    answers: [{ start, value: key, distance: start - stated }],
    depth: fillerLength ? cut / fillerLength : 0,
  };
}

/** What a recall pair (and its query) writes before the value: `{#`. */
function pairPrefix(name: string): string {
  return `{${name}`;
}

function pairText(name: string, value: string): string {
  return `${pairPrefix(name)}${value}}`;
}

/**
 * A recall sample of `length` tokens: `pairs` (distinct names) as one block at `depth` of the
 * filler, then every pair again in `order` (a permutation of the pair indices) as queries; each
 * queried value is an answer.
 */
export function recallSample(
  filler: Uint8Array,
  length: number,
  depth: number,
  pairs: readonly { name: string; value: string }[],
  order: readonly number[],
): RetrievalSample {
  if (pairs.length === 0) throw new RangeError("recall needs at least one pair");
  const digits = pairs[0].value.length;
  for (const p of pairs) {
    if (p.name.length !== 1 || !RECALL_NAMES.includes(p.name)) {
      throw new RangeError(`recall name "${p.name}" is not one of ${RECALL_NAMES}`);
    }
    if (!new RegExp(`^[0-9]{${digits}}$`).test(p.value)) {
      throw new RangeError(`recall value "${p.value}" is not ${digits} digits`);
    }
  }
  if (new Set(pairs.map((p) => p.name)).size !== pairs.length) {
    throw new RangeError("recall names must be distinct");
  }
  if ([...order].sort((a, b) => a - b).join() !== pairs.map((_, i) => i).join()) {
    throw new RangeError(`recall order [${order}] is not a permutation of the pairs`);
  }
  const shape = { keyDigits: digits, recallPairs: pairs.length };
  checkArgs(length, depth, recallOverhead(shape), "recall");
  const fillerLength = length - recallOverhead(shape);
  checkFiller(filler, fillerLength, "recall");
  const cut = Math.round(depth * fillerLength);
  const tokens = new Uint8Array(length);
  tokens.set(filler.subarray(0, cut), 0);
  let at = cut;
  const stated: number[] = [];
  for (const p of pairs) {
    stated.push(at + pairPrefix(p.name).length);
    at = put(tokens, at, pairText(p.name, p.value));
  }
  tokens.set(filler.subarray(cut, fillerLength), at);
  at += fillerLength - cut;
  const answers: RetrievalAnswer[] = [];
  for (const i of order) {
    const p = pairs[i];
    at = put(tokens, at, pairPrefix(p.name));
    answers.push({ start: at, value: p.value, distance: at - stated[i] });
    at = put(tokens, at, `${p.value}}`);
  }
  return { task: "recall", tokens, answers, depth: fillerLength ? cut / fillerLength : 0 };
}

/** The classic passkey sample in the common shape (answer: the 5 digits that end the row). */
export function passkeyRetrievalSample(
  length: number,
  depth: number,
  key: string,
): RetrievalSample {
  const s = passkeySample(length, depth, key);
  const start = s.answerIndices[0];
  const stated = s.needleStart + passkeyNeedle(key).indexOf(key);
  return {
    task: "passkey",
    tokens: s.tokens,
    answers: [{ start, value: key, distance: start - stated }],
    depth: s.depth,
  };
}

/** Random distinct names (one of {@link RECALL_NAMES} each) and `digits`-digit values. */
export function randomPairs(
  rng: Rng,
  count: number,
  digits: number,
): { name: string; value: string }[] {
  const names = new Set<string>();
  const out: { name: string; value: string }[] = [];
  while (out.length < count) {
    const name = RECALL_NAMES[rng.int(0, RECALL_NAMES.length - 1)];
    if (names.has(name)) continue;
    names.add(name);
    out.push({ name, value: randomKey(rng, digits) });
  }
  return out;
}

/** A random permutation of 0…n−1 (Fisher–Yates). */
export function randomOrder(rng: Rng, n: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/**
 * A random sample of `task` with the needle (or pair block) at a uniform depth; `filler` must hold
 * at least `length` bytes (passkey ignores it). Everything random comes from `rng`.
 */
export function randomRetrievalSample(
  rng: Rng,
  task: RetrievalTask,
  length: number,
  filler: Uint8Array,
  shape: RetrievalShape,
): RetrievalSample {
  checkShape(shape);
  return retrievalSampleAt(rng, task, length, rng.next(), filler, shape);
}

/** A sample of `task` at a given `depth`, keys (and recall names and order) drawn from `rng`. */
export function retrievalSampleAt(
  rng: Rng,
  task: RetrievalTask,
  length: number,
  depth: number,
  filler: Uint8Array,
  shape: RetrievalShape,
): RetrievalSample {
  checkShape(shape);
  if (task === "needle") {
    return needleSample(filler, length, depth, randomKey(rng, shape.keyDigits));
  }
  if (task === "recall") {
    const pairs = randomPairs(rng, shape.recallPairs, shape.keyDigits);
    return recallSample(filler, length, depth, pairs, randomOrder(rng, pairs.length));
  }
  return passkeyRetrievalSample(length, depth, randomPasskey(rng));
}

/** Token indices of every answer byte of a sample (each predicted from the index before it). */
export function answerIndices(sample: RetrievalSample): number[] {
  return sample.answers.flatMap((a) =>
    Array.from({ length: a.value.length }, (_, i) => a.start + i)
  );
}
