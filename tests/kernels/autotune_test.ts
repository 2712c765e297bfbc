import assert from "node:assert/strict";
import {
  adapterIdentity,
  defaultMatmulVariant,
  fnv1a,
  getGpu,
  lookupTuned,
  matmul,
  MATMUL_TUNE_KEY,
  type MatmulVariant,
  problemTensors,
  Recorder,
  tileCachePath,
  tuneMatmul,
} from "@e2llm/kernels";
import { forgetTileCaches } from "@e2llm/kernels/testing";

const { device } = await getGpu();
const PROBLEM = { trans: "NT" as const, m: 64, n: 32, k: 48 };
const CANDIDATES: MatmulVariant[] = [
  { source: "texture", tm: 4, tn: 8, wg: 64 },
  { source: "buffer", tm: 4, tn: 4, wg: 64 },
];

/** Run `fn` with E2LLM_CACHE_DIR (and optionally E2LLM_AUTOTUNE) set, restoring them after. */
async function withEnv(vars: Record<string, string>, fn: () => Promise<void>): Promise<void> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, Deno.env.get(k)]));
  for (const [k, v] of Object.entries(vars)) Deno.env.set(k, v);
  forgetTileCaches();
  try {
    await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      v === undefined ? Deno.env.delete(k) : Deno.env.set(k, v);
    }
    forgetTileCaches();
  }
}

Deno.test("autotune measures once, writes the per-adapter cache file, then reuses it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "e2llm-tiles-" });
  try {
    await withEnv({ E2LLM_CACHE_DIR: dir }, async () => {
      const logged: string[] = [];
      const [first] = await tuneMatmul(device, [PROBLEM], {
        candidates: CANDIDATES,
        reps: 1,
        log: (l) => logged.push(l),
      });
      assert.equal(first.from, "measured");
      assert.equal(logged.length, CANDIDATES.length);
      assert.ok(CANDIDATES.some((c) => JSON.stringify(c) === JSON.stringify(first.choice)));
      const path = tileCachePath(device, dir);
      assert.ok(path.startsWith(dir) && path.includes(adapterIdentity(device).hash));
      const file = JSON.parse(await Deno.readTextFile(path));
      assert.equal(file.adapter, adapterIdentity(device).adapter);
      const entry = file.entries[`${MATMUL_TUNE_KEY}|${first.shapeClass}`];
      assert.deepEqual(entry.choice, first.choice);
      assert.equal(entry.measured.length, CANDIDATES.length);
      assert.ok(entry.measured.every((m: { ms: number }) => m.ms > 0));

      // A fresh process (forgotten memory) reads the file: no measuring, same choice.
      forgetTileCaches();
      logged.length = 0;
      const [again] = await tuneMatmul(device, [PROBLEM], {
        candidates: CANDIDATES,
        log: (l) => logged.push(l),
      });
      assert.equal(again.from, "cache");
      assert.equal(logged.length, 0);
      assert.deepEqual(again.choice, first.choice);

      // matmul() picks the cached choice up by itself.
      const [a, b, c] = problemTensors(device, PROBLEM);
      const rec = new Recorder(device);
      assert.deepEqual(matmul(rec, a, b, c, { trans: "NT" }), first.choice);
      rec.submit();

      // A choice planted in the file is what matmul uses (the file is the source of truth).
      const planted: MatmulVariant = { source: "buffer", tm: 8, tn: 4, wg: 32 };
      entry.choice = planted;
      await Deno.writeTextFile(path, JSON.stringify(file));
      forgetTileCaches();
      assert.deepEqual(matmul(new Recorder(device), a, b, c, { trans: "NT" }), planted);

      // A corrupt file is ignored (it is only a cache).
      await Deno.writeTextFile(path, "{ not json");
      forgetTileCaches();
      assert.equal(lookupTuned(device, MATMUL_TUNE_KEY, first.shapeClass), undefined);
      assert.deepEqual(
        matmul(new Recorder(device), a, b, c, { trans: "NT" }),
        defaultMatmulVariant(device, true),
      );
      for (const t of [a, b, c]) t.buffer.destroy();
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("with E2LLM_AUTOTUNE=0 nothing is measured or read: defaults are used", async () => {
  const dir = await Deno.makeTempDir({ prefix: "e2llm-tiles-" });
  try {
    await withEnv({ E2LLM_CACHE_DIR: dir, E2LLM_AUTOTUNE: "0" }, async () => {
      const logged: string[] = [];
      const [r] = await tuneMatmul(device, [PROBLEM], {
        candidates: CANDIDATES,
        log: (l) => logged.push(l),
      });
      assert.equal(r.from, "default");
      assert.deepEqual(r.choice, defaultMatmulVariant(device, true));
      assert.equal(logged.length, 0);
      assert.deepEqual([...Deno.readDirSync(dir)], []);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("adapter hash is a stable 64-bit FNV-1a", () => {
  assert.equal(fnv1a(""), "cbf29ce484222325");
  assert.equal(fnv1a("a"), "af63dc4c8601ec8c");
  assert.equal(adapterIdentity(device).hash, adapterIdentity(device).hash);
  assert.match(adapterIdentity(device).hash, /^[0-9a-f]{16}$/);
});

Deno.test("adapter identity includes the device features (llvmpipe via OpenGL ≠ via Vulkan)", () => {
  const id = adapterIdentity(device);
  assert.equal(id.features, [...device.features].sort().join(","));
  assert.equal(id.hash, fnv1a(`${id.adapter}|${id.backend}|${id.features}`));
  // The same adapter name and backend setting with another feature set (e.g. without `subgroups`,
  // as under OpenGL) gets another tile file.
  const other = id.features.includes("subgroups")
    ? id.features.split(",").filter((f) => f !== "subgroups").join(",")
    : [...id.features.split(",").filter((f) => f), "subgroups"].sort().join(",");
  assert.notEqual(fnv1a(`${id.adapter}|${id.backend}|${other}`), id.hash);
});
