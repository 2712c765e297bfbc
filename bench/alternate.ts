/**
 * Time the WebGPU path against the PyTorch CPU reference fairly: warm both, then `rounds` rounds
 * that each run `calls` calls of one side then the other (the first side alternates), so a
 * machine whose speed drifts slows both alike. Rows: the GPU's tokens/s (median over rounds),
 * PyTorch's, and their ratio; when torch is missing, the GPU row and a row saying why.
 */
import type { BenchResult } from "./types.ts";
import { startTorchReference, type TorchJob, torchMissingReason } from "./torch_reference.ts";

/** One side of the comparison: `run(calls)` does `calls` calls and returns wall seconds. */
export interface Side {
  run(calls: number): Promise<number>;
}

/** What {@link alternate} compares. */
export interface AlternateSpec {
  /** Row name of the GPU result; PyTorch's is `${name} pytorch`, the ratio `${name} ratio`. */
  name: string;
  gpu: Side;
  /** Tokens one call processes (batch · length). */
  tokensPerCall: number;
  calls: number;
  /** PyTorch calls per round (default `calls`; fewer where its steps are slow). */
  torchCalls?: number;
  rounds: number;
  torch: TorchJob;
  /** Untimed PyTorch calls before the first round. */
  torchWarmup: number;
  /** Extra fields for the GPU row. */
  extra?: Record<string, unknown>;
}

/** The median of `xs` (the mean of the middle two for an even count). */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Run the rounds; the GPU side must already be warm (pipelines compiled). */
export async function alternate(spec: AlternateSpec): Promise<BenchResult[]> {
  const missing = await torchMissingReason();
  const torch = missing ? null : await startTorchReference(spec.torch);
  const gpuRates: number[] = [], torchRates: number[] = [];
  try {
    if (torch) await torch.run(spec.torchWarmup);
    for (let round = 0; round < spec.rounds; round++) {
      const sides: [number[], Side, number][] = [[gpuRates, spec.gpu, spec.calls]];
      if (torch) sides.push([torchRates, torch, spec.torchCalls ?? spec.calls]);
      if (round % 2) sides.reverse();
      for (const [rates, side, calls] of sides) {
        rates.push((spec.tokensPerCall * calls) / await side.run(calls));
      }
    }
  } finally {
    await torch?.close();
  }
  const gpu = median(gpuRates);
  const rows: BenchResult[] = [{
    name: spec.name,
    unit: "tokens/s",
    value: Math.round(gpu),
    msPerCall: Number((1000 * spec.tokensPerCall / gpu).toFixed(2)),
    rounds: gpuRates.map(Math.round),
    ...spec.extra,
  }];
  if (!torch) {
    console.error(`${spec.name}: PyTorch rows skipped: ${missing}`);
    rows.push({ name: `${spec.name} pytorch`, unit: "skipped", value: 0, reason: missing });
    return rows;
  }
  const ref = median(torchRates);
  rows.push({
    name: `${spec.name} pytorch`,
    unit: "tokens/s",
    value: Math.round(ref),
    msPerCall: Number((1000 * spec.tokensPerCall / ref).toFixed(2)),
    rounds: torchRates.map(Math.round),
    torch: torch.version,
    threads: torch.threads,
    blas: torch.blas,
  }, {
    name: `${spec.name} ratio`,
    unit: "x",
    value: Number((gpu / ref).toFixed(3)),
    perRound: gpuRates.map((g, i) => Number((g / torchRates[i]).toFixed(3))),
    note: "WebGPU tokens/s over PyTorch CPU tokens/s, medians of alternating rounds",
  });
  return rows;
}
