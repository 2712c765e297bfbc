import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { torchMissingReason, torchPython } from "../../bench/torch_reference.ts";
import {
  answerIndices,
  NEEDLE_MARKER,
  needleOverhead,
  needleSample,
  RECALL_NAMES,
  recallOverhead,
  recallSample,
} from "@e2llm/train";

const missing = await torchMissingReason();
const probeDir = fileURLToPath(new URL("../../tools/retrieval_probe/", import.meta.url));

/** Runs `script` with the probe's folder importable, `input` on stdin; returns its parsed stdout. */
async function runProbePython(script: string, input: unknown): Promise<unknown> {
  const child = new Deno.Command(torchPython(), {
    args: ["-c", `import sys\nsys.path.insert(0, ${JSON.stringify(probeDir)})\n${script}`],
    env: { PYTHONDONTWRITEBYTECODE: "1" }, // no __pycache__ in the source tree
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(JSON.stringify(input)));
  await writer.close();
  const { code, stdout, stderr } = await child.output();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  return JSON.parse(new TextDecoder().decode(stdout));
}

/** Runs `probe.py`'s row builders on the given cases and returns their rows and answer indices. */
function probeRows(cases: unknown[]): Promise<{ row: number[]; answers: number[] }[]> {
  const script = `
import json
import numpy as np
from probe import needle_row, recall_row
out = []
for c in json.loads(sys.stdin.read()):
    filler = np.array(c["filler"], np.uint8)
    if c["task"] == "needle":
        row, answers = needle_row(filler, c["depth"], c["key"])
    else:
        row, answers = recall_row(filler, c["depth"], [tuple(p) for p in c["pairs"]], c["order"])
    out.append({"row": [int(x) for x in row], "answers": [int(i) for i in answers]})
print(json.dumps(out))
`;
  return runProbePython(script, cases) as Promise<{ row: number[]; answers: number[] }[]>;
}

Deno.test({
  name: "retrieval probe: its default formats are the trainer's (marker, recall names)",
  ignore: missing !== null,
  async fn() {
    const got = await runProbePython(
      `import json\nfrom probe import ARGS\nprint(json.dumps({k: ARGS[k] for k in ["marker", "alphabet", "names", "sep"]}))`,
      null,
    );
    assert.deepEqual(got, {
      marker: NEEDLE_MARKER.slice(1), // the probe's marker is the text after `{`
      alphabet: RECALL_NAMES,
      names: 1,
      sep: "",
    });
  },
});

Deno.test({
  name: "retrieval probe: its needle and recall rows are the trainer's, byte for byte",
  ignore: missing !== null, // the probe is a PyTorch tool; without torch there is nothing to run
  async fn() {
    const filler = new TextEncoder().encode(
      "the rain had not stopped, and she turned away. ".repeat(4),
    );
    const pairs = [{ name: "#", value: "5170" }, { name: "~", value: "0093" }, {
      name: "`",
      value: "4821",
    }];
    const order = [2, 0, 1];
    const expected = [
      ...[0, 0.37, 1].map((depth) => needleSample(filler, 96, depth, "4821")),
      ...[0, 0.5, 1].map((depth) => recallSample(filler, 123, depth, pairs, order)),
    ];
    const depths = [0, 0.37, 1, 0, 0.5, 1]; // recall at 0.5: 34.5 filler bytes, a rounding tie
    const cases = expected.map((s, i) => {
      const overhead = s.task === "needle"
        ? needleOverhead(4)
        : recallOverhead({ keyDigits: 4, recallPairs: pairs.length });
      const fillerLength = s.tokens.length - overhead;
      return {
        task: s.task,
        filler: [...filler.subarray(0, fillerLength)],
        depth: depths[i],
        key: "4821",
        pairs: pairs.map((p) => [p.name, p.value]),
        order,
      };
    });
    const got = await probeRows(cases);
    for (const [i, s] of expected.entries()) {
      assert.deepEqual(got[i].row, [...s.tokens], `${s.task} row ${i}`);
      assert.deepEqual(got[i].answers, answerIndices(s), `${s.task} answers ${i}`);
    }
  },
});
