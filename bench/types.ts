import type { Gpu } from "@e2llm/kernels";

/** One JSON line of `deno task bench`. */
export interface BenchResult {
  name: string;
  unit: string;
  value: number;
  [extra: string]: unknown;
}

/** A benchmark: `name` is matched by `--filter`; `run` yields one or more results. */
export interface BenchCase {
  name: string;
  run(gpu: Gpu): Promise<BenchResult[]>;
}
