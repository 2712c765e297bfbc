/**
 * The plugin sandbox has a memory ceiling: a plugin that allocates past it (1 GiB ArrayBuffers, at
 * load or in a call) fails with "plugin exceeded its memory limit"; the cap is an option
 * (`memoryLimitMb`, or E2LLM_PLUGIN_MEMORY_MB) and a plugin under it runs. The buffers are never
 * touched, so the test costs address space, not resident memory.
 */
import assert from "node:assert/strict";
import {
  DEFAULT_PLUGIN_MEMORY_MB,
  EncodingPluginError,
  loadEncoding,
  pluginMemoryLimitMb,
} from "@e2llm/encodings";

const FREQUENCIES = `frequencies({ headDim, base }) {
    const invFreq = new Float64Array(headDim / 2).map((_, i) => Math.pow(base, (-2 * i) / headDim));
    return { invFreq, attentionScale: 1 };
  }`;

/** Six 1 GiB arrays at load: what the hog.ts does. */
const HOG_AT_LOAD = `const keep = [];
for (let i = 0; i < 6; i++) keep.push(new Uint8Array(2 ** 30));
export default { name: "hog", ${FREQUENCIES} };
`;

/** Allocates `?mb` MiB when frequencies() is called. */
const HOG_IN_CALL = (mb: number) =>
  `const keep = [];
export default {
  name: "hog-call",
  frequencies(ctx) {
    keep.push(new Uint8Array(${mb} * 2 ** 20));
    return this.inner(ctx);
  },
  inner: function ${FREQUENCIES.replace("frequencies", "")},
};
`;

async function withPlugin<T>(source: string, fn: (path: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/plugin.js`;
    await Deno.writeTextFile(path, source);
    return await fn(path);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const ctx = { headDim: 8, base: 10000, trainLength: 16, seqLength: 16 };

Deno.test("a plugin allocating 6 GiB at load fails: exceeded its memory limit (default cap)", async () => {
  assert.equal(pluginMemoryLimitMb(), DEFAULT_PLUGIN_MEMORY_MB);
  await withPlugin(HOG_AT_LOAD, async (path) => {
    const err = await loadEncoding(path, {}).then(
      (e) => e.close().then(() => assert.fail("the hog loaded")),
      (e: unknown) => e,
    );
    assert.ok(err instanceof EncodingPluginError, String(err));
    assert.match(err.message, /plugin exceeded its memory limit of 2048 MiB/);
    assert.match(err.message, /Array buffer allocation failed/);
  });
});

Deno.test("memoryLimitMb is an option: 600 MiB in a call fails under 1024, passes under 2048", async () => {
  await withPlugin(HOG_IN_CALL(600), async (path) => {
    const small = await loadEncoding(path, {}, { memoryLimitMb: 1024 });
    try {
      await assert.rejects(
        () => small.frequencies(ctx),
        /plugin exceeded its memory limit of 1024 MiB.*frequencies\(\) threw RangeError/,
      );
    } finally {
      await small.close();
    }
    const big = await loadEncoding(path, {}, { memoryLimitMb: 2048 });
    try {
      assert.equal((await big.frequencies(ctx)).invFreq.length, 4);
    } finally {
      await big.close();
    }
  });
});

Deno.test("E2LLM_PLUGIN_MEMORY_MB sets the default cap; a bad value is named", () => {
  const before = Deno.env.get("E2LLM_PLUGIN_MEMORY_MB");
  try {
    Deno.env.set("E2LLM_PLUGIN_MEMORY_MB", "3000");
    assert.equal(pluginMemoryLimitMb(), 3000);
    assert.equal(pluginMemoryLimitMb({ memoryLimitMb: 900 }), 900);
    Deno.env.set("E2LLM_PLUGIN_MEMORY_MB", "lots");
    assert.throws(() => pluginMemoryLimitMb(), /E2LLM_PLUGIN_MEMORY_MB must be a positive number/);
  } finally {
    if (before === undefined) Deno.env.delete("E2LLM_PLUGIN_MEMORY_MB");
    else Deno.env.set("E2LLM_PLUGIN_MEMORY_MB", before);
  }
});
