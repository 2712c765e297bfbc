/**
 * Bits that depend on the backend: WGSL's `dot` leaves its summation order to the implementation,
 * and Mesa's llvmpipe sums differently via OpenGL than via Vulkan (lavapipe), so a kernel using it
 * trains to other numbers on the same machine depending on which driver Deno picked. Kernels spell
 * dot products out as fma chains instead (kernels/ops/attention_wgsl.ts `dot4`).
 */
import assert from "node:assert/strict";
import { opShaders, WGSL_OPS } from "../../kernels/ops/wgsl_catalog.ts";

Deno.test("no generated shader calls dot() (its summation order differs between backends)", () => {
  const offenders: string[] = [];
  let shaders = 0;
  for (const op of Object.keys(WGSL_OPS)) {
    for (const [spec, code] of opShaders(op)) {
      shaders++;
      if (/\bdot\s*\(/.test(code)) offenders.push(`${op}/${spec}`);
    }
  }
  assert.ok(shaders > 50, `only ${shaders} shaders in the catalog`);
  assert.deepEqual(offenders, [], `shaders calling dot(): ${offenders.join(", ")}`);
});

Deno.test("the dot() check is not vacuous: it sees a dot call", () => {
  assert.ok(/\bdot\s*\(/.test("let s = a + dot (q_0_1, k_0_1);"));
  assert.ok(!/\bdot\s*\(/.test("let dot = fma(a.w, b.w, a.x * b.x);"));
});
