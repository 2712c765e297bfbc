/**
 * `e2`: E²-LLM (Liu et al. 2024, arXiv 2401.06951). The defaults are the paper's method (its
 * Eq. 5: RoPE at (m + t)/g); our earlier reading stays as options (see encodings/E2.md).
 *
 * Training, per sample of n tokens with training length R:
 * 1. scale g ~ P(g): uniform over the integers 1 … `max_scale` (20 by default, the paper's
 *    g_max), or `scales` with optional `scale_weights`;
 * 2. offset t ~ U{0 … ⌊g·R − R⌋} and a split point k: `split: "sinks"` (default, the paper) keeps
 *    the first `sink_tokens` (4) ids unshifted, k = min(4, n); our earlier readings:
 *    `split: "uniform"` k ~ U{1 … n−1}, `split: "half"` k = ⌊n/2⌋;
 * 3. ids: i/g for i < k, (i + t)/g for i ≥ k (`shift: "split"`, the default). So a short sample
 *    shows relative distances up to ≈ g·R at density 1/g, what the model meets at L = g·R.
 *    Ablations: `shift: "none"` (ids i/g; no t) and `shift: "global"` (every id (i + t)/g — a
 *    constant shift, so the q·k logits equal those of "none": the control).
 *
 * Evaluation at target length L: ids i/g with g = min(⌈L/R⌉, `eval_max_scale`) by default
 * (`eval_scale: "auto"`; the cap defaults to the largest trained scale), or a fixed
 * `eval_scale` (e.g. 1: no scaling at inference, the paper's open question).
 *
 * Frequencies are plain RoPE: the whole method lives in the position ids.
 * @module
 */
import { z } from "npm:zod@4.6.7";
import type { Exact } from "../exact.ts";
import type { TrainPositionContext } from "../contract.ts";
import { ropeInvFreq } from "../rope.ts";
import { type BuiltinEncoding, randomInt } from "./define.ts";

/** Default largest scale G when neither `max_scale` nor `scales` is given: the paper's g_max = 20. */
export const E2_DEFAULT_MAX_SCALE = 20;

/** Default number of leading ids kept unshifted with `split: "sinks"`: the paper's four sinks. */
export const E2_DEFAULT_SINK_TOKENS = 4;

/** A validated `e2` config (after defaults). */
export interface E2Config {
  /** Always "e2". */
  rope_type: "e2";
  /** G: P(g) is uniform over the integers 1 … G (20 when neither this nor `scales` is given). */
  max_scale?: number;
  /** An explicit support for P(g), each ≥ 1. */
  scales?: number[];
  /** Relative weights of `scales`; uniform when absent. */
  scale_weights?: number[];
  /** "split": shift after the split point; "none": no shift; "global": shift every id (control). */
  shift: "split" | "none" | "global";
  /** Split-point rule: "sinks" k = min(sink_tokens, n) (paper), "uniform" k ~ U{1 … n−1}, "half" k = ⌊n/2⌋. */
  split: "sinks" | "uniform" | "half";
  /** With `split: "sinks"`: how many leading ids keep offset 0 (4 when absent). */
  sink_tokens?: number;
  /** "auto": g = min(⌈L/R⌉, cap); or a fixed g. */
  eval_scale: "auto" | number;
  /** The cap of the automatic eval scale; the largest trained scale when absent. */
  eval_max_scale?: number;
}

const e2SchemaDef = z.strictObject({
  rope_type: z.literal("e2"),
  /** G: P(g) is uniform over the integers 1 … G. Exclusive with `scales`. */
  max_scale: z.int().min(1).optional(),
  /** An explicit support for P(g) (each ≥ 1). Exclusive with `max_scale`. */
  scales: z.array(z.number().min(1)).min(1).optional(),
  /** Relative weights of `scales` (same length, ≥ 0, not all 0); uniform when absent. */
  scale_weights: z.array(z.number().nonnegative()).optional(),
  /** "split" (default): ids after the split point shifted; "none": no shift; "global": all shifted. */
  shift: z.enum(["split", "none", "global"]).default("split"),
  /** The split-point rule: "sinks" (default, the paper) k = min(sink_tokens, n); our earlier
   * readings "uniform" k ~ U{1 … n−1} or "half" k = ⌊n/2⌋. */
  split: z.enum(["sinks", "uniform", "half"]).default("sinks"),
  /** With `split: "sinks"`: leading ids that keep offset 0 (attention sinks); 4 when absent. */
  sink_tokens: z.int().min(0).optional(),
  /** "auto" (default): g = min(⌈L/R⌉, eval_max_scale); or a fixed g > 0 (1 = no scaling). */
  eval_scale: z.union([z.literal("auto"), z.number().positive()]).default("auto"),
  /** Cap of the automatic eval scale; the largest trained scale when absent. */
  eval_max_scale: z.number().min(1).optional(),
}).superRefine((c, ctx) => {
  if (c.sink_tokens !== undefined && c.split !== "sinks") {
    ctx.addIssue({
      code: "custom",
      path: ["sink_tokens"],
      message: `applies only to split "sinks" (split is "${c.split}")`,
    });
  }
  if (c.max_scale !== undefined && c.scales !== undefined) {
    ctx.addIssue({ code: "custom", path: ["scales"], message: "give either max_scale or scales" });
  }
  if (c.scale_weights !== undefined) {
    if (c.scales === undefined) {
      ctx.addIssue({ code: "custom", path: ["scale_weights"], message: "needs scales" });
    } else if (c.scale_weights.length !== c.scales.length) {
      ctx.addIssue({
        code: "custom",
        path: ["scale_weights"],
        message: `has ${c.scale_weights.length} entries, scales has ${c.scales.length}`,
      });
    } else if (!c.scale_weights.some((w) => w > 0)) {
      ctx.addIssue({ code: "custom", path: ["scale_weights"], message: "are all zero" });
    }
  }
});

const e2Schema: z.ZodType<E2Config> = e2SchemaDef;
// The written-out type must stay exactly the schema's output (deno check fails otherwise).
const _e2SchemaExact: Exact<z.output<typeof e2SchemaDef>, E2Config> = true;

/** The random choices behind one E² training sample. */
export interface E2Sample {
  /** g: ids are divided by it. */
  scale: number;
  /** k: ids at index ≥ k are shifted (0 = all, n = none). */
  split: number;
  /** t: the shift added before dividing by g. */
  shift: number;
}

/** The support and probabilities of P(g) for a config. */
export function e2ScaleDistribution(cfg: E2Config): { scales: number[]; probabilities: number[] } {
  const scales = cfg.scales ??
    Array.from({ length: cfg.max_scale ?? E2_DEFAULT_MAX_SCALE }, (_, i) => i + 1);
  const weights = cfg.scale_weights ?? scales.map(() => 1);
  const total = weights.reduce((a, b) => a + b, 0);
  return { scales, probabilities: weights.map((w) => w / total) };
}

/** Draw g, the split point and t for one sample (draw order: g, t, split; "sinks" draws no split). */
export function drawE2Sample(cfg: E2Config, ctx: TrainPositionContext): E2Sample {
  const { scales, probabilities } = e2ScaleDistribution(cfg);
  let u = ctx.random();
  let scale = scales[scales.length - 1];
  for (let i = 0; i < scales.length; i++) {
    if (u < probabilities[i]) {
      scale = scales[i];
      break;
    }
    u -= probabilities[i];
  }
  if (cfg.shift === "none") return { scale, split: ctx.length, shift: 0 };
  // t_max = g·R − R: the largest interpolated window for this g minus the trained window.
  const shift = randomInt(0, Math.floor(scale * ctx.trainLength - ctx.trainLength), ctx.random);
  if (cfg.shift === "global") return { scale, split: 0, shift };
  const n = ctx.length;
  const split = cfg.split === "sinks"
    ? Math.min(cfg.sink_tokens ?? E2_DEFAULT_SINK_TOKENS, n)
    : n < 2
    ? n
    : cfg.split === "half"
    ? Math.floor(n / 2)
    : randomInt(1, n - 1, ctx.random);
  return { scale, split, shift };
}

/** The ids of a sample: i/g before the split point, (i + t)/g from it on. */
export function e2Positions(length: number, sample: E2Sample): Float64Array {
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    out[i] = (i < sample.split ? i : i + sample.shift) / sample.scale;
  }
  return out;
}

/** The scale g used at evaluation for target length `length`. */
export function e2EvalScale(cfg: E2Config, length: number, trainLength: number): number {
  if (cfg.eval_scale !== "auto") return cfg.eval_scale;
  const cap = cfg.eval_max_scale ?? Math.max(...e2ScaleDistribution(cfg).scales);
  return Math.max(1, Math.min(Math.ceil(length / trainLength), cap));
}

/** E²-LLM: per-sample scale g and position shift in training, g from the target length at eval. */
export const e2Encoding: BuiltinEncoding<E2Config> = {
  name: "e2",
  description:
    "E²-LLM (paper): ids (m + t)/g, g ~ U{1..20}, t after 4 sink tokens in training; g = ⌈L/R⌉ at eval",
  schema: e2Schema,
  example: {
    rope_type: "e2",
    max_scale: 20,
    shift: "split",
    split: "sinks",
    sink_tokens: 4,
    eval_scale: "auto",
  },
  create: (cfg) => ({
    name: "e2",
    frequencies: ({ headDim, base }) => ({
      invFreq: ropeInvFreq(headDim, base),
      attentionScale: 1,
    }),
    trainPositions: (ctx) => e2Positions(ctx.length, drawE2Sample(cfg, ctx)),
    evalPositions: ({ length, trainLength }) =>
      e2Positions(length, {
        scale: e2EvalScale(cfg, length, trainLength),
        split: length,
        shift: 0,
      }),
  }),
};
