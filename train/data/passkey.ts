/**
 * Passkey retrieval samples: a 5-digit key hidden in repeated filler text at a chosen depth and
 * asked for at the end. Every sample is ASCII, so with the byte tokenizer its length in tokens is
 * exact:
 *
 *     <filler> The pass key is 12345. Remember it. <filler> What is the pass key? The pass key is 12345
 *
 * The fixed parts take 79 bytes, so a 129-byte training sample (R = 128) holds 50 bytes of filler.
 * Filler is whole sentences, padded with spaces to the exact length; the key sentence goes at the
 * sentence boundary nearest `depth × filler length`.
 */
import { Rng } from "@e2llm/encodings";

/** The filler sentences, repeated in this order. */
export const PASSKEY_FILLER = [
  "The grass is green. ",
  "The sky is blue. ",
  "The sun is yellow. ",
  "Here we go. ",
  "There and back again. ",
] as const;

/** The sentence that hides the key. */
export function passkeyNeedle(key: string): string {
  return `The pass key is ${key}. Remember it. `;
}

/** The question; the answer (the key's 5 digits) follows it directly. */
export const PASSKEY_QUESTION = "What is the pass key? The pass key is ";

/** Digits in a key. */
export const PASSKEY_DIGITS = 5;

/** The shortest possible sample (no filler): needle + question + answer. */
export const PASSKEY_MIN_LENGTH: number = passkeyNeedle("00000").length + PASSKEY_QUESTION.length +
  PASSKEY_DIGITS;

/** One sample: `tokens` has exactly the requested length and ends with the key's digits. */
export interface PasskeySample {
  /** Byte tokens of the whole sample. */
  tokens: Uint8Array;
  /** The 5-digit key. */
  key: string;
  /** Indices into `tokens` of the answer digits (the last 5); predicted from position `i − 1`. */
  answerIndices: number[];
  /** Index of the first byte of the key sentence. */
  needleStart: number;
  /** Where the key sentence landed: filler bytes before it ÷ all filler bytes (0 when none). */
  depth: number;
}

/** Build the sample of `length` tokens with the key sentence at `depth` ∈ [0, 1]. */
export function passkeySample(length: number, depth: number, key: string): PasskeySample {
  if (!Number.isInteger(length) || length < PASSKEY_MIN_LENGTH) {
    throw new RangeError(
      `passkey sample length ${length} is below the minimum ${PASSKEY_MIN_LENGTH} tokens`,
    );
  }
  if (!(depth >= 0 && depth <= 1)) throw new RangeError(`passkey depth ${depth} is not in [0, 1]`);
  if (!new RegExp(`^[0-9]{${PASSKEY_DIGITS}}$`).test(key)) {
    throw new RangeError(`passkey "${key}" is not ${PASSKEY_DIGITS} digits`);
  }
  const fillerLength = length - PASSKEY_MIN_LENGTH;
  const { text: filler, boundaries } = fillerText(fillerLength);
  const target = depth * fillerLength;
  let cut = boundaries[0];
  for (const b of boundaries) if (Math.abs(b - target) < Math.abs(cut - target)) cut = b;
  const text = filler.slice(0, cut) + passkeyNeedle(key) + filler.slice(cut) + PASSKEY_QUESTION +
    key;
  const tokens = new Uint8Array(length);
  for (let i = 0; i < length; i++) tokens[i] = text.charCodeAt(i);
  return {
    tokens,
    key,
    answerIndices: Array.from({ length: PASSKEY_DIGITS }, (_, i) => length - PASSKEY_DIGITS + i),
    needleStart: cut,
    depth: fillerLength ? cut / fillerLength : 0,
  };
}

/** A random 5-digit key with a non-zero first digit (10000 … 99999). */
export function randomPasskey(rng: Rng): string {
  return String(rng.int(10 ** (PASSKEY_DIGITS - 1), 10 ** PASSKEY_DIGITS - 1));
}

/** A training sample: random key, depth uniform in [0, 1]. Draws exactly two numbers from `rng`. */
export function randomPasskeySample(rng: Rng, length: number): PasskeySample {
  const key = randomPasskey(rng);
  return passkeySample(length, rng.next(), key);
}

/**
 * Fixed evaluation samples: for each depth, `perDepth` samples of `length` tokens with keys drawn
 * from `new Rng(seed)` (same seed, same keys, for every method compared).
 */
export function passkeyEvalSet(
  length: number,
  depths: readonly number[],
  perDepth: number,
  seed = 0,
): PasskeySample[] {
  const rng = new Rng(seed);
  const out: PasskeySample[] = [];
  for (const depth of depths) {
    for (let i = 0; i < perDepth; i++) out.push(passkeySample(length, depth, randomPasskey(rng)));
  }
  return out;
}

/** `n` bytes of whole filler sentences then spaces, and the sentence boundaries (incl. 0). */
function fillerText(n: number): { text: string; boundaries: number[] } {
  let text = "";
  const boundaries = [0];
  for (let i = 0;; i++) {
    const s = PASSKEY_FILLER[i % PASSKEY_FILLER.length];
    if (text.length + s.length > n) break;
    text += s;
    boundaries.push(text.length);
  }
  return { text: text + " ".repeat(n - text.length), boundaries };
}
