/**
 * Fakes for the evaluation tests: CPU scorers (a bigram model from counts, a recorder), a
 * trainer that writes a tiny checkpoint-ish folder, and small held-out documents.
 */
import { join } from "node:path";
import type { Backend, TrainRunOptions } from "@e2llm/eval";
import { CheckpointError, ModelConfig } from "@e2llm/train";
import type { ScoreBatch, Scorer, TokenDocument, TokenScores, TrainRunResult } from "@e2llm/train";

/** A tiny model config (R = 128 unless given). */
export function tinyModel(over: Partial<ModelConfig> = {}): ModelConfig {
  return ModelConfig.parse({ dModel: 16, nLayers: 1, nHeads: 2, mlpWidth: 16, ...over });
}

/** Deterministic pseudo-text documents: `count` documents of `length` tokens. */
export function fakeDocs(count = 3, length = 3000): TokenDocument[] {
  const text = "the cat sat on the mat and the dog ate the hat. ";
  return Array.from({ length: count }, (_, d) => {
    const tokens = new Uint8Array(length);
    for (let i = 0; i < length; i++) tokens[i] = text.charCodeAt((i * (d + 1) + d) % text.length);
    return { id: `doc${d}`, tokens };
  });
}

/** A copy of what one score() call received. */
export interface RecordedCall {
  batch: number;
  length: number;
  inputs: Uint32Array;
  positions: Float64Array;
  invFreq: Float64Array;
  attentionScale: number;
}

/** A scorer whose NLL and hits come from functions of (row inputs/targets, t); records calls. */
export class RecordingScorer implements Scorer {
  readonly calls: RecordedCall[] = [];
  disposed = false;
  constructor(
    readonly model: ModelConfig,
    readonly maxTokens: number,
    private readonly nll: (b: ScoreBatch, i: number) => number = () => 1,
    private readonly hit: (b: ScoreBatch, i: number) => boolean = () => true,
  ) {}

  score(b: ScoreBatch): Promise<TokenScores> {
    if (this.disposed) throw new Error("scorer used after dispose");
    this.calls.push({
      batch: b.batch,
      length: b.length,
      inputs: Uint32Array.from(b.inputs),
      positions: Float64Array.from(b.positions),
      invFreq: Float64Array.from(b.invFreq),
      attentionScale: b.attentionScale,
    });
    const n = b.batch * b.length;
    const nll = new Float32Array(n);
    const hit = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      nll[i] = this.nll(b, i);
      hit[i] = this.hit(b, i) ? 1 : 0;
    }
    return Promise.resolve({ nll, hit });
  }

  dispose(): void {
    this.disposed = true;
  }
}

/** A bigram scorer from counts (add-one smoothing): position-blind, like a model that ignores RoPE. */
export function bigramScorer(docs: readonly TokenDocument[], model: ModelConfig, maxTokens = 4096) {
  const V = model.vocabSize;
  const counts = new Float64Array(V * V).fill(1);
  const totals = new Float64Array(V).fill(V);
  for (const d of docs) {
    for (let i = 0; i + 1 < d.tokens.length; i++) {
      counts[d.tokens[i] * V + d.tokens[i + 1]]++;
      totals[d.tokens[i]]++;
    }
  }
  const best = new Uint32Array(V);
  for (let a = 0; a < V; a++) {
    let arg = 0;
    for (let b = 1; b < V; b++) if (counts[a * V + b] > counts[a * V + arg]) arg = b;
    best[a] = arg;
  }
  return new RecordingScorer(
    model,
    maxTokens,
    (b, i) => -Math.log(counts[b.inputs[i] * V + b.targets[i]] / totals[b.inputs[i]]),
    (b, i) => best[b.inputs[i]] === b.targets[i],
  );
}

/** What the fake backend saw. */
export interface FakeBackendLog {
  trained: TrainRunOptions[];
  opened: string[];
}

/**
 * A backend laid out like train/run.ts: trainRun writes `<out>/checkpoint/meta.json` (encoding,
 * model) and returns tokens = steps × batch × seqLength; `init` and `resume` must name a run
 * folder holding a checkpoint (else a CheckpointError, like the real one); `fail(opts)` returning
 * a message makes it throw. openScorer (a run folder or its checkpoint/) returns a bigram scorer.
 */
export function fakeBackend(
  docs: readonly TokenDocument[],
  opts: { fail?: (o: TrainRunOptions) => string | undefined; maxTokens?: number } = {},
): Backend & { log: FakeBackendLog } {
  const log: FakeBackendLog = { trained: [], opened: [] };
  const requireCheckpoint = async (runDir: string) => {
    try {
      await Deno.stat(join(runDir, "checkpoint", "meta.json"));
    } catch {
      throw new CheckpointError("missing", `no checkpoint at ${join(runDir, "checkpoint")}`);
    }
  };
  return {
    log,
    async trainRun(o: TrainRunOptions): Promise<TrainRunResult> {
      log.trained.push(o);
      if (o.resume) await requireCheckpoint(o.resume);
      else if (o.init) await requireCheckpoint(o.init);
      const why = opts.fail?.(o);
      if (why) throw new Error(why);
      const c = o.config;
      const checkpointDir = join(o.out, "checkpoint");
      await Deno.mkdir(checkpointDir, { recursive: true });
      await Deno.writeTextFile(
        join(checkpointDir, "meta.json"),
        JSON.stringify({ encoding: c.encoding, model: c.model, init: o.init ?? null }),
      );
      const tokens = c.steps * c.batchSize * (c.seqLength ?? c.model.trainLength);
      const lossCurve = [{ step: 0, loss: 5 }, { step: c.steps, loss: 2 }];
      return {
        outDir: o.out,
        checkpointDir,
        steps: c.steps,
        trainTokens: tokens,
        trainSeconds: 0.5,
        lossCurve,
        finalLoss: 2,
      };
    },
    async openScorer(dir: string): Promise<Scorer> {
      log.opened.push(dir);
      const at = await Deno.stat(join(dir, "checkpoint")).then(
        () => join(dir, "checkpoint"),
        () => dir,
      );
      const meta = JSON.parse(await Deno.readTextFile(join(at, "meta.json")));
      return bigramScorer(docs, ModelConfig.parse(meta.model), opts.maxTokens);
    },
  };
}
