import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");

/** The modules `entry` reaches through static relative imports (".js" names the ".ts" source). */
function importGraph(entry: string): Map<string, string[]> {
  const graph = new Map<string, string[]>(); // module → its bare imports (node:…, packages)
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (graph.has(file)) continue;
    // `import type` and `export type` are erased (verbatimModuleSyntax): they load nothing
    const source = readFileSync(file, "utf8").replace(/(?:import|export) type [^;]*;/g, "");
    const bare: string[] = [];
    // import … from "x", export … from "x", import "x", import("x"), new URL("x", import.meta.url)
    const specifiers = [
      ...source.matchAll(/(?:from|import)\s*\(?\s*"([^"]+)"/g),
      ...source.matchAll(/new URL\(\s*"([^"]+)",\s*import\.meta\.url/g),
    ].map((m) => m[1] as string);
    for (const specifier of specifiers) {
      if (!specifier.startsWith(".")) {
        bare.push(specifier);
        continue;
      }
      const target = join(dirname(file), specifier).replace(/\.js$/, ".ts");
      if (existsSync(target)) pending.push(target);
      else throw new Error(`${relative(root, file)} imports ${specifier}, which does not exist`);
    }
    graph.set(file, bare);
  }
  return graph;
}

describe("the playground bundle", () => {
  for (const entry of ["web/src/main.ts", "web/src/worker.ts"]) {
    it(`${entry} reaches no node:* module and no package (the library's src/ only)`, () => {
      const graph = importGraph(join(root, entry));
      const offenders = [...graph]
        .filter(([, bare]) => bare.length > 0)
        .map(([f, b]) => `${relative(root, f)}: ${b.join(", ")}`);
      expect(offenders).toEqual([]);
      // it does reach the library's engine (the same src/, not a copy)
      if (entry.endsWith("worker.ts")) {
        const files = [...graph.keys()].map((f) => relative(root, f));
        expect(files).toContain("src/train/steppers/fast.ts");
        expect(files).toContain("src/data/csv-text.ts");
        expect(files).toContain("src/formats/model-format.ts");
        expect(files).not.toContain("src/io/files.ts");
      }
    });
  }
});
