/**
 * @module
 * The methods `compare` knows, as ONE table: per method, its recipe — the encoding config it is
 * fine-tuned with (per target ratio k), the length it is fine-tuned at, and the variants it is
 * evaluated as. The plan (plan.ts), the config schema and presets (presets.ts) and the report
 * order (report/summary.ts) all read this table; adding a method means adding one entry here.
 *
 * The built-in recipes:
 * - `default` / finetuned: the control, fine-tuned at R with plain RoPE;
 * - `linear`, `ntk`, `yarn` / finetuned: factor k = targetRatio, fine-tuned at k·R (batch / k
 *   rows, same tokens), evaluated with factor k at every length;
 * - `linear`, `ntk`, `yarn` / no-finetune: the base checkpoint, factor max(1, L/R) at length L;
 * - `pose` / finetuned: fine-tuned at R, skipped positions up to k·R (frequency scaling from
 *   `encodings.pose`, linear by default, as in the PoSE paper), factor k at every length;
 * - `e2` / g=auto and g=1: ONE fine-tuning at R (g ~ U{1…k}, split shift), evaluated with g from
 *   the length (⌈L/R⌉, capped at k) and with g = 1; both carry the same `trainRef`.
 */
import type { Json } from "@e2llm/train";
import { VARIANTS } from "./results.ts";

/** JSON config of an encoding. */
export type EncodingConfig = Record<string, unknown>;

/** What a recipe reads from the compare config. */
export interface RecipeContext {
  /** The fine-tuning target ratio k (`finetune.targetRatio`). */
  targetRatio: number;
  /** The method's extra encoding keys (`encodings.<method>`; `{}` for a method without). */
  extra: Readonly<Record<string, Json>>;
}

/** How a variant of a method is evaluated. */
export interface VariantRecipe {
  /** The variant name (a {@link VARIANTS} value for the built-ins). */
  name: string;
  /** `finetuned`: the method's fine-tuned checkpoint; `base`: the base, without fine-tuning. */
  checkpoint: "finetuned" | "base";
  /** Evaluate with `factor: max(1, L/R)` added at length L (see plan.ts `encodingAtLength`). */
  factorFromLength?: boolean;
  /** The evaluation encoding config, from the fine-tuning's config and the context. */
  encoding(finetuned: EncodingConfig, ctx: RecipeContext): EncodingConfig;
}

/** One method of `compare`: its encoding, fine-tuning and evaluated variants. */
export interface MethodRecipe {
  /** One line for help texts. */
  about: string;
  /** The encoding (built-in name) it trains and evaluates with. */
  encoding: string;
  /**
   * Default of its `encodings.<method>` config section (extra encoding keys merged into its
   * configs); absent: the method takes no extra keys (no such section).
   */
  extraDefault?: Readonly<Record<string, Json>>;
  /** Fine-tuning length: R, or the target k·R (with batchSize / k rows: the same tokens). */
  finetuneAt: "R" | "target";
  /** The encoding config it is fine-tuned with. */
  finetune(ctx: RecipeContext): EncodingConfig;
  /** Its evaluated variants, in report order. */
  variants: readonly VariantRecipe[];
}

/** Evaluated as fine-tuned, with the fine-tuning's encoding unchanged. */
const finetunedAsIs: VariantRecipe = {
  name: VARIANTS.finetuned,
  checkpoint: "finetuned",
  encoding: (config) => config,
};

/** A position-interpolation family member (linear, ntk, yarn): factor k, fine-tuned at k·R. */
function scaled(name: string, about: string, extraDefault?: Record<string, Json>): MethodRecipe {
  return {
    about,
    encoding: name,
    ...(extraDefault ? { extraDefault } : {}),
    finetuneAt: "target",
    finetune: ({ targetRatio, extra }) => ({ rope_type: name, ...extra, factor: targetRatio }),
    variants: [finetunedAsIs, {
      name: VARIANTS.noFinetune,
      checkpoint: "base",
      factorFromLength: true,
      encoding: (_, { extra }) => ({ rope_type: name, ...extra }),
    }],
  };
}

/**
 * The methods `compare` knows, in report order (the control first): the keys of
 * {@link METHOD_RECIPES} (the compiler holds the two to the same names).
 */
export const COMPARE_METHODS = ["default", "linear", "ntk", "yarn", "pose", "e2"] as const;

/** One of the methods in {@link COMPARE_METHODS}. */
export type CompareMethod = (typeof COMPARE_METHODS)[number];

/** The recipe of every method of `compare`. */
export const METHOD_RECIPES: Readonly<Record<CompareMethod, MethodRecipe>> = {
  default: {
    about: "the control: plain RoPE, fine-tuned at R",
    encoding: "default",
    finetuneAt: "R",
    finetune: () => ({ rope_type: "default" }),
    variants: [finetunedAsIs],
  },
  linear: scaled("linear", "position interpolation: factor k, fine-tuned at k·R"),
  ntk: scaled("ntk", "NTK-aware base scaling: factor k, fine-tuned at k·R"),
  yarn: scaled("yarn", "YaRN: factor k, fine-tuned at k·R", {}),
  pose: {
    about: "PoSE: fine-tuned at R with positions skipped up to k·R, factor k",
    encoding: "pose",
    extraDefault: { frequency_scaling: "linear" },
    finetuneAt: "R",
    finetune: ({ targetRatio, extra }) => ({ rope_type: "pose", factor: targetRatio, ...extra }),
    variants: [finetunedAsIs],
  },
  e2: {
    about: "E²-LLM: one fine-tuning at R with g ~ U{1…k}; evaluated with g from L and g = 1",
    encoding: "e2",
    extraDefault: {},
    finetuneAt: "R",
    finetune: ({ targetRatio, extra }) => ({
      rope_type: "e2",
      ...("scales" in extra ? {} : { max_scale: targetRatio }),
      ...extra,
    }),
    variants: [
      {
        name: VARIANTS.gAuto,
        checkpoint: "finetuned",
        encoding: (config) => ({ ...config, eval_scale: "auto" }),
      },
      {
        name: VARIANTS.g1,
        checkpoint: "finetuned",
        encoding: (config) => ({ ...config, eval_scale: 1 }),
      },
    ],
  },
};

/** The recipe of `method`. */
export function methodRecipe(method: CompareMethod): MethodRecipe {
  return METHOD_RECIPES[method];
}

/** Methods with an `encodings.<method>` section, alphabetically, with their defaults. */
export function extraEncodingDefaults(): Record<string, Record<string, Json>> {
  const out: Record<string, Record<string, Json>> = {};
  for (const m of [...COMPARE_METHODS].sort()) {
    const d = METHOD_RECIPES[m].extraDefault;
    if (d) out[m] = { ...d };
  }
  return out;
}

/** Variant names in report order: each method's variants in table order, first seen first. */
export function variantOrder(): string[] {
  const seen = new Set<string>();
  for (const m of COMPARE_METHODS) {
    for (const v of METHOD_RECIPES[m].variants) seen.add(v.name);
  }
  return [...seen];
}
