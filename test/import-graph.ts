/**
 * The modules an entry reaches through its static and dynamic relative imports, with the bare
 * specifiers (node:…, packages) each one names: what a bundler or a browser would load. For a
 * .ts source, "./x.js" names "./x.ts"; for built .js files, the file itself. Read from the
 * syntax tree (an import written in a comment or a string is not one); `import type` and
 * `export type` load nothing and are skipped.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import ts from "typescript";

/** The root of the repository. */
export const root = join(import.meta.dirname, "..");

/** The specifiers `file` loads: import/export … from, import "x", import(…), new URL("x", import.meta.url). */
function specifiersOf(file: string): string[] {
  const source = ts.createSourceFile(
    file,
    readFileSync(file, "utf8"),
    ts.ScriptTarget.Latest,
    true,
  );
  const found: string[] = [];
  const add = (node: ts.Node | undefined): void => {
    if (node !== undefined && ts.isStringLiteralLike(node)) found.push(node.text);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      if (!node.importClause?.isTypeOnly) add(node.moduleSpecifier);
    } else if (ts.isExportDeclaration(node)) {
      if (!node.isTypeOnly) add(node.moduleSpecifier);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node.arguments[0]);
    } else if (
      ts.isNewExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === "URL" &&
      node.arguments?.[1]?.getText(source) === "import.meta.url"
    ) {
      add(node.arguments[0]);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Each module `entry` reaches (absolute path) → the bare specifiers it imports. */
export function importGraph(entry: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (graph.has(file)) continue;
    const bare: string[] = [];
    for (const specifier of specifiersOf(file)) {
      if (!specifier.startsWith(".")) {
        bare.push(specifier);
        continue;
      }
      const named = join(dirname(file), specifier);
      const target = file.endsWith(".ts") ? named.replace(/\.js$/, ".ts") : named;
      if (existsSync(target)) pending.push(target);
      else throw new Error(`${relative(root, file)} imports ${specifier}, which does not exist`);
    }
    graph.set(file, bare);
  }
  return graph;
}
