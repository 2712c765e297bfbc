/**
 * Plugins served from a local HTTP server on 127.0.0.1 run in a permission-less sandbox process:
 * a good plugin works; reading and writing files, sockets, fetch, env and subprocesses are refused;
 * hanging and malformed plugins fail with messages that name the URL and the problem.
 */
import assert from "node:assert/strict";
import {
  checkEncoding,
  EncodingPluginError,
  type LoadedEncoding,
  loadEncoding,
  Rng,
} from "@e2llm/encodings";
import { startFixtureServer } from "./serve.ts";

const server = startFixtureServer();
const port = Number(new URL(server.base).port);
const fast = { loadTimeoutMs: 20_000, callTimeoutMs: 5_000 };
const FREQ_CTX = { headDim: 8, base: 10000, trainLength: 16, seqLength: 64 };

/** The EncodingPluginError a promise rejects with (closing anything it resolved to). */
async function failure(promise: Promise<unknown>, url?: string): Promise<string> {
  try {
    const value = await promise;
    await (value as LoadedEncoding | undefined)?.close?.();
  } catch (err) {
    assert.ok(err instanceof EncodingPluginError, `expected EncodingPluginError, got ${err}`);
    if (url) assert.ok(err.message.startsWith(`encoding plugin ${url}: `), err.message);
    return err.message;
  }
  assert.fail("expected the plugin to fail");
}

Deno.test("a good plugin from a URL works; its ids come from new Rng(seed)", async () => {
  const url = server.fixture("good_plugin.ts");
  await using enc = await loadEncoding(url, { factor: 2 }, fast);
  assert.equal(enc.name, "good-fixture");
  assert.equal(enc.source, url);
  const f = await enc.frequencies(FREQ_CTX);
  assert.ok(f.invFreq instanceof Float64Array);
  [0.5, 0.05, 0.005, 0.0005].forEach((v, j) => assert.ok(Math.abs(f.invFreq[j] - v) < 1e-15));
  assert.equal(f.attentionScale, 1.25);
  const random = new Rng(42).random;
  const ids = await enc.trainPositions({ length: 5, trainLength: 16, seed: 42 });
  assert.deepEqual([...ids], [0, 1, 2, 3, 4].map((i) => i + random()));
  assert.deepEqual([...await enc.evalPositions({ length: 3, trainLength: 16 })], [0, 0.5, 1]);
  // concurrent calls are answered in order, each to its caller
  const many = await Promise.all(
    [1, 2, 3].map((n) => enc.evalPositions({ length: n, trainLength: 4 })),
  );
  assert.deepEqual(many.map((a) => a.length), [1, 2, 3]);
  await enc.close();
  assert.match(
    await failure(enc.frequencies(FREQ_CTX), url),
    /sandbox is closed \(close\(\) was called\)/,
  );
});

Deno.test("an object default export works (ids default to 0..n−1) and takes no config", async () => {
  const url = server.fixture("object_plugin.ts");
  await using enc = await loadEncoding(url, {}, fast);
  assert.equal(enc.name, "object-fixture");
  assert.deepEqual([...await enc.trainPositions({ length: 3, trainLength: 3, seed: 1 })], [
    0,
    1,
    2,
  ]);
  assert.deepEqual([...await enc.evalPositions({ length: 2, trainLength: 3 })], [0, 1]);
  assert.match(
    await failure(loadEncoding(url, { factor: 2 }, fast), url),
    /takes no config.*"factor"/,
  );
  const good = server.fixture("good_plugin.ts");
  assert.match(
    await failure(loadEncoding(good, { factor: "two" }, fast), good),
    /initialisation failed: ZodError.*"factor"/s,
  );
});

Deno.test("file, network, env and subprocess access are refused", async () => {
  const url = server.fixture("escape_plugin.ts");
  for (const attempt of ["read", "write", "connect", "fetch", "env", "run"]) {
    const message = await failure(loadEncoding(url, { attempt, port }, fast), url);
    assert.match(message, /initialisation failed: NotCapable: Requires \w+ access/, attempt);
  }
  const atLoad = server.fixture("read_at_load_plugin.ts");
  const message = await failure(loadEncoding(atLoad, {}, fast), atLoad);
  assert.match(message, /failed to load: .*NotCapable: Requires read access to "\/etc\/hostname"/);
  const local = await failure(
    loadEncoding("tests/fixtures/encodings/escape_plugin.ts", { attempt: "read" }, {
      ...fast,
      cwd: new URL("../../", import.meta.url).pathname,
    }),
  );
  assert.match(local, /^encoding plugin file:\/\/\/.*escape_plugin\.ts: .*Requires read access/);
});

Deno.test("a hanging call and a hanging load are stopped with a clear message", async () => {
  const hang = server.fixture("hang_plugin.ts");
  const enc = await loadEncoding(hang, {}, { callTimeoutMs: 300 });
  assert.equal(
    await failure(enc.frequencies(FREQ_CTX)),
    `encoding plugin ${hang}: frequencies() did not answer within 300 ms; the sandbox was stopped`,
  );
  assert.match(
    await failure(enc.evalPositions({ length: 1, trainLength: 1 })),
    /sandbox is closed \(frequencies/,
  );
  await enc.close();
  const hangAtLoad = server.fixture("hang_at_load_plugin.ts");
  assert.equal(
    await failure(loadEncoding(hangAtLoad, {}, { loadTimeoutMs: 1500 })),
    `encoding plugin ${hangAtLoad}: did not finish loading within 1500 ms; the sandbox was stopped`,
  );
});

Deno.test("malformed answers are rejected naming the URL and what is wrong", async () => {
  const url = server.fixture("malformed_plugin.ts");
  const train = (e: LoadedEncoding) => e.trainPositions({ length: 4, trainLength: 4, seed: 0 });
  const freq = (e: LoadedEncoding) => e.frequencies(FREQ_CTX);
  const cases: [string, (e: LoadedEncoding) => Promise<unknown>, RegExp][] = [
    ["short", freq, /frequencies\(\) returned a bad value: invFreq has 3 entries, expected 4$/],
    ["nan", freq, /frequencies\(\) returned a bad value: invFreq\[1\] is NaN/],
    ["negative", freq, /invFreq\[2\] is -0.5; every inverse frequency must be finite and > 0/],
    ["scale", freq, /attentionScale must be a finite number > 0, got number 0/],
    ["not-array", freq, /invFreq must be a Float64Array or number\[\], got string/],
    [
      "positions",
      train,
      /trainPositions\(\) returned a bad value: trainPositions has 5 entries, expected 4/,
    ],
    ["infinite-positions", train, /trainPositions\[0\] is Infinity/],
  ];
  for (const [flaw, call, pattern] of cases) {
    await using enc = await loadEncoding(url, { flaw }, fast);
    assert.match(await failure(call(enc), url), pattern, flaw);
  }
});

Deno.test("broken modules fail to load with the URL and the reason", async () => {
  const cases: [string, string, RegExp][] = [
    [
      "syntax.ts",
      "export default { name: 'x', frequencies( => 1 };\n",
      /failed to load: .*(SyntaxError|Expected)/s,
    ],
    [
      "no_default.ts",
      "export const name = 'x';\n",
      /default export must be.*got no default export/,
    ],
    ["no_name.ts", "export default () => ({ frequencies() {} });\n", /non-empty string "name"/],
    [
      "throws.ts",
      "export default () => { throw new RangeError('no way'); };\n",
      /initialisation failed: RangeError: no way/,
    ],
    ["exits.ts", "Deno.exit(3);\n", /failed to load: exit code 3/],
  ];
  for (const [name, source, pattern] of cases) {
    const url = server.inline(name, source);
    assert.match(await failure(loadEncoding(url, {}, fast), url), pattern, name);
  }
  const missing = `${server.base}/tests/fixtures/encodings/missing_plugin.ts`;
  assert.match(
    await failure(loadEncoding(missing, {}, fast), missing),
    /failed to load: Module not found/,
  );
});

Deno.test("a plugin that exits mid-session fails the call and closes the sandbox", async () => {
  const url = server.inline(
    "exits_later.ts",
    "export default { name: 'x', frequencies() { Deno.exit(4); } };\n",
  );
  const enc = await loadEncoding(url, {}, fast);
  assert.match(
    await failure(enc.frequencies(FREQ_CTX), url),
    /the sandbox exited unexpectedly: exit code 4$/,
  );
  assert.match(
    await failure(enc.evalPositions({ length: 1, trainLength: 1 }), url),
    /sandbox is closed/,
  );
  await enc.close();
});

Deno.test("the conformance check passes the template and fails bad plugins", async () => {
  const ok = await checkEncoding(
    `${server.base}/encodings/template.ts`,
    { factor: 2, jitter: 0.5 },
    fast,
  );
  assert.ok(ok.ok, JSON.stringify(ok.items, null, 1));
  assert.equal(ok.name, "template");
  const bad = await checkEncoding(server.fixture("malformed_plugin.ts"), { flaw: "nan" }, fast);
  assert.equal(bad.ok, false);
  assert.ok(
    bad.items.some((i) => !i.ok && i.name.startsWith("frequencies")),
    JSON.stringify(bad.items),
  );
  const hung = await checkEncoding(server.fixture("hang_plugin.ts"), {}, { callTimeoutMs: 300 });
  assert.equal(hung.ok, false);
  assert.match(hung.items.find((i) => !i.ok)!.detail, /did not answer within 300 ms/);
});

Deno.test("stop the fixture server", async () => {
  await server.close();
});
