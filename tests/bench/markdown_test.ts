import assert from "node:assert/strict";
import { isReferenceBlas, performanceMarkdown } from "../../bench/markdown.ts";

const INFO = { command: "deno task bench --markdown", date: "d", adapter: "llvmpipe", cpu: "x" };

Deno.test("performanceMarkdown: ratio table from the GPU, PyTorch and ratio rows", () => {
  const page = performanceMarkdown([
    { name: "train bench-tiny", unit: "tokens/s", value: 12345, rounds: [1, 2] },
    { name: "train bench-tiny pytorch", unit: "tokens/s", value: 6000 },
    { name: "train bench-tiny ratio", unit: "x", value: 2.058 },
    { name: "eval score L=2048 pytorch", unit: "skipped", value: 0, reason: "no torch" },
  ], INFO);
  assert.match(page, /\| train bench-tiny \| 12,345 \| 6,000 \| 2\.058 \|/);
  assert.match(page, /eval score L=2048 pytorch: skipped \(no torch\)/);
  assert.match(page, /\| train bench-tiny \| 12,345 \| tokens\/s \| rounds: \[1,2\] \|/);
  assert.match(page, /Generated d by `deno task bench --markdown` on llvmpipe/);
});

Deno.test("performanceMarkdown: no ratio section without ratio rows; pipes escaped", () => {
  const page = performanceMarkdown([{ name: "m", unit: "ms", value: 1, note: "a|b" }], INFO);
  assert.ok(!page.includes("## WebGPU against PyTorch"));
  assert.match(page, /note: a\\\|b/);
});

Deno.test("performanceMarkdown: warns when PyTorch ran on the reference BLAS", () => {
  const rows = (blas: string) => [
    { name: "c", unit: "tokens/s", value: 2 },
    { name: "c pytorch", unit: "tokens/s", value: 1, blas },
    { name: "c ratio", unit: "x", value: 2 },
  ];
  const slow = "/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0";
  assert.match(performanceMarkdown(rows(slow), INFO), /PyTorch used the reference BLAS/);
  const fast = "/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3";
  assert.ok(!performanceMarkdown(rows(fast), INFO).includes("reference BLAS"));
  assert.ok(!isReferenceBlas("unknown") && isReferenceBlas(slow) && !isReferenceBlas(fast));
});

Deno.test("performanceMarkdown: repeated runs pair each ratio with its own run's rows", () => {
  const run = (gpu: number, ref: number) => [
    { name: "c", unit: "tokens/s", value: gpu },
    { name: "c pytorch", unit: "tokens/s", value: ref },
    { name: "c ratio", unit: "x", value: gpu / ref },
  ];
  const page = performanceMarkdown([...run(300, 400), ...run(350, 340)], INFO);
  assert.match(page, /\| c \| 300 \| 400 \| 0\.75 \|/);
  assert.match(page, /\| c \| 350 \| 340 \| 1\.0294/);
});

Deno.test("performanceMarkdown: the floor table from the train bench's floor rows", () => {
  const page = performanceMarkdown([{
    name: "train bench-tiny floor",
    unit: "ms",
    value: 220.5,
    gflopPerStep: 10.5,
    fmaCeilingGflops: 47.6,
    webgpuMsPerStep: 573.4,
    pytorchMsPerStep: 488.2,
    msFor2xPytorch: 244.1,
  }], INFO);
  assert.match(page, /## How far a training step is from/);
  assert.match(
    page,
    /\| train bench-tiny \| 10\.5 \| 47\.6 \| 220\.5 \| 573\.4 \| 488\.2 \| 244\.1 \|/,
  );
  assert.ok(!performanceMarkdown([], INFO).includes("How far a training step"));
});

Deno.test("performanceMarkdown: profile tables per case, medians over runs", () => {
  const run = (matmul: number, gap: number) => [
    {
      name: "c profile matmul NT",
      unit: "ms",
      value: matmul,
      calls: 3,
      share: 0.5,
      gapMsBefore: gap,
    },
    { name: "c profile copies and gaps between dispatches", unit: "ms", value: gap, calls: 0 },
    { name: "c profile total", unit: "ms", value: 2 * matmul, calls: 5, share: 1 },
  ];
  const page = performanceMarkdown([...run(10, 1), ...run(30, 2), ...run(20, 4)], INFO);
  assert.match(page, /## Where a training step's GPU time goes/);
  assert.match(page, /### c \(3 runs\)/);
  assert.match(page, /\| matmul NT \| 3 \| 20 \| 50\.0 % \| 2 \|/);
  assert.ok(page.includes("| copies and gaps between dispatches | 0 | 2 |  |  |"));
  assert.ok(page.includes("| total | 5 | 40 | 100.0 % |  |"));
  assert.ok(
    !performanceMarkdown([{ name: "m", unit: "ms", value: 1 }], INFO).includes("time goes"),
  );
  assert.ok(!page.includes("matmuls alone"), "no floor rows, no budget line");
  const floor = { name: "c floor", unit: "ms", value: 5, msFor2xPytorch: 15 };
  assert.match(
    performanceMarkdown([...run(10, 1), floor], INFO),
    /matmuls alone take 10 ms of GPU time per step; 2× PyTorch needs the whole step in 15 ms/,
  );
});
