/**
 * `encoding`: list the built-in encodings, inspect what one yields, and run the conformance check
 * on a plugin (`deno task encoding list | inspect | check`).
 * @module
 */
import { Command, InvalidArgumentError } from "@commander-js/extra-typings";
import {
  builtinEncodings,
  checkEncoding,
  isPlainObject,
  loadEncoding,
  parseEncodingConfig,
  resolveEncodingSpec,
} from "@e2llm/encodings";

/** `encoding` with its subcommands `list`, `inspect` and `check`. */
export function encodingCommand(): Command {
  const cmd = new Command("encoding")
    .description("positional encodings: list the built-ins, inspect one, check a plugin");
  cmd.addCommand(listCommand());
  cmd.addCommand(inspectCommand());
  cmd.addCommand(checkCommand());
  for (const sub of [cmd, ...cmd.commands]) {
    sub.showHelpAfterError("(run with --help for usage)").exitOverride();
  }
  return cmd as unknown as Command;
}

function listCommand() {
  return new Command("list")
    .description("list the built-in encodings with an example config")
    .option("--json", "print a JSON array")
    .action((opts) => {
      const rows = builtinEncodings.map((b) => ({
        name: b.name,
        description: b.description,
        example: b.example,
      }));
      if (opts.json) return console.log(JSON.stringify(rows, null, 2));
      for (const r of rows) {
        console.log(`${r.name.padEnd(11)} ${r.description}`);
        console.log(`${"".padEnd(11)} --config '${JSON.stringify(r.example)}'`);
      }
      console.log("\nplugins: --encoding <path | http(s) URL>; see encodings/template.ts");
    });
}

function inspectCommand() {
  return new Command("inspect")
    .description("print the inverse frequencies, attention scale and sample position ids")
    .option(
      "--encoding <spec>",
      "built-in name, path or http(s) URL (default: the config's rope_type)",
    )
    .option("--config <json>", "encoding config (Hugging Face rope_scaling keys)", parseJson, {})
    .option("--head-dim <n>", "head dimension (even)", parsePositiveInt, 64)
    .option("--base <theta>", "RoPE base (rope_theta)", parsePositiveNumber, 10000)
    .option("--train-length <n>", "training length R", parsePositiveInt, 128)
    .option("--seq-length <n>", "target (evaluation) length L", parsePositiveInt, 1024)
    .option("--seed <n>", "seed of the sampled training ids", parseSeed, 0)
    .option("--timeout <ms>", "per-call time limit for a plugin", parsePositiveInt, 5000)
    .option("--json", "print one JSON object")
    .action(async (opts) => {
      const enc = await loadEncoding(opts.encoding, opts.config, { callTimeoutMs: opts.timeout });
      const config = shownConfig(opts.encoding, opts.config);
      try {
        const ctx = {
          headDim: opts.headDim,
          base: opts.base,
          trainLength: opts.trainLength,
          seqLength: opts.seqLength,
        };
        const { invFreq, attentionScale } = await enc.frequencies(ctx);
        const train = await enc.trainPositions({
          length: opts.trainLength,
          trainLength: opts.trainLength,
          seed: opts.seed,
        });
        const evalIds = await enc.evalPositions({
          length: opts.seqLength,
          trainLength: opts.trainLength,
        });
        if (opts.json) {
          console.log(JSON.stringify({
            encoding: enc.name,
            source: enc.source,
            config,
            ...ctx,
            seed: opts.seed,
            invFreq: [...invFreq],
            attentionScale,
            trainPositions: [...train],
            evalPositions: [...evalIds],
          }));
          return;
        }
        console.log(`encoding         ${enc.name} (${enc.source})`);
        console.log(`config           ${JSON.stringify(config)}`);
        console.log(
          `context          headDim ${ctx.headDim}, base ${ctx.base}, ` +
            `trainLength ${ctx.trainLength}, seqLength ${ctx.seqLength}`,
        );
        console.log(`attentionScale   ${attentionScale}`);
        console.log(`invFreq (${invFreq.length})`.padEnd(17) + ` ${preview(invFreq, 8, true)}`);
        console.log(`train ids (${train.length}, seed ${opts.seed})`);
        console.log(`                 ${preview(train, 8)}`);
        console.log(`eval ids (${evalIds.length})`);
        console.log(`                 ${preview(evalIds, 8)}`);
      } finally {
        await enc.close();
      }
    });
}

function checkCommand() {
  return new Command("check")
    .description("conformance check of an encoding plugin (what a plugin author runs)")
    .argument("<spec>", "path or http(s) URL of the plugin (or a built-in name)")
    .option("--config <json>", "config handed to the plugin's factory", parseJson, {})
    .option("--timeout <ms>", "per-call time limit", parsePositiveInt, 5000)
    .option("--json", "print the report as JSON")
    .action(async (spec, opts) => {
      const stderr = (text: string) => Deno.stderr.writeSync(new TextEncoder().encode(text));
      const report = await checkEncoding(spec, opts.config, {
        callTimeoutMs: opts.timeout,
        onOutput: stderr, // the plugin's console output, for its author
      });
      if (opts.json) console.log(JSON.stringify(report, null, 2));
      else {
        console.log(`checking ${spec}${report.name ? ` (${report.name})` : ""}`);
        for (const item of report.items) {
          console.log(`${item.ok ? "ok  " : "FAIL"}  ${item.name}: ${item.detail}`);
        }
        console.log(report.ok ? "conformant" : "NOT conformant");
      }
      if (!report.ok) throw new Error(`${spec} failed the conformance check`);
    });
}

/** The config as the encoding will see it: defaults filled in for a built-in. */
function shownConfig(spec: string | undefined, config: Record<string, unknown>) {
  const builtin = spec === undefined || resolveEncodingSpec(spec).kind === "builtin";
  if (!builtin) return config;
  const named = spec === undefined ? config : { rope_type: spec, ...config };
  return parseEncodingConfig(named, { warn: () => {} }).config;
}

function preview(values: Float64Array, n: number, exp = false): string {
  const fmt = (v: number) => exp ? v.toExponential(4) : String(+v.toPrecision(6));
  if (values.length <= 2 * n) return [...values].map(fmt).join(" ");
  return [...values.slice(0, n)].map(fmt).join(" ") + " … " +
    [...values.slice(-n)].map(fmt).join(" ");
}

function parseJson(value: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (err) {
    throw new InvalidArgumentError(`not valid JSON (${(err as Error).message})`);
  }
  if (!isPlainObject(parsed)) throw new InvalidArgumentError("must be a JSON object");
  return parsed;
}

function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError("must be a positive integer");
  }
  return n;
}

function parsePositiveNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n <= 0) {
    throw new InvalidArgumentError("must be a positive number");
  }
  return n;
}

function parseSeed(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n > 0xffffffff) {
    throw new InvalidArgumentError("must be an integer in [0, 2^32)");
  }
  return n;
}
