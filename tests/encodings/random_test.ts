import assert from "node:assert/strict";
import { Rng } from "@e2llm/encodings";

Deno.test("Rng is reproducible from a seed and resumable from its state", () => {
  const a = new Rng(42), b = new Rng(42);
  const first = Array.from({ length: 5 }, () => a.nextU32());
  assert.deepEqual(first, Array.from({ length: 5 }, () => b.nextU32()));
  const saved = a.state;
  const next = Array.from({ length: 5 }, () => a.next());
  const resumed = new Rng(saved);
  assert.deepEqual(next, Array.from({ length: 5 }, () => resumed.next()));
  assert.notDeepEqual(first, Array.from({ length: 5 }, () => new Rng(43).nextU32()));
});

Deno.test("Rng.next is roughly uniform and int stays in range", () => {
  const rng = new Rng(1);
  let sum = 0;
  const n = 20000;
  for (let i = 0; i < n; i++) {
    const v = rng.next();
    assert.ok(v >= 0 && v < 1);
    sum += v;
  }
  assert.ok(Math.abs(sum / n - 0.5) < 0.01, `mean ${sum / n}`);
  for (let i = 0; i < 1000; i++) {
    const k = rng.int(3, 7);
    assert.ok(k >= 3 && k <= 7 && Number.isInteger(k));
  }
});
