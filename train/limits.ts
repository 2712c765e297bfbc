/** Refuse a model that would not fit the device, before anything is allocated. */
import { headDim, type ModelConfig } from "./config.ts";
import type { ParamLayout } from "./params.ts";

/**
 * Throws a RangeError naming the buffer and the numbers when any single buffer of a model with
 * `maxRows` = batch · length rows would exceed `maxStorageBufferBindingSize`/`maxBufferSize`
 * (`evaluation`: no gradients, logits computed `logitRows` rows at a time).
 */
export function checkDeviceLimits(
  device: GPUDevice,
  c: ModelConfig,
  maxRows: number,
  layout: ParamLayout,
  evaluation?: { logitRows: number },
): void {
  const limit = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
  // Evaluation binds each parameter on its own (the flat buffer only has to fit maxBufferSize)
  // and computes logits in chunks of `logitRows` rows.
  const largestParam = Math.max(...layout.specs.map((s) => s.shape.reduce((a, b) => a * b, 1)));
  if (evaluation && layout.size * 4 > device.limits.maxBufferSize) {
    throw new RangeError(
      `model does not fit the device: parameters need ${layout.size * 4} bytes, the device ` +
        `allows ${device.limits.maxBufferSize} per buffer`,
    );
  }
  const largest: [string, number][] = [
    evaluation ? ["largest parameter", largestParam] : ["parameters", layout.size],
    ["logits [rows, vocab]", (evaluation?.logitRows ?? maxRows) * c.vocabSize],
    ["qkv [rows, 3·dModel]", maxRows * 3 * c.dModel],
    ["swiglu input [rows, 2·mlpWidth]", maxRows * 2 * c.mlpWidth],
    ["attention lse [rows, heads]", maxRows * c.nHeads],
  ];
  for (const [what, elements] of largest) {
    const bytes = elements * 4;
    if (bytes > limit) {
      throw new RangeError(
        `model does not fit the device: ${what} needs ${bytes} bytes ` +
          `(${maxRows} rows, dModel ${c.dModel}, head dim ${headDim(c)}, vocab ${c.vocabSize}) ` +
          `but the device allows ${limit} bytes per buffer; use fewer rows (batch × length) ` +
          `or a smaller model`,
      );
    }
  }
}
