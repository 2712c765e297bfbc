/**
 * The PyTorch CPU reference of the bench: starts `bench/torch_reference.py` as a child process
 * (same process tree as the WebGPU run, so the two can alternate rounds on the same cores) and
 * times N training steps or scoring forwards of the same model on request.
 */
import type { ModelConfig } from "@e2llm/train";

/** What the Python side is asked to build. */
export interface TorchJob {
  mode: "train" | "eval";
  model: ModelConfig;
  batch: number;
  length: number;
  /** Intra-op threads (the machine's lavapipe uses one per core: 2 here). */
  threads: number;
  /** AdamW and clipping settings of a training job (the defaults of train/config.ts otherwise). */
  lr?: number;
  weightDecay?: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  gradClip?: number;
}

/** A running reference process: `run(n)` times n steps (seconds), `close()` ends it. */
export interface TorchReference {
  version: string;
  threads: number;
  /** The BLAS library the Python process mapped (the reference netlib one is ~10× slower). */
  blas: string;
  run(steps: number): Promise<number>;
  close(): Promise<void>;
}

/** The Python that has torch: `$E2LLM_PYTHON`, else Debian's `/usr/bin/python3`, else `python3`. */
export function torchPython(): string {
  const env = Deno.env.get("E2LLM_PYTHON");
  if (env) return env;
  try {
    Deno.statSync("/usr/bin/python3");
    return "/usr/bin/python3";
  } catch {
    return "python3";
  }
}

/** `null` when torch can be imported, else a one-line reason why the torch rows are skipped. */
export async function torchMissingReason(python = torchPython()): Promise<string | null> {
  try {
    const out = await new Deno.Command(python, {
      args: ["-c", "import torch"],
      stdout: "null",
      stderr: "piped",
    }).output();
    if (out.success) return null;
    const last = new TextDecoder().decode(out.stderr).trim().split("\n").at(-1) ?? "";
    return `${python} cannot import torch (${last})`;
  } catch (e) {
    return `${python} did not start (${e instanceof Error ? e.message : e})`;
  }
}

/** Start the reference for `job`; resolves once the model is built. */
export async function startTorchReference(
  job: TorchJob,
  python = torchPython(),
): Promise<TorchReference> {
  const script = new URL("./torch_reference.py", import.meta.url).pathname;
  const child = new Deno.Command(python, {
    args: [script, JSON.stringify(job)],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const writer = child.stdin.getWriter();
  let buffered = "";
  const nextLine = async (): Promise<Record<string, unknown>> => {
    while (!buffered.includes("\n")) {
      const { value, done } = await lines.read();
      if (done) throw new Error(`torch reference exited (${(await child.status).code})`);
      buffered += value;
    }
    const at = buffered.indexOf("\n");
    const line = buffered.slice(0, at);
    buffered = buffered.slice(at + 1);
    const parsed = JSON.parse(line);
    if (parsed.error) throw new Error(`torch reference: ${parsed.error}`);
    return parsed;
  };
  const ready = await nextLine();
  const encoder = new TextEncoder();
  return {
    version: String(ready.torch),
    threads: Number(ready.threads),
    blas: String(ready.blas),
    async run(steps: number): Promise<number> {
      await writer.write(encoder.encode(`run ${steps}\n`));
      return Number((await nextLine()).seconds);
    },
    async close(): Promise<void> {
      await writer.write(encoder.encode("quit\n")).catch(() => {});
      await writer.close().catch(() => {});
      lines.releaseLock();
      await child.stdout.cancel().catch(() => {});
      await child.status;
    },
  };
}
