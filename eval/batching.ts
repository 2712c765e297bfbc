/**
 * @module
 * Score many rows of one length through a {@link Scorer}: rows are packed into calls of at most
 * `scorer.maxTokens` tokens, every row gets the same position ids, and the per-token results
 * come back per row.
 */
import type { Scorer } from "@e2llm/train";

/** What an encoding hands the model for one length: position ids, frequencies, q/k scale. */
export interface PositionalInputs {
  /** Position ids of the `length` tokens of a row. */
  positions: Float64Array;
  /** Per-pair inverse frequencies, [headDim / 2]. */
  invFreq: Float64Array;
  /** The factor q and k are both multiplied by. */
  attentionScale: number;
}

/** One row to score: `length` input ids and their next-token targets. */
export interface ScoreRow {
  inputs: Uint32Array;
  targets: Uint32Array;
}

/** Per-token results of one row. */
export interface RowScores {
  nll: Float32Array;
  hit: Uint8Array;
}

/**
 * Rows per scorer call at `length` under `maxTokens`: one when a row is longer than `maxTokens`
 * but at most `maxRowLength` (the scorer grows for it); throws when not even one row fits.
 */
export function rowsPerCall(length: number, maxTokens: number, maxRowLength = maxTokens): number {
  const rows = Math.floor(maxTokens / length);
  if (rows >= 1) return rows;
  if (length <= maxRowLength) return 1;
  throw new RangeError(
    `length ${length} does not fit the scorer: one row needs ${length} tokens, ` +
      `maxTokens is ${maxTokens}` +
      (maxRowLength > maxTokens ? ` and the longest row it can grow to is ${maxRowLength}` : ""),
  );
}

/** Score `rows` (each `length` tokens) in calls of at most `scorer.maxTokens` tokens. */
export async function scoreRows(
  scorer: Scorer,
  length: number,
  rows: readonly ScoreRow[],
  enc: PositionalInputs,
): Promise<RowScores[]> {
  if (enc.positions.length !== length) {
    throw new RangeError(`got ${enc.positions.length} position ids for length ${length}`);
  }
  const perCall = rowsPerCall(length, scorer.maxTokens, scorer.maxRowLength);
  const out: RowScores[] = [];
  for (let first = 0; first < rows.length; first += perCall) {
    const chunk = rows.slice(first, first + perCall);
    const batch = chunk.length;
    const inputs = new Uint32Array(batch * length);
    const targets = new Uint32Array(batch * length);
    const positions = new Float64Array(batch * length);
    chunk.forEach((row, r) => {
      if (row.inputs.length !== length || row.targets.length !== length) {
        throw new RangeError(
          `row ${first + r} has ${row.inputs.length} inputs and ${row.targets.length} targets, ` +
            `expected ${length}`,
        );
      }
      inputs.set(row.inputs, r * length);
      targets.set(row.targets, r * length);
      positions.set(enc.positions, r * length);
    });
    const scores = await scorer.score({
      batch,
      length,
      inputs,
      targets,
      positions,
      invFreq: enc.invFreq,
      attentionScale: enc.attentionScale,
    });
    if (scores.nll.length !== batch * length || scores.hit.length !== batch * length) {
      throw new Error(
        `scorer returned ${scores.nll.length} NLLs and ${scores.hit.length} hits for ` +
          `${batch}×${length} tokens`,
      );
    }
    for (let r = 0; r < batch; r++) {
      out.push({
        nll: scores.nll.slice(r * length, (r + 1) * length),
        hit: scores.hit.slice(r * length, (r + 1) * length),
      });
    }
  }
  return out;
}
