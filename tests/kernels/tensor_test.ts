import assert from "node:assert/strict";
import { getGpu, readF32, readU32, upload } from "@e2llm/kernels";

Deno.test("upload of an empty array makes an empty tensor (no zero-byte write)", async () => {
  const { device } = await getGpu();
  const f = upload(device, new Float32Array(0), [0, 3], "empty f32");
  const u = upload(device, new Uint32Array(0));
  assert.deepEqual([f.shape, f.dtype, u.shape, u.dtype], [[0, 3], "f32", [0], "u32"]);
  assert.equal((await readF32(device, f)).length, 0);
  assert.equal((await readU32(device, u)).length, 0);
  // The next upload still works and lands where it should.
  const t = upload(device, Float32Array.from([1.5, -2]));
  assert.deepEqual(await readF32(device, t), Float32Array.from([1.5, -2]));
});
