/**
 * End to end on a real one-node Slurm cluster (started by slurm/start_cluster.sh: munged,
 * slurmctld, slurmd; root, no systemd). The same compare grid runs in one process and through
 * `--slurm --wait`; results.csv must be identical (every column but train_seconds, wall time).
 * Then one cell is cancelled mid-run (scancel), and the resubmission runs only what is missing
 * and still gives identical results. Uses a reduced smoke grid (2 methods, 30 base steps,
 * lengths 1-4× R) to fit the CI budget; skipped with a printed reason when Slurm cannot start.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli } from "../cli/helpers.ts";

const script = new URL("./slurm/start_cluster.sh", import.meta.url).pathname;
const start = new Deno.Command("bash", { args: [script], stdout: "piped", stderr: "piped" })
  .outputSync();
const started = new TextDecoder().decode(start.stdout).trim().split("\n").pop() ?? "";
const ready = start.success && started.startsWith("ready ");
const [, conf, daemons] = started.split(" ");
if (ready) Deno.env.set("SLURM_CONF", conf);
else console.warn(`SKIPPED tests/e2e/slurm_test.ts: Slurm ${started || "did not start"}`);

/** Stop the daemons this test started (none when the cluster was already running). */
function stopCluster(): void {
  if (!ready || daemons === "none") return;
  const stop = new URL("./slurm/stop_cluster.sh", import.meta.url).pathname;
  new Deno.Command("bash", { args: [stop, conf.replace(/\/slurm\.conf$/, ""), daemons] })
    .outputSync();
}

const GRID = {
  base: { steps: 30, logEvery: 10 },
  eval: { ratios: [1, 2, 4], windows: 1 },
};

/** results.csv without the train_seconds column (wall time differs between runs). */
async function csvWithoutTime(dir: string): Promise<string> {
  const lines = (await Deno.readTextFile(join(dir, "results.csv"))).trim().split("\n");
  const col = lines[0].split(",").indexOf("train_seconds");
  assert.ok(col >= 0);
  return lines.map((l) => l.split(",").filter((_, i) => i !== col).join(",")).join("\n");
}

function squeue(): string {
  const r = new Deno.Command("squeue", { args: ["-h", "-o", "%i %T %j"], stdout: "piped" })
    .outputSync();
  return new TextDecoder().decode(r.stdout);
}

Deno.test({
  name: "compare --slurm --wait equals the single-process run; a cancelled cell is resubmitted",
  ignore: !ready,
  sanitizeResources: false,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "e2llm-slurm-" });
    try {
      const cfg = join(dir, "grid.json");
      await Deno.writeTextFile(cfg, JSON.stringify(GRID));
      const args = (
        out: string,
      ) => [
        "compare",
        "--preset",
        "smoke",
        "--config",
        cfg,
        "--methods",
        "default,linear",
        "--out",
        join(dir, out),
        "--quiet",
      ];

      const solo = await runCli(...args("solo"));
      assert.equal(solo.code, 0, solo.stderr);
      const expected = await csvWithoutTime(join(dir, "solo"));

      const viaSlurm = await runCli(...args("slurm"), "--slurm", "--wait");
      assert.equal(viaSlurm.code, 0, viaSlurm.stdout + viaSlurm.stderr);
      assert.match(viaSlurm.stdout, /submitted stage base: job array \d+ \(tasks 0\)/);
      assert.match(viaSlurm.stdout, /submitted stage finetune: job array \d+ \(tasks 0-1\)/);
      assert.match(viaSlurm.stdout, /submitted stage evaluate: job array \d+ \(tasks 0-2\)/);
      assert.equal(await csvWithoutTime(join(dir, "slurm")), expected);

      // Cancel one fine-tuning cell while it runs: --wait fails naming it and its log.
      const waiting = runCli(...args("cancel"), "--slurm", "--wait");
      const deadline = Date.now() + 600_000;
      let task: string | undefined;
      while (!task) {
        assert.ok(Date.now() < deadline, `no fine-tuning task ever ran: ${squeue()}`);
        await new Promise((r) => setTimeout(r, 1000));
        task = squeue().match(/^(\d+_1) RUNNING e2llm-finetune$/m)?.[1];
      }
      // Mid-run: once the fine-tuning wrote its run folder, before it can finish.
      const trainStarted = join(dir, "cancel", "seed-0", "linear", "train", "config.json");
      while (!(await Deno.stat(trainStarted).then(() => true, () => false))) {
        assert.ok(Date.now() < deadline, `${task} never started training`);
        await new Promise((r) => setTimeout(r, 200));
      }
      assert.ok(new Deno.Command("scancel", { args: [task] }).outputSync().success);
      const failed = await waiting;
      assert.equal(failed.code, 1, failed.stdout + failed.stderr);
      const logs = join(dir, "cancel", "logs");
      assert.match(
        failed.stderr,
        new RegExp(
          `^error: slurm: 4 cells did not finish: cell 2 finetune/1 linear-seed0 \\(log ` +
            `${logs}/finetune-1\\.log\\); cell 3 evaluate/0 .*report not written.*resubmit`,
          "m",
        ),
      );
      assert.equal(squeue().trim(), "", "the dependent jobs were cancelled");
      const cells = await runCli(...args("cancel"), "--list-cells");
      assert.match(cells.stdout, /2 {2}finetune\/1 +linear-seed0 .*missing/);
      assert.match(cells.stdout, /0 {2}base\/0 .*done/);
      await Deno.stat(join(dir, "cancel", "seed-0", "linear")); // cancelled mid-run
      const lock = join(dir, "cancel", "seed-0", "linear", "training.json.lock");
      await assert.rejects(Deno.stat(lock), Deno.errors.NotFound, "scancel released the lock");

      const again = await runCli(...args("cancel"), "--slurm", "--wait");
      assert.equal(again.code, 0, again.stdout + again.stderr);
      assert.doesNotMatch(again.stdout, /stage base/, "the finished base is not resubmitted");
      assert.match(again.stdout, /submitted stage finetune: job array \d+ \(tasks 1\)/);
      assert.equal(await csvWithoutTime(join(dir, "cancel")), expected);
    } finally {
      await Deno.remove(dir, { recursive: true }).catch(() => {});
      stopCluster();
    }
  },
});
