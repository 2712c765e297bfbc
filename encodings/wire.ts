/**
 * The sandbox's wire format: one JSON message per line, each line prefixed with {@link WIRE_PREFIX}
 * (other lines a plugin might print are ignored). JSON cannot carry NaN, ±Infinity or typed arrays,
 * so they are tagged: `{ "$num": "NaN" }`, `{ "$f64": [...] }`. The parent still validates
 * everything it decodes.
 * @module
 */

/** Marks a protocol line on the child's stdout. */
export const WIRE_PREFIX = "e2llm-sandbox ";

/** Encode a message as one line (without the trailing newline), prefix included. */
export function encodeWire(message: unknown): string {
  return WIRE_PREFIX + JSON.stringify(message, (_key, value) => {
    if (typeof value === "number" && !Number.isFinite(value)) return { $num: String(value) };
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
      return { $f64: Array.from(value as unknown as ArrayLike<number>) };
    }
    return value;
  });
}

/** Decode a line made by {@link encodeWire}; undefined for a line without the prefix. */
export function decodeWire(line: string): unknown {
  if (!line.startsWith(WIRE_PREFIX)) return undefined;
  return JSON.parse(line.slice(WIRE_PREFIX.length), (_key, value) => {
    if (value && typeof value === "object" && !Array.isArray(value)) {
      if (typeof value.$num === "string" && Object.keys(value).length === 1) {
        return Number(value.$num);
      }
      if (Array.isArray(value.$f64) && Object.keys(value).length === 1) {
        return Float64Array.from(value.$f64 as number[]);
      }
    }
    return value;
  });
}

/** Split a byte stream into text lines (without their newline). */
export async function* readLines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  // A TextDecoder rather than `pipeThrough(new TextDecoderStream())`: the DOM lib types that
  // stream's writable side as BufferSource, which a Uint8Array stream does not match.
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const bytes of stream) {
    buffer += decoder.decode(bytes, { stream: true });
    let newline: number;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      yield buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
    }
  }
  buffer += decoder.decode();
  if (buffer) yield buffer;
}
