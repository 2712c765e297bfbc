import assert from "node:assert/strict";
import {
  BatchSampler,
  ByteTokenizer,
  cleanGutenberg,
  createBatchSampler,
  dataConfigNotes,
  decodeLatin1,
  decodeText,
  type Document,
  heldOutWindows,
  listPackageDir,
  loadCorpus,
  normalizeNewlines,
  parseDataConfig,
  PASSKEY_MIN_LENGTH,
  PASSKEY_QUESTION,
  passkeyEvalSet,
  passkeySample,
  prepareData,
  randomPasskeySample,
  readPackageFile,
  RECALL_NAMES,
  splitDocuments,
  stackWindows,
  stripGutenbergTail,
  stripLeadingLicence,
} from "@e2llm/train";
import { Rng } from "@e2llm/encodings";

const tok = new ByteTokenizer();
const utf8Fatal = new TextDecoder("utf-8", { fatal: true });
let textCorpus: Promise<Document[]> | undefined;
let codeCorpus: Promise<Document[]> | undefined;
const text = () => textCorpus ??= loadCorpus("text");
const code = () => codeCorpus ??= loadCorpus("code");

function isUtf8(bytes: Uint8Array): boolean {
  try {
    utf8Fatal.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------- cleaning, on small inputs

Deno.test("decodeText reads UTF-8 (dropping a BOM) and falls back to ISO-8859-1", () => {
  const latin = new Uint8Array([0x43, 0xe6, 0x73, 0x61, 0x72, 0x20, 0x80]);
  const l = decodeText(latin);
  assert.equal(l.encoding, "latin-1");
  assert.equal(l.text, "C\u00e6sar \u0080"); // ISO-8859-1, not windows-1252 (which maps 0x80 to €)
  const u = decodeText(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode("café")]));
  assert.deepEqual(u, { text: "café", encoding: "utf-8" });
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  assert.deepEqual([...decodeLatin1(all)].map((c) => c.charCodeAt(0)), [...all]);
});

Deno.test("newlines, Gutenberg tails and licence headers are cleaned", () => {
  assert.equal(normalizeNewlines("a\r\nb\rc\nd\r\n"), "a\nb\nc\nd\n");
  const book = "Body line.\nLast line.\n\nEnd of Project Gutenberg's X, by Y\n\nlegal text\n";
  assert.equal(stripGutenbergTail(book), "Body line.\nLast line.\n\n");
  assert.equal(stripGutenbergTail("no tail\n"), "no tail\n");
  assert.equal(
    cleanGutenberg(
      new TextEncoder().encode("A\r\nB\r\n*** END OF THE PROJECT GUTENBERG EBOOK Z\r\n"),
    ),
    "A\nB\n",
  );
  assert.equal(stripLeadingLicence("/*! licence\n text */\n\n\ncode();\n"), "code();\n");
  assert.equal(stripLeadingLicence("code(); /*! not leading */\n"), "code(); /*! not leading */\n");
});

// ---------------------------------------------------------------- the real corpora

Deno.test("Gutenberg: Latin-1 files decode to the right characters, CRLF and licence removed", async () => {
  const names = await listPackageDir("gutenberg", "gutenberg/", ".txt");
  assert.equal(names.length, 18);
  const raw = new Map<string, Uint8Array>();
  for (const n of names) raw.set(n, await readPackageFile("gutenberg", `gutenberg/${n}`));
  const rawText = (n: string) => decodeLatin1(raw.get(n)!);

  // The facts the cleaning relies on, checked on the raw files.
  const latin1 = names.filter((n) => !isUtf8(raw.get(n)!));
  assert.equal(latin1.length, 2, `non-UTF-8 files: ${latin1}`);
  const crlf = names.filter((n) => rawText(n).includes("\r\n"));
  assert.equal(crlf.length, 4, `CRLF files: ${crlf}`);
  assert.ok(rawText("chesterton-ball.txt").includes("*** END OF THE PROJECT GUTENBERG EBOOK"));
  assert.ok(rawText("chesterton-ball.txt").includes("Small Print"));

  const docs = new Map((await text()).map((d) => [d.id, d.text]));
  for (const n of latin1) {
    const cleaned = docs.get(`gutenberg/${n.replace(".txt", "")}`)!;
    assert.ok(!cleaned.includes("\uFFFD"), `${n} has replacement characters`);
    for (const b of raw.get(n)!) {
      if (b >= 0x80) assert.ok(cleaned.includes(String.fromCharCode(b)), `${n} lost U+${b}`);
    }
  }
  assert.ok(docs.get("gutenberg/shakespeare-caesar")!.includes("C\u00e6sar"));
  for (const n of crlf) {
    const cleaned = docs.get(`gutenberg/${n.replace(".txt", "")}`)!;
    const rawLines = rawText(n).trimEnd().split("\r\n").length;
    assert.equal(cleaned.trimEnd().split("\n").length, rawLines, `${n} line count changed`);
  }
  const ball = docs.get("gutenberg/chesterton-ball")!;
  assert.ok(!/gutenberg|small print/i.test(ball), "licence text left in chesterton-ball");
  const rawBall = rawText("chesterton-ball.txt");
  const cut = rawBall.indexOf("End of Project Gutenberg");
  assert.ok(ball.length > 0.98 * cut && ball.length <= cut, `kept ${ball.length} of ${cut}`);
  for (const [id, t] of docs) {
    assert.ok(!t.includes("\r"), `${id} has a CR`);
    assert.ok(!t.includes("\uFFFD"), `${id} has a replacement character`);
    assert.ok(t.endsWith("\n") && !t.endsWith("\n\n"), `${id} does not end in one newline`);
  }
});

Deno.test("State of the Union: 233 speeches read as UTF-8 from the package's JSON", async () => {
  const sotu = (await text()).filter((d) => d.source === "sotu");
  assert.equal(sotu.length, 233);
  assert.equal(new Set(sotu.map((d) => d.id)).size, 233);
  assert.ok(sotu.every((d) => d.text.length > 1000));
  assert.ok(sotu.some((d) => d.text.includes("\u2014")), "em dashes lost");
  const first = JSON.parse(
    new TextDecoder().decode(await readPackageFile("sotu", "data/1790_george_washington_n.json")),
  );
  assert.equal(sotu[0].id, "sotu/1790_george_washington_n");
  assert.equal(sotu[0].text, first.text.trimEnd() + "\n");
});

Deno.test("code corpus: TypeScript lib files and compiler sources, licence headers removed", async () => {
  const docs = await code();
  const lib = docs.filter((d) => d.source === "ts-lib");
  const src = docs.filter((d) => d.source === "ts-src");
  assert.ok(lib.length > 90 && src.length > 200, `${lib.length} lib, ${src.length} src`);
  assert.ok(lib.some((d) => d.id === "typescript/lib.es5.d.ts"));
  assert.ok(src.some((d) => d.id === "typescript/src/compiler/checker.ts"));
  assert.equal(new Set(docs.map((d) => d.id)).size, docs.length);
  for (const d of docs) {
    assert.ok(!d.text.startsWith("/*!"), `${d.id} keeps its licence header`);
    assert.ok(!d.text.includes("\r"), `${d.id} has a CR`);
  }
  for (const d of src.slice(1)) assert.ok(d.text.startsWith("// src/"), d.id);
  const bundle = new TextDecoder().decode(await readPackageFile("typescript", "lib/typescript.js"));
  const total = src.reduce((n, d) => n + d.text.length, 0);
  assert.ok(total > 0.97 * bundle.length && total < bundle.length, `${total} of ${bundle.length}`);
});

// ---------------------------------------------------------------- split

Deno.test("split holds out whole documents, per source, independent of order and seed", async () => {
  const docs = await text();
  const s = splitDocuments(docs);
  const ids = (k: keyof typeof s) => new Set(s[k].map((d) => d.id));
  const [tr, va, te] = [ids("train"), ids("validation"), ids("test")];
  assert.equal(tr.size + va.size + te.size, docs.length);
  for (const id of va) assert.ok(!tr.has(id) && !te.has(id));
  for (const id of te) assert.ok(!tr.has(id));
  for (const source of ["gutenberg", "sotu"]) {
    for (const k of ["validation", "test"] as const) {
      assert.ok(s[k].some((d) => d.source === source), `no ${source} document in ${k}`);
    }
  }
  const sotuVal = s.validation.filter((d) => d.source === "sotu").length;
  assert.equal(sotuVal, Math.round(233 * 0.1));
  const shuffled = [...docs].reverse();
  const s2 = splitDocuments(shuffled);
  assert.deepEqual(new Set(s2.validation.map((d) => d.id)), va);
  assert.deepEqual(new Set(s2.test.map((d) => d.id)), te);
  const bigger = splitDocuments(docs, { validation: 0.2, test: 0.1 });
  assert.ok(bigger.validation.length > s.validation.length);
  assert.equal(splitDocuments(docs, { validation: 0, test: 0 }).train.length, docs.length);
  assert.throws(() => splitDocuments(docs, { validation: 0.6, test: 0.5 }), /fractions/);
});

// ---------------------------------------------------------------- tokenizer

Deno.test("byte tokenizer round-trips UTF-8 and rejects ids outside 0…255", () => {
  assert.equal(tok.vocabSize, 256);
  for (const s of ["", "plain", "C\u00e6sar — 日本語 🎉\n\ttab", "\u0000\u00ff"]) {
    const ids = tok.encode(s);
    assert.equal(tok.decode(ids), s);
    assert.equal(tok.decode(Array.from(ids)), s);
    assert.equal(ids.length, new TextEncoder().encode(s).length);
  }
  assert.throws(() => tok.decode([65, 256]), /256 at index 1/);
  assert.throws(() => tok.decode([-1]), /-1/);
  assert.throws(() => tok.decode([1.5]), /1\.5/);
});

// ---------------------------------------------------------------- batches

/** Small documents whose windows are easy to locate: doc k is bytes (k*50 + i*7) mod 256. */
function syntheticDocs(lengths: number[]): Uint8Array[] {
  return lengths.map((n, k) =>
    Uint8Array.from({ length: n }, (_, i) => (k * 50 + i * 7 + i * i) % 256)
  );
}

function locate(docs: Uint8Array[], row: number[]): { doc: number; start: number } | undefined {
  for (let d = 0; d < docs.length; d++) {
    for (let s = 0; s + row.length <= docs[d].length; s++) {
      if (row.every((v, i) => docs[d][s + i] === v)) return { doc: d, start: s };
    }
  }
}

const opts = { batchSize: 4, length: 16, seed: 7, passkeyRate: 0, passkeyLoss: "all" as const };

Deno.test("batches are windows of the documents with next-token targets", () => {
  const docs = syntheticDocs([300, 40, 10, 200]);
  const sampler = new BatchSampler(docs, opts);
  for (let n = 0; n < 20; n++) {
    const b = sampler.next();
    assert.equal(b.index, n);
    assert.equal(b.inputs.length, 4 * 16);
    assert.deepEqual([...b.lossMask], new Array(64).fill(1));
    for (let r = 0; r < 4; r++) {
      const row = [...b.inputs.subarray(r * 16, r * 16 + 16), b.targets[r * 16 + 15]];
      assert.deepEqual([...b.targets.subarray(r * 16, r * 16 + 15)], row.slice(1, 16));
      const at = locate(docs, row);
      assert.ok(at, `row ${r} of batch ${n} is not a document window`);
      assert.notEqual(at.doc, 2, "a document shorter than R + 1 was drawn");
    }
  }
});

Deno.test("documents are drawn in proportion to their window starts", () => {
  // 316 − 16 = 300 starts versus 116 − 16 = 100: doc 0 should get 3/4 of the rows.
  const docs = [new Uint8Array(316).fill(1), new Uint8Array(116).fill(2)];
  const sampler = new BatchSampler(docs, { ...opts, batchSize: 50 });
  assert.equal(sampler.windowCount, 400);
  let ones = 0, rows = 0;
  for (let n = 0; n < 40; n++) {
    const b = sampler.next();
    for (let r = 0; r < 50; r++, rows++) if (b.inputs[r * 16] === 1) ones++;
  }
  assert.ok(Math.abs(ones / rows - 0.75) < 0.03, `fraction ${ones / rows}`);
});

Deno.test("batches are fixed by the seed and resume exactly from a saved state", () => {
  const docs = syntheticDocs([500, 300]);
  const o = { ...opts, passkeyRate: 0.3, length: 96 };
  const a = new BatchSampler(docs, o), b = new BatchSampler(docs, o);
  const c = new BatchSampler(docs, { ...o, seed: 8 });
  const first = [a.next(), a.next()];
  assert.deepEqual([b.next(), b.next()], first);
  assert.notDeepEqual(c.next().inputs, first[0].inputs);
  const saved = JSON.parse(JSON.stringify(a.state));
  assert.equal(saved.batches, 2);
  const continued = [a.next(), a.next(), a.next()];
  const resumed = new BatchSampler(docs, { ...o, seed: 999 }, saved);
  assert.deepEqual([resumed.next(), resumed.next(), resumed.next()], continued);
  assert.deepEqual(resumed.state, a.state);
});

Deno.test("passkey rows are mixed in at the configured rate with answer-only loss when asked", () => {
  const docs = syntheticDocs([2000]);
  const R = 128;
  const none = new BatchSampler(docs, { ...opts, length: R, passkeyRate: 0 });
  const all = new BatchSampler(docs, { ...opts, length: R, passkeyRate: 1, passkeyLoss: "answer" });
  const plain = none.next();
  assert.ok(plain.passkey.every((p) => !p));
  assert.ok(plain.answerMask.every((m) => m === 0));
  const b = all.next();
  assert.ok(b.passkey.every((p) => p));
  for (let r = 0; r < b.batchSize; r++) {
    const row = tok.decode(b.inputs.subarray(r * R, (r + 1) * R)) +
      String.fromCharCode(b.targets[(r + 1) * R - 1]);
    const key = /The pass key is (\d{5})\. Remember it\./.exec(row)?.[1];
    assert.ok(key, `row ${r}: ${row}`);
    assert.ok(row.endsWith(PASSKEY_QUESTION + key));
    const scored: string[] = [];
    for (let t = 0; t < R; t++) {
      if (b.lossMask[r * R + t]) scored.push(String.fromCharCode(b.targets[r * R + t]));
    }
    assert.equal(scored.join(""), key);
    const answers = [...b.answerMask.subarray(r * R, (r + 1) * R)].flatMap((m, t) => m ? [t] : []);
    assert.deepEqual(answers, [R - 5, R - 4, R - 3, R - 2, R - 1]);
  }
  const mixed = new BatchSampler(docs, { ...opts, batchSize: 32, length: R, passkeyRate: 0.25 });
  let hits = 0;
  for (let n = 0; n < 100; n++) hits += mixed.next().passkey.filter(Boolean).length;
  assert.ok(Math.abs(hits / 3200 - 0.25) < 0.03, `passkey fraction ${hits / 3200}`);
});

Deno.test("bad sampler options are refused naming the option", () => {
  const docs = syntheticDocs([100]);
  assert.throws(() => new BatchSampler(docs, { ...opts, batchSize: 0 }), /batchSize/);
  assert.throws(() => new BatchSampler(docs, { ...opts, length: 2.5 }), /length/);
  assert.throws(() => new BatchSampler(docs, { ...opts, passkeyRate: 1.5 }), /passkeyRate/);
  assert.throws(() => new BatchSampler(docs, { ...opts, length: 100 }), /101 tokens/);
  assert.throws(
    () => new BatchSampler(docs, { ...opts, passkeyRate: 0.1 }),
    /too short for passkey/,
  );
  assert.throws(() => new BatchSampler(docs, opts, { rng: [1, 2, 3], batches: 0 }), /4 words/);
});

// ---------------------------------------------------------------- passkey

Deno.test("passkey samples have the exact length, the key at the depth, and the answer at the end", () => {
  for (const L of [PASSKEY_MIN_LENGTH, 129, 500, 2049, 8192]) {
    let lastStart = -1;
    for (const depth of [0, 0.25, 0.5, 0.75, 1]) {
      const s = passkeySample(L, depth, "40721");
      const t = tok.decode(s.tokens);
      assert.equal(s.tokens.length, L);
      assert.equal(t.slice(s.needleStart).indexOf("The pass key is 40721. Remember it."), 0);
      assert.ok(t.endsWith(PASSKEY_QUESTION + "40721"));
      assert.deepEqual(s.answerIndices.map((i) => t[i]).join(""), "40721");
      assert.equal(t.replace(/[^0-9]/g, ""), "4072140721", "digits outside the key");
      assert.ok(s.needleStart >= lastStart, "needle moved backwards as depth grew");
      lastStart = s.needleStart;
      const filler = L - PASSKEY_MIN_LENGTH;
      assert.ok(
        Math.abs(s.depth * filler - depth * filler) <= 22,
        `L ${L} depth ${depth}: ${s.depth}`,
      );
    }
  }
  assert.ok(passkeySample(129, 0.5, "12345").tokens.length - PASSKEY_MIN_LENGTH >= 40);
  assert.throws(() => passkeySample(PASSKEY_MIN_LENGTH - 1, 0, "12345"), /minimum/);
  assert.throws(() => passkeySample(200, 1.1, "12345"), /depth/);
  assert.throws(() => passkeySample(200, 0.5, "1234"), /5 digits/);
});

Deno.test("passkey generators are deterministic from their seed", () => {
  const a = randomPasskeySample(new Rng(3), 129), b = randomPasskeySample(new Rng(3), 129);
  assert.deepEqual(a, b);
  assert.match(a.key, /^[1-9]\d{4}$/);
  const e1 = passkeyEvalSet(1024, [0, 0.5, 1], 4, 11),
    e2 = passkeyEvalSet(1024, [0, 0.5, 1], 4, 11);
  assert.equal(e1.length, 12);
  assert.deepEqual(e1.map((s) => s.key), e2.map((s) => s.key));
  assert.ok(new Set(e1.map((s) => s.key)).size > 1);
  assert.notDeepEqual(
    passkeyEvalSet(1024, [0.5], 4, 12).map((s) => s.key),
    e1.slice(4, 8).map((s) => s.key),
  );
});

// ---------------------------------------------------------------- held-out windows

Deno.test("held-out windows: non-overlapping and sliding cover each target once", () => {
  const tokens = Uint8Array.from({ length: 1000 }, (_, i) => (i * 31) % 256);
  const doc = { id: "d", tokens };
  for (const stride of [100, 25, 1]) {
    const windows = heldOutWindows([doc, { id: "short", tokens: tokens.subarray(0, 100) }], 100, {
      stride,
    });
    assert.ok(windows.every((w) => w.doc === "d"), "a document shorter than L + 1 gave a window");
    const scored = new Set<number>();
    for (const w of windows) {
      assert.deepEqual([...w.tokens], [...tokens.subarray(w.start, w.start + 101)]);
      for (let t = w.scoreFrom; t < 100; t++) {
        const at = w.start + t + 1;
        assert.ok(!scored.has(at), `target ${at} scored twice at stride ${stride}`);
        scored.add(at);
      }
    }
    const max = Math.max(...scored);
    assert.equal(scored.size, max, `targets 1…${max} not all scored at stride ${stride}`);
    assert.ok(max > 1000 - 101 - stride);
  }
  assert.equal(heldOutWindows([doc], 100).length, 9);
  const some = heldOutWindows([doc], 10, { maxWindows: 5 });
  assert.equal(some.length, 5);
  assert.deepEqual(some, heldOutWindows([doc], 10, { maxWindows: 5 }));
  assert.ok(some[4].start >= 750, "subset not spread over the document");
  assert.throws(() => heldOutWindows([doc], 10, { stride: 11 }), /stride/);
  const st = stackWindows(heldOutWindows([doc], 100, { stride: 50 }).slice(0, 2));
  assert.equal(st.inputs.length, 200);
  assert.equal(st.lossMask.slice(0, 100).reduce((a, b) => a + b), 100);
  assert.equal(st.lossMask.slice(100).reduce((a, b) => a + b), 50);
  assert.equal(st.targets[0], tokens[1]);
});

// ---------------------------------------------------------------- config and the whole pipeline

Deno.test("data config: defaults, and bad fields named", () => {
  const c = parseDataConfig({});
  assert.equal(c.corpus, "text");
  assert.ok(c.passkeyRate > 0 && c.passkeyRate < 1);
  assert.throws(() => parseDataConfig({ corpus: "poems" }), /corpus/);
  assert.throws(() => parseDataConfig({ passkeyRate: 2 }), /passkeyRate/);
  assert.throws(() => parseDataConfig({ seed: -1 }), /seed/);
  assert.throws(() => parseDataConfig({ batch: 4 }), /batch/);
});

Deno.test("data config notes: retrieval rows with the default passkey rows beside them", () => {
  const notes = (raw: Record<string, unknown>) => dataConfigNotes(raw, parseDataConfig(raw));
  assert.deepEqual(notes({}), []);
  assert.deepEqual(notes({ retrievalRate: 0.5, passkeyRate: 0.1 }), []); // asked for: no note
  assert.deepEqual(notes({ retrievalRate: 1, passkeyRate: 0 }), []);
  const [note, ...rest] = notes({ retrievalRate: 1 });
  assert.equal(rest.length, 0);
  assert.match(note, /passkeyRate is 0\.1 by default.*every byte.*"passkeyRate": 0/);
  assert.match(notes({ retrievalRate: 1, passkeyLoss: "answer" })[0], /loss on the answer/);
});

Deno.test("prepareData + createBatchSampler on the real text corpus: rows come from train docs", async () => {
  const data = await prepareData({ seed: 5, passkeyRate: 0 });
  assert.equal(data.tokenizer.vocabSize, 256);
  const trainText = data.splits.train.map((d) => decodeLatin1(d.tokens)).join("\u0100");
  const heldText = [...data.splits.validation, ...data.splits.test].map((d) => d.id);
  assert.ok(heldText.length > 0);
  const sampler = createBatchSampler(data, { batchSize: 8, length: 128 });
  const b = sampler.next();
  for (let r = 0; r < 8; r++) {
    const row = decodeLatin1(Uint8Array.from([...b.inputs.subarray(r * 128, r * 128 + 128)]));
    assert.ok(trainText.includes(row), `row ${r} is not in the train split`);
  }
  const again = createBatchSampler(data, { batchSize: 8, length: 128 }).next();
  assert.deepEqual(again.inputs, b.inputs);
  const windows = heldOutWindows(data.splits.test, 2048, { maxWindows: 16 });
  assert.equal(windows.length, 16);
  assert.ok(windows.every((w) => w.tokens.length === 2049));
});

Deno.test("the retrieval anchors (needle `=`, recall names) are (almost) absent from the book text", async () => {
  const data = await prepareData({ passkeyRate: 0 });
  for (const [split, docs] of Object.entries(data.splits)) {
    const counts = new Float64Array(256);
    let total = 0;
    for (const d of docs) {
      for (const t of d.tokens) counts[t]++;
      total += d.tokens.length;
    }
    assert.ok(total > 1_000_000, `${split}: ${total} bytes`);
    assert.ok(counts["=".charCodeAt(0)] <= 1, `${split}: = occurs ${counts[61]} times`);
    for (const name of RECALL_NAMES) {
      // at most one in 40,000 bytes (a 128-byte filler window holds one < 0.4 % of the time); `_`
      // (Gutenberg italics) is the exception: one in 8,500 bytes of the test split
      const most = name === "_" ? total / 8_000 : total / 40_000;
      const n = counts[name.charCodeAt(0)];
      assert.ok(n <= most, `${split}: recall name ${name} occurs ${n} times in ${total} bytes`);
    }
    for (const never of "#<^|~") assert.equal(counts[never.charCodeAt(0)], 0, `${split}: ${never}`);
  }
});

Deno.test("the code corpus is selectable and splits into train and held-out sources", async () => {
  const data = await prepareData({ corpus: "code" });
  assert.ok(data.splits.train.every((d) => d.source === "ts-lib" || d.source === "ts-src"));
  assert.ok(data.splits.validation.length > 0 && data.splits.test.length > 0);
  const b = createBatchSampler(data, { batchSize: 2, length: 128 }).next();
  assert.equal(b.inputs.length, 256);
});
