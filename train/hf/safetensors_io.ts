/**
 * Safetensors for Hugging Face checkpoints: F32, F16 and BF16 tensors, read from strangers'
 * files. The header is validated in full against the file's size before any tensor byte is
 * read or any tensor buffer is allocated: a header over {@link MAX_HEADER_BYTES} or longer than
 * the file, a header that is not a JSON object, an unknown dtype, a shape whose element count
 * times the dtype's size differs from its byte span, offsets that overlap, leave gaps or run past
 * the end, and trailing bytes are each refused with a {@link CheckpointError} naming the file and
 * the tensor. Tensors are then read one at a time from their own byte range.
 */
import { CheckpointError } from "../checkpoint/errors.ts";
import { decodeToF32, DTYPE_BYTES, encodeFromF32, type HfDtype, isHfDtype } from "./dtypes.ts";

/** The reference implementation's cap on the JSON header (100 MB). */
export const MAX_HEADER_BYTES = 100_000_000;

/** One tensor's header entry, validated. */
export interface TensorEntry {
  name: string;
  dtype: HfDtype;
  shape: number[];
  /** Byte range inside the data section. */
  begin: number;
  end: number;
}

/** A validated safetensors header. */
export interface SafetensorsHeader {
  /** Tensors by name. */
  entries: Map<string, TensorEntry>;
  metadata: Record<string, string>;
  /** Byte offset of the data section in the file (8 + header length). */
  dataStart: number;
}

const METADATA = "__metadata__";

/**
 * Validate a header given its first bytes and the file's total size. `prefix` must hold at least
 * the first 8 bytes; returns `{need}` when it is shorter than 8 + header length (read that many
 * bytes and call again), else the header. Throws on any inconsistency (see the module doc).
 */
export function parseSafetensorsHeader(
  prefix: Uint8Array,
  fileSize: number,
  file: string,
): SafetensorsHeader | { need: number } {
  const bad = (why: string) => new CheckpointError("corrupt", `${file}: ${why}`, { file });
  if (fileSize < 8 || prefix.length < 8) {
    throw bad(`truncated: ${fileSize} bytes, no room for the 8-byte header length`);
  }
  const n = new DataView(prefix.buffer, prefix.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES)) {
    throw bad(`header length ${n} exceeds the ${MAX_HEADER_BYTES}-byte limit`);
  }
  if (n > BigInt(fileSize - 8)) {
    throw bad(`truncated: header length ${n} runs past the end of the ${fileSize}-byte file`);
  }
  const dataStart = 8 + Number(n);
  if (prefix.length < dataStart) return { need: dataStart };
  let header: unknown;
  try {
    header = JSON.parse(
      new TextDecoder("utf-8", { fatal: true }).decode(prefix.subarray(8, dataStart)),
    );
  } catch (e) {
    throw bad(`header is not JSON (${(e as Error).message})`);
  }
  if (!isObject(header)) throw bad("header is not a JSON object");
  const metadata: Record<string, string> = {};
  const list: TensorEntry[] = [];
  for (const [name, entry] of Object.entries(header)) {
    if (name === METADATA) {
      if (!isObject(entry) || !Object.values(entry).every((v) => typeof v === "string")) {
        throw bad("__metadata__ must map strings to strings");
      }
      Object.assign(metadata, entry);
      continue;
    }
    if (!isObject(entry)) throw bad(`tensor "${name}": header entry is not an object`);
    const { dtype, shape, data_offsets: offsets } = entry;
    if (!isHfDtype(dtype)) {
      throw bad(`tensor "${name}": unknown dtype ${JSON.stringify(dtype)} (F32, F16, BF16)`);
    }
    if (
      !Array.isArray(shape) || shape.length > 8 ||
      !shape.every((d) => Number.isSafeInteger(d) && d >= 0)
    ) {
      throw bad(`tensor "${name}": bad shape ${JSON.stringify(shape)}`);
    }
    if (
      !Array.isArray(offsets) || offsets.length !== 2 ||
      !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) || offsets[0] > offsets[1]
    ) {
      throw bad(`tensor "${name}": bad data_offsets ${JSON.stringify(offsets)}`);
    }
    const [begin, end] = offsets as number[];
    // Element count as a float: a huge shape gives a huge (unequal) number, never an allocation.
    const numel = (shape as number[]).reduce((a, b) => a * b, 1);
    if (numel * DTYPE_BYTES[dtype] !== end - begin) {
      throw bad(
        `tensor "${name}": shape [${shape}] × ${dtype} is ${numel * DTYPE_BYTES[dtype]} bytes ` +
          `but data_offsets span ${end - begin}`,
      );
    }
    list.push({ name, dtype, shape: shape as number[], begin, end });
  }
  const dataLength = fileSize - dataStart;
  list.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  for (const t of list) {
    if (t.begin < covered) {
      throw bad(`tensor "${t.name}": bytes ${t.begin}–${t.end} overlap the previous tensor`);
    }
    if (t.begin > covered) {
      throw bad(`tensor "${t.name}": gap before byte ${t.begin} of the data (expected ${covered})`);
    }
    if (t.end > dataLength) {
      throw bad(
        `truncated: tensor "${t.name}" ends at data byte ${t.end}, the file has ${dataLength}`,
      );
    }
    covered = t.end;
  }
  if (covered !== dataLength) throw bad(`${dataLength - covered} trailing bytes after the tensors`);
  return { entries: new Map(list.map((t) => [t.name, t])), metadata, dataStart };
}

/** An opened safetensors file: its validated header and a reader of single tensors (as f32). */
export interface SafetensorsReader {
  readonly file: string;
  readonly header: SafetensorsHeader;
  /** Read one tensor, widened to f32 (exact). */
  read(name: string): Promise<Float32Array>;
  close(): void;
}

/** Open `path` and validate its header before reading any tensor (see the module doc). */
export async function openSafetensors(path: string): Promise<SafetensorsReader> {
  const file = await Deno.open(path, { read: true });
  try {
    const size = (await file.stat()).size;
    const head = await readAt(file, 0, Math.min(8, size));
    let parsed = parseSafetensorsHeader(head, size, path);
    if ("need" in parsed) {
      parsed = parseSafetensorsHeader(await readAt(file, 0, parsed.need), size, path);
    }
    const header = parsed as SafetensorsHeader;
    return {
      file: path,
      header,
      async read(name: string): Promise<Float32Array> {
        const e = header.entries.get(name);
        if (!e) {
          throw new CheckpointError("corrupt", `${path}: no tensor "${name}"`, { file: path });
        }
        const bytes = await readAt(file, header.dataStart + e.begin, e.end - e.begin);
        return decodeToF32(bytes, e.dtype);
      },
      close: () => file.close(),
    };
  } catch (e) {
    file.close();
    throw e;
  }
}

/** Decode in-memory safetensors bytes of any supported dtype to f32 tensors. */
export function decodeSafetensorsAny(
  bytes: Uint8Array,
  file = "safetensors",
): {
  tensors: Map<string, { shape: number[]; data: Float32Array; dtype: HfDtype }>;
  metadata: Record<string, string>;
} {
  const header = parseSafetensorsHeader(bytes, bytes.length, file) as SafetensorsHeader;
  const tensors = new Map<string, { shape: number[]; data: Float32Array; dtype: HfDtype }>();
  for (const e of header.entries.values()) {
    const at = header.dataStart;
    tensors.set(e.name, {
      shape: e.shape,
      dtype: e.dtype,
      data: decodeToF32(bytes.subarray(at + e.begin, at + e.end), e.dtype),
    });
  }
  return { tensors, metadata: header.metadata };
}

/** A tensor to write: f32 values, stored as `dtype`. */
export interface TensorToWrite {
  name: string;
  shape: number[];
  data: Float32Array;
}

/**
 * Serialise tensors (in the given order) as safetensors of one `dtype`, with string metadata.
 * The header is padded with spaces to a multiple of 8, as the reference writer does.
 */
export function encodeSafetensorsTyped(
  tensors: readonly TensorToWrite[],
  dtype: HfDtype,
  metadata: Record<string, string> = {},
): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length) header[METADATA] = metadata;
  let offset = 0;
  const encoded: Uint8Array[] = [];
  for (const t of tensors) {
    const numel = t.shape.reduce((a, b) => a * b, 1);
    if (!t.name || t.name === METADATA || t.name in header) {
      throw new CheckpointError("invalid", `bad or duplicate tensor name "${t.name}"`);
    }
    if (numel !== t.data.length) {
      throw new CheckpointError(
        "invalid",
        `tensor "${t.name}" has ${t.data.length} values but shape [${t.shape}] needs ${numel}`,
      );
    }
    const bytes = encodeFromF32(t.data, dtype);
    header[t.name] = { dtype, shape: [...t.shape], data_offsets: [offset, offset + bytes.length] };
    offset += bytes.length;
    encoded.push(bytes);
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + padded + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(padded), true);
  out.fill(0x20, 8, 8 + padded);
  out.set(json, 8);
  let at = 8 + padded;
  for (const b of encoded) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}

async function readAt(file: Deno.FsFile, at: number, length: number): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  await file.seek(at, Deno.SeekMode.Start);
  let got = 0;
  while (got < length) {
    const n = await file.read(out.subarray(got));
    if (n === null) throw new Error(`unexpected end of file at byte ${at + got}`);
    got += n;
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
