/**
 * e2llm encoding → Hugging Face `rope_scaling` / `rope_theta` / `max_position_embeddings`, for
 * export. What HF's LLaMA cannot express is refused, naming the encoding.
 */
import { e2Encoding, e2EvalScale, findBuiltin } from "@e2llm/encodings";

/** The RoPE keys of an exported `config.json`. */
export interface HfRopeKeys {
  rope_theta: number;
  rope_scaling: Record<string, unknown> | null;
  max_position_embeddings: number;
}

/**
 * Map `encoding` (a run's `{name, config}`) for a model with training length R, head dim `hd`
 * and base `base`. `targetLength` L sets `max_position_embeddings` and, for `e2`, the factor
 * g = the scale E² uses at length L (E² at inference is position interpolation by g).
 */
export function hfRopeKeys(
  encoding: { name: string; config: Record<string, unknown> },
  model: { trainLength: number; ropeBase: number; headDim: number },
  targetLength?: number,
): HfRopeKeys {
  const R = model.trainLength, base = model.ropeBase, hd = model.headDim;
  const name = encoding.name;
  const builtin = findBuiltin(name);
  if (!builtin) {
    throw new Error(
      `encoding "${name}" is not a built-in; Hugging Face LLaMA cannot express it (export needs ` +
        `default, linear, dynamic, yarn, ntk or e2)`,
    );
  }
  const parsed = builtin.schema.safeParse({ rope_type: name, ...encoding.config });
  if (!parsed.success) {
    throw new Error(`encoding "${name}": invalid config: ${parsed.error.message}`);
  }
  const cfg = parsed.data as Record<string, unknown> & { factor?: number };
  const scaledLength = (factor: number) => targetLength ?? Math.round(R * factor);
  switch (name) {
    case "default":
      return { rope_theta: base, rope_scaling: null, max_position_embeddings: targetLength ?? R };
    case "ntk":
      return {
        rope_theta: base * cfg.factor! ** (hd / (hd - 2)),
        rope_scaling: null,
        max_position_embeddings: scaledLength(cfg.factor!),
      };
    case "linear":
      return {
        rope_theta: base,
        rope_scaling: {
          rope_type: "linear",
          factor: cfg.factor,
          original_max_position_embeddings: R,
        },
        max_position_embeddings: scaledLength(cfg.factor!),
      };
    case "dynamic":
    case "yarn": {
      const scaling: Record<string, unknown> = { ...cfg, original_max_position_embeddings: R };
      // HF's dynamic NTK reads the original length from max_position_embeddings.
      const maxPos = name === "dynamic" ? R : scaledLength(cfg.factor!);
      return { rope_theta: base, rope_scaling: scaling, max_position_embeddings: maxPos };
    }
    case "e2": {
      if (targetLength === undefined) {
        throw new Error(
          `encoding "e2" exports as linear interpolation by the scale g of a target length: ` +
            `give --target-length`,
        );
      }
      const g = e2EvalScale(e2Encoding.schema.parse(cfg), targetLength, R);
      return {
        rope_theta: base,
        rope_scaling: { rope_type: "linear", factor: g, original_max_position_embeddings: R },
        max_position_embeddings: targetLength,
      };
    }
    default:
      throw new Error(
        `encoding "${name}" has no Hugging Face rope_scaling equivalent (export supports ` +
          `default, linear, dynamic, yarn, ntk, e2)`,
      );
  }
}
