/**
 * `compare`: the fair extension pipeline — one base model, every method with the same budget,
 * evaluated at 1×–16× R — into a resumable output folder with a report
 * (`deno task compare --preset smoke|standard|full|paper`).
 * @module
 */
import { resolve } from "node:path";
import { Command, InvalidArgumentError, Option } from "@commander-js/extra-typings";
import {
  type Backend,
  COMPARE_METHODS,
  type CompareMethod,
  defaultBackend,
  planCompare,
  PRESET_NAMES,
  resolveCompareConfig,
  runCompare,
} from "@e2llm/eval";
import { planCost } from "../eval/plan_cost.ts";
import { intAtLeast } from "./eval.ts";
import { cellAction, cellMode, STAGE_NAMES } from "./compare_cells.ts";
import { lockRunFolder } from "@e2llm/train";

function parseMethods(value: string): CompareMethod[] {
  const names = value.split(",").map((s) => s.trim());
  const bad = names.find((n) => !(COMPARE_METHODS as readonly string[]).includes(n));
  if (bad !== undefined) {
    throw new InvalidArgumentError(
      `unknown method "${bad}" (methods: ${COMPARE_METHODS.join(", ")})`,
    );
  }
  return names as CompareMethod[];
}

function parseSeeds(value: string): number[] {
  return value.split(",").map((s) => intAtLeast(0)(s.trim()));
}

async function readConfigFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (err) {
    throw new Error(`--config ${path}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`--config ${path} is not valid JSON: ${(err as Error).message}`);
  }
}

/** The `compare` command; `backend` defaults to the real GPU model (tests pass fakes). */
export function compareCommand(backend: () => Backend = defaultBackend) {
  return new Command("compare")
    .description(
      "pretrain a base at R, extend it with every method on the same budget, evaluate at 1×–16× R, " +
        "write results.json + report (resumes an interrupted run in the same --out)",
    )
    .addOption(
      new Option(
        "--preset <name>",
        "sizes: smoke (CI, < 5 min), standard (< 1 h), full (seeds), paper (E²-LLM's tables)",
      )
        .choices(PRESET_NAMES).default("standard" as const),
    )
    .option("--config <file>", "JSON merged over the preset (any field of the compare config)")
    .option("--out <dir>", "output folder (default: runs/compare-<preset>)")
    .option("--methods <list>", `subset of ${COMPARE_METHODS.join(",")}`, parseMethods)
    .option("--seeds <list>", "seeds, e.g. 0,1,2 (one base per seed)", parseSeeds)
    .option("--dry-run", "print the plan (trainings with token budgets, runs) and exit")
    .option(
      "--base <dir>",
      "use this base (run folder, checkpoint or Hugging Face LLaMA folder) instead of pretraining",
    )
    .option("--quiet", "no training progress")
    .option("--strict", "exit with an error when any run failed (after writing the report)")
    .option("--list-cells", "print the plan's cells (stage, dependencies, done/missing) and exit")
    .option(
      "--cell <index>",
      "run one cell into --out; 'auto' (or no value given with --stage) reads " +
        "SLURM_ARRAY_TASK_ID, then JOB_COMPLETION_INDEX",
    )
    .addOption(
      new Option(
        "--stage <name>",
        "with --cell: the index counts inside this stage; " +
          "'report' writes the report once every cell finished",
      ).choices(STAGE_NAMES),
    )
    .option("--slurm", "submit one sbatch job array per stage (afterok chained) and a report job")
    .option("--sbatch <options>", 'extra sbatch options for every job, e.g. "--partition=cpu"')
    .option("--wait", "with --slurm: block until the report exists; fail naming failed cells")
    .option("--break-stale-lock", "remove a lock left by a crashed writer (named in the error)")
    .action(async (opts) => {
      const override = opts.config ? await readConfigFile(opts.config) : {};
      const flags: Record<string, unknown> = {};
      if (opts.methods) flags.methods = opts.methods;
      if (opts.seeds) flags.seeds = opts.seeds;
      const config = resolveCompareConfig(
        opts.preset,
        { ...(override as object), ...flags },
        opts.config ? `compare config (${opts.config} over preset ${opts.preset})` : undefined,
      );
      const out = opts.out ?? `runs/compare-${opts.preset}`;
      if (opts.dryRun) {
        const plan = planCompare(config);
        console.log(`R = ${plan.trainLength}; lengths ${plan.lengths.join(", ")}; output ${out}`);
        for (const t of plan.trainings) {
          const c = t.config;
          console.log(
            `train ${t.id.padEnd(16)} ${c.encoding.name.padEnd(8)} ${c.steps} steps × ` +
              `${c.batchSize} × ${c.seqLength} = ${t.tokens} tokens ${
                JSON.stringify(c.encoding.config)
              }`,
          );
        }
        for (const r of plan.runs) {
          console.log(
            `run   ${`${r.method}/${r.variant}`.padEnd(20)} seed ${r.seed} on ${r.checkpointOf}` +
              (r.encoding.factorFromLength ? " (factor = L/R)" : "") +
              ` at ${r.lengths.join(", ")}`,
          );
        }
        const cost = planCost(plan, config);
        const long = Object.entries(cost.finetuneTokensLong)
          .map(([len, n]) => `${n} at ${len}`).join(", ");
        console.log(
          `training tokens: base ${cost.baseTokens}, fine-tuning ${cost.finetuneTokensAtR} at ` +
            `${plan.trainLength}${long ? `, ${long}` : ""}; evaluated tokens ${cost.evalTokens} ` +
            `(attention work ${Math.round(cost.evalAttentionTokens)} token-equivalents at R)`,
        );
        return;
      }
      const args = ["--preset", opts.preset];
      if (opts.config) args.push("--config", opts.config);
      if (opts.methods) args.push("--methods", opts.methods.join(","));
      if (opts.seeds) args.push("--seeds", opts.seeds.join(","));
      if (opts.base) args.push("--base", opts.base);
      args.push("--out", out);
      const runWhole = async () => {
        const lock = await lockRunFolder(out, { breakStale: opts.breakStaleLock });
        try {
          return await runCompare({
            config,
            out,
            backend: backend(),
            command: `deno task compare ${args.join(" ")}`,
            quiet: opts.quiet ?? false,
            base: opts.base,
          });
        } finally {
          await lock.release();
        }
      };
      if (cellMode(opts)) {
        if (opts.base) {
          throw new Error(
            "--base cannot be combined with --cell, --stage, --list-cells or --slurm yet " +
              "(cells pretrain their own bases); run the comparison in one process",
          );
        }
        const planArgs = ["--preset", opts.preset];
        if (opts.config) planArgs.push("--config", resolve(opts.config));
        if (opts.methods) planArgs.push("--methods", opts.methods.join(","));
        if (opts.seeds) planArgs.push("--seeds", opts.seeds.join(","));
        planArgs.push("--out", resolve(out));
        return await cellAction(opts, config, out, planArgs, backend, async () => {
          const result = await runWhole();
          console.log(`${result.doc.runs.length} runs; report written to ${out}`);
        });
      }
      const result = await runWhole();
      console.log(
        `${result.doc.runs.length} runs (${result.failed.length} failed); report written to ${out}:`,
      );
      for (const f of result.files) console.log(`  ${f}`);
      if (opts.strict && result.failed.length > 0) {
        throw new Error(
          `--strict: ${result.failed.length} runs failed: ${result.failed.join("; ")}`,
        );
      }
    });
}
