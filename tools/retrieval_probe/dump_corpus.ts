/**
 * @module
 * Writes the byte corpus's train and test splits as flat files for `probe.py`, the PyTorch
 * harness of the retrieval recipe search (issue 14):
 *
 *   deno run -A tools/retrieval_probe/dump_corpus.ts [dir]   # default dir: /tmp/rx
 */
import { prepareData } from "@e2llm/train";

const dir = Deno.args[0] ?? "/tmp/rx";
await Deno.mkdir(dir, { recursive: true });
const data = await prepareData({});
for (const split of ["train", "test"] as const) {
  const docs = data.splits[split].map((d) => d.tokens);
  const bytes = new Uint8Array(docs.reduce((n, d) => n + d.length, 0));
  let at = 0;
  for (const d of docs) {
    bytes.set(d, at);
    at += d.length;
  }
  await Deno.writeFile(`${dir}/${split}.bin`, bytes);
  console.log(`${dir}/${split}.bin: ${docs.length} documents, ${bytes.length} bytes`);
}
