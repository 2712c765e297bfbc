/**
 * `encodings/mod.ts` is importable by URL from a fresh process with no config file (relative
 * imports and full npm: specifiers only), and plugins load from there too (the sandbox host is
 * then itself fetched by URL).
 */
import assert from "node:assert/strict";
import { loadEncoding } from "@e2llm/encodings";
import { startFixtureServer } from "./serve.ts";
import { chiSquare, paperE2Structure } from "./e2_structure.ts";

Deno.test("encodings/mod.ts imported by URL with --no-config works, plugins included", async () => {
  const server = startFixtureServer();
  const dir = await Deno.makeTempDir({ prefix: "e2llm_url_import_" });
  try {
    const ctx = { headDim: 16, base: 10000, trainLength: 32, seqLength: 256 };
    const script = `
      const m = await import(${JSON.stringify(`${server.base}/encodings/mod.ts`)});
      const ctx = ${JSON.stringify(ctx)};
      const yarn = await m.loadEncoding("yarn", { factor: 4 });
      const e2 = await m.loadEncoding("e2", { max_scale: 4 });
      const paper = await m.loadEncoding("e2", {});
      const paperIds = [];
      for (let seed = 0; seed < 400; seed++) {
        paperIds.push([...await paper.trainPositions({ length: 64, trainLength: 64, seed })]);
      }
      const plugin = await m.loadEncoding(${
      JSON.stringify(server.fixture("good_plugin.ts"))
    }, { factor: 2 });
      const f = await yarn.frequencies(ctx);
      const out = {
        builtins: m.builtinNames(),
        yarn: [...f.invFreq],
        attentionScale: f.attentionScale,
        e2: [...await e2.trainPositions({ length: 32, trainLength: 32, seed: 9 })],
        paperIds,
        plugin: { name: plugin.name, invFreq: [...(await plugin.frequencies(ctx)).invFreq] },
      };
      await plugin.close();
      console.log(JSON.stringify(out));
    `;
    await Deno.writeTextFile(`${dir}/main.ts`, script);
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--no-config", "--no-lock", "-A", `${dir}/main.ts`],
      cwd: dir,
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, stderr);
    const got = JSON.parse(new TextDecoder().decode(out.stdout));
    assert.deepEqual(got.builtins, [
      "default",
      "linear",
      "ntk",
      "dynamic",
      "yarn",
      "e2",
      "pose",
      "randomized",
    ]);
    const yarn = await (await loadEncoding("yarn", { factor: 4 })).frequencies(ctx);
    assert.deepEqual(got.yarn, [...yarn.invFreq]);
    assert.equal(got.attentionScale, yarn.attentionScale);
    const e2 = await loadEncoding("e2", { max_scale: 4 });
    assert.deepEqual(got.e2, [
      ...await e2.trainPositions({ length: 32, trainLength: 32, seed: 9 }),
    ]);
    // The paper's structure by default, through the URL import: 4 sinks, one offset, g ~ U{1..20}.
    const paper = await loadEncoding("e2", {});
    const gCounts = new Array(20).fill(0);
    for (let seed = 0; seed < 400; seed++) {
      const ids = got.paperIds[seed];
      assert.deepEqual(ids, [...await paper.trainPositions({ length: 64, trainLength: 64, seed })]);
      gCounts[paperE2Structure(ids, 64).g - 1]++;
    }
    // χ² with 19 degrees of freedom: 43.82 is the p = 0.001 critical value.
    const chi = chiSquare(gCounts, gCounts.map(() => 20));
    assert.ok(chi < 43.82, `g counts ${gCounts}, χ² ${chi}`);
    assert.equal(got.plugin.name, "good-fixture");
    assert.deepEqual(
      got.plugin.invFreq,
      [...yarn.invFreq].map((_, j) => Math.pow(10000, -2 * j / 16) / 2),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
    await server.close();
  }
});
