/**
 * @module
 * Codemod: rewrite relative imports that cross a workspace member's boundary into imports by
 * package name (`../train/run.ts` → `@e2llm/train`, test hooks → `@e2llm/train/testing`).
 *
 * Re-runnable: `deno run -A tools/package_imports.ts [--check]`. It reads the workspace from the
 * root `deno.json` (each member's `name` and `exports`), scans every `.ts` file of the repository,
 * and for each import/export declaration whose relative specifier lands in another member:
 *
 * - in a member: always rewrites to the package, choosing the `.` entry or the `./testing` entry
 *   per imported name (a declaration is split when it needs both); names that neither entry
 *   exports are listed as MISSING, to add to the member's `mod.ts` (or `testing.ts`);
 * - in a non-member folder (cli/, bench/, tests/, tools/): rewrites only when every imported name
 *   is exported by an entry, and otherwise leaves the relative import (internal test access).
 *
 * `--check` writes nothing and exits 1 when a member still crosses a boundary relatively or a name
 * is missing, so CI (tests/packaging_test.ts) catches new cross-member relative imports.
 */
import ts from "typescript";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** A workspace member: its folder, package name and entry files by export key. */
interface Member {
  dir: string;
  name: string;
  entries: Map<string, string>;
}

/** One imported or re-exported name: the name it has in the target module, and type-only-ness. */
interface Spec {
  text: string;
  name: string;
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SKIP = new Set(["node_modules", ".cache", "runs", ".git", "docs"]);

function readJson(path: string): Record<string, unknown> {
  return JSON.parse(Deno.readTextFileSync(path));
}

function loadMembers(): Member[] {
  const rootJson = readJson(join(root, "deno.json"));
  return (rootJson.workspace as string[]).map((m) => {
    const dir = resolve(root, m);
    const json = readJson(join(dir, "deno.json"));
    const exp = json.exports;
    const map = typeof exp === "string" ? { ".": exp } : (exp as Record<string, string>);
    const entries = new Map(Object.entries(map).map(([k, v]) => [k, resolve(dir, v)]));
    return { dir, name: json.name as string, entries };
  });
}

function memberOf(members: Member[], file: string): Member | undefined {
  return members.find((m) => file === m.dir || file.startsWith(m.dir + "/"));
}

function* tsFiles(dir: string): Generator<string> {
  for (const e of Deno.readDirSync(dir)) {
    if (SKIP.has(e.name)) continue;
    const p = join(dir, e.name);
    if (e.isDirectory) yield* tsFiles(p);
    else if (e.isFile && e.name.endsWith(".ts")) yield p;
  }
}

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, Deno.readTextFileSync(file), ts.ScriptTarget.Latest, true);
}

const exportCache = new Map<string, Set<string>>();

/** Every name a module exports (following `export *` and `export { … } from` chains). */
function exportedNames(file: string): Set<string> {
  const cached = exportCache.get(file);
  if (cached) return cached;
  const names = new Set<string>();
  exportCache.set(file, names);
  let sf: ts.SourceFile;
  try {
    sf = parse(file);
  } catch {
    return names;
  }
  for (const st of sf.statements) {
    if (ts.isExportDeclaration(st)) {
      if (!st.exportClause && st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier)) {
        const target = resolve(dirname(file), st.moduleSpecifier.text);
        for (const n of exportedNames(target)) names.add(n);
      } else if (st.exportClause && ts.isNamedExports(st.exportClause)) {
        for (const el of st.exportClause.elements) names.add(el.name.text);
      } else if (st.exportClause && ts.isNamespaceExport(st.exportClause)) {
        names.add(st.exportClause.name.text);
      }
      continue;
    }
    const mods = ts.canHaveModifiers(st) ? ts.getModifiers(st) : undefined;
    if (!mods?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        if (ts.isIdentifier(d.name)) names.add(d.name.text);
      }
    } else if (
      (ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isInterfaceDeclaration(st) ||
        ts.isTypeAliasDeclaration(st) || ts.isEnumDeclaration(st)) && st.name
    ) {
      names.add(st.name.text);
    }
  }
  return names;
}

/** The names a declaration imports or re-exports (`undefined`: namespace, side effect or `*`). */
function specsOf(st: ts.ImportDeclaration | ts.ExportDeclaration, sf: ts.SourceFile) {
  const out: Spec[] = [];
  if (ts.isImportDeclaration(st)) {
    const clause = st.importClause;
    if (!clause || clause.name || !clause.namedBindings) return undefined;
    if (!ts.isNamedImports(clause.namedBindings)) return undefined;
    for (const el of clause.namedBindings.elements) {
      out.push({ text: el.getText(sf), name: (el.propertyName ?? el.name).getText(sf) });
    }
    return out;
  }
  if (!st.exportClause || !ts.isNamedExports(st.exportClause)) return undefined;
  for (const el of st.exportClause.elements) {
    out.push({ text: el.getText(sf), name: (el.propertyName ?? el.name).getText(sf) });
  }
  return out;
}

function specifierFor(m: Member, key: string): string {
  return key === "." ? m.name : `${m.name}/${key.replace(/^\.\//, "")}`;
}

/** Rewrite one declaration; returns the replacement text or undefined to leave it. */
function rewrite(
  st: ts.ImportDeclaration | ts.ExportDeclaration,
  sf: ts.SourceFile,
  target: Member,
  inMember: boolean,
  missing: string[],
): string | undefined {
  const specs = specsOf(st, sf);
  const text = st.getText(sf);
  const spec = (st.moduleSpecifier as ts.StringLiteral).getText(sf);
  if (!specs) {
    if (!inMember) return undefined;
    missing.push(`${text} (namespace or side-effect import: name the symbols)`);
    return text.replace(spec, JSON.stringify(target.name));
  }
  const byEntry = new Map<string, Spec[]>();
  const lost: string[] = [];
  for (const s of specs) {
    const key = [...target.entries.keys()].find((k) =>
      exportedNames(target.entries.get(k)!).has(s.name)
    );
    if (key === undefined) lost.push(s.name);
    else byEntry.set(key, [...byEntry.get(key) ?? [], s]);
  }
  if (lost.length) {
    if (!inMember) return undefined;
    missing.push(...lost.map((n) => `${n} (not exported by ${target.name})`));
    byEntry.set(".", [
      ...byEntry.get(".") ?? [],
      ...specs.filter((s) => lost.includes(s.name)),
    ]);
  }
  const isImport = ts.isImportDeclaration(st);
  const typeOnly = isImport ? st.importClause!.isTypeOnly : st.isTypeOnly;
  const head = `${isImport ? "import" : "export"}${typeOnly ? " type" : ""}`;
  const parts = [...byEntry.entries()].map(([key, list]) =>
    `${head} { ${list.map((s) => s.text).join(", ")} } from "${specifierFor(target, key)}";`
  );
  return parts.join("\n");
}

/**
 * Merge named imports of one package entry (`@e2llm/x`, `@e2llm/x/testing`) into the first such
 * declaration, keeping value and type-only imports apart.
 */
export function mergePackageImports(file: string, src: string, members: Member[]): string {
  const sf = ts.createSourceFile(file, src, ts.ScriptTarget.Latest, true);
  const names = new Set(members.map((m) => m.name));
  const groups = new Map<string, ts.ImportDeclaration[]>();
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier)) continue;
    const spec = st.moduleSpecifier.text;
    if (![...names].some((n) => spec === n || spec.startsWith(n + "/"))) continue;
    const clause = st.importClause;
    if (!clause || clause.name || !clause.namedBindings) continue;
    if (!ts.isNamedImports(clause.namedBindings)) continue;
    const key = `${clause.isTypeOnly ? "type " : ""}${spec}`;
    groups.set(key, [...groups.get(key) ?? [], st]);
  }
  const edits: { start: number; end: number; text: string }[] = [];
  for (const [key, list] of groups) {
    if (list.length < 2) continue;
    const seen = new Set<string>();
    const specs: string[] = [];
    for (const st of list) {
      for (const el of (st.importClause!.namedBindings as ts.NamedImports).elements) {
        const text = el.getText(sf);
        if (!seen.has(text)) specs.push(text);
        seen.add(text);
      }
    }
    const typeOnly = key.startsWith("type ");
    const spec = (list[0].moduleSpecifier as ts.StringLiteral).text;
    edits.push({
      start: list[0].getStart(sf),
      end: list[0].getEnd(),
      text: `import${typeOnly ? " type" : ""} { ${specs.join(", ")} } from "${spec}";`,
    });
    for (const st of list.slice(1)) {
      let end = st.getEnd();
      if (src[end] === "\n") end++;
      edits.push({ start: st.getStart(sf), end, text: "" });
    }
  }
  edits.sort((a, b) => b.start - a.start);
  for (const e of edits) src = src.slice(0, e.start) + e.text + src.slice(e.end);
  return src;
}

/** Run the codemod over the repository; returns the problems left (empty when clean). */
export function run(write: boolean): string[] {
  const members = loadMembers();
  const problems: string[] = [];
  for (const file of tsFiles(root)) {
    if (file.startsWith(join(root, "tools") + "/")) continue;
    const sf = parse(file);
    const own = memberOf(members, file);
    const edits: { start: number; end: number; text: string }[] = [];
    for (const st of sf.statements) {
      if (!ts.isImportDeclaration(st) && !ts.isExportDeclaration(st)) continue;
      const ms = st.moduleSpecifier;
      if (!ms || !ts.isStringLiteral(ms) || !ms.text.startsWith(".")) continue;
      const target = memberOf(members, resolve(dirname(file), ms.text));
      if (!target || target === own) continue;
      const missing: string[] = [];
      const text = rewrite(st, sf, target, own !== undefined, missing);
      const where = `${relative(root, file)}:${
        sf.getLineAndCharacterOfPosition(st.getStart(sf)).line + 1
      }`;
      for (const m of missing) problems.push(`MISSING ${where}: ${m}`);
      if (text === undefined) continue;
      if (!write) problems.push(`RELATIVE ${where}: ${ms.text} → ${target.name}`);
      edits.push({ start: st.getStart(sf), end: st.getEnd(), text });
    }
    if (write && edits.length) {
      let src = sf.getFullText();
      for (const e of edits.reverse()) src = src.slice(0, e.start) + e.text + src.slice(e.end);
      Deno.writeTextFileSync(file, mergePackageImports(file, src, members));
      console.log(`rewrote ${edits.length} import(s) in ${relative(root, file)}`);
    }
  }
  return problems;
}

if (import.meta.main) {
  const check = Deno.args.includes("--check");
  if (!check) {
    // Also merge package imports left split by an earlier run (or by hand).
    const members = loadMembers();
    for (const file of tsFiles(root)) {
      const src = Deno.readTextFileSync(file);
      const merged = mergePackageImports(file, src, members);
      if (merged !== src) Deno.writeTextFileSync(file, merged);
    }
  }
  const problems = run(!check);
  for (const p of problems) console.log(p);
  if (problems.length) {
    console.log(`${problems.length} problem(s)`);
    Deno.exit(1);
  }
  console.log("no cross-member relative imports");
}
