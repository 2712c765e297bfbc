import assert from "node:assert/strict";
import { alternate } from "../../bench/alternate.ts";
import { torchMissingReason } from "../../bench/torch_reference.ts";
import { ModelConfig } from "@e2llm/train";

const TINY = ModelConfig.parse({ dModel: 16, nLayers: 1, nHeads: 2, mlpWidth: 24 });
const missing = await torchMissingReason();

Deno.test("torchMissingReason names a python that cannot start", async () => {
  const reason = await torchMissingReason("/nonexistent/python3");
  assert.match(reason ?? "", /\/nonexistent\/python3 did not start/);
});

Deno.test({
  name: "alternate: GPU and PyTorch rounds alternate, ratio is the median rates' quotient",
  ignore: missing !== null, // torch is a Debian package; without it the bench prints why
  async fn() {
    for (const mode of ["train", "eval"] as const) {
      let gpuCalls = 0;
      const rows = await alternate({
        name: `case ${mode}`,
        gpu: { run: (n) => (gpuCalls += n, Promise.resolve(0.5 * n)) },
        tokensPerCall: 32,
        calls: 2,
        rounds: 3,
        torch: { mode, model: TINY, batch: 2, length: 16, threads: 2 },
        torchWarmup: 1,
      });
      assert.equal(gpuCalls, 6);
      assert.deepEqual(rows.map((r) => r.name), [
        `case ${mode}`,
        `case ${mode} pytorch`,
        `case ${mode} ratio`,
      ]);
      assert.equal(rows[0].value, 64); // 2 calls × 32 tokens per second of fake GPU time
      assert.ok(rows[1].value > 0 && Number.isFinite(rows[1].value));
      // The PyTorch row is rounded to whole tokens/s, the ratio to 3 decimals.
      const ref = rows[1].value, ratio = rows[2].value;
      assert.ok(
        ratio >= 64 / (ref + 0.5) - 0.001 && ratio <= 64 / Math.max(ref - 0.5, 1e-9) + 0.001,
      );
      assert.equal((rows[2].perRound as number[]).length, 3);
      assert.match(String(rows[1].blas), /blas/i);
    }
  },
});
