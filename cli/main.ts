/**
 * The e2llm command line: `deno task e2llm <command>`, or the per-command tasks in deno.json.
 */
import { Command, CommanderError } from "@commander-js/extra-typings";
import { doctorCommand } from "./doctor.ts";
import { encodingCommand } from "./encoding.ts";
import { reportCommand } from "./report.ts";
import { trainCommand } from "./train.ts";
import { evalCommand } from "./eval.ts";
import { compareCommand } from "./compare.ts";
import { exportCommand } from "./export.ts";

/** Build the program with every subcommand (exported so tests can drive it in-process). */
export function buildProgram(): Command {
  const program = new Command("e2llm")
    .description("context-window extension of RoPE language models, on WebGPU")
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({ outputError: (str, write) => write(str) });
  program.addCommand(doctorCommand());
  program.addCommand(encodingCommand());
  program.addCommand(reportCommand());
  program.addCommand(trainCommand());
  program.addCommand(evalCommand());
  program.addCommand(compareCommand());
  program.addCommand(exportCommand());
  return program as unknown as Command;
}

/** Run the CLI with `args`; returns the exit code instead of exiting. */
export async function main(args: string[]): Promise<number> {
  const program = buildProgram();
  program.exitOverride();
  for (const cmd of program.commands) cmd.exitOverride();
  try {
    await program.parseAsync(args, { from: "user" });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    console.error(`error: ${(err as Error).message}`);
    return 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
