/**
 * @module
 * CSV (RFC 4180 quoting, "\n" line ends, header row): a field is quoted when it holds a comma,
 * a double quote, a line break or leading/trailing space; quotes inside are doubled. `null` is an
 * empty field; numbers are written in full precision.
 */

/** One CSV field. */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return "";
  const s = String(value);
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** A CSV document: header row of `columns`, then one line per record. */
export function toCsv<K extends string>(
  columns: readonly K[],
  records: readonly Record<K, string | number | boolean | null>[],
): string {
  const lines = [columns.map(csvField).join(",")];
  for (const r of records) lines.push(columns.map((c) => csvField(r[c])).join(","));
  return lines.join("\n") + "\n";
}
