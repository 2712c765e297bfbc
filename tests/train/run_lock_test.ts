import assert from "node:assert/strict";
import { join } from "node:path";
import {
  claimRunFolder,
  LOCK_FILE,
  lockRunFolder,
  processAlive,
  RunFolderError,
} from "@e2llm/train";
import { runCli } from "../cli/helpers.ts";

const LOCK_MODULE = new URL("../../train/run_lock.ts", import.meta.url).href;

/** The pid of a process that has exited (on this host). */
async function deadPid(): Promise<number> {
  const child = new Deno.Command("true").spawn();
  await child.status;
  return child.pid;
}

Deno.test("a lock is exclusive and names its owner; release frees it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "e2llm-lock-" });
  try {
    const lock = await lockRunFolder(dir);
    const owner = JSON.parse(await Deno.readTextFile(join(dir, LOCK_FILE)));
    assert.equal(owner.pid, Deno.pid);
    assert.equal(owner.host, Deno.hostname());
    const err = await lockRunFolder(dir).catch((e) => e);
    assert.ok(err instanceof RunFolderError);
    assert.match(err.message, new RegExp(`${dir} is locked by another writer \\(pid ${Deno.pid}`));
    assert.equal(err.stale, false);
    await lock.release();
    await (await lockRunFolder(dir)).release();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a stale lock (crashed owner) is named, never taken silently; --break-stale-lock takes it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "e2llm-stale-" });
  try {
    const pid = await deadPid();
    assert.equal(processAlive(pid), false);
    const lockPath = join(dir, LOCK_FILE);
    const stale = { pid, host: Deno.hostname(), started: "2026-01-01T00:00:00Z", command: "x" };
    await Deno.writeTextFile(lockPath, JSON.stringify(stale));
    const err = await lockRunFolder(dir).catch((e) => e);
    assert.ok(err instanceof RunFolderError);
    assert.equal(err.stale, true);
    assert.match(err.message, new RegExp(`stale lock .*pid ${pid} on host .*no longer running`));
    assert.match(err.message, /--break-stale-lock/);
    assert.deepEqual(JSON.parse(await Deno.readTextFile(lockPath)), stale, "lock left in place");
    // A lock held on another host cannot be checked: always refused, even with breakStale.
    await Deno.writeTextFile(lockPath, JSON.stringify({ ...stale, host: "elsewhere" }));
    const other = await lockRunFolder(dir, { breakStale: true }).catch((e) => e);
    assert.ok(other instanceof RunFolderError && !other.stale, String(other));
    await Deno.writeTextFile(lockPath, JSON.stringify(stale));
    const lock = await lockRunFolder(dir, { breakStale: true });
    assert.equal(JSON.parse(await Deno.readTextFile(lockPath)).pid, Deno.pid);
    await lock.release();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("claimRunFolder refuses a folder holding a run unless resume or overwrite", async () => {
  const dir = await Deno.makeTempDir({ prefix: "e2llm-claim-" });
  try {
    const markers = ["config.json", "checkpoint"];
    (await claimRunFolder(dir, { markers })).release(); // empty folder: fine
    await Deno.mkdir(join(dir, "checkpoint"));
    await Deno.writeTextFile(join(dir, "config.json"), "{}");
    await Deno.writeTextFile(join(dir, "notes.txt"), "mine");
    await assertRejectsWith(
      claimRunFolder(dir, { markers }),
      `${dir} already holds a run (checkpoint, config.json); pass --resume to continue it or --overwrite`,
    );
    await Deno.stat(join(dir, "config.json")); // untouched
    await (await claimRunFolder(dir, { markers, resume: true })).release();
    await Deno.stat(join(dir, "config.json"));
    const lock = await claimRunFolder(dir, { markers, overwrite: true });
    await assertRejectsWith(Deno.stat(join(dir, "config.json")), "No such file");
    await assertRejectsWith(Deno.stat(join(dir, "checkpoint")), "No such file");
    assert.equal(await Deno.readTextFile(join(dir, "notes.txt")), "mine", "other files kept");
    await lock.release();
    await Deno.stat(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

async function assertRejectsWith(p: Promise<unknown>, text: string) {
  const err = await p.then(() => undefined, (e) => e);
  assert.ok(err instanceof Error, `expected a rejection containing "${text}"`);
  assert.ok(err.message.includes(text), `"${err.message}" should contain "${text}"`);
}

Deno.test("two processes racing for one lock: exactly one wins", async () => {
  const dir = await Deno.makeTempDir({ prefix: "e2llm-race-" });
  try {
    const script = `
      const { lockRunFolder } = await import(${JSON.stringify(LOCK_MODULE)});
      try { const l = await lockRunFolder(Deno.args[0]); await new Promise((r) => setTimeout(r, 1500)); await l.release(); console.log("won"); }
      catch (e) { console.log("lost: " + e.message); }`;
    const run = () =>
      new Deno.Command(Deno.execPath(), {
        args: ["eval", script, dir],
        stdout: "piped",
      }).output().then((o) => new TextDecoder().decode(o.stdout).trim());
    const results = await Promise.all([run(), run(), run()]);
    assert.equal(results.filter((r) => r === "won").length, 1, results.join("\n"));
    for (const r of results.filter((r) => r !== "won")) {
      assert.match(r, /is locked by another writer/);
    }
    await assertRejectsWith(Deno.stat(join(dir, LOCK_FILE)), "No such file");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("SIGTERM (scancel, Ctrl-C) releases the locks a process holds", async () => {
  const dir = await Deno.makeTempDir({ prefix: "e2llm-sig-" });
  try {
    const script = `
      const { lockRunFolder } = await import(${JSON.stringify(LOCK_MODULE)});
      await lockRunFolder(Deno.args[0]); console.log("locked"); await new Promise((r) => setTimeout(r, 60000));`;
    const child = new Deno.Command(Deno.execPath(), {
      args: ["eval", script, dir],
      stdout: "piped",
    })
      .spawn();
    const reader = child.stdout.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    assert.match(first, /locked/);
    await Deno.stat(join(dir, LOCK_FILE));
    child.kill("SIGTERM");
    const status = await child.status;
    reader.releaseLock();
    await child.stdout.cancel();
    assert.equal(status.code, 143);
    await assertRejectsWith(Deno.stat(join(dir, LOCK_FILE)), "No such file");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("train --out: a folder holding a finished run is refused; a running one is locked", async () => {
  const dir = await Deno.makeTempDir({ prefix: "e2llm-clobber-" });
  try {
    const out = join(dir, "a");
    const config = join(dir, "tiny.json");
    await Deno.writeTextFile(
      config,
      JSON.stringify({
        model: { dModel: 32, nLayers: 2, nHeads: 2, mlpWidth: 48, trainLength: 32 },
        data: { passkeyRate: 0 },
        batchSize: 4,
        logEvery: 1,
        checkpointEvery: 2,
      }),
    );
    const first = await runCli(
      "train",
      "--config",
      config,
      "--steps",
      "4",
      "--out",
      out,
      "--quiet",
    );
    assert.equal(first.code, 0, first.stderr);
    const metrics = await Deno.readTextFile(join(out, "metrics.jsonl"));
    const again = await runCli(
      "train",
      "--config",
      config,
      "--steps",
      "4",
      "--out",
      out,
      "--quiet",
    );
    assert.equal(again.code, 1);
    assert.equal(
      again.stderr.trim(),
      `error: ${out} already holds a run (checkpoint, config.json, metrics.jsonl); pass --resume ` +
        "to continue it or --overwrite to replace it (deno task train), or use another --out",
    );
    assert.equal(await Deno.readTextFile(join(out, "metrics.jsonl")), metrics, "old run intact");

    // A writer in progress: its lock refuses a second writer, even with --overwrite.
    const pid = await deadPid();
    const host = Deno.hostname();
    const live = { pid: Deno.pid, host, started: new Date().toISOString(), command: "test" };
    await Deno.writeTextFile(join(out, LOCK_FILE), JSON.stringify(live));
    const locked = await runCli("train", "--config", config, "--out", out, "--overwrite");
    assert.equal(locked.code, 1);
    assert.match(
      locked.stderr,
      new RegExp(`^error: ${out} is locked by another writer \\(pid ${Deno.pid} on host`),
    );
    await Deno.writeTextFile(join(out, LOCK_FILE), JSON.stringify({ ...live, pid }));
    const stale = await runCli("train", "--config", config, "--out", out, "--overwrite");
    assert.equal(stale.code, 1);
    assert.match(stale.stderr, new RegExp(`^error: ${out} has a stale lock .*pid ${pid} `));
    assert.equal(stale.stderr.trim().split("\n").length, 1, "one-line error");
    assert.equal(await Deno.readTextFile(join(out, "metrics.jsonl")), metrics, "old run intact");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("eval --out refuses an existing file unless --overwrite; report refuses a locked folder", async () => {
  const dir = await Deno.makeTempDir({ prefix: "e2llm-evalout-" });
  try {
    const file = join(dir, "eval.json");
    await Deno.writeTextFile(file, "{}\n");
    const missing = join(dir, "no-checkpoint");
    const refused = await runCli("eval", "--checkpoint", missing, "--out", file);
    assert.equal(refused.code, 1);
    assert.equal(
      refused.stderr.trim(),
      `error: ${file} already exists; pass --overwrite to replace it`,
    );
    const over = await runCli("eval", "--checkpoint", missing, "--out", file, "--overwrite");
    assert.equal(over.code, 1);
    assert.doesNotMatch(over.stderr, /already exists/, "--overwrite gets past the check");
    await assert.rejects(Deno.stat(`${file}.lock`), Deno.errors.NotFound, "lock released");
    assert.equal(await Deno.readTextFile(file), "{}\n");

    // report into a folder another writer holds: refused, naming the writer.
    const combined = new URL("../fixtures/results/combined/results.json", import.meta.url);
    const target = join(dir, "report");
    await Deno.mkdir(target);
    await Deno.copyFile(combined, join(target, "results.json"));
    const live = { pid: Deno.pid, host: Deno.hostname(), started: "now", command: "compare" };
    await Deno.writeTextFile(join(target, LOCK_FILE), JSON.stringify(live));
    const report = await runCli("report", target);
    assert.equal(report.code, 1);
    assert.match(
      report.stderr,
      new RegExp(`^error: ${target} is locked by another writer \\(pid ${Deno.pid} `),
    );
    await Deno.remove(join(target, LOCK_FILE));
    const ok = await runCli("report", target);
    assert.equal(ok.code, 0, ok.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
