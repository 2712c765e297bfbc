/**
 * The byte tokenizer: a token is one byte of the text's UTF-8 encoding, so the vocabulary is 256
 * and every string round-trips exactly.
 */

/** A tokenizer as the data pipeline uses it. */
export interface Tokenizer {
  /** Number of distinct token ids (ids are 0 … vocabSize − 1). */
  readonly vocabSize: number;
  /** Text to token ids. */
  encode(text: string): Uint8Array;
  /** Token ids to text; invalid UTF-8 becomes U+FFFD. Throws on an id outside the vocabulary. */
  decode(ids: ArrayLike<number>): string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8");

/** UTF-8 bytes as tokens (vocabulary 256). */
export class ByteTokenizer implements Tokenizer {
  /** Always 256. */
  readonly vocabSize = 256;

  /** The UTF-8 bytes of `text`. */
  encode(text: string): Uint8Array {
    return encoder.encode(text);
  }

  /** Decode UTF-8 bytes; ids must be integers in [0, 255]. */
  decode(ids: ArrayLike<number>): string {
    if (ids instanceof Uint8Array) return decoder.decode(ids);
    const bytes = new Uint8Array(ids.length);
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (!Number.isInteger(id) || id < 0 || id > 255) {
        throw new RangeError(
          `token id ${id} at index ${i} is outside the byte vocabulary [0, 255]`,
        );
      }
      bytes[i] = id;
    }
    return decoder.decode(bytes);
  }
}
