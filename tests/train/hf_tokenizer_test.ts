import assert from "node:assert/strict";
import { Tokenizer } from "@huggingface/tokenizers";
import {
  byteTokenizerConfig,
  byteTokenizerJson,
  byteToUnicode,
  textTokenizerFrom,
} from "@e2llm/train";

Deno.test("the exported byte tokenizer.json loads in @huggingface/tokenizers: every byte → its id and back", () => {
  const tok = new Tokenizer(byteTokenizerJson(), byteTokenizerConfig(128));
  // Every single byte value (as Latin-1 text its UTF-8 is 1–2 bytes, so go through the vocab tokens).
  const chars = byteToUnicode();
  for (let b = 0; b < 256; b++) assert.equal(tok.model!.tokens_to_ids.get(chars[b]), b);
  const text = "Hello, wörld! 😀 \t\n\u0000\u007f and spaces  ";
  const bytes = [...new TextEncoder().encode(text)];
  assert.deepEqual(tok.encode(text).ids, bytes);
  assert.equal(tok.decode(bytes), text);
  // Our loader recognises it and skips the library (exact bytes).
  assert.equal(textTokenizerFrom(byteTokenizerJson()).kind, "bytes");
});

Deno.test("a BPE tokenizer.json with merges goes through @huggingface/tokenizers", () => {
  const chars = byteToUnicode();
  const vocab: Record<string, number> = {};
  chars.forEach((c, b) => (vocab[c] = b));
  vocab["he"] = 256;
  vocab["ll"] = 257;
  vocab["hell"] = 258;
  vocab["<s>"] = 259;
  const json = byteTokenizerJson() as Record<string, unknown> & { model: Record<string, unknown> };
  json.model = { ...json.model, vocab, merges: ["h e", "l l", "he ll"] };
  json.added_tokens = [{
    id: 259,
    content: "<s>",
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  }];
  json.post_processor = {
    type: "TemplateProcessing",
    single: [{ SpecialToken: { id: "<s>", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }],
    pair: [{ Sequence: { id: "A", type_id: 0 } }, { Sequence: { id: "B", type_id: 1 } }],
    special_tokens: { "<s>": { id: "<s>", ids: [259], tokens: ["<s>"] } },
  };
  const tok = textTokenizerFrom(json);
  assert.equal(tok.kind, "tokenizer.json");
  assert.deepEqual([...tok.encode("hello")], [259, 258, "o".charCodeAt(0)]);
  assert.throws(() => textTokenizerFrom({ model: { type: "Nope" } }), /tokenizer\.json/);
});
