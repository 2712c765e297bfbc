/** The table of compare methods: the plan, the config schema and the report order read it. */
import assert from "node:assert/strict";
import {
  COMPARE_METHODS,
  METHOD_ORDER,
  METHOD_RECIPES,
  type MethodRecipe,
  planCompare,
  resolveCompareConfig,
  runKey,
  VARIANT_ORDER,
  workUnits,
} from "@e2llm/eval";

const recipe = (m: string) => (METHOD_RECIPES as Record<string, MethodRecipe>)[m];

Deno.test("methods table: the plan has one fine-tuning per method and one run per variant", () => {
  const c = resolveCompareConfig("smoke", { methods: [...COMPARE_METHODS] });
  const plan = planCompare(c);
  const R = c.model.trainLength, k = c.finetune.targetRatio;
  for (const m of COMPARE_METHODS) {
    const r = recipe(m);
    const ft = plan.trainings.filter((t) => t.method === m);
    assert.equal(ft.length, 1, m);
    assert.equal(ft[0].config.seqLength, r.finetuneAt === "target" ? k * R : R, m);
    assert.equal(ft[0].config.encoding.name, r.encoding);
    assert.equal(ft[0].config.steps, Math.round(c.finetune.steps * (r.budget ?? 1)), m);
    assert.deepEqual(
      plan.runs.filter((x) => x.method === m).map((x) => x.variant),
      r.variants.map((v) => v.name),
      m,
    );
  }
  assert.equal(
    plan.runs.length,
    COMPARE_METHODS.reduce((n, m) => n + recipe(m).variants.length, 0),
  );
});

Deno.test("methods table: variant names are unique per method; report order follows the table", () => {
  for (const m of COMPARE_METHODS) {
    const names = recipe(m).variants.map((v) => v.name);
    assert.equal(new Set(names).size, names.length, m);
  }
  assert.deepEqual([...METHOD_ORDER], [...COMPARE_METHODS]);
  assert.deepEqual(Object.keys(METHOD_RECIPES), [...COMPARE_METHODS], "table in report order");
  assert.deepEqual([...VARIANT_ORDER], ["finetuned", "no-finetune", "g=auto", "g=1"]);
});

Deno.test("methods table: encodings.<method> exists exactly for methods with extra keys", () => {
  const c = resolveCompareConfig("smoke");
  const withExtra = COMPARE_METHODS.filter((m) => recipe(m).extraDefault !== undefined);
  assert.deepEqual(Object.keys(c.encodings).sort(), [...withExtra].sort());
  assert.deepEqual(c.encodings.pose, { frequency_scaling: "linear" });
  assert.throws(() => resolveCompareConfig("smoke", { encodings: { linear: { x: 1 } } }), /linear/);
  // the target-length check comes from finetuneAt: "target" (linear, ntk, yarn)
  assert.throws(
    () => resolveCompareConfig("smoke", { methods: ["ntk"], finetune: { batchSize: 12 } }),
    /finetune\.batchSize.*ntk fine-tune/,
  );
  assert.doesNotThrow(() =>
    resolveCompareConfig("smoke", { methods: ["pose", "e2"], finetune: { batchSize: 12 } })
  );
});

Deno.test("work units: stages, and every need is an earlier unit", () => {
  const plan = planCompare(resolveCompareConfig("smoke", { seeds: [0, 1] }));
  const units = workUnits(plan);
  const seen = new Set<string>();
  for (const u of units) {
    for (const n of u.needs) assert.ok(seen.has(n), `${u.id} needs ${n}, not yet listed`);
    assert.ok(!seen.has(u.id), `${u.id} twice`);
    seen.add(u.id);
  }
  assert.deepEqual(units.filter((u) => u.stage === "base").map((u) => u.needs), [[], []]);
  const ft = units.find((u) => u.id === "e2-seed1")!;
  assert.deepEqual(ft, { id: "e2-seed1", stage: "finetune", needs: ["base-seed1"] });
  const noFt = plan.runs.find((r) => r.method === "ntk" && r.variant === "no-finetune")!;
  assert.deepEqual(units.find((u) => u.id === runKey(noFt))!.needs, ["base-seed0"]);
  assert.equal(units.filter((u) => u.stage === "evaluate").length, plan.runs.length);
});
