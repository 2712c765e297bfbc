/** Training metrics as JSON lines: one object per logged step, appended as the run goes. */
export interface StepMetrics {
  step: number;
  loss: number;
  lr: number;
  tokensPerSecond: number;
  gradNorm: number;
  elapsedSeconds: number;
}

/** Append-only JSONL writer (`metrics.jsonl` in the run folder). */
export class MetricsLog {
  constructor(readonly path: string) {}

  /** Append one record. */
  async append(m: StepMetrics): Promise<void> {
    await Deno.writeTextFile(this.path, JSON.stringify(m) + "\n", { append: true });
  }

  /** Read every record back (for reports and resume checks). */
  static async read(path: string): Promise<StepMetrics[]> {
    const text = await Deno.readTextFile(path);
    return text.split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));
  }
}
