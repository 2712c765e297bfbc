/** The data configuration: which corpus, the held-out split, passkey mixing, the data seed. */
import { z } from "zod";

/** zod schema of the data configuration; every field has a default. */
export const DataConfig: z.ZodType<DataConfig> = z.strictObject({
  /** `text` (Gutenberg books + State of the Union speeches) or `code` (TypeScript). */
  corpus: z.enum(["text", "code"]).default("text"),
  /** Seed of the batch sampler (window choice, passkey rows, keys, depths). */
  seed: z.number().int().min(0).max(0xffffffff).default(0),
  /** Probability that a training row is a passkey sample. */
  passkeyRate: z.number().min(0).max(1).default(0.1),
  /** Loss on passkey rows: every target (`all`) or only the 5 answer digits (`answer`). */
  passkeyLoss: z.enum(["all", "answer"]).default("all"),
  /** Fraction of each source's documents held out for validation. */
  validationFraction: z.number().min(0).max(0.45).default(0.1),
  /** Fraction of each source's documents held out for test. */
  testFraction: z.number().min(0).max(0.45).default(0.1),
});

/** A validated data configuration. */
export type DataConfig = {
  /** `text` (Gutenberg books + State of the Union speeches) or `code` (TypeScript). */
  corpus: "text" | "code";
  /** Seed of the batch sampler (window choice, passkey rows, keys, depths). */
  seed: number;
  /** Probability that a training row is a passkey sample. */
  passkeyRate: number;
  /** Loss on passkey rows: every target (`all`) or only the 5 answer digits (`answer`). */
  passkeyLoss: "all" | "answer";
  /** Fraction of each source's documents held out for validation. */
  validationFraction: number;
  /** Fraction of each source's documents held out for test. */
  testFraction: number;
};

/** Validate a data configuration, throwing an Error that names every bad field. */
export function parseDataConfig(value: unknown, what = "data config"): DataConfig {
  const result = DataConfig.safeParse(value ?? {});
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => {
    const path = i.path.length ? i.path.join(".") : "(root)";
    const keys = "keys" in i && Array.isArray(i.keys) ? ` (${i.keys.join(", ")})` : "";
    return `  ${path}: ${i.message}${keys}`;
  });
  throw new Error(`invalid ${what}:\n${lines.join("\n")}`);
}
