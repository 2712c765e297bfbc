import assert from "node:assert/strict";
import { join } from "node:path";
import { arraySpec, planCells, planCompare, resolveCompareConfig, selectCell } from "@e2llm/eval";

const MAIN = new URL("../../cli/main.ts", import.meta.url).pathname;

/** Run the CLI with extra environment (PATH included); returns code and both streams. */
async function cli(args: string[], env: Record<string, string> = {}) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, ...args],
    env: { E2LLM_AUTOTUNE: "0", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

const smokeCells = () => planCells(planCompare(resolveCompareConfig("smoke", {})));

Deno.test("cells: bases, then fine-tunings on their base, then evaluations on their trainings", () => {
  const cells = smokeCells();
  assert.deepEqual(cells.map((c) => c.stage), [
    "base",
    ...Array(6).fill("finetune"),
    ...Array(10).fill("evaluate"),
  ]);
  assert.deepEqual(cells.map((c) => c.index), cells.map((_, i) => i));
  const byId = new Map(cells.map((c) => [c.id, c]));
  assert.deepEqual(byId.get("e2-seed0")!.deps, [0]);
  assert.equal(byId.get("e2-seed0")!.marker, "seed-0/e2/training.json");
  assert.deepEqual(byId.get("linear/no-finetune/seed 0")!.deps, [0]);
  assert.deepEqual(byId.get("e2/g=1/seed 0")!.deps, [byId.get("e2-seed0")!.index]);
  assert.equal(byId.get("e2/g=1/seed 0")!.marker, "seed-0/e2/g=1.json");
  assert.equal(byId.get("e2/g=1/seed 0")!.stageIndex, 9);
});

Deno.test("selectCell: --cell, SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX, stage-relative, errors", () => {
  const cells = smokeCells();
  const env = (vars: Record<string, string>) => (n: string) => vars[n];
  assert.equal(selectCell(cells, "3", undefined, env({})).index, 3);
  assert.equal(selectCell(cells, "3", "evaluate", env({})).index, 10);
  assert.equal(selectCell(cells, "auto", "finetune", env({ SLURM_ARRAY_TASK_ID: "2" })).index, 3);
  assert.equal(
    selectCell(cells, undefined, undefined, env({ JOB_COMPLETION_INDEX: "16" })).index,
    16,
  );
  assert.equal(
    selectCell(
      cells,
      "auto",
      "evaluate",
      env({ SLURM_ARRAY_TASK_ID: "0", JOB_COMPLETION_INDEX: "5" }),
    )
      .index,
    7,
  );
  assert.throws(
    () => selectCell(cells, "17", undefined, env({})),
    /^Error: --cell 17 is out of range \(cells 0-16/,
  );
  assert.throws(
    () => selectCell(cells, "auto", "base", env({ JOB_COMPLETION_INDEX: "1" })),
    /JOB_COMPLETION_INDEX 1 is out of range \(stage base has cells 0-0/,
  );
  assert.throws(() => selectCell(cells, "x", undefined, env({})), /--cell x is out of range/);
  assert.throws(
    () => selectCell(cells, "auto", undefined, env({})),
    /neither SLURM_ARRAY_TASK_ID nor JOB_COMPLETION_INDEX/,
  );
});

Deno.test("arraySpec: ranges and lists of stage indices", () => {
  assert.equal(arraySpec([0, 1, 2, 3]), "0-3");
  assert.equal(arraySpec([1]), "1");
  assert.equal(arraySpec([0, 2, 3, 4, 7]), "0,2-4,7");
});

Deno.test("bad input: --cell out of range, a missing dependency, --slurm without sbatch: one-line errors", async () => {
  const dir = await Deno.makeTempDir({ prefix: "e2llm-cells-" });
  try {
    const out = join(dir, "c");
    const range = await cli(["compare", "--preset", "smoke", "--out", out, "--cell", "17"]);
    assert.equal(range.code, 1);
    assert.equal(
      range.stderr.trim(),
      "error: --cell 17 is out of range (cells 0-16; see --list-cells)",
    );
    const dep = await cli([
      "compare",
      "--preset",
      "smoke",
      "--out",
      out,
      "--stage",
      "evaluate",
      "--cell",
      "0",
    ]);
    assert.equal(dep.code, 1);
    assert.equal(
      dep.stderr.trim(),
      `error: cell 7 (default/finetuned/seed 0) needs cell 1 (default-seed0), which has not ` +
        `finished (no ${out}/seed-0/default/training.json); run stage finetune first`,
    );
    const fresh = join(dir, "s");
    const slurm = await cli(["compare", "--preset", "smoke", "--out", fresh, "--slurm"], {
      PATH: dir,
    });
    assert.equal(slurm.code, 1);
    assert.equal(
      slurm.stderr.trim(),
      "error: --slurm: sbatch is not on the PATH (run this on a Slurm login node)",
    );
    await assert.rejects(Deno.stat(fresh), Deno.errors.NotFound, "nothing written");
    const wait = await cli(["compare", "--preset", "smoke", "--out", out, "--wait"]);
    assert.equal(wait.code, 1);
    assert.equal(wait.stderr.trim(), "error: --wait needs --slurm");
    // A single-process compare writing the folder (its lock on out/.lock) keeps cells out.
    const whole = { pid: Deno.pid, host: Deno.hostname(), started: "now", command: "compare" };
    await Deno.writeTextFile(join(out, ".lock"), JSON.stringify(whole));
    const busy = await cli(["compare", "--preset", "smoke", "--out", out, "--cell", "0"]);
    assert.equal(busy.code, 1);
    assert.match(
      busy.stderr.trim(),
      new RegExp(`^error: ${out} is being written by a single-process compare \\(pid ${Deno.pid} `),
    );
    assert.equal(busy.stderr.trim().split("\n").length, 1);
    await Deno.remove(join(out, ".lock"));
    const list = await cli(["compare", "--preset", "smoke", "--out", out, "--list-cells"]);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^ {2}6 {2}finetune\/5 +e2-seed0 +needs 0 +missing$/m);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("two processes on the same --cell: one runs it, the other is refused by its lock", async () => {
  const dir = await Deno.makeTempDir({ prefix: "e2llm-cells-race-" });
  try {
    const cfg = join(dir, "tiny.json");
    await Deno.writeTextFile(cfg, JSON.stringify({ base: { steps: 6, logEvery: 2 } }));
    const out = join(dir, "c");
    const args = [
      "compare",
      "--preset",
      "smoke",
      "--config",
      cfg,
      "--out",
      out,
      "--quiet",
      "--cell",
      "0",
    ];
    const [a, b] = await Promise.all([cli(args), cli(args)]);
    const results = [a, b].sort((x, y) => x.code - y.code);
    assert.equal(results[0].code, 0, results[0].stderr);
    assert.equal(results[1].code, 1, results[1].stderr);
    assert.match(
      results[1].stderr.trim(),
      new RegExp(
        `^error: ${out}/seed-0/base/training\\.json is locked by another writer \\(pid \\d+ on host`,
      ),
    );
    await Deno.stat(join(out, "seed-0", "base", "training.json"));
    const again = await cli(args);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /cell 0 \(base-seed0\): already finished, skipped/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
