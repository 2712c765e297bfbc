/**
 * End to end on the real GPU backend: `compare --preset smoke` (what CI runs: base pretraining,
 * every method's fine-tune, evaluation at 1×–16× R, the report), then `eval` on its base
 * checkpoint and `report --merge` on its output.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli } from "../cli/helpers.ts";

Deno.test("compare --preset smoke runs every method and writes the report", async () => {
  const out = await Deno.makeTempDir({ prefix: "e2llm-smoke-" });
  try {
    const started = performance.now();
    const r = await runCli("compare", "--preset", "smoke", "--out", out, "--quiet", "--strict");
    const seconds = (performance.now() - started) / 1000;
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.ok(seconds < 300, `smoke took ${seconds.toFixed(0)} s (budget 300 s)`);

    const csv = (await Deno.readTextFile(join(out, "results.csv"))).trim().split("\n");
    const header = csv[0].split(",");
    for (
      const col of [
        "method",
        "variant",
        "seed",
        "length",
        "ppl",
        "ppl_ci_low",
        "ppl_ci_high",
        "passkey_acc",
      ]
    ) {
      assert.ok(header.includes(col), `results.csv lacks column ${col}`);
    }
    const rows = csv.slice(1).map((line) =>
      Object.fromEntries(line.split(",").map((v, i) => [header[i], v]))
    );
    const variants = new Set(rows.map((row) => `${row.method}/${row.variant}`));
    for (
      const v of [
        "default/finetuned",
        "linear/finetuned",
        "linear/no-finetune",
        "ntk/no-finetune",
        "yarn/finetuned",
        "pose/finetuned",
        "e2/g=auto",
        "e2/g=1",
      ]
    ) {
      assert.ok(variants.has(v), `no ${v} rows in results.csv`);
    }
    assert.deepEqual([...new Set(rows.map((row) => Number(row.length)))], [
      128,
      256,
      512,
      1024,
      2048,
    ]);
    for (const row of rows) {
      assert.equal(row.status, "ok", `${row.method}/${row.variant} at ${row.length} failed`);
      assert.ok(Number(row.ppl) > 1 && Number.isFinite(Number(row.ppl)), `ppl ${row.ppl}`);
    }
    const md = await Deno.readTextFile(join(out, "report.md"));
    assert.match(md, /g = 1/);
    const html = await Deno.readTextFile(join(out, "report.html"));
    assert.match(html, /<svg/);

    // A rerun resumes: nothing is trained or evaluated again.
    const again = await runCli("compare", "--preset", "smoke", "--out", out, "--quiet", "--strict");
    assert.equal(again.code, 0, again.stderr);

    // A fresh rerun of the same command trains everything again and gives the same numbers, bit
    // for bit (only the wall-clock column may differ).
    const fresh = await Deno.makeTempDir({ prefix: "e2llm-smoke-rerun-" });
    try {
      const rerun = await runCli("compare", "--preset", "smoke", "--out", fresh, "--quiet");
      assert.equal(rerun.code, 0, rerun.stderr + rerun.stdout);
      for (const file of ["results.csv", "retrieval.csv"]) {
        const first = withoutColumn(await Deno.readTextFile(join(out, file)), "train_seconds");
        const second = withoutColumn(await Deno.readTextFile(join(fresh, file)), "train_seconds");
        assert.ok(first.length > 1, `${file} has no rows`);
        assert.deepEqual(second, first, `${file} differs between two runs of the same command`);
      }
    } finally {
      await Deno.remove(fresh, { recursive: true });
    }

    const ev = await runCli(
      "eval",
      "--checkpoint",
      join(out, "seed-0", "base", "train"),
      "--lengths",
      "128,512",
      "--windows",
      "2",
      "--passkey-trials",
      "1",
      "--json",
    );
    assert.equal(ev.code, 0, ev.stderr);
    const evals = JSON.parse(ev.stdout).evals;
    assert.deepEqual(evals.map((e: { length: number }) => e.length), [128, 512]);

    const merged = join(out, "merged");
    const rep = await runCli("report", "--merge", out, out, "--out", merged);
    assert.equal(rep.code, 0, rep.stderr);
    assert.ok((await Deno.stat(join(merged, "report.html"))).isFile);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

/** The lines of a CSV with one column (when present) dropped. */
function withoutColumn(csv: string, column: string): string[] {
  const lines = csv.trim().split("\n");
  const at = lines[0].split(",").indexOf(column);
  if (at < 0) return lines;
  return lines.map((line) => line.split(",").filter((_, i) => i !== at).join(","));
}
