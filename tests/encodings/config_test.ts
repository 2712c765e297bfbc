/** Config validation: strict schemas, errors that name the key and the encoding, legacy `type`. */
import assert from "node:assert/strict";
import {
  builtinEncodings,
  createEncoding,
  EncodingConfigError,
  loadEncoding,
  parseEncodingConfig,
} from "@e2llm/encodings";

const silent = { warn: () => {} };

function rejects(config: unknown, ...patterns: RegExp[]) {
  assert.throws(() => createEncoding(config, silent), (err: Error) => {
    assert.ok(err instanceof EncodingConfigError, `${err}`);
    for (const p of patterns) assert.match(err.message, p);
    return true;
  });
}

Deno.test("an unknown key is an error naming the key and the encoding", () => {
  rejects({ rope_type: "yarn", factor: 4, betafast: 32 }, /"betafast"/, /"yarn"/);
  rejects({ rope_type: "default", factor: 2 }, /"factor"/, /"default"/);
  rejects({ rope_type: "e2", max_scales: 4 }, /"max_scales"/, /"e2"/);
});

Deno.test("a wrong type or range is an error naming the key and the encoding", () => {
  rejects({ rope_type: "linear", factor: "4" }, /key "factor"/, /"linear"/);
  rejects({ rope_type: "linear" }, /key "factor"/, /"linear"/);
  rejects({ rope_type: "ntk", factor: 0.5 }, /key "factor"/, /"ntk"/);
  rejects(
    { rope_type: "yarn", factor: 4, beta_fast: 1, beta_slow: 2 },
    /key "beta_fast"/,
    /"yarn"/,
  );
  rejects(
    { rope_type: "dynamic", factor: 2, original_max_position_embeddings: 1.5 },
    /original_max_position_embeddings/,
    /"dynamic"/,
  );
  rejects({ rope_type: "e2", shift: "sideways" }, /key "shift"/, /"e2"/);
  rejects({ rope_type: "e2", scales: [1, 2], scale_weights: [1] }, /key "scale_weights"/, /"e2"/);
  rejects({ rope_type: "e2", scales: [1, 2], max_scale: 2 }, /key "scales"/, /"e2"/);
  rejects({ rope_type: "e2", scales: [0.5] }, /key "scales.0"/, /"e2"/);
  rejects({ rope_type: "e2", split: "half", sink_tokens: 4 }, /key "sink_tokens"/, /"e2"/);
  rejects({ rope_type: "e2", sink_tokens: -1 }, /key "sink_tokens"/, /"e2"/);
  rejects({ rope_type: "e2", split: "random" }, /key "split"/, /"e2"/);
  rejects(
    { rope_type: "pose", factor: 4, frequency_scaling: "dynamic" },
    /frequency_scaling/,
    /"pose"/,
  );
});

Deno.test("an unknown rope_type lists the built-ins; a non-object config is rejected", () => {
  rejects(
    { rope_type: "longrope", factor: 4 },
    /"longrope"/,
    /default, linear, ntk, dynamic, yarn, e2, pose, randomized/,
  );
  rejects([1, 2], /JSON object/);
  rejects("yarn", /JSON object/);
  rejects({ rope_type: 4 }, /rope_type/);
});

Deno.test("legacy `type` is an alias of rope_type, with a warning", () => {
  const warnings: string[] = [];
  const parsed = parseEncodingConfig({ type: "linear", factor: 2 }, {
    warn: (m) => warnings.push(m),
  });
  assert.deepEqual(parsed, { name: "linear", config: { rope_type: "linear", factor: 2 } });
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /"type".*"rope_type"/);
  const viaType = createEncoding({ type: "ntk", factor: 4 }, silent).frequencies({
    headDim: 8,
    base: 10000,
    trainLength: 8,
    seqLength: 8,
  });
  const viaRopeType = createEncoding({ rope_type: "ntk", factor: 4 }).frequencies({
    headDim: 8,
    base: 10000,
    trainLength: 8,
    seqLength: 8,
  });
  assert.deepEqual(viaType, viaRopeType);
  rejects({ type: "linear", rope_type: "ntk", factor: 2 }, /"rope_type".*"type"/);
});

Deno.test("defaults are filled in; missing rope_type means default; every example validates", () => {
  assert.deepEqual(parseEncodingConfig({ rope_type: "yarn", factor: 4 }).config, {
    rope_type: "yarn",
    factor: 4,
    beta_fast: 32,
    beta_slow: 1,
  });
  assert.equal(parseEncodingConfig({}).name, "default");
  for (const b of builtinEncodings) {
    assert.equal(parseEncodingConfig(b.example).name, b.name);
    assert.equal(createEncoding(b.example).name, b.name);
  }
});

Deno.test("loadEncoding: built-in by name, config checked against --encoding, clear errors", async () => {
  const enc = await loadEncoding("linear", { factor: 2 });
  assert.equal(enc.source, "builtin:linear");
  const f = await enc.frequencies({ headDim: 4, base: 100, trainLength: 8, seqLength: 8 });
  assert.deepEqual([...f.invFreq], [0.5, 0.05]);
  await enc.close();
  await assert.rejects(enc.evalPositions({ length: 4, trainLength: 4 }), /after close/);
  await assert.rejects(
    loadEncoding("linear", { rope_type: "yarn", factor: 2 }),
    /--encoding linear.*yarn/,
  );
  await assert.rejects(loadEncoding("linear", { factor: "2" }), /"linear".*key "factor"/);
  await assert.rejects(loadEncoding("rope2000"), /rope2000.*not a built-in/);
  await assert.rejects(loadEncoding("./no/such/plugin.ts"), /no\/such\/plugin\.ts.*cannot read/);
  await assert.rejects(loadEncoding("ftp://example.com/x.ts"), /only http\(s\) and file URLs/);
  const byConfig = await loadEncoding(undefined, { rope_type: "e2", max_scale: 2 });
  assert.equal(byConfig.name, "e2");
  assert.equal((await byConfig.evalPositions({ length: 3, trainLength: 1 }))[2], 1); // g = 2
});

Deno.test("the async face validates its inputs and fills default positions", async () => {
  const enc = await loadEncoding("yarn", { factor: 4 });
  await assert.rejects(
    enc.frequencies({ headDim: 7, base: 10000, trainLength: 8, seqLength: 8 }),
    /headDim/,
  );
  await assert.rejects(enc.trainPositions({ length: 0, trainLength: 8, seed: 1 }), /length/);
  await assert.rejects(enc.trainPositions({ length: 4, trainLength: 8, seed: -1 }), /seed/);
  assert.deepEqual([...await enc.trainPositions({ length: 4, trainLength: 8, seed: 3 })], [
    0,
    1,
    2,
    3,
  ]);
  assert.deepEqual([...await enc.evalPositions({ length: 3, trainLength: 8 })], [0, 1, 2]);
});
