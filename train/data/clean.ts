/**
 * Text cleaning for the corpora: decode bytes (UTF-8, or ISO-8859-1 when the bytes are not valid
 * UTF-8), normalise line endings to `\n`, and cut licence text that is not part of the work.
 */

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** How a file's bytes were decoded. */
export type TextEncodingName = "utf-8" | "latin-1";

/**
 * Decode a text file. Valid UTF-8 (a leading BOM dropped) is read as UTF-8; anything else is read
 * as ISO-8859-1, where every byte is the code point of the same value (so `0xE6` is `æ`).
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: TextEncodingName } {
  try {
    const text = utf8.decode(bytes);
    return { text: text.startsWith("\uFEFF") ? text.slice(1) : text, encoding: "utf-8" };
  } catch {
    return { text: decodeLatin1(bytes), encoding: "latin-1" };
  }
}

/** ISO-8859-1: byte `b` is code point `b` (unlike WHATWG "latin1", which is windows-1252). */
export function decodeLatin1(bytes: Uint8Array): string {
  const parts: string[] = [];
  const chunk = 8192;
  for (let i = 0; i < bytes.length; i += chunk) {
    parts.push(String.fromCharCode(...bytes.subarray(i, i + chunk)));
  }
  return parts.join("");
}

/** Line endings to `\n`: CRLF and lone CR both become LF. */
export function normalizeNewlines(text: string): string {
  return text.replace(/\r\n?/g, "\n");
}

/** Trailing whitespace removed, ending in exactly one `\n` (empty text stays empty). */
export function trimEnd(text: string): string {
  const t = text.trimEnd();
  return t.length ? t + "\n" : "";
}

/**
 * The first line where Project Gutenberg's end matter starts: "End of Project Gutenberg's …",
 * "*** END OF THE PROJECT GUTENBERG EBOOK …", or the "Small Print" licence.
 */
const GUTENBERG_TAIL =
  /^(?:End of (?:the )?Project Gutenberg|\*{3} ?END OF (?:THE|THIS) PROJECT GUTENBERG|\*{3}START\*{2}THE SMALL PRINT)/im;

/** Cut a Gutenberg book at the start of its licence tail, if it has one. */
export function stripGutenbergTail(text: string): string {
  const m = GUTENBERG_TAIL.exec(text);
  return m ? text.slice(0, m.index) : text;
}

/** A leading `/*! … *\/` licence block (the TypeScript files' Apache notice) and the blank lines after it. */
const LEADING_LICENCE = /^\/\*![\s\S]*?\*\/[ \t]*\n(?:[ \t]*\n)*/;

/** Remove a leading `/*! … *\/` licence comment. */
export function stripLeadingLicence(text: string): string {
  return text.replace(LEADING_LICENCE, "");
}
