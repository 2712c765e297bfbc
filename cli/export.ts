/**
 * `export`: write a run's checkpoint in another format
 * (`deno task export <run> --format hf --out <dir> [--dtype f32|bf16|f16] [--target-length L]`).
 * @module
 */
import { Command, InvalidArgumentError, Option } from "@commander-js/extra-typings";
import { exportHf, type HfDtype } from "@e2llm/train";

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new InvalidArgumentError(`"${value}" is not a positive integer`);
  }
  return n;
}

/** The `export` command. */
export function exportCommand() {
  return new Command("export")
    .description("export a run's checkpoint as a Hugging Face LlamaForCausalLM folder")
    .argument("<run>", "run folder (holding checkpoint/) or checkpoint folder")
    .addOption(
      new Option("--format <name>", "output format").choices(["hf"] as const).default(
        "hf" as const,
      ),
    )
    .option("--out <dir>", "output folder (required)")
    .addOption(
      new Option("--dtype <type>", "tensor dtype").choices(["f32", "bf16", "f16"] as const)
        .default("f32" as const),
    )
    .option(
      "--target-length <n>",
      "max_position_embeddings, and the scale g of an e2 run (E² at inference = linear by g)",
      positiveInt,
    )
    .action(async (run, opts) => {
      if (!opts.out) throw new Error("required option '--out <dir>' not specified");
      const files = await exportHf({
        run,
        out: opts.out,
        dtype: opts.dtype.toUpperCase() as HfDtype,
        targetLength: opts.targetLength,
      });
      for (const f of files) console.log(f);
    });
}
