/**
 * The child side of the sandbox: runs in a `deno run` process with no permissions, next to the
 * plugin module, and answers the parent's requests over stdin/stdout (see wire.ts). Nothing here
 * is trusted by the parent: every answer is validated there.
 *
 * Protocol: the child writes `{ ready: true }` once the plugin module has evaluated; the parent then
 * sends `{ id, op, arg }` with op "init" (arg: config), "frequencies", "trainPositions" (arg:
 * `{ length, trainLength, seed }`) or "evalPositions"; the child answers `{ id, ok: true, value }`
 * or `{ id, ok: false, error }`. The child exits when its stdin closes.
 *
 * Importing this module sends console.log/info/debug to stderr, so a plugin's prints cannot
 * disturb the protocol; the generated main module imports it before the plugin.
 * @module
 */
import { arange, type PositionalEncoding } from "./contract.ts";
import { Rng } from "./random.ts";
import { encodeWire, readLines } from "./wire.ts";

/** One request from the parent. */
export interface SandboxRequest {
  /** Matches the answer to the request. */
  id: number;
  /** What to do. */
  op: "init" | "frequencies" | "trainPositions" | "evalPositions";
  /** The op's argument. */
  arg: unknown;
}

/** What the init op answers. */
export interface SandboxInfo {
  /** The plugin's `name`. */
  name: string;
}

const toStderr = (...args: unknown[]) => console.error(...args);
console.log = toStderr;
console.info = toStderr;
console.debug = toStderr;

/** Serve the plugin module's default export to the parent (called by the generated main module). */
export async function serveEncodingPlugin(plugin: Record<string, unknown>): Promise<void> {
  const stdout = Deno.stdout;
  const bytes = new TextEncoder();
  const send = (message: unknown) => {
    const data = bytes.encode(encodeWire(message) + "\n");
    for (let off = 0; off < data.length;) off += stdout.writeSync(data.subarray(off));
  };
  let encoding: PositionalEncoding | undefined;

  const handle = async (op: SandboxRequest["op"], arg: unknown): Promise<unknown> => {
    if (op === "init") {
      encoding = await instantiate(plugin.default, arg as Record<string, unknown>);
      return { name: encoding.name } satisfies SandboxInfo;
    }
    if (!encoding) throw new Error("init was not called");
    if (op === "frequencies") return await encoding.frequencies(arg as never);
    const ctx = arg as { length: number; trainLength: number; seed?: number };
    if (op === "trainPositions") {
      if (!encoding.trainPositions) return arange(ctx.length);
      const random = new Rng(ctx.seed ?? 0).random;
      return await encoding.trainPositions({
        length: ctx.length,
        trainLength: ctx.trainLength,
        random,
      });
    }
    if (op === "evalPositions") {
      if (!encoding.evalPositions) return arange(ctx.length);
      return await encoding.evalPositions({ length: ctx.length, trainLength: ctx.trainLength });
    }
    throw new Error(`unknown op ${JSON.stringify(op)}`);
  };

  send({ ready: true });
  for await (const line of readLines(Deno.stdin.readable)) {
    if (!line.trim()) continue;
    const { id, op, arg } = JSON.parse(line) as SandboxRequest;
    let reply: unknown;
    try {
      reply = { id, ok: true, value: await handle(op, arg) };
      encodeWire(reply); // fails here (not in send) for a value JSON cannot carry
    } catch (err) {
      reply = { id, ok: false, error: describeError(err) };
    }
    send(reply);
  }
  Deno.exit(0);
}

async function instantiate(
  exported: unknown,
  config: Record<string, unknown>,
): Promise<PositionalEncoding> {
  let encoding: unknown;
  if (typeof exported === "function") {
    encoding = await exported(config);
  } else if (typeof exported === "object" && exported !== null) {
    const keys = Object.keys(config).filter((k) => k !== "rope_type");
    if (keys.length) {
      throw new Error(
        `this plugin takes no config (its default export is an object, not a factory); ` +
          `got key${keys.length > 1 ? "s" : ""} ${keys.map((k) => JSON.stringify(k)).join(", ")}`,
      );
    }
    encoding = exported;
  } else {
    throw new Error(
      `the module's default export must be a PositionalEncoding object or a function ` +
        `(config) => PositionalEncoding (or a Promise of one); got ${
          exported === undefined ? "no default export" : typeof exported
        }`,
    );
  }
  const e = encoding as Partial<PositionalEncoding> | null;
  if (typeof e !== "object" || e === null) {
    throw new Error(
      `the factory must return a PositionalEncoding object, got ${e === null ? "null" : typeof e}`,
    );
  }
  if (typeof e.name !== "string" || e.name.length === 0) {
    throw new Error(`the encoding needs a non-empty string "name"`);
  }
  if (typeof e.frequencies !== "function") {
    throw new Error(`the encoding needs a frequencies() method`);
  }
  for (const key of ["trainPositions", "evalPositions"] as const) {
    if (e[key] !== undefined && typeof e[key] !== "function") {
      throw new Error(`"${key}" must be a method when present, got ${typeof e[key]}`);
    }
  }
  return e as PositionalEncoding;
}

function describeError(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}
