/**
 * Runs an encoding plugin (a module from a path or an http(s) URL) in a sandbox: a separate
 * `deno run` process with NO permissions — no file, network, env, subprocess, FFI or system
 * access (Deno answers `NotCapable`). The only grant is import access to the plugin's own host, so
 * its relative imports load. Every call has a time limit (the process is killed when it is passed),
 * and every answer is validated (lengths, finite numbers, positive frequencies) before use. Any
 * failure is an {@link EncodingPluginError} naming the URL and what was wrong.
 *
 * Why a process and not a `Worker` with `deno: { permissions: "none" }`: in Deno 2.9 that option
 * needs `--unstable-worker-options` (without it Deno exits the whole process with code 70, which
 * cannot be caught), `Worker.terminate()` does not stop a plugin stuck in a busy loop (its thread
 * keeps a core busy and the process can no longer exit), and `deno test` type-checks every Worker's
 * module graph (seconds per plugin). A child process has none of these problems and costs ~0.1 s
 * to start.
 *
 * Memory is capped too: on Linux and macOS the process starts under `ulimit -d` (RLIMIT_DATA, the
 * private writable memory it may map: the V8 heap, ArrayBuffers, malloc), default
 * {@link DEFAULT_PLUGIN_MEMORY_MB} MiB, of which Deno itself reserves about 560 MiB at start. V8
 * heap flags alone would not cover ArrayBuffers; an address-space limit (`ulimit -v`) would stop
 * Deno from starting (V8 reserves tens of GB of address space it never uses). A plugin that passes
 * the cap fails with "plugin exceeded its memory limit".
 *
 * The plugin's static imports are fetched by Deno's module loader like any import (a remote module
 * may not import local files); its `console.log` goes to stderr, kept for error messages.
 * @module
 */
import type { LoadedEncoding } from "./contract.ts";
import type { SandboxInfo, SandboxRequest } from "./sandbox_host.ts";
import {
  checkFrequencyContext,
  checkPositionContext,
  checkSeed,
  validateFrequencies,
  validatePositions,
} from "./validate.ts";
import { decodeWire, readLines } from "./wire.ts";

/** Limits and hooks for a sandboxed plugin. */
export interface SandboxOptions {
  /** Limit for starting the sandbox and evaluating the plugin module (default 20000 ms). */
  loadTimeoutMs?: number;
  /** Limit for each call, init included (default 5000 ms). */
  callTimeoutMs?: number;
  /** Receives what the plugin writes to stderr / console (default: kept for error messages only). */
  onOutput?: (text: string) => void;
  /**
   * Memory cap of the sandbox process in MiB (RLIMIT_DATA; Deno needs about 560 of it to start).
   * Default: the `E2LLM_PLUGIN_MEMORY_MB` environment variable, else {@link DEFAULT_PLUGIN_MEMORY_MB}.
   * `Infinity` lifts the cap. Not applied on Windows (no such limit there).
   */
  memoryLimitMb?: number;
}

/** Default memory cap of a plugin's sandbox process, in MiB (see {@link SandboxOptions}). */
export const DEFAULT_PLUGIN_MEMORY_MB = 2048;

/** The memory cap in effect for `options` (MiB; Infinity when uncapped). */
export function pluginMemoryLimitMb(options: SandboxOptions = {}): number {
  let limit = options.memoryLimitMb;
  if (limit === undefined) {
    let env: string | undefined;
    try {
      env = Deno.env.get("E2LLM_PLUGIN_MEMORY_MB");
    } catch { /* no env permission: the default */ }
    limit = env ? Number(env) : DEFAULT_PLUGIN_MEMORY_MB;
    if (!(limit > 0)) {
      throw new Error(`E2LLM_PLUGIN_MEMORY_MB must be a positive number of MiB, got "${env}"`);
    }
  }
  if (!(limit > 0)) throw new Error(`memoryLimitMb must be a positive number, got ${limit}`);
  return limit;
}

/** What Deno prints when an allocation passes the cap (ArrayBuffer, V8 heap or malloc). */
const OUT_OF_MEMORY =
  /Array buffer allocation failed|out of memory|Reached heap limit|allocation failed|Invalid array buffer length/i;

/** A plugin failed to load, misbehaved or broke the contract; the message names its URL. */
export class EncodingPluginError extends Error {
  /** The plugin's URL. */
  readonly url: string;
  constructor(url: string, problem: string) {
    super(`encoding plugin ${url}: ${problem}`);
    this.name = "EncodingPluginError";
    this.url = url;
  }
}

/** Import hosts Deno allows by default (`--allow-import` replaces that list, so they are kept). */
const DEFAULT_IMPORT_HOSTS = [
  "deno.land:443",
  "jsr.io:443",
  "esm.sh:443",
  "cdn.jsdelivr.net:443",
  "raw.githubusercontent.com:443",
  "gist.githubusercontent.com:443",
];

/** Environment the sandbox process keeps: what Deno needs to find its cache and registries. */
const KEPT_ENV =
  /^(HOME|USERPROFILE|DENO_DIR|XDG_CACHE_HOME|DENO_CERT|NPM_CONFIG_REGISTRY|HTTPS?_PROXY|NO_PROXY)$/i;

interface Pending {
  op: string;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

/** Load the plugin at `url` into a permission-less sandbox process and initialise it with `config`. */
export async function loadSandboxedEncoding(
  url: URL,
  config: Record<string, unknown>,
  options: SandboxOptions = {},
): Promise<LoadedEncoding> {
  const src = url.href;
  const loadTimeoutMs = options.loadTimeoutMs ?? 20_000;
  const callTimeoutMs = options.callTimeoutMs ?? 5_000;
  const memoryLimitMb = pluginMemoryLimitMb(options);
  const overMemory = `plugin exceeded its memory limit of ${memoryLimitMb} MiB ` +
    `(SandboxOptions.memoryLimitMb or E2LLM_PLUGIN_MEMORY_MB raise it)`;
  const hostUrl = new URL("./sandbox_host.ts", import.meta.url);
  const main = `import { serveEncodingPlugin } from ${JSON.stringify(hostUrl.href)};\n` +
    `import * as plugin from ${JSON.stringify(src)};\n` +
    `await serveEncodingPlugin(plugin);\n`;
  const importHosts = new Set(DEFAULT_IMPORT_HOSTS);
  for (const u of [url, hostUrl]) if (u.protocol.startsWith("http")) importHosts.add(hostPort(u));

  let child: Deno.ChildProcess;
  try {
    const denoArgs = [
      "run",
      "--no-prompt",
      "--no-config",
      "--no-lock",
      "--quiet",
      `--allow-import=${[...importHosts].join(",")}`,
      `data:application/javascript,${encodeURIComponent(main)}`,
    ];
    const capped = Number.isFinite(memoryLimitMb) && Deno.build.os !== "windows";
    // `ulimit -d` in a shell that then execs Deno: the limit applies to the sandbox process only.
    const [cmd, args] = capped
      ? ["/bin/sh", [
        "-c",
        'ulimit -d "$1" || exit 97; shift; exec "$@"',
        "sh",
        String(Math.floor(memoryLimitMb * 1024)),
        Deno.execPath(),
        ...denoArgs,
      ]]
      : [Deno.execPath(), denoArgs];
    child = new Deno.Command(cmd, {
      args,
      clearEnv: true,
      env: sandboxEnv(),
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (err) {
    throw new EncodingPluginError(src, `could not start a sandbox: ${(err as Error).message}`);
  }

  let dead: string | undefined;
  let loaded = false;
  let nextId = 1;
  let stderrTail = "";
  const pending = new Map<number, Pending>();
  let ready!: { resolve: () => void; reject: (err: Error) => void };
  const readyPromise = new Promise<void>((resolve, reject) => (ready = { resolve, reject }));
  readyPromise.catch(() => {}); // observed below; never an unhandled rejection
  const writer = child.stdin.getWriter();
  const lineEncoder = new TextEncoder();

  const kill = (reason: string) => {
    if (dead) return;
    dead = reason;
    try {
      child.kill("SIGKILL");
    } catch { /* already exited */ }
    writer.close().catch(() => {});
    const err = new EncodingPluginError(src, reason);
    ready.reject(err);
    for (const p of pending.values()) {
      clearTimeout(p.timer);
      p.reject(err);
    }
    pending.clear();
  };

  const stderrDone = (async () => {
    try {
      for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) {
        options.onOutput?.(chunk);
        stderrTail = (stderrTail + chunk).slice(-8192);
      }
    } catch { /* the stream broke when the process was killed */ }
  })();
  const stdoutDone = (async () => {
    try {
      await readAnswers();
    } catch { /* the stream broke when the process was killed */ }
  })();
  async function readAnswers() {
    for await (const line of readLines(child.stdout)) {
      let msg: { ready?: true; id?: number; ok?: boolean; value?: unknown; error?: unknown };
      try {
        msg = decodeWire(line) as typeof msg;
      } catch {
        continue;
      }
      if (msg === undefined) continue;
      if (msg.ready === true && !loaded) {
        loaded = true;
        ready.resolve();
        continue;
      }
      const p = pending.get(msg.id as number);
      if (!p) continue;
      pending.delete(msg.id as number);
      clearTimeout(p.timer);
      if (msg.ok === true) p.resolve(msg.value);
      else {
        const what = p.op === "init" ? "initialisation failed:" : `${p.op}() threw`;
        const error = String(msg.error);
        p.reject(
          new EncodingPluginError(
            src,
            OUT_OF_MEMORY.test(error)
              ? `${overMemory}: ${p.op}() threw ${error}`
              : `${what} ${error}`,
          ),
        );
      }
    }
  }
  // Resolves once the process is gone; if it ended on its own (load error, crash, Deno.exit), that
  // ends the sandbox with Deno's error output as the reason.
  const finished = Promise.all([child.status, stdoutDone, stderrDone]).then(async ([status]) => {
    if (dead) return;
    const detail = cleanStderr(stderrTail) || `exit code ${status.code}`;
    if (OUT_OF_MEMORY.test(detail) || status.signal === "SIGTRAP") {
      kill(`${overMemory}: ${firstLine(detail)}`);
    } else if (status.code === 97 && !loaded) {
      kill(`could not set the sandbox's memory limit (ulimit -d ${memoryLimitMb} MiB)`);
    } else if (loaded) kill(`the sandbox exited unexpectedly: ${detail}`);
    else kill(`failed to load: ${(await explainContentType(detail)) ?? detail}`);
  });

  const call = (op: SandboxRequest["op"], arg: unknown): Promise<unknown> => {
    if (dead) return Promise.reject(new EncodingPluginError(src, `sandbox is closed (${dead})`));
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => kill(`${op}() did not answer within ${callTimeoutMs} ms; the sandbox was stopped`),
        callTimeoutMs,
      );
      pending.set(id, { op, resolve, reject, timer });
      const request: SandboxRequest = { id, op, arg };
      writer.write(lineEncoder.encode(JSON.stringify(request) + "\n")).catch(() => {});
    });
  };

  const loadTimer = setTimeout(
    () => kill(`did not finish loading within ${loadTimeoutMs} ms; the sandbox was stopped`),
    loadTimeoutMs,
  );
  try {
    await readyPromise;
  } catch (err) {
    await finished;
    throw err;
  } finally {
    clearTimeout(loadTimer);
  }
  let info: SandboxInfo;
  try {
    info = await call("init", config) as SandboxInfo;
    if (typeof info?.name !== "string" || info.name.length === 0) {
      throw new EncodingPluginError(src, `init answered ${JSON.stringify(info)}, not { name }`);
    }
  } catch (err) {
    kill("initialisation failed");
    await finished;
    throw err;
  }

  const checked = <T>(op: string, validate: () => T): T => {
    try {
      return validate();
    } catch (err) {
      throw new EncodingPluginError(src, `${op}() returned a bad value: ${(err as Error).message}`);
    }
  };
  const close = async () => {
    kill("close() was called");
    await finished;
  };
  return {
    name: info.name,
    source: src,
    async frequencies(ctx) {
      checkFrequencyContext(ctx);
      const { headDim, base, trainLength, seqLength } = ctx;
      const value = await call("frequencies", { headDim, base, trainLength, seqLength });
      return checked("frequencies", () => validateFrequencies(value, headDim));
    },
    async trainPositions({ length, trainLength, seed }) {
      checkPositionContext({ length, trainLength });
      checkSeed(seed);
      const value = await call("trainPositions", { length, trainLength, seed });
      return checked("trainPositions", () => validatePositions("trainPositions", value, length));
    },
    async evalPositions({ length, trainLength }) {
      checkPositionContext({ length, trainLength });
      const value = await call("evalPositions", { length, trainLength });
      return checked("evalPositions", () => validatePositions("evalPositions", value, length));
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

function hostPort(url: URL): string {
  return `${url.hostname}:${url.port || (url.protocol === "https:" ? "443" : "80")}`;
}

function sandboxEnv(): Record<string, string> {
  const env: Record<string, string> = { NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" };
  for (const [key, value] of Object.entries(Deno.env.toObject())) {
    if (KEPT_ENV.test(key)) env[key] = value;
  }
  return env;
}

/** Deno's error output without colour codes and without the generated main module's frames. */
function cleanStderr(text: string): string {
  return text
    // deno-lint-ignore no-control-regex
    .replace(/\x1b\[[0-9;]*m/g, "")
    .split("\n")
    .filter((line) => !/^\s*at data:/.test(line))
    .join("\n")
    .trim()
    .replace(/^error: /, "")
    .slice(0, 2000);
}

/**
 * When Deno refused a module for its media type ("identified a Unknown module"), say which content
 * type the server sent for it and what would work. Undefined when the error is another one or the
 * server cannot be asked (no net permission).
 */
async function explainContentType(detail: string): Promise<string | undefined> {
  if (!/Expected a JavaScript or TypeScript module|identified an? \w+ module/.test(detail)) {
    return undefined;
  }
  const specifier = detail.match(/Specifier: (\S+)/)?.[1];
  if (!specifier?.startsWith("http")) return undefined;
  let sent: string;
  try {
    const res = await fetch(specifier, { signal: AbortSignal.timeout(5000) });
    await res.body?.cancel();
    sent = res.headers.get("content-type") ?? "no Content-Type";
  } catch {
    return undefined;
  }
  return `the server sent ${sent === "no Content-Type" ? sent : `Content-Type "${sent}"`} for ` +
    `${specifier}, which Deno cannot run as a module; serve TypeScript as ` +
    `"application/typescript" and JavaScript as "text/javascript" (or end the URL in .ts/.js ` +
    `and send a type Deno maps by extension, such as Python http.server's "video/mp2t")`;
}

function firstLine(text: string): string {
  return text.split("\n").find((l) => l.trim() && !/^#\s*$/.test(l))?.replace(/^#\s*/, "") ?? text;
}
