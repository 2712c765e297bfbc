/**
 * A local HTTP server on 127.0.0.1 (port 0) for the encoding tests: serves the repository's
 * `encodings/` and `tests/fixtures/encodings/` folders at their repository paths (so relative
 * imports resolve), plus inline sources registered with `inline()` under `/inline/<name>`.
 */
const root = new URL("../../", import.meta.url);
const served = ["/encodings/", "/tests/fixtures/encodings/"];

/** A running fixture server. */
export interface FixtureServer {
  /** `http://127.0.0.1:<port>` */
  base: string;
  /** URL of a fixture plugin by file name. */
  fixture(name: string): string;
  /** Serve `source` at `/inline/<name>`; returns its URL. */
  inline(name: string, source: string): string;
  /** Stop the server. */
  close(): Promise<void>;
}

/** Start the server. */
export function startFixtureServer(): FixtureServer {
  const inlined = new Map<string, string>();
  const ac = new AbortController();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, signal: ac.signal, onListen() {} },
    async (req) => {
      const path = new URL(req.url).pathname;
      const headers = { "content-type": "application/typescript; charset=utf-8" };
      if (inlined.has(path)) return new Response(inlined.get(path), { headers });
      if (!served.some((p) => path.startsWith(p)) || path.includes("..")) {
        return new Response("not found", { status: 404 });
      }
      try {
        return new Response(await Deno.readTextFile(new URL(`.${path}`, root)), { headers });
      } catch {
        return new Response("not found", { status: 404 });
      }
    },
  );
  const base = `http://127.0.0.1:${server.addr.port}`;
  return {
    base,
    fixture: (name) => `${base}/tests/fixtures/encodings/${name}`,
    inline(name, source) {
      inlined.set(`/inline/${name}`, source);
      return `${base}/inline/${name}`;
    },
    async close() {
      ac.abort();
      await server.finished;
    },
  };
}
