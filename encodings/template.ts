/**
 * A minimal e2llm encoding plugin: copy this file, change it, then run
 * `deno task encoding check ./my_encoding.ts` and use it with `--encoding ./my_encoding.ts`
 * (or an https URL).
 *
 * Rules: the default export is either a PositionalEncoding object or a function from the JSON
 * config to one (as here). The plugin runs in a process with no permissions (no files, network,
 * env, subprocesses) and a time limit per call; use only `ctx.random` for randomness so runs are
 * reproducible. Imports: relative ones and full specifiers (`npm:zod@4.6.7`) only. Outside this
 * repository, import the types from the URL of e2llm's `encodings/contract.ts`, or drop them.
 *
 * This example is Position Interpolation with an optional per-sample jitter of the positions.
 * @module
 */
import type { PositionalEncoding } from "./contract.ts";

/** Build the encoding from the config given with `--config` (here `{ factor, jitter }`). */
export default function create(config: Record<string, unknown> = {}): PositionalEncoding {
  for (const key of Object.keys(config)) {
    if (!["rope_type", "factor", "jitter"].includes(key)) {
      throw new Error(`template plugin: unknown config key "${key}"`);
    }
  }
  const factor = config.factor ?? 1;
  const jitter = config.jitter ?? 0;
  if (typeof factor !== "number" || !(factor >= 1)) {
    throw new Error(`template plugin: "factor" must be a number ≥ 1`);
  }
  if (typeof jitter !== "number" || !(jitter >= 0 && jitter < 1)) {
    throw new Error(`template plugin: "jitter" must be a number in [0, 1)`);
  }
  return {
    name: "template",
    /** d/2 positive inverse frequencies and the factor q and k are both multiplied by. */
    frequencies({ headDim, base }) {
      const invFreq = new Float64Array(headDim / 2);
      for (let j = 0; j < invFreq.length; j++) {
        invFreq[j] = Math.pow(base, (-2 * j) / headDim) / factor;
      }
      return { invFreq, attentionScale: 1 };
    },
    /** Optional: ids for one training sample (omit it for 0 … n−1). */
    trainPositions({ length, random }) {
      const ids = new Float64Array(length);
      for (let i = 0; i < length; i++) ids[i] = i + jitter * random();
      return ids;
    },
    // evalPositions({ length, trainLength }) is optional too: omitted here, so 0 … n−1.
  };
}
