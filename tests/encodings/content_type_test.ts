/**
 * A URL plugin served with a content type Deno cannot run fails with a message that says what the
 * server sent and what would work (not only Deno's "identified a Unknown module"); `.ts` served
 * as `video/mp2t` (Python's http.server) loads, since Deno maps that type by the extension.
 */
import assert from "node:assert/strict";
import { EncodingPluginError, loadEncoding } from "@e2llm/encodings";

const PLUGIN = `export default {
  name: "served",
  frequencies({ headDim, base }) {
    const invFreq = new Float64Array(headDim / 2).map((_, i) => Math.pow(base, (-2 * i) / headDim));
    return { invFreq, attentionScale: 1 };
  },
};
`;

/** A server on 127.0.0.1 that sends PLUGIN with the content type named by `?type=`. */
function serve() {
  const ac = new AbortController();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, signal: ac.signal, onListen() {} },
    (req) => {
      const type = new URL(req.url).searchParams.get("type") ?? "video/mp2t";
      return new Response(PLUGIN, { headers: { "content-type": type } });
    },
  );
  return {
    url: (path: string, type: string) =>
      `http://127.0.0.1:${server.addr.port}${path}?type=${encodeURIComponent(type)}`,
    async close() {
      ac.abort();
      await server.finished;
    },
  };
}

Deno.test("a plugin served as text/html: the error names the content type and what works", async () => {
  const server = serve();
  try {
    const url = server.url("/plugin.ts", "text/html; charset=utf-8");
    const err = await loadEncoding(url, {}).then(
      (e) => e.close().then(() => assert.fail("loaded")),
      (e: unknown) => e,
    );
    assert.ok(err instanceof EncodingPluginError, String(err));
    assert.match(err.message, /the server sent Content-Type "text\/html; charset=utf-8" for http:/);
    assert.match(err.message, /"application\/typescript"/);
    assert.equal(err.message.split("\n").length, 1, err.message);
  } finally {
    await server.close();
  }
});

Deno.test("a plugin without an extension served as application/octet-stream: same", async () => {
  const server = serve();
  try {
    const err = await loadEncoding(server.url("/plugin", "application/octet-stream"), {}).then(
      (e) => e.close().then(() => assert.fail("loaded")),
      (e: unknown) => e,
    );
    assert.match(String(err), /the server sent Content-Type "application\/octet-stream"/);
  } finally {
    await server.close();
  }
});

Deno.test("a .ts plugin served as video/mp2t (Python's http.server) loads", async () => {
  const server = serve();
  try {
    const enc = await loadEncoding(server.url("/plugin.ts", "video/mp2t"), {});
    try {
      assert.equal(enc.name, "served");
      const f = await enc.frequencies({ headDim: 8, base: 10000, trainLength: 16, seqLength: 16 });
      assert.equal(f.invFreq.length, 4);
    } finally {
      await enc.close();
    }
  } finally {
    await server.close();
  }
});
