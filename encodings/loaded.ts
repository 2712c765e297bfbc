/**
 * The async, validated face of an in-process encoding (the built-ins): the same
 * {@link LoadedEncoding} a sandboxed plugin presents, so a training loop never branches.
 * @module
 */
import {
  evalPositionsOf,
  type LoadedEncoding,
  type PositionalEncoding,
  trainPositionsOf,
} from "./contract.ts";
import { Rng } from "./random.ts";
import {
  checkFrequencyContext,
  checkPositionContext,
  checkSeed,
  validateFrequencies,
  validatePositions,
} from "./validate.ts";

/** Wrap an in-process encoding: async methods, defaults filled in, results validated. */
export function wrapEncoding(encoding: PositionalEncoding, source: string): LoadedEncoding {
  let closed = false;
  const run = <T>(what: string, body: () => T): T => {
    if (closed) throw new Error(`encoding ${source}: ${what}() called after close()`);
    try {
      return body();
    } catch (err) {
      throw new Error(`encoding ${source}: ${what}: ${(err as Error)?.message ?? err}`, {
        cause: err,
      });
    }
  };
  return {
    name: encoding.name,
    source,
    // deno-lint-ignore require-await
    async frequencies(ctx) {
      checkFrequencyContext(ctx);
      return run(
        "frequencies",
        () => validateFrequencies(encoding.frequencies({ ...ctx }), ctx.headDim),
      );
    },
    // deno-lint-ignore require-await
    async trainPositions({ length, trainLength, seed }) {
      checkPositionContext({ length, trainLength });
      checkSeed(seed);
      return run("trainPositions", () => {
        const random = new Rng(seed).random;
        const ids = trainPositionsOf(encoding, { length, trainLength, random });
        return validatePositions("trainPositions", ids, length);
      });
    },
    // deno-lint-ignore require-await
    async evalPositions(ctx) {
      checkPositionContext(ctx);
      return run("evalPositions", () => {
        const ids = evalPositionsOf(encoding, { length: ctx.length, trainLength: ctx.trainLength });
        return validatePositions("evalPositions", ids, ctx.length);
      });
    },
    // deno-lint-ignore require-await
    async close() {
      closed = true;
    },
    // deno-lint-ignore require-await
    async [Symbol.asyncDispose]() {
      closed = true;
    },
  };
}
