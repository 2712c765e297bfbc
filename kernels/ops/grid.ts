/**
 * Flat dispatch grids shared by the 1-D kernels: workgroup counts split over two dimensions when
 * one would pass `maxComputeWorkgroupsPerDimension`, and the WGSL that recovers the flat index.
 */
import type { Recorder } from "../recorder.ts";

/** Invocations per workgroup of the flat kernels. */
export const WG = 256;

/** Elements each invocation of the flat kernels handles (a contiguous run). */
export const PER_INVOCATION = 8;

/**
 * Workgroup counts [x, y] covering `groups` workgroups without passing the per-dimension limit;
 * shaders recover the flat workgroup index as `wid.y * nwg.x + wid.x` (see {@link flatIndexWgsl}).
 */
export function grid(rec: Recorder, groups: number): [number, number] {
  const limit = rec.device.limits.maxComputeWorkgroupsPerDimension;
  if (groups <= limit) return [groups, 1];
  const y = Math.ceil(groups / limit);
  if (y > limit) throw new RangeError(`${groups} workgroups exceed the 2-D limit ${limit}²`);
  return [Math.ceil(groups / y), y];
}

/** WGSL `flatIndex(wid, nwg, lid)`: the flat invocation index of a {@link grid} dispatch. */
export function flatIndexWgsl(workgroupSize: number): string {
  return `
fn flatIndex(wid: vec3u, nwg: vec3u, lid: vec3u) -> u32 {
  return (wid.y * nwg.x + wid.x) * ${workgroupSize}u + lid.x;
}`;
}

/** {@link flatIndexWgsl} for workgroup size {@link WG}. */
export const FLAT_INDEX = flatIndexWgsl(WG);

/**
 * WGSL: {@link flatIndexWgsl} and the opening of a `main` entry point for a {@link grid}
 * dispatch, up to and including its `{`; with `index`, also `let <index> = flatIndex(…);`.
 */
export function flatMainWgsl(workgroupSize: number, index?: string): string {
  return `${flatIndexWgsl(workgroupSize)}
@compute @workgroup_size(${workgroupSize})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_id) lid: vec3u) {${
    index ? `\n  let ${index} = flatIndex(wid, nwg, lid);` : ""
  }`;
}
