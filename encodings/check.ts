/**
 * The conformance check a plugin author runs (`deno task encoding check <url | path>`): load the
 * plugin in the sandbox and call every method over a grid of contexts, checking validity,
 * determinism and reproducibility from the seed.
 * @module
 */
import type { FrequencyContext, LoadedEncoding } from "./contract.ts";
import { loadEncoding, type LoadOptions } from "./load.ts";

/** One line of the check. */
export interface CheckItem {
  /** What was checked. */
  name: string;
  /** Whether it passed. */
  ok: boolean;
  /** The evidence, or what went wrong. */
  detail: string;
}

/** The outcome of {@link checkEncoding}. */
export interface CheckReport {
  /** The `--encoding` value checked. */
  spec: string;
  /** The encoding's name, once loaded. */
  name?: string;
  /** True when every item passed. */
  ok: boolean;
  /** The items, in order. */
  items: CheckItem[];
}

/** Frequency contexts the check calls frequencies() with. */
export const CHECK_FREQUENCY_CONTEXTS: readonly FrequencyContext[] = [8, 64, 128].flatMap((
  headDim,
) =>
  [10_000, 500_000].flatMap((base) =>
    [64, 128, 1024, 16_384].map((seqLength) => ({ headDim, base, trainLength: 128, seqLength }))
  )
);

/** Sample lengths the check asks position ids for. */
export const CHECK_LENGTHS: readonly number[] = [1, 2, 17, 128, 1024, 4096];

/** Run the conformance check; never throws for a misbehaving plugin (it reports instead). */
export async function checkEncoding(
  spec: string,
  config: unknown = {},
  options: LoadOptions = {},
): Promise<CheckReport> {
  const items: CheckItem[] = [];
  const report = (): CheckReport => ({ spec, name, ok: items.every((i) => i.ok), items });
  let name: string | undefined;
  let encoding: LoadedEncoding;
  const t0 = performance.now();
  try {
    encoding = await loadEncoding(spec, config, options);
    name = encoding.name;
    items.push({ name: "loads and initialises", ok: true, detail: `${ms(t0)}, name "${name}"` });
  } catch (err) {
    items.push({ name: "loads and initialises", ok: false, detail: (err as Error).message });
    return report();
  }
  let slowest = 0;
  const timed = async <T>(f: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    try {
      return await f();
    } finally {
      slowest = Math.max(slowest, performance.now() - start);
    }
  };
  let stopped = false; // once the sandbox is gone, later steps would only repeat that
  const step = async (what: string, body: () => Promise<string>) => {
    if (stopped) return;
    try {
      items.push({ name: what, ok: true, detail: await body() });
    } catch (err) {
      const detail = (err as Error).message;
      items.push({ name: what, ok: false, detail });
      stopped = /sandbox (was stopped|is closed|exited)/.test(detail);
    }
  };
  try {
    await step("frequencies: valid (d/2 finite positive values, scale > 0)", async () => {
      for (const ctx of CHECK_FREQUENCY_CONTEXTS) {
        await timed(() => encoding.frequencies(ctx)).catch((err) => {
          throw new Error(`${JSON.stringify(ctx)}: ${err.message}`);
        });
      }
      return `${CHECK_FREQUENCY_CONTEXTS.length} contexts (headDim 8/64/128, base 1e4/5e5, seqLength 64…16384)`;
    });
    await step("frequencies: deterministic", async () => {
      const ctx = { headDim: 64, base: 10_000, trainLength: 128, seqLength: 1024 };
      const a = await timed(() => encoding.frequencies(ctx));
      const b = await timed(() => encoding.frequencies(ctx));
      if (a.attentionScale !== b.attentionScale || !sameArray(a.invFreq, b.invFreq)) {
        throw new Error(`two calls with ${JSON.stringify(ctx)} gave different results`);
      }
      return "two identical calls agree bitwise";
    });
    await step("trainPositions: valid (right length, finite)", async () => {
      for (const length of CHECK_LENGTHS) {
        await timed(() => encoding.trainPositions({ length, trainLength: 128, seed: 7 })).catch(
          (err) => {
            throw new Error(`length ${length}: ${err.message}`);
          },
        );
      }
      return `lengths ${CHECK_LENGTHS.join(", ")} at trainLength 128`;
    });
    await step("trainPositions: reproducible from the seed", async () => {
      const ctx = { length: 128, trainLength: 128, seed: 12345 };
      const a = await timed(() => encoding.trainPositions(ctx));
      const b = await timed(() => encoding.trainPositions(ctx));
      if (!sameArray(a, b)) {
        throw new Error("the same seed gave different ids (use only ctx.random)");
      }
      const c = await timed(() => encoding.trainPositions({ ...ctx, seed: 54321 }));
      return sameArray(a, c)
        ? "same seed, same ids (ids do not depend on the seed)"
        : "same seed, same ids";
    });
    await step("evalPositions: valid and deterministic", async () => {
      for (const length of CHECK_LENGTHS) {
        const ctx = { length, trainLength: 128 };
        const a = await timed(() => encoding.evalPositions(ctx)).catch((err) => {
          throw new Error(`length ${length}: ${err.message}`);
        });
        const b = await timed(() => encoding.evalPositions(ctx));
        if (!sameArray(a, b)) throw new Error(`length ${length}: two calls gave different ids`);
      }
      return `lengths ${CHECK_LENGTHS.join(", ")} at trainLength 128`;
    });
    if (items.every((i) => i.ok)) {
      items.push({ name: "speed", ok: true, detail: `slowest call ${slowest.toFixed(1)} ms` });
    }
  } finally {
    await encoding.close();
  }
  return report();
}

function sameArray(a: Float64Array, b: Float64Array): boolean {
  return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}

function ms(start: number): string {
  return `${(performance.now() - start).toFixed(0)} ms`;
}
