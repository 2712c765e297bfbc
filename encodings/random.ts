/**
 * A small seeded PRNG (xoshiro128**, seeded through SplitMix32) whose whole state is four u32
 * words, so checkpoints can save and restore it exactly. Every random choice in e2llm (weight
 * init, data order, sampled positions) comes from one of these: runs are reproducible from a seed.
 */
export class Rng {
  #s: Uint32Array;

  constructor(seed: number | readonly number[]) {
    if (typeof seed === "number") {
      let x = seed >>> 0;
      const s = new Uint32Array(4);
      for (let i = 0; i < 4; i++) {
        x = (x + 0x9e3779b9) >>> 0;
        let z = x;
        z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
        z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
        s[i] = (z ^ (z >>> 16)) >>> 0;
      }
      if (s.every((v) => v === 0)) s[0] = 1;
      this.#s = s;
    } else {
      if (seed.length !== 4) throw new RangeError(`Rng state needs 4 words, got ${seed.length}`);
      this.#s = Uint32Array.from(seed);
    }
  }

  /** The state, to save in a checkpoint; `new Rng(state)` continues the same stream. */
  get state(): number[] {
    return [...this.#s];
  }

  /** A uniformly random u32. */
  nextU32(): number {
    const s = this.#s;
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** Uniform in [0, 1) with 32 random bits. */
  next(): number {
    return this.nextU32() / 4294967296;
  }

  /** Uniform integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** A function view for APIs that take `random: () => number`. */
  get random(): () => number {
    return () => this.next();
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
