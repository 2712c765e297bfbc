import assert from "node:assert/strict";
import { join } from "node:path";
import {
  bf16ToF32,
  decodeSafetensorsAny,
  decodeToF32,
  encodeFromF32,
  encodeSafetensorsTyped,
  f16ToF32,
  f32ToBf16,
  f32ToF16,
  type HfDtype,
  loadHfCheckpoint,
  MAX_HEADER_BYTES,
  openSafetensors,
  parseSafetensorsHeader,
} from "@e2llm/train";

// ---------------------------------------------------------------- dtypes

Deno.test("F16: every one of the 65,536 bit patterns widens and narrows back exactly", () => {
  for (let bits = 0; bits < 65536; bits++) {
    const x = f16ToF32(bits);
    if (Number.isNaN(x)) {
      assert.ok(Number.isNaN(f16ToF32(f32ToF16(x))), `NaN ${bits.toString(16)}`);
      continue;
    }
    assert.equal(f32ToF16(x), bits, `f16 ${bits.toString(16)} → ${x}`);
  }
});

Deno.test("BF16: every one of the 65,536 bit patterns widens and narrows back exactly", () => {
  for (let bits = 0; bits < 65536; bits++) {
    const x = bf16ToF32(bits);
    if (Number.isNaN(x)) {
      assert.ok(Number.isNaN(bf16ToF32(f32ToBf16(x))));
      continue;
    }
    assert.equal(f32ToBf16(x), bits, `bf16 ${bits.toString(16)} → ${x}`);
  }
});

Deno.test("F16/BF16 narrowing rounds to nearest, ties to even, and saturates to ±∞", () => {
  // 1 + 2^-11 is halfway between 1 and 1 + 2^-10 in f16: ties to even (1).
  assert.equal(f32ToF16(1 + 2 ** -11), 0x3c00);
  assert.equal(f32ToF16(1 + 3 * 2 ** -11), 0x3c02); // halfway, rounds up to even
  assert.equal(f32ToF16(1 + 2 ** -11 + 2 ** -20), 0x3c01); // above halfway
  assert.equal(f32ToF16(65520), 0x7c00); // rounds past the largest finite (65504)
  assert.equal(f32ToF16(-1e10), 0xfc00);
  assert.equal(f32ToF16(2 ** -25), 0); // halfway to the smallest subnormal: even (0)
  assert.equal(f32ToF16(2 ** -25 * 1.5), 1);
  assert.equal(f32ToBf16(1 + 2 ** -8), 0x3f80); // tie → even
  assert.equal(f32ToBf16(1 + 3 * 2 ** -8), 0x3f82);
  assert.equal(f32ToBf16(3.4e38), 0x7f80); // rounds to +∞
  // A random f32 narrows to a neighbour: |x − round(x)| ≤ half an ulp of the narrow type.
  const xs = Float32Array.from({ length: 2000 }, (_, i) => Math.sin(i * 12.9898) * 43758.5453 % 7);
  for (const x of xs) {
    const b = bf16ToF32(f32ToBf16(x)), h = f16ToF32(f32ToF16(x));
    assert.ok(Math.abs(b - x) <= Math.abs(x) * 2 ** -8, `bf16 ${x} → ${b}`);
    assert.ok(Math.abs(h - x) <= Math.max(Math.abs(x) * 2 ** -11, 2 ** -25), `f16 ${x} → ${h}`);
  }
});

Deno.test("encodeFromF32/decodeToF32 round-trip representable values in every dtype", () => {
  const values = Float32Array.from([0, -0, 1, -2.5, 0.125, 65504, -65504, 2 ** -24, Infinity]);
  for (const dtype of ["F32", "F16", "BF16"] as HfDtype[]) {
    const back = decodeToF32(encodeFromF32(values, dtype), dtype);
    // 65504 and 2^-24 are not BF16 values; compare against the narrowed value for BF16.
    const want = dtype === "BF16" ? values.map((v) => bf16ToF32(f32ToBf16(v))) : values;
    assert.deepEqual(
      [...back].map(Object.is.bind(null, 0)),
      [...want].map(Object.is.bind(null, 0)),
    );
    assert.deepEqual([...back], [...want]);
  }
});

// ---------------------------------------------------------------- fuzzing the reader

const good = () =>
  encodeSafetensorsTyped(
    [
      { name: "a", shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) },
      { name: "b", shape: [4], data: Float32Array.from([7, 8, 9, 10]) },
    ],
    "BF16",
    { format: "pt" },
  );

/** A file from a header object and `dataBytes` bytes of data (header padded to 8). */
function craft(header: unknown, dataBytes: number, rawHeader?: string): Uint8Array {
  const json = new TextEncoder().encode(rawHeader ?? JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + dataBytes);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  return out;
}

function refuses(bytes: Uint8Array, pattern: RegExp): void {
  assert.throws(() => decodeSafetensorsAny(bytes, "x.safetensors"), (e: Error) => {
    assert.match(e.message, /x\.safetensors/);
    assert.match(e.message, pattern);
    return true;
  });
}

Deno.test("the reader decodes what the writer wrote (BF16, metadata)", () => {
  const { tensors, metadata } = decodeSafetensorsAny(good());
  assert.deepEqual(metadata, { format: "pt" });
  assert.deepEqual([...tensors.get("a")!.data], [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(tensors.get("b")!.shape, [4]);
  assert.equal(tensors.get("b")!.dtype, "BF16");
});

Deno.test("fuzz: every truncation of a valid file is refused", () => {
  const bytes = good();
  for (let n = 0; n < bytes.length; n++) {
    assert.throws(
      () => decodeSafetensorsAny(bytes.subarray(0, n), "x.safetensors"),
      /x\.safetensors/,
    );
  }
});

Deno.test("fuzz: random byte flips are decoded or refused, never crash with a foreign error", () => {
  const bytes = good();
  let seed = 12345;
  const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  let refused = 0;
  for (let trial = 0; trial < 2000; trial++) {
    const b = bytes.slice();
    for (let k = 0; k < 3; k++) b[Math.floor(rand() * b.length)] = Math.floor(rand() * 256);
    try {
      decodeSafetensorsAny(b, "x.safetensors");
    } catch (e) {
      assert.equal((e as Error).name, "CheckpointError", (e as Error).message);
      refused++;
    }
  }
  assert.ok(refused > 100, `only ${refused} refusals`);
});

Deno.test("fuzz: oversized and lying header lengths are refused before allocating", () => {
  const huge = new Uint8Array(16);
  new DataView(huge.buffer).setBigUint64(0, 2n ** 63n, true);
  refuses(huge, /exceeds the 100000000-byte limit/);
  const past = new Uint8Array(16);
  new DataView(past.buffer).setBigUint64(0, 1000n, true);
  refuses(past, /truncated: header length 1000 runs past the end/);
  const over = new Uint8Array(16);
  new DataView(over.buffer).setBigUint64(0, BigInt(MAX_HEADER_BYTES + 8), true);
  refuses(over, /limit/);
  // With only the first 8 bytes, the parser asks for exactly 8 + n bytes (n checked first).
  assert.deepEqual(parseSafetensorsHeader(past.subarray(0, 8), 1e12, "f"), { need: 1008 });
  assert.throws(() => parseSafetensorsHeader(huge.subarray(0, 8), 1e12, "f"), /limit/);
});

Deno.test("fuzz: non-JSON, non-object and malformed entries are refused, naming the tensor", () => {
  refuses(craft(null, 0, "{not json"), /not JSON/);
  refuses(craft(null, 0, "[1,2]   "), /not a JSON object/);
  refuses(craft(null, 0, "\xff\xfe    "), /not JSON/);
  refuses(craft({ t: 3 }, 0), /tensor "t": header entry is not an object/);
  refuses(
    craft({ t: { dtype: "I64", shape: [1], data_offsets: [0, 8] } }, 8),
    /"t": unknown dtype "I64"/,
  );
  refuses(craft({ t: { dtype: "F32", shape: [-1], data_offsets: [0, 4] } }, 4), /"t": bad shape/);
  refuses(craft({ t: { dtype: "F32", shape: [1.5], data_offsets: [0, 4] } }, 4), /"t": bad shape/);
  refuses(craft({ t: { dtype: "F32", shape: [1], data_offsets: [4, 0] } }, 4), /bad data_offsets/);
  refuses(craft({ t: { dtype: "F32", shape: [1], data_offsets: [0] } }, 4), /bad data_offsets/);
  refuses(craft({ __metadata__: { a: 1 } }, 0), /__metadata__/);
});

Deno.test("fuzz: shape × dtype ≠ byte span is refused (also for a huge shape)", () => {
  refuses(
    craft({ t: { dtype: "F16", shape: [3], data_offsets: [0, 8] } }, 8),
    /"t": shape \[3\] × F16 is 6 bytes but data_offsets span 8/,
  );
  refuses(
    craft({ t: { dtype: "F32", shape: [2 ** 26, 2 ** 26], data_offsets: [0, 16] } }, 16),
    /"t": shape .* but data_offsets span 16/,
  );
});

Deno.test("fuzz: overlapping, gapped and out-of-range offsets are refused", () => {
  const e = (begin: number, end: number) => ({
    dtype: "F32",
    shape: [(end - begin) / 4],
    data_offsets: [begin, end],
  });
  refuses(craft({ a: e(0, 8), b: e(4, 12) }, 12), /"b": bytes 4–12 overlap/);
  refuses(craft({ a: e(0, 8), b: e(0, 8) }, 8), /overlap/);
  refuses(craft({ a: e(0, 4), b: e(8, 12) }, 12), /"b": gap before byte 8/);
  refuses(craft({ a: e(0, 4), b: e(4, 4096) }, 8), /truncated: tensor "b" ends at data byte 4096/);
  refuses(craft({ a: e(0, 4) }, 12), /8 trailing bytes/);
});

Deno.test("openSafetensors reads only validated files, one tensor at a time", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "m.safetensors");
    await Deno.writeFile(path, good());
    const r = await openSafetensors(path);
    assert.deepEqual([...await r.read("b")], [7, 8, 9, 10]);
    await assert.rejects(() => r.read("zzz"), /no tensor "zzz"/);
    r.close();
    const bad = new Uint8Array(16);
    new DataView(bad.buffer).setBigUint64(0, 2n ** 40n, true);
    await Deno.writeFile(path, bad);
    await assert.rejects(() => openSafetensors(path), /exceeds the 100000000-byte limit/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a sharded index naming a missing file, a bad file name or a wrong shard is refused", async () => {
  const dir = await Deno.makeTempDir();
  const config = {
    architectures: ["LlamaForCausalLM"],
    model_type: "llama",
    vocab_size: 8,
    hidden_size: 8,
    intermediate_size: 4,
    num_hidden_layers: 1,
    num_attention_heads: 2,
    max_position_embeddings: 16,
    tie_word_embeddings: true,
  };
  const index = (map: Record<string, string>) =>
    Deno.writeTextFile(
      join(dir, "model.safetensors.index.json"),
      JSON.stringify({ weight_map: map }),
    );
  try {
    await Deno.writeTextFile(join(dir, "config.json"), JSON.stringify(config));
    await index({ "model.norm.weight": "model-00001-of-00002.safetensors" });
    await assert.rejects(
      () => loadHfCheckpoint(dir),
      /names missing file model-00001-of-00002\.safetensors/,
    );
    await index({ "model.norm.weight": "../etc/passwd.safetensors" });
    await assert.rejects(() => loadHfCheckpoint(dir), /bad file name/);
    await Deno.writeFile(join(dir, "a.safetensors"), good());
    await index({ "model.norm.weight": "a.safetensors" });
    await assert.rejects(
      () => loadHfCheckpoint(dir),
      /tensor model\.norm\.weight is not in a\.safetensors/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
