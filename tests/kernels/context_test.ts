/**
 * The per-device context (kernels/context.ts): the pool, pipelines, staging switch and textures,
 * adapter identity and tuned-choice files all live in one object per device, and the older
 * accessors read and write that object.
 */
import assert from "node:assert/strict";
import {
  adapterIdentity,
  deviceContext,
  getGpu,
  poolFor,
  Recorder,
  releaseStagingTextures,
  requestGpu,
  stage,
  tileCache,
  upload,
  usesTextureStaging,
} from "@e2llm/kernels";
import { forgetTileCaches, setTextureStaging } from "@e2llm/kernels/testing";

const { device } = await getGpu();

Deno.test("one context per device holds the pool, pipelines and adapter identity", () => {
  const ctx = deviceContext(device);
  assert.equal(deviceContext(device), ctx);
  assert.equal(ctx.device, device);
  assert.equal(poolFor(device), ctx.pool);
  assert.equal(new Recorder(device).pipelines, ctx.pipelines, "recorders share its pipelines");
  assert.equal(adapterIdentity(device), ctx.identity);
});

Deno.test("another device gets its own context, pool and pipelines", async () => {
  const other = await requestGpu();
  try {
    const a = deviceContext(device), b = deviceContext(other.device);
    assert.notEqual(a, b);
    assert.notEqual(a.pool, b.pool);
    assert.notEqual(a.pipelines, b.pipelines);
    setTextureStaging(other.device, !usesTextureStaging(device));
    assert.notEqual(usesTextureStaging(other.device), usesTextureStaging(device));
  } finally {
    other.device.destroy();
  }
});

Deno.test("the staging switch and staging textures live in the context", () => {
  const ctx = deviceContext(device);
  const before = usesTextureStaging(device);
  try {
    setTextureStaging(device, !before);
    assert.equal(ctx.textureStaging, !before);
    assert.equal(usesTextureStaging(device), !before);
    setTextureStaging(device, undefined);
    assert.equal(ctx.textureStaging, undefined);
    assert.equal(usesTextureStaging(device), before);

    const t = upload(device, new Float32Array(40));
    const rec = new Recorder(device);
    const staged = stage(rec, "test", t, "context-test");
    rec.submit();
    const entry = [...ctx.staging.textures.entries()].find(([k]) => k.startsWith("context-test:"));
    assert.ok(entry, "the staged texture is cached in the context");
    assert.equal(entry[1].view, staged.view);
    releaseStagingTextures(device);
    assert.equal(ctx.staging.textures.size, 0);
    assert.equal(ctx.staging.pad, undefined);
    t.buffer.destroy();
  } finally {
    setTextureStaging(device, undefined);
  }
});

Deno.test("tuned-choice files are kept per device and forgotten on request", async () => {
  const dir = await Deno.makeTempDir({ prefix: "e2llm-context-" });
  try {
    forgetTileCaches();
    const file = tileCache(device, dir);
    const ctx = deviceContext(device);
    assert.equal([...ctx.tileFiles.values()].includes(file), true);
    assert.equal(tileCache(device, dir), file, "read once");
    forgetTileCaches();
    assert.notEqual(tileCache(device, dir), file, "re-read after forgetTileCaches");
  } finally {
    forgetTileCaches();
    await Deno.remove(dir, { recursive: true });
  }
});
