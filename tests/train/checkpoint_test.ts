import assert from "node:assert/strict";
import { join } from "node:path";
import {
  type CheckpointError,
  type CheckpointInput,
  decodeSafetensors,
  encodeSafetensors,
  type F32Tensor,
  loadCheckpoint,
  saveCheckpoint,
  sha256Hex,
  verifyCheckpoint,
} from "@e2llm/train";
import { Rng } from "@e2llm/encodings";

// ---------------------------------------------------------------- helpers

const modelConfig = { vocabSize: 256, dModel: 16, nLayers: 2, nHeads: 2, ropeBase: 10000 };
const encodingConfig = { name: "rope", scale: 1 };

function tensor(rng: Rng, shape: number[]): F32Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return { shape, data: Float32Array.from({ length: n }, () => rng.normal()) };
}

/** Weights with awkward values included: ±0, ±Inf, NaN with a payload, subnormals. */
function makeWeights(seed: number): Record<string, F32Tensor> {
  const rng = new Rng(seed);
  const w: Record<string, F32Tensor> = {
    "embed": tensor(rng, [256, 16]),
    "layers.0.attn.wqkv": tensor(rng, [16, 48]),
    "layers.1.mlp_norm": tensor(rng, [16]),
    "scalar": tensor(rng, []),
    "empty": tensor(rng, [0, 3]),
  };
  // A view into a larger flat buffer, as a trainer with one parameter buffer would pass.
  const flat = Float32Array.from({ length: 40 }, () => rng.normal());
  w["flat.view"] = { shape: [3, 5], data: flat.subarray(7, 22) };
  const special = new Uint32Array(w["layers.1.mlp_norm"].data.buffer);
  special.set([0x80000000, 0x7f800000, 0xff800000, 0x7fc12345, 0x00000001, 0x807fffff]);
  return w;
}

function makeCheckpoint(step: number, seed = step): CheckpointInput {
  const weights = makeWeights(seed);
  const rng = new Rng(seed + 100);
  const moments = (scale: number) =>
    Object.fromEntries(
      Object.entries(weights).map(([k, t]) => [k, {
        shape: t.shape,
        data: t.data.map(() => rng.normal() * scale),
      }]),
    );
  return {
    step,
    model: modelConfig,
    encoding: encodingConfig,
    weights,
    optimizer: { step, m: moments(1), v: moments(0.01), config: { lr: 3e-3, beta2: 0.95 } },
    data: { rng: [1, 2, 3, 4294967295], batches: step },
    rng: { init: new Rng(9).state },
    extra: { note: "test", loss: 2.5 },
  };
}

function bits(t: F32Tensor): number[] {
  return [...new Uint32Array(t.data.buffer, t.data.byteOffset, t.data.length)];
}

function assertSameTensors(actual: Map<string, F32Tensor>, expected: Record<string, F32Tensor>) {
  assert.deepEqual([...actual.keys()].sort(), Object.keys(expected).sort());
  for (const [name, t] of Object.entries(expected)) {
    assert.deepEqual(actual.get(name)!.shape, t.shape, name);
    assert.deepEqual(bits(actual.get(name)!), bits(t), `${name} differs bitwise`);
  }
}

async function refused(p: Promise<unknown>, kind: string, re: RegExp): Promise<CheckpointError> {
  try {
    await p;
  } catch (e) {
    const err = e as CheckpointError;
    assert.equal(err.name, "CheckpointError", String(e));
    assert.equal(err.kind, kind, err.message);
    assert.match(err.message, re);
    return err;
  }
  throw new assert.AssertionError({ message: `expected a ${kind} refusal matching ${re}` });
}

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

async function siblings(dir: string): Promise<string[]> {
  const parent = join(dir, "..");
  const out: string[] = [];
  for await (const e of Deno.readDir(parent)) out.push(e.name);
  return out.sort();
}

/** Recompute meta.json sizes and SHA256SUMS after a test edits a file on purpose. */
async function reseal(dir: string): Promise<void> {
  const meta = JSON.parse(await Deno.readTextFile(join(dir, "meta.json")));
  for (const f of Object.keys(meta.files)) {
    meta.files[f].bytes = (await Deno.stat(join(dir, f))).size;
  }
  await Deno.writeTextFile(join(dir, "meta.json"), JSON.stringify(meta));
  let sums = "";
  for (const f of [...Object.keys(meta.files), "meta.json"]) {
    sums += `${await sha256Hex(await Deno.readFile(join(dir, f)))}  ${f}\n`;
  }
  await Deno.writeTextFile(join(dir, "SHA256SUMS"), sums);
}

async function withTempDir(fn: (root: string) => Promise<void>): Promise<void> {
  const root = await Deno.makeTempDir({ prefix: "e2llm-ckpt-" });
  try {
    await fn(root);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

// ---------------------------------------------------------------- safetensors

/** An independent reader of the safetensors layout, written from the format description. */
function referenceParse(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  const tensors: Record<string, { shape: number[]; bits: number[] }> = {};
  for (const [name, e] of Object.entries(header)) {
    if (name === "__metadata__") continue;
    const { dtype, shape, data_offsets: [b, end] } = e as {
      dtype: string;
      shape: number[];
      data_offsets: [number, number];
    };
    assert.equal(dtype, "F32");
    const out: number[] = [];
    for (let at = 8 + n + b; at < 8 + n + end; at += 4) out.push(view.getUint32(at, true));
    tensors[name] = { shape, bits: out };
  }
  return { headerLength: n, header, tensors };
}

Deno.test("safetensors output is readable by an independent reference parser", () => {
  const weights = makeWeights(1);
  const bytes = encodeSafetensors(weights, { step: "7" });
  const ref = referenceParse(bytes);
  assert.equal(ref.headerLength % 8, 0, "header not padded to 8 bytes");
  assert.deepEqual(ref.header.__metadata__, { step: "7" });
  const dataLength = bytes.length - 8 - ref.headerLength;
  const spans = Object.entries(ref.header).filter(([k]) => k !== "__metadata__")
    .map(([, e]) => (e as { data_offsets: number[] }).data_offsets).sort((a, b) => a[0] - b[0]);
  assert.equal(spans[0][0], 0);
  for (let i = 1; i < spans.length; i++) assert.equal(spans[i][0], spans[i - 1][1]);
  assert.equal(spans.at(-1)![1], dataLength);
  for (const [name, t] of Object.entries(weights)) {
    assert.deepEqual(ref.tensors[name].shape, t.shape);
    assert.deepEqual(ref.tensors[name].bits, bits(t), name);
  }
});

Deno.test("safetensors decoder reads a file laid out differently by another writer", () => {
  // Written by hand: tensors stored in reverse name order, no metadata, no header padding.
  const a = Float32Array.from([1.5, -2, 3.25]), b = Float32Array.from([7, 8]);
  const header = JSON.stringify({
    b: { dtype: "F32", shape: [2], data_offsets: [0, 8] },
    a: { dtype: "F32", shape: [3, 1], data_offsets: [8, 20] },
  });
  const h = new TextEncoder().encode(header);
  const bytes = new Uint8Array(8 + h.length + 20);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(0, BigInt(h.length), true);
  bytes.set(h, 8);
  b.forEach((x, i) => view.setFloat32(8 + h.length + i * 4, x, true));
  a.forEach((x, i) => view.setFloat32(8 + h.length + 8 + i * 4, x, true));
  const { tensors, metadata } = decodeSafetensors(bytes, "other.safetensors");
  assert.deepEqual(metadata, {});
  assert.deepEqual(tensors.get("a"), { shape: [3, 1], data: a });
  assert.deepEqual(tensors.get("b"), { shape: [2], data: b });
});

Deno.test("safetensors decoder refuses bad files naming the file and the problem", () => {
  const good = encodeSafetensors({ w: { shape: [2, 2], data: new Float32Array(4) } });
  const ref = referenceParse(good);
  const withHeader = (header: unknown, dataBytes: number) => {
    const h = new TextEncoder().encode(JSON.stringify(header));
    const out = new Uint8Array(8 + h.length + dataBytes);
    new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
    out.set(h, 8);
    return out;
  };
  const cases: [Uint8Array, RegExp][] = [
    [good.subarray(0, 5), /f\.st: truncated/],
    [good.subarray(0, good.length - 4), /f\.st: truncated: tensors need 16 data bytes/],
    [
      Uint8Array.from([
        ...good.subarray(0, 8).map((_, i) => i === 0 ? 255 : 0),
        ...good.subarray(8),
      ]),
      /bad header: length 255/,
    ],
    [withHeader("x".repeat(3), 0).map((v, i) => i === 8 ? 0x7b : v), /bad header: not JSON/],
    [withHeader({ w: { dtype: "F16", shape: [2], data_offsets: [0, 4] } }, 4), /dtype "F16"/],
    [withHeader({ w: { dtype: "F32", shape: [2], data_offsets: [0, 12] } }, 12), /needs 8/],
    [withHeader({ w: { dtype: "F32", shape: [1], data_offsets: [4, 8] } }, 8), /gap or overlap/],
    [withHeader({ w: { dtype: "F32", shape: [1], data_offsets: [0, 4] } }, 8), /4 trailing bytes/],
    [withHeader([1, 2], 0), /not a JSON object/],
  ];
  assert.equal(ref.headerLength % 8, 0);
  for (const [bytes, re] of cases) {
    assert.throws(() => decodeSafetensors(bytes, "f.st"), (e: Error) => {
      assert.match(e.message, re);
      assert.match(e.message, /^f\.st: /);
      return true;
    });
  }
});

Deno.test("sha256Hex matches the FIPS 180-2 test vector", async () => {
  assert.equal(
    await sha256Hex(new TextEncoder().encode("abc")),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
});

// ---------------------------------------------------------------- save and load

Deno.test("a checkpoint round-trips bit-exactly: weights, optimizer, configs, cursor, RNG", async () => {
  await withTempDir(async (root) => {
    const dir = join(root, "ckpt");
    const input = makeCheckpoint(42);
    await saveCheckpoint(dir, input);
    assert.deepEqual(
      (await siblings(dir)).filter((n) => n !== "ckpt"),
      [],
      "temporary files left next to the checkpoint",
    );
    const files = [];
    for await (const e of Deno.readDir(dir)) files.push(e.name);
    assert.deepEqual(files.sort(), [
      "SHA256SUMS",
      "meta.json",
      "model.safetensors",
      "optimizer.safetensors",
    ]);
    const c = await loadCheckpoint(dir, { model: modelConfig, encoding: encodingConfig });
    assert.equal(c.dir, dir);
    assert.equal(c.step, 42);
    assert.deepEqual(c.model, modelConfig);
    assert.deepEqual(c.encoding, encodingConfig);
    assertSameTensors(c.weights, input.weights as Record<string, F32Tensor>);
    assert.ok(c.optimizer);
    assert.equal(c.optimizer.step, 42);
    assert.deepEqual(c.optimizer.config, { lr: 3e-3, beta2: 0.95 });
    assertSameTensors(c.optimizer.m, input.optimizer!.m as Record<string, F32Tensor>);
    assertSameTensors(c.optimizer.v, input.optimizer!.v as Record<string, F32Tensor>);
    assert.deepEqual(c.data, input.data);
    assert.deepEqual(c.rng, input.rng);
    assert.deepEqual(c.extra, input.extra);
    assert.deepEqual(new Rng((c.rng as { init: number[] }).init).nextU32(), new Rng(9).nextU32());
    assert.deepEqual(await verifyCheckpoint(dir), { dir, step: 42 });

    // The SHA256SUMS file lists every other file with its real digest.
    const sums = (await Deno.readTextFile(join(dir, "SHA256SUMS"))).trim().split("\n");
    assert.equal(sums.length, 3);
    for (const line of sums) {
      const [hex, name] = line.split("  ");
      assert.equal(hex, await sha256Hex(await Deno.readFile(join(dir, name))));
    }

    // Without optimizer state.
    const bare = join(root, "bare");
    await saveCheckpoint(bare, { ...input, optimizer: undefined, data: undefined });
    const b = await loadCheckpoint(bare);
    assert.equal(b.optimizer, null);
    assert.equal(b.data, null);
    assert.ok(!(await exists(join(bare, "optimizer.safetensors"))));
  });
});

Deno.test("a corrupted, truncated or missing file is refused naming the file", async () => {
  await withTempDir(async (root) => {
    for (const file of ["model.safetensors", "optimizer.safetensors", "meta.json", "SHA256SUMS"]) {
      const dir = join(root, file);
      await saveCheckpoint(dir, makeCheckpoint(3));
      const path = join(dir, file);
      const bytes = await Deno.readFile(path);
      bytes[Math.floor(bytes.length * 0.6)] ^= 0x01;
      await Deno.writeFile(path, bytes);
      const err = await refused(
        loadCheckpoint(dir),
        "corrupt",
        new RegExp(file.replace(".", "\\.")),
      );
      if (file !== "SHA256SUMS") {
        assert.equal(err.file, file);
        assert.match(err.message, /checksum/);
      }
    }
    const dir = join(root, "trunc");
    await saveCheckpoint(dir, makeCheckpoint(3));
    const model = await Deno.readFile(join(dir, "model.safetensors"));
    await Deno.writeFile(join(dir, "model.safetensors"), model.subarray(0, model.length - 100));
    const t = await refused(loadCheckpoint(dir), "corrupt", /model\.safetensors is truncated/);
    assert.equal(t.file, "model.safetensors");
    await Deno.remove(join(dir, "optimizer.safetensors"));
    await refused(
      verifyCheckpoint(dir),
      "corrupt",
      /(model|optimizer)\.safetensors (is truncated|is missing)/,
    );
    await Deno.remove(join(dir, "SHA256SUMS"));
    await refused(loadCheckpoint(dir), "corrupt", /SHA256SUMS is missing/);
    await refused(loadCheckpoint(join(root, "nowhere")), "missing", /no checkpoint at/);
  });
});

Deno.test("a bad header or bad meta.json with valid checksums is refused naming the file", async () => {
  await withTempDir(async (root) => {
    const dir = join(root, "c");
    await saveCheckpoint(dir, makeCheckpoint(5));
    const path = join(dir, "model.safetensors");
    const bytes = await Deno.readFile(path);
    bytes[8] = "[".charCodeAt(0); // header now starts "[" instead of "{"
    await Deno.writeFile(path, bytes);
    await reseal(dir);
    const err = await refused(loadCheckpoint(dir), "corrupt", /model\.safetensors: bad header/);
    assert.equal(err.file, "model.safetensors");

    await saveCheckpoint(dir, makeCheckpoint(5));
    const meta = JSON.parse(await Deno.readTextFile(join(dir, "meta.json")));
    meta.version = 99;
    await Deno.writeTextFile(join(dir, "meta.json"), JSON.stringify(meta));
    await reseal(dir);
    await refused(loadCheckpoint(dir), "corrupt", /meta\.json is invalid at version/);
  });
});

Deno.test("a mismatched config is refused naming the field", async () => {
  await withTempDir(async (root) => {
    const dir = join(root, "c");
    await saveCheckpoint(dir, makeCheckpoint(2));
    const m = await refused(
      loadCheckpoint(dir, { model: { ...modelConfig, dModel: 32 } }),
      "mismatch",
      /model config: model\.dModel: checkpoint has 16, expected 32/,
    );
    assert.equal(m.field, "model.dModel");
    const extra = await refused(
      loadCheckpoint(dir, { model: { ...modelConfig, tieEmbeddings: true } }),
      "mismatch",
      /model\.tieEmbeddings: checkpoint has \(absent\), expected true/,
    );
    assert.equal(extra.field, "model.tieEmbeddings");
    const e = await refused(
      loadCheckpoint(dir, { model: modelConfig, encoding: { name: "yarn", scale: 1 } }),
      "mismatch",
      /encoding config: encoding\.name: checkpoint has "rope", expected "yarn"/,
    );
    assert.equal(e.field, "encoding.name");
  });
});

Deno.test("bad input is refused before anything is written", async () => {
  await withTempDir(async (root) => {
    const dir = join(root, "c");
    await saveCheckpoint(dir, makeCheckpoint(1));
    const good = makeCheckpoint(2);
    const bad: [CheckpointInput, RegExp][] = [
      [{ ...good, data: { cursor: NaN } }, /data\.cursor is NaN/],
      [{ ...good, rng: { s: 1n } }, /rng\.s is bigint/],
      [{ ...good, weights: { w: { shape: [3], data: new Float32Array(2) } } }, /"w" has 2 values/],
      [{ ...good, step: -1 }, /step/],
      [{
        ...good,
        optimizer: {
          ...good.optimizer!,
          m: { ...good.optimizer!.m, ghost: tensor(new Rng(1), [2]) },
        },
      }, /"ghost"/],
    ];
    for (const [input, re] of bad) await refused(saveCheckpoint(dir, input), "invalid", re);
    assert.equal((await loadCheckpoint(dir)).step, 1);
    assert.deepEqual(await siblings(dir), ["c"]);
    // A directory with other files in it is not silently replaced.
    const run = join(root, "run");
    await Deno.mkdir(run);
    await Deno.writeTextFile(join(run, "metrics.jsonl"), "{}\n");
    await refused(saveCheckpoint(run, good), "invalid", /holds other files \(metrics\.jsonl\)/);
    assert.equal(await Deno.readTextFile(join(run, "metrics.jsonl")), "{}\n");
    await Deno.mkdir(join(root, "empty"));
    await saveCheckpoint(join(root, "empty"), good);
    assert.equal((await loadCheckpoint(join(root, "empty"))).step, 2);
  });
});

// ---------------------------------------------------------------- atomicity

Deno.test("a write that fails midway leaves the previous checkpoint intact", async () => {
  await withTempDir(async (root) => {
    const dir = join(root, "c");
    const first = makeCheckpoint(10);
    await saveCheckpoint(dir, first);
    for (const stage of ["model.safetensors", "optimizer.safetensors", "meta.json", "SHA256SUMS"]) {
      await assert.rejects(
        saveCheckpoint(dir, makeCheckpoint(11), {
          faultPoint: (s) => {
            if (s === stage) throw new Error(`disk full after ${s}`);
          },
        }),
        /disk full/,
      );
      const c = await loadCheckpoint(dir);
      assert.equal(c.step, 10, `after a failure at ${stage}`);
      assertSameTensors(c.weights, first.weights as Record<string, F32Tensor>);
      assert.deepEqual(await siblings(dir), ["c"], `temporary files left after ${stage}`);
    }
  });
});

Deno.test("a crash between the renames or a killed writer never loses the last good checkpoint", async () => {
  await withTempDir(async (root) => {
    const dir = join(root, "c");
    const first = makeCheckpoint(20);
    await saveCheckpoint(dir, first);

    // Crash after the old checkpoint moved aside, before the new one moved in.
    await assert.rejects(
      saveCheckpoint(dir, makeCheckpoint(21), {
        faultPoint: (s) => {
          if (s === "swap") throw new Error("power cut");
        },
      }),
      /power cut/,
    );
    assert.ok(!(await exists(dir)));
    const recovered = await loadCheckpoint(dir);
    assert.equal(recovered.step, 20);
    assert.equal(recovered.dir, `${dir}.old`);
    assertSameTensors(recovered.weights, first.weights as Record<string, F32Tensor>);

    // A writer killed mid-file left a half-written temporary directory.
    const stale = `${dir}.tmp-killed`;
    await Deno.mkdir(stale);
    await Deno.writeFile(join(stale, "model.safetensors"), new Uint8Array(10));
    assert.equal((await loadCheckpoint(dir)).step, 20);

    // The next save completes the recovery and cleans up.
    const third = makeCheckpoint(22);
    await saveCheckpoint(dir, third);
    assert.deepEqual(await siblings(dir), ["c"]);
    const c = await loadCheckpoint(dir);
    assert.equal(c.step, 22);
    assert.equal(c.dir, dir);
    assertSameTensors(c.weights, third.weights as Record<string, F32Tensor>);
  });
});
