/**
 * `deno task wgsl <op> [spec…]`: print the generated WGSL of an op (every fixed spec, or the
 * named ones, or custom `key=value,…` specs for matmul and attention).
 *
 *   deno task wgsl                      list the ops and their specs
 *   deno task wgsl swiglu forward4      one shader
 *   deno task wgsl matmul trans=NT,tm=8 a custom matmul spec over the default
 *   deno task wgsl --update-golden      rewrite tests/kernels/golden/ from the current code
 */
import { opShaders, WGSL_OPS } from "../kernels/ops/wgsl_catalog.ts";

/** Where the golden WGSL files live: `<op>/<spec>.wgsl`. */
export const GOLDEN_DIR: string = decodeURIComponent(
  new URL("../tests/kernels/golden/", import.meta.url).pathname,
);

/** Every golden file the current code generates: relative path `<op>/<spec>.wgsl` → WGSL. */
export function goldenFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const op of Object.keys(WGSL_OPS)) {
    for (const [spec, code] of opShaders(op)) files.set(`${op}/${spec}.wgsl`, code);
  }
  return files;
}

/** Rewrite `dir` to hold exactly {@link goldenFiles}; returns how many files were written. */
export function writeGoldens(dir: string = GOLDEN_DIR): number {
  const files = goldenFiles();
  try {
    Deno.removeSync(dir, { recursive: true });
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
  for (const [path, code] of files) {
    const full = `${dir}/${path}`;
    Deno.mkdirSync(full.slice(0, full.lastIndexOf("/")), { recursive: true });
    Deno.writeTextFileSync(full, code);
  }
  return files.size;
}

/** The first line where two texts differ, as "line N: golden … / generated …". */
export function firstDiff(golden: string, generated: string): string {
  const a = golden.split("\n"), b = generated.split("\n");
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `line ${i + 1}:\n  golden:    ${a[i]}\n  generated: ${b[i]}`;
  }
  return "(identical lines)";
}

function listFiles(dir: string, prefix = ""): string[] {
  const out: string[] = [];
  for (const e of Deno.readDirSync(dir)) {
    const rel = prefix + e.name;
    if (e.isDirectory) out.push(...listFiles(`${dir}/${e.name}`, `${rel}/`));
    else out.push(rel);
  }
  return out.sort();
}

/**
 * Compare `dir` with what the current code generates: one line per golden that differs (with
 * its first differing line), is missing, or is no longer generated. Empty when all match.
 */
export function compareGoldens(dir: string = GOLDEN_DIR): string[] {
  const files = goldenFiles();
  const present = new Set(listFiles(dir));
  const problems: string[] = [];
  for (const [path, code] of files) {
    if (!present.has(path)) problems.push(`${path}: missing (not in ${dir})`);
    else {
      const golden = Deno.readTextFileSync(`${dir}/${path}`);
      if (golden !== code) problems.push(`${path}: differs at ${firstDiff(golden, code)}`);
    }
  }
  for (const path of present) {
    if (!files.has(path)) problems.push(`${path}: no longer generated`);
  }
  return problems;
}

const USAGE = `usage: deno task wgsl <op> [spec…]     print generated WGSL
       deno task wgsl <op> --help        list the op's specs (and custom spec keys)
       deno task wgsl --update-golden    rewrite tests/kernels/golden/ from the current code`;

/** Run the command with `args`; returns the exit code. */
export function main(args: string[], print: (s: string) => void = console.log): number {
  if (args.includes("--update-golden")) {
    print(`wrote ${writeGoldens()} golden files to ${GOLDEN_DIR}`);
    return 0;
  }
  const [op, ...specs] = args;
  if (!op || op === "--help" || op === "-h") {
    print(USAGE);
    print("\nops and their specs:");
    for (const [name, entry] of Object.entries(WGSL_OPS)) {
      print(`  ${name}: ${Object.keys(entry.specs()).join(" ")}`);
    }
    return op ? 0 : 2;
  }
  try {
    if (specs.includes("--help") || specs.includes("-h")) {
      const entry = opShaders(op).map(([name]) => name);
      print(`${op} specs: ${entry.join(" ")}`);
      const defaults = WGSL_OPS[op].defaults;
      if (defaults) {
        print(
          `custom spec: key=value,… over ${
            Object.entries(defaults).map(([k, v]) => `${k}=${v}`).join(",")
          }`,
        );
      }
      return 0;
    }
    for (const [spec, code] of opShaders(op, specs)) {
      print(`// ---- ${op} ${spec} ----${code.startsWith("\n") ? "" : "\n"}${code}`);
    }
    return 0;
  } catch (err) {
    console.error(`error: ${(err as Error).message}`);
    return 1;
  }
}

if (import.meta.main) Deno.exit(main(Deno.args));
