/**
 * Reads a sample's E² ids back into (g, t) and checks the paper's structure: the first `sinks`
 * ids are i/g, every later id is (i + t)/g with one integer t in 0 … g·R − R (test helper).
 */
import assert from "node:assert/strict";

/** The (g, t) a sample of E² ids was built from; throws (assert) when the structure is off. */
export function paperE2Structure(
  ids: ArrayLike<number>,
  trainLength: number,
  sinks = 4,
): { g: number; t: number } {
  assert.equal(ids[0], 0, "id 0 is 0");
  const g = Math.round(1 / ids[1]);
  assert.ok(Number.isInteger(g) && g >= 1, `g ${g} from id 1 = ${ids[1]}`);
  for (let i = 0; i < Math.min(sinks, ids.length); i++) {
    assert.equal(ids[i], i / g, `sink id ${i} is i/g (g ${g})`);
  }
  if (ids.length <= sinks) return { g, t: 0 };
  const t = Math.round(ids[sinks] * g - sinks);
  assert.ok(t >= 0 && t <= g * trainLength - trainLength, `t ${t} in 0..gR−R (g ${g})`);
  for (let i = sinks; i < ids.length; i++) {
    assert.equal(ids[i], (i + t) / g, `id ${i} is (i + t)/g (g ${g}, t ${t})`);
  }
  return { g, t };
}

/** Pearson χ² of observed counts against expected counts. */
export function chiSquare(observed: number[], expected: number[]): number {
  return observed.reduce((acc, o, i) => acc + (o - expected[i]) ** 2 / expected[i], 0);
}

/**
 * χ² of the offsets against U{0 … g·R − R}, pooled over samples with g > 1: each t falls into one
 * of `bins` equal slices of its own range; expected counts are exact per sample.
 */
export function offsetChiSquare(
  samples: { g: number; t: number }[],
  trainLength: number,
  bins = 10,
): { chi: number; n: number } {
  const observed = new Array(bins).fill(0), expected = new Array(bins).fill(0);
  let n = 0;
  for (const { g, t } of samples) {
    if (g === 1) continue;
    const size = g * trainLength - trainLength + 1; // values 0 … gR − R
    observed[Math.floor((t * bins) / size)]++;
    for (let v = 0; v < size; v++) expected[Math.floor((v * bins) / size)] += 1 / size;
    n++;
  }
  return { chi: chiSquare(observed, expected), n };
}
