/**
 * `deno task variants matmul|attention …`: compare kernel variants fairly, in interleaved rounds
 * (kernels/profile.ts `timeInterleaved`: every variant once per round, rotated order), so the
 * machine's speed drift hits all alike. One JSON line per variant: median and fastest GPU ms,
 * the rate, and the speed relative to the first variant.
 *
 *   deno task variants matmul --shape "NN 1024 1024 1024" --variants 16x16/32,16x8/32/sg1
 *   deno task variants attention --shape "1 2048 4 32" --kernel bwd --tiles 4x2/s0,4x2/s8
 *
 * Matmul variants: `TMxTN/WG` (texture source), `/sgR` adds subgroup sharing over R tile rows,
 * `/buffer` the storage-buffer source. Attention tiles: `ROWSxBLOCK`, `/wWG` the workgroup,
 * `/sS` the subgroup width of the shared loads (0 = off).
 */
import { Command, InvalidArgumentError } from "@commander-js/extra-typings";
import {
  attention,
  attentionBackward,
  type AttentionTiles,
  formatVariant,
  getGpu,
  type Gpu,
  matmul,
  type MatmulVariant,
  problemTensors,
  type Recorder,
  type Tensor,
  timeInterleaved,
  type Transpose,
  upload,
} from "@e2llm/kernels";

/** Parse `TMxTN/WG[/sgR][/buffer][/flat]` (`flat`: no panel staging). */
export function parseMatmulVariant(text: string): MatmulVariant {
  const m = /^(\d+)x(\d+)\/(\d+)((?:\/(?:sg\d+|buffer|flat))*)$/.exec(text.trim());
  if (!m) throw new InvalidArgumentError(`bad matmul variant "${text}" (e.g. 16x8/32/sg1)`);
  const v: MatmulVariant = { source: "texture", tm: +m[1], tn: +m[2], wg: +m[3] };
  for (const part of m[4].split("/").filter((p) => p)) {
    if (part === "buffer") v.source = "buffer";
    else if (part === "flat") v.panels = false;
    else v.sgRows = Number(part.slice(2));
  }
  return v;
}

/** Parse `ROWSxBLOCK[/wWG][/sS]`. */
export function parseAttentionTiles(text: string): Partial<AttentionTiles> {
  const m = /^(\d+)x(\d+)((?:\/[ws]\d+)*)$/.exec(text.trim());
  if (!m) throw new InvalidArgumentError(`bad attention tiles "${text}" (e.g. 4x2/s8)`);
  const tiles: Partial<AttentionTiles> = { rows: +m[1], block: +m[2] };
  for (const part of m[3].split("/").filter((p) => p)) {
    if (part[0] === "w") tiles.workgroup = Number(part.slice(1));
    else tiles.subgroup = Number(part.slice(1));
  }
  return tiles;
}

/** Parse `TRANS M K N` (a matmul problem). */
export function parseMatmulShape(
  text: string,
): { trans: Transpose; m: number; k: number; n: number } {
  const m = /^(NN|NT|TN)\s+(\d+)\s+(\d+)\s+(\d+)$/.exec(text.trim());
  if (!m) throw new InvalidArgumentError(`bad matmul shape "${text}" (e.g. "NN 1024 1024 1024")`);
  return { trans: m[1] as Transpose, m: +m[2], k: +m[3], n: +m[4] };
}

/** Parse `B T H hd` (an attention problem). */
export function parseAttentionShape(text: string): [number, number, number, number] {
  const m = /^(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$/.exec(text.trim());
  if (!m) throw new InvalidArgumentError(`bad attention shape "${text}" (e.g. "1 2048 4 32")`);
  return [+m[1], +m[2], +m[3], +m[4]];
}

/** One result line per alternative; `rate(ms)` turns a time into the unit's value. */
function report(
  names: string[],
  times: { ms: number; min: number }[],
  unit: string,
  rate: (ms: number) => number,
): Record<string, unknown>[] {
  return names.map((name, i) => ({
    name,
    unit,
    value: +rate(times[i].ms).toFixed(2),
    best: +rate(times[i].min).toFixed(2),
    ms: +times[i].ms.toFixed(3),
    vsFirst: +(times[0].ms / times[i].ms).toFixed(3),
  }));
}

/** Matmul variants on one problem, GFLOP/s. */
export async function compareMatmul(
  gpu: Gpu,
  problem: { trans: Transpose; m: number; k: number; n: number },
  variants: MatmulVariant[],
  rounds: number,
): Promise<Record<string, unknown>[]> {
  const { trans, m, k, n } = problem;
  const [a, b, c] = problemTensors(gpu.device, problem);
  try {
    const times = await timeInterleaved(
      gpu.device,
      variants.map((variant) => (rec: Recorder) => matmul(rec, a, b, c, { trans, variant })),
      { rounds },
    );
    const names = variants.map((v) => `matmul ${trans} ${m}x${k}x${n} ${formatVariant(v)}`);
    return report(names, times, "GFLOP/s", (ms) => (2 * m * n * k) / ms / 1e6);
  } finally {
    for (const t of [a, b, c]) t.buffer.destroy();
  }
}

/** Attention tiles on [B, T, H, hd], forward or backward, tokens/s. */
export async function compareAttention(
  gpu: Gpu,
  [B, T, H, hd]: [number, number, number, number],
  kernel: "fwd" | "bwd",
  tiles: Partial<AttentionTiles>[],
  rounds: number,
): Promise<Record<string, unknown>[]> {
  const filled = (dims: number[]): Tensor => {
    const n = dims.reduce((x, y) => x * y, 1);
    return upload(gpu.device, Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37)), dims);
  };
  const heads = [B, T, H, hd], rows = [B, H, T];
  const [q, k, v, out, dout, dq, dk, dv] = Array.from({ length: 8 }, () => filled(heads));
  const [lse, delta] = [filled(rows), filled(rows)];
  try {
    const times = await timeInterleaved(
      gpu.device,
      tiles.map((t) => (rec: Recorder) =>
        kernel === "fwd"
          ? attention(rec, q, k, v, out, lse, { tiles: t })
          : attentionBackward(rec, q, k, v, out, lse, dout, delta, dq, dk, dv, { tiles: t })
      ),
      { rounds },
    );
    const names = tiles.map((t) =>
      `attention ${kernel} B=${B} T=${T} H=${H} hd=${hd} ${JSON.stringify(t)}`
    );
    return report(names, times, "tokens/s", (ms) => (B * T) / ms * 1e3);
  } finally {
    for (const t of [q, k, v, out, dout, dq, dk, dv, lse, delta]) t.buffer.destroy();
  }
}

const list = <T>(parse: (s: string) => T) => (text: string) => text.split(",").map(parse);
const positive = (text: string) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    throw new InvalidArgumentError(`not a positive integer: ${text}`);
  }
  return n;
};

if (import.meta.main) {
  const program = new Command("variants")
    .description("compare kernel variants in interleaved rounds; one JSON line per variant");
  program.command("matmul")
    .requiredOption("--shape <TRANS M K N>", 'e.g. "NN 1024 1024 1024"', parseMatmulShape)
    .requiredOption(
      "--variants <list>",
      "comma-separated TMxTN/WG[/sgR][/buffer]",
      list(parseMatmulVariant),
    )
    .option("--rounds <n>", "interleaved rounds", positive, 5)
    .action(async (o) => {
      const lines = await compareMatmul(await getGpu(), o.shape, o.variants, o.rounds);
      for (const line of lines) console.log(JSON.stringify(line));
    });
  program.command("attention")
    .requiredOption("--shape <B T H hd>", 'e.g. "1 2048 4 32"', parseAttentionShape)
    .option("--kernel <fwd|bwd>", "forward or backward", "fwd")
    .requiredOption(
      "--tiles <list>",
      "comma-separated ROWSxBLOCK[/wWG][/sS]",
      list(parseAttentionTiles),
    )
    .option("--rounds <n>", "interleaved rounds", positive, 5)
    .action(async (o) => {
      if (o.kernel !== "fwd" && o.kernel !== "bwd") {
        program.error(`--kernel must be fwd or bwd, got "${o.kernel}"`);
      }
      const lines = await compareAttention(
        await getGpu(),
        o.shape,
        o.kernel as "fwd" | "bwd",
        o.tiles,
        o.rounds,
      );
      for (const line of lines) console.log(JSON.stringify(line));
    });
  await program.parseAsync(Deno.args, { from: "user" });
}
