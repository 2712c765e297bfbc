/** One-off: print explicit export lists replacing `export * from` in a module (stdout). */
import ts from "typescript";
import { dirname, resolve } from "node:path";

function names(file: string, out: Map<string, boolean>) {
  const sf = ts.createSourceFile(file, Deno.readTextFileSync(file), ts.ScriptTarget.Latest, true);
  for (const st of sf.statements) {
    if (ts.isExportDeclaration(st)) {
      if (!st.exportClause && st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier)) {
        names(resolve(dirname(file), st.moduleSpecifier.text), out);
      } else if (st.exportClause && ts.isNamedExports(st.exportClause)) {
        for (const el of st.exportClause.elements) {
          out.set(el.name.text, st.isTypeOnly || el.isTypeOnly);
        }
      }
      continue;
    }
    const mods = ts.canHaveModifiers(st) ? ts.getModifiers(st) : undefined;
    if (!mods?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        if (ts.isIdentifier(d.name)) out.set(d.name.text, false);
      }
    } else if ((ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) && st.name) {
      if (!out.has(st.name.text)) out.set(st.name.text, true);
    } else if (
      (ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isEnumDeclaration(st)) &&
      st.name
    ) {
      out.set(st.name.text, false);
    }
  }
}
const file = resolve(Deno.args[0]);
const sf = ts.createSourceFile(file, Deno.readTextFileSync(file), ts.ScriptTarget.Latest, true);
let src = sf.getFullText();
const edits: [number, number, string][] = [];
for (const st of sf.statements) {
  if (
    ts.isExportDeclaration(st) && !st.exportClause && st.moduleSpecifier &&
    ts.isStringLiteral(st.moduleSpecifier)
  ) {
    const m = new Map<string, boolean>();
    names(resolve(dirname(file), st.moduleSpecifier.text), m);
    const list = [...m].sort(([a], [b]) => a.localeCompare(b)).map(([n, t]) =>
      (t ? "type " : "") + n
    );
    edits.push([
      st.getStart(sf),
      st.getEnd(),
      `export { ${list.join(", ")} } from "${st.moduleSpecifier.text}";`,
    ]);
  }
}
for (const [s, e, t] of edits.reverse()) src = src.slice(0, s) + t + src.slice(e);
console.log(src.trimEnd());
