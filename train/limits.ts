/** Refuse a model that would not fit the device, before anything is allocated. */
import { headDim, type ModelConfig } from "./config.ts";
import type { ParamLayout } from "./params.ts";

/**
 * Throws a RangeError naming the buffer and the numbers when any single buffer of a model with
 * `maxRows` = batch · length rows would exceed `maxStorageBufferBindingSize`/`maxBufferSize`.
 */
export function checkDeviceLimits(
  device: GPUDevice,
  c: ModelConfig,
  maxRows: number,
  layout: ParamLayout,
): void {
  const limit = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
  const largest: [string, number][] = [
    ["parameters", layout.size],
    ["logits [rows, vocab]", maxRows * c.vocabSize],
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
