
struct P { n: u32, v: u32 }
@group(0) @binding(0) var<uniform> p: P;
@group(0) @binding(1) var<storage, read> tokens: array<u32>;
@group(0) @binding(2) var<storage, read_write> idx: array<u32>;
@compute @workgroup_size(1)
fn main() {
  for (var t = 0u; t <= p.v; t = t + 1u) { idx[t] = 0u; }
  for (var r = 0u; r < p.n; r = r + 1u) {
    let t = tokens[r];
    if (t < p.v) { idx[t + 1u] = idx[t + 1u] + 1u; }
  }
  var run = 0u;
  for (var t = 0u; t < p.v; t = t + 1u) {
    let c = idx[t + 1u];
    idx[t + 1u] = run;
    run = run + c;
  }
  for (var r = 0u; r < p.n; r = r + 1u) {
    let t = tokens[r];
    if (t < p.v) {
      let k = idx[t + 1u];
      idx[p.v + 1u + k] = r;
      idx[t + 1u] = k + 1u;
    }
  }
}