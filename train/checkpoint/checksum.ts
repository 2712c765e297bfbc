/**
 * SHA-256 checksums (crypto.subtle) and the `SHA256SUMS` file that lists them, in the format of
 * `sha256sum`, so `sha256sum -c SHA256SUMS` also verifies a checkpoint from the shell.
 */
import { CheckpointError } from "./errors.ts";

/** Lowercase hex SHA-256 of `bytes`. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The name of the checksum file in a checkpoint directory. */
export const SUMS_FILE = "SHA256SUMS";

/** `<hex>  <name>` lines, one per file. */
export function formatSums(sums: ReadonlyMap<string, string>): string {
  return [...sums].map(([name, hex]) => `${hex}  ${name}\n`).join("");
}

/** Parse a `SHA256SUMS` file; a malformed line is refused naming the line. */
export function parseSums(text: string): Map<string, string> {
  const sums = new Map<string, string>();
  text.split("\n").forEach((line, i) => {
    if (!line) return;
    const m = /^([0-9a-f]{64}) [ *]([^/\\]+)$/.exec(line);
    if (!m || sums.has(m[2])) {
      throw new CheckpointError("corrupt", `${SUMS_FILE}: malformed line ${i + 1}`, {
        file: SUMS_FILE,
      });
    }
    sums.set(m[2], m[1]);
  });
  return sums;
}
