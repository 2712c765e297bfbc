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
 * - `e2` / g=auto and g=1: ONE fine-tuning at R with the paper's E² (g ~ U{1…20}, 4 sink tokens,
 *   one offset t ~ U{0…gR−R} after them), evaluated with g from the length (⌈L/R⌉, capped at 20)
 *   and with g = 1; both carry the same `trainRef`. With `eval.fixedScales` (the `paper` preset)
 *   also as g=<n> for each n, on the same fine-tuning ({@link fixedScaleVariant}).
 *
 * Ablations (`ablation: true`: not in the default method list, the `paper` preset names them):
 * the paper's Table 4 (`e2-no-t`: no offset; `e2-no-g`: g fixed at 2), Table 5 (`e2-gmax5`,
 * `e2-gmax10`, `e2-gmax30`), e2llm's earlier reading (`e2-split`: random split point), and the
 * g = 1 question by budget (`e2-early`, `default-early`: 1/8 of the steps; `e2-mid`,
 * `default-mid`: 1/2).
 */
import type { Json } from "@e2llm/train";
import { E2_DEFAULT_MAX_SCALE } from "@e2llm/encodings";
import { VARIANTS } from "./results.ts";

/** JSON config of an encoding. */
export type EncodingConfig = Record<string, unknown>;

/** What a recipe reads from the compare config. */
export interface RecipeContext {
  /** The fine-tuning target ratio k (`finetune.targetRatio`). */
  targetRatio: number;
  /** The method's extra encoding keys (`encodings.<method>`; `{}` for a method without). */
  extra: Readonly<Record<string, Json>>;
  /** The evaluation ratios of the compare config (`eval.ratios`). */
  ratios?: readonly number[];
  /** E²'s fixed eval scales (`eval.fixedScales`): one extra g=<n> variant each. */
  fixedScales?: readonly number[];
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
  /** Evaluated only at these multiples of R (default: the config's `eval.ratios`). */
  ratios?: readonly number[];
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
  /** More variants from the config (E²'s `eval.fixedScales`), after `variants`. */
  extraVariants?(ctx: RecipeContext): VariantRecipe[];
  /** Fine-tuning steps as a fraction of `finetune.steps` (default 1: the shared budget). */
  budget?: number;
  /** Not in the default method list (the paper's ablations; the `paper` preset names them). */
  ablation?: boolean;
}

/** Table 4 analogue: evaluated at 1× (its cost) and 8× R. */
const TABLE4_RATIOS = [1, 8] as const;
/** Table 5 analogue: evaluated at 1×, 8× and 16× R. */
const TABLE5_RATIOS = [1, 8, 16] as const;

/**
 * The g=<n> variant of an E² fine-tuning (the paper's Table 3 rows and Fig. 5): g fixed at n,
 * evaluated at every config ratio ≤ n when n is within the config's ratios (Table 3: g = 4 at
 * 1×…4×), else only at n × R (Fig. 5: an unseen scale at its own length).
 */
export function fixedScaleVariant(n: number, ratios: readonly number[]): VariantRecipe {
  const within = ratios.length > 0 && n <= Math.max(...ratios);
  return {
    name: `g=${n}`,
    checkpoint: "finetuned",
    encoding: (config) => ({ ...config, eval_scale: n }),
    ratios: within ? ratios.filter((r) => r <= n) : [n],
  };
}

function fixedScaleVariants(ctx: RecipeContext): VariantRecipe[] {
  return (ctx.fixedScales ?? []).map((n) => fixedScaleVariant(n, ctx.ratios ?? []));
}

/**
 * An E² recipe: fine-tuned at R with the paper's defaults (g_max 20 unless `scales`/`max_scale`
 * say otherwise) plus `keys` and the config's `encodings.e2`, evaluated as g=auto (and g=1).
 * Anything but the main `e2` entry is an ablation.
 */
function e2Recipe(
  about: string,
  keys: Record<string, Json>,
  opts: {
    ratios?: readonly number[];
    g1?: boolean;
    budget?: number;
    extraVariants?: (ctx: RecipeContext) => VariantRecipe[];
  } = {},
): MethodRecipe {
  const main = Object.keys(keys).length === 0 && opts.budget === undefined;
  const variants: VariantRecipe[] = [{
    name: VARIANTS.gAuto,
    checkpoint: "finetuned",
    encoding: (config) => ({ ...config, eval_scale: "auto" }),
    ...(opts.ratios ? { ratios: opts.ratios } : {}),
  }];
  if (opts.g1 !== false) {
    variants.push({
      name: VARIANTS.g1,
      checkpoint: "finetuned",
      encoding: (config) => ({ ...config, eval_scale: 1 }),
      ...(opts.ratios ? { ratios: opts.ratios } : {}),
    });
  }
  return {
    about,
    encoding: "e2",
    ...(main ? { extraDefault: {} } : {}),
    finetuneAt: "R",
    finetune: ({ extra }) => {
      const own = { ...keys, ...extra };
      const g = "scales" in own || "max_scale" in own ? {} : { max_scale: E2_DEFAULT_MAX_SCALE };
      return { rope_type: "e2", ...g, ...own };
    },
    variants,
    ...(opts.extraVariants ? { extraVariants: opts.extraVariants } : {}),
    ...(opts.budget !== undefined ? { budget: opts.budget } : {}),
    ...(main ? {} : { ablation: true }),
  };
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
export const COMPARE_METHODS = [
  "default",
  "linear",
  "ntk",
  "yarn",
  "pose",
  "e2",
  "e2-no-t",
  "e2-no-g",
  "e2-gmax5",
  "e2-gmax10",
  "e2-gmax30",
  "e2-split",
  "e2-early",
  "e2-mid",
  "default-early",
  "default-mid",
] as const;

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
  e2: e2Recipe(
    "E²-LLM as the paper defines it: one fine-tuning at R, g ~ U{1…20}; g from L and g = 1",
    {},
    {
      extraVariants: fixedScaleVariants,
    },
  ),
  "e2-no-t": e2Recipe("Table 4: E² without the offset t (scale only)", { shift: "none" }, {
    ratios: TABLE4_RATIOS,
    g1: false,
  }),
  "e2-no-g": e2Recipe("Table 4: E² without g augmentation (g fixed at 2, offset only)", {
    scales: [2],
  }, { ratios: TABLE4_RATIOS, g1: false }),
  "e2-gmax5": e2Recipe("Table 5: g_max = 5", { max_scale: 5 }, {
    ratios: TABLE5_RATIOS,
    g1: false,
  }),
  "e2-gmax10": e2Recipe("Table 5: g_max = 10", { max_scale: 10 }, {
    ratios: TABLE5_RATIOS,
    g1: false,
  }),
  "e2-gmax30": e2Recipe("Table 5: g_max = 30", { max_scale: 30 }, {
    ratios: TABLE5_RATIOS,
    g1: false,
  }),
  "e2-split": e2Recipe("e2llm's earlier reading: a random split point instead of 4 sinks", {
    split: "uniform",
  }),
  "e2-early": e2Recipe("the g = 1 question: E² after 1/8 of the budget", {}, { budget: 1 / 8 }),
  "e2-mid": e2Recipe("the g = 1 question: E² after 1/2 of the budget", {}, { budget: 1 / 2 }),
  "default-early": {
    about: "the g = 1 question: the control after 1/8 of the budget",
    encoding: "default",
    finetuneAt: "R",
    finetune: () => ({ rope_type: "default" }),
    variants: [finetunedAsIs],
    budget: 1 / 8,
    ablation: true,
  },
  "default-mid": {
    about: "the g = 1 question: the control after 1/2 of the budget",
    encoding: "default",
    finetuneAt: "R",
    finetune: () => ({ rope_type: "default" }),
    variants: [finetunedAsIs],
    budget: 1 / 2,
    ablation: true,
  },
};

/** The methods run when a config names none: every method but the ablations. */
export const DEFAULT_METHODS: readonly CompareMethod[] = COMPARE_METHODS.filter((m) =>
  !(METHOD_RECIPES[m] as MethodRecipe).ablation
);

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
