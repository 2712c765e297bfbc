/**
 * `tokenizer.json` + `tokenizer_config.json` for e2llm's byte vocabulary, in Hugging Face
 * `tokenizers`' format: a BPE model with no merges over GPT-2's ByteLevel alphabet (byte b is the
 * printable character {@link byteToUnicode}[b]), so token id b is byte b for every b in 0…255.
 */

/** GPT-2's `bytes_to_unicode`: a printable character per byte value. */
export function byteToUnicode(): string[] {
  const keep: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) keep.push(b);
  for (let b = 0xa1; b <= 0xac; b++) keep.push(b);
  for (let b = 0xae; b <= 0xff; b++) keep.push(b);
  const out = new Array<string>(256);
  let extra = 0;
  for (let b = 0; b < 256; b++) {
    out[b] = String.fromCodePoint(keep.includes(b) ? b : 256 + extra++);
  }
  return out;
}

/** The `tokenizer.json` object of the byte vocabulary. */
export function byteTokenizerJson(): Record<string, unknown> {
  const chars = byteToUnicode();
  const vocab: Record<string, number> = {};
  chars.forEach((c, b) => (vocab[c] = b));
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: [],
    normalizer: null,
    pre_tokenizer: {
      type: "ByteLevel",
      add_prefix_space: false,
      trim_offsets: false,
      use_regex: false,
    },
    post_processor: null,
    decoder: { type: "ByteLevel", add_prefix_space: false, trim_offsets: false, use_regex: false },
    model: {
      type: "BPE",
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab,
      merges: [],
    },
  };
}

/** The `tokenizer_config.json` for {@link byteTokenizerJson}. */
export function byteTokenizerConfig(modelMaxLength: number): Record<string, unknown> {
  return {
    tokenizer_class: "PreTrainedTokenizerFast",
    model_max_length: modelMaxLength,
    clean_up_tokenization_spaces: false,
    add_bos_token: false,
    add_eos_token: false,
  };
}

/**
 * Whether a parsed `tokenizer.json` is the byte vocabulary (ids = bytes): a ByteLevel BPE with no
 * merges whose vocab maps {@link byteToUnicode}[b] to b for every byte.
 */
export function isByteTokenizerJson(tok: unknown): boolean {
  const model = (tok as { model?: { type?: unknown; vocab?: unknown; merges?: unknown } })?.model;
  if (!model || model.type !== "BPE" || !Array.isArray(model.merges) || model.merges.length) {
    return false;
  }
  const vocab = model.vocab as Record<string, unknown> | undefined;
  if (!vocab || Object.keys(vocab).length !== 256) return false;
  return byteToUnicode().every((c, b) => vocab[c] === b);
}
