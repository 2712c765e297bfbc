/**
 * The safetensors format, f32 only: an 8-byte little-endian u64 header length N, N bytes of JSON
 * header `{name: {dtype: "F32", shape, data_offsets: [begin, end]}, "__metadata__": {str: str}}`
 * (padded with spaces to a multiple of 8), then the little-endian data, with offsets relative to
 * the data section. Tensors are written in name order, packed with no gaps, as the reference
 * implementation requires when it reads.
 */
import { CheckpointError } from "./errors.ts";

/** A named f32 tensor on the CPU. */
export interface F32Tensor {
  shape: number[];
  data: Float32Array;
}

/** Tensors by name, as a Map or a plain object. */
export type TensorInput = ReadonlyMap<string, F32Tensor> | Readonly<Record<string, F32Tensor>>;

/** A decoded safetensors file. */
export interface SafetensorsFile {
  tensors: Map<string, F32Tensor>;
  metadata: Record<string, string>;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const METADATA = "__metadata__";

/** Tensors as `[name, tensor]` pairs in name order. */
export function tensorEntries(tensors: TensorInput): [string, F32Tensor][] {
  const entries = tensors instanceof Map
    ? [...tensors.entries()]
    : Object.entries(tensors as Record<string, F32Tensor>);
  return entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Serialise f32 tensors (and optional string metadata) to safetensors bytes. */
export function encodeSafetensors(
  tensors: TensorInput,
  metadata: Record<string, string> = {},
): Uint8Array {
  const entries = tensorEntries(tensors);
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== "string") {
        throw new CheckpointError("invalid", `safetensors metadata "${k}" must be a string`);
      }
    }
    header[METADATA] = metadata;
  }
  let offset = 0;
  for (const [name, t] of entries) {
    if (!name || name === METADATA) {
      throw new CheckpointError("invalid", `bad tensor name "${name}"`, { field: name });
    }
    checkShape(name, t.shape, t.data);
    header[name] = {
      dtype: "F32",
      shape: [...t.shape],
      data_offsets: [offset, offset + t.data.byteLength],
    };
    offset += t.data.byteLength;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const [, t] of entries) {
    writeF32(out, at, t.data);
    at += t.data.byteLength;
  }
  return out;
}

/**
 * Parse safetensors bytes. Refuses (naming `file` and the tensor) a truncated file, a header that
 * is not JSON or runs past the end, a dtype other than F32, offsets that do not match the shape
 * or leave gaps, overlap, or run past the data.
 */
export function decodeSafetensors(bytes: Uint8Array, file = "safetensors"): SafetensorsFile {
  const bad = (why: string) => new CheckpointError("corrupt", `${file}: ${why}`, { file });
  if (bytes.length < 8) {
    throw bad(`truncated: ${bytes.length} bytes, no room for the header length`);
  }
  const n = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(bytes.length - 8)) {
    throw bad(`bad header: length ${n} runs past the end of the ${bytes.length}-byte file`);
  }
  const headerEnd = 8 + Number(n);
  let header: unknown;
  try {
    header = JSON.parse(
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, headerEnd)),
    );
  } catch (e) {
    throw bad(`bad header: not JSON (${(e as Error).message})`);
  }
  if (!isPlainObject(header)) throw bad("bad header: not a JSON object");
  const dataLength = bytes.length - headerEnd;
  const metadata: Record<string, string> = {};
  const spans: { name: string; begin: number; end: number; shape: number[] }[] = [];
  for (const [name, entry] of Object.entries(header)) {
    if (name === METADATA) {
      if (!isPlainObject(entry) || !Object.values(entry).every((v) => typeof v === "string")) {
        throw bad("bad header: __metadata__ must map strings to strings");
      }
      Object.assign(metadata, entry);
      continue;
    }
    if (!isPlainObject(entry)) throw bad(`bad header: entry "${name}" is not an object`);
    const { dtype, shape, data_offsets: offsets } = entry;
    if (dtype !== "F32") {
      throw bad(`tensor "${name}" has dtype ${JSON.stringify(dtype)}; only F32 is supported`);
    }
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      throw bad(`bad header: tensor "${name}" has shape ${JSON.stringify(shape)}`);
    }
    if (
      !Array.isArray(offsets) || offsets.length !== 2 ||
      !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) || offsets[0] > offsets[1]
    ) {
      throw bad(`bad header: tensor "${name}" has data_offsets ${JSON.stringify(offsets)}`);
    }
    const [begin, end] = offsets as number[];
    const numel = (shape as number[]).reduce((a, b) => a * b, 1);
    if (end - begin !== numel * 4) {
      throw bad(
        `tensor "${name}" spans ${end - begin} bytes but shape [${shape}] needs ${numel * 4}`,
      );
    }
    spans.push({ name, begin, end, shape: shape as number[] });
  }
  spans.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  for (const s of spans) {
    if (s.begin !== covered) {
      throw bad(
        `tensor "${s.name}" starts at byte ${s.begin} of the data, expected ${covered} (gap or overlap)`,
      );
    }
    covered = s.end;
  }
  if (covered !== dataLength) {
    throw bad(
      covered > dataLength
        ? `truncated: tensors need ${covered} data bytes, the file has ${dataLength}`
        : `${dataLength - covered} trailing bytes after the last tensor`,
    );
  }
  const tensors = new Map<string, F32Tensor>();
  for (const s of spans.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    tensors.set(s.name, {
      shape: s.shape,
      data: readF32(bytes, headerEnd + s.begin, headerEnd + s.end),
    });
  }
  return { tensors, metadata };
}

function checkShape(name: string, shape: readonly number[], data: Float32Array): void {
  if (!(data instanceof Float32Array)) {
    throw new CheckpointError("invalid", `tensor "${name}" is not a Float32Array`, { field: name });
  }
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new CheckpointError(
      "invalid",
      `tensor "${name}" has a bad shape ${JSON.stringify(shape)}`,
      {
        field: name,
      },
    );
  }
  const numel = shape.reduce((a, b) => a * b, 1);
  if (numel !== data.length) {
    throw new CheckpointError(
      "invalid",
      `tensor "${name}" has ${data.length} values but shape [${shape}] needs ${numel}`,
      { field: name },
    );
  }
}

function writeF32(out: Uint8Array, at: number, data: Float32Array): void {
  if (LITTLE_ENDIAN) {
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), at);
  } else {
    const view = new DataView(out.buffer, out.byteOffset + at, data.byteLength);
    for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i], true);
  }
}

function readF32(bytes: Uint8Array, begin: number, end: number): Float32Array {
  if (LITTLE_ENDIAN) return new Float32Array(bytes.slice(begin, end).buffer);
  const view = new DataView(bytes.buffer, bytes.byteOffset + begin, end - begin);
  return Float32Array.from({ length: (end - begin) / 4 }, (_, i) => view.getFloat32(i * 4, true));
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
