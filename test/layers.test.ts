/**
 * The layering of the design guide (DESIGN.md: arrows point down only): every import in the
 * .ts files under src/ and web/src/ (static imports, re-exports, `import type` and
 * `import(...)`, read from the TypeScript syntax tree, so an import written inside a string
 * is not one) is checked against the ranks below. A failure names the importing file, its
 * line and the import.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve, sep } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "..");

/**
 * The layer of each folder of src/ and of each file at its top: a module may import only
 * from its own unit or from units of a lower rank.
 */
const RANKS: Readonly<Record<string, number>> = {
  // The ground: error types, the matrix and its kernels, "did you mean".
  "errors.ts": 0,
  "version.ts": 0,
  linalg: 1,
  "suggest.ts": 1,
  // Stable scalar/array functions, handgrad's own exp, log, sinpi, … among them.
  numerics: 2,
  // The seeded generator: its normal draws take log, sinpi and cospi from numerics, so that
  // every engine draws the same bits.
  "rng.ts": 3,
  // Pure and browser-safe: CSV text, toy sets (from rng), standardisation, splits.
  data: 4,
  nn: 5,
  check: 6,
  train: 6,
  // The file formats as text (model files, checkpoints, strict JSON): browser-safe.
  formats: 7,
  // Files in and out: with cli, the only place that touches the file system.
  io: 8,
  model: 9, // the Classifier (browser-safe: its file access is handed in by the Node entry)
  // The browser entry (the curated library surface minus files), and the apps below the
  // command line.
  "browser.ts": 10,
  experiments: 10,
  bench: 10,
  // The package entry for Node (the browser entry's names plus files), and the command-line
  // program (runs experiments and bench workloads); nothing imports either.
  "index.ts": 11,
  cli: 11,
};

/** The only units that may import node:* modules (the file system, processes, threads). */
const NODE_UNITS = new Set(["io", "cli"]);

/** What the browser page may not import: the file system and the command line. */
const WEB_FORBIDDEN = new Set(["io", "cli"]);

/**
 * Known breaches, each named and explained; an entry that no longer occurs fails the test, so
 * the list only shrinks. `from` and `to` are paths from the repository root.
 */
const EXCEPTIONS: readonly { from: string; to: string; why: string }[] = [];

interface Import {
  /** The importing file, from the repository root. */
  readonly file: string;
  readonly line: number;
  /** The specifier as written: "../io/files.js", "node:fs". */
  readonly specifier: string;
  /** The imported file from the repository root (".js" names the ".ts" source), if relative. */
  readonly target: string | undefined;
}

function typeScriptFiles(folder: string): string[] {
  return readdirSync(join(root, folder), { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return typeScriptFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** Every module specifier `file` names: import/export … from, import type, import(…). */
function importsOf(file: string): Import[] {
  const text = readFileSync(join(root, file), "utf8");
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: Import[] = [];
  const add = (literal: ts.Node): void => {
    if (!ts.isStringLiteralLike(literal)) return;
    const specifier = literal.text;
    const target = specifier.startsWith(".")
      ? join(dirname(file), specifier).replace(/\.js$/, ".ts").split(sep).join("/")
      : undefined;
    const line = source.getLineAndCharacterOfPosition(literal.getStart(source)).line + 1;
    found.push({ file: file.split(sep).join("/"), line, specifier, target });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) {
      if (node.moduleSpecifier !== undefined) add(node.moduleSpecifier);
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference)
    ) {
      add(node.moduleReference.expression);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments;
      if (argument !== undefined) add(argument);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node.argument.literal);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The unit of a path under src/: its first folder, or the file itself at the top. */
function unitOf(path: string): string | undefined {
  if (!path.startsWith("src/")) return undefined;
  return path.slice("src/".length).split("/")[0];
}

const describeImport = (i: Import): string => `${i.file}:${i.line} imports "${i.specifier}"`;
const excepted = (i: Import): boolean =>
  EXCEPTIONS.some((e) => e.from === i.file && e.to === i.target);

const srcImports = typeScriptFiles("src").flatMap(importsOf);
const webImports = typeScriptFiles("web/src").flatMap(importsOf);

/** The breaches of the ranks among `imports` from src/, described. */
function rankBreaches(imports: readonly Import[]): string[] {
  return imports.flatMap((i) => {
    const from = unitOf(i.file) as string;
    if (i.target === undefined || excepted(i)) return [];
    const to = unitOf(i.target);
    if (to === undefined) return [`${describeImport(i)}: outside src/`];
    if (to === from) return [];
    const [a, b] = [RANKS[from], RANKS[to]];
    if (a === undefined || b === undefined) {
      return [`${describeImport(i)}: give ${a === undefined ? from : to} a rank in RANKS`];
    }
    if (to === "index.ts")
      return [`${describeImport(i)}: nothing in src/ imports the package entry`];
    if (to === "browser.ts" && from !== "index.ts")
      return [`${describeImport(i)}: only the package entry imports the browser entry`];
    return b < a
      ? []
      : [`${describeImport(i)}: ${from} (rank ${a}) may not import ${to} (rank ${b})`];
  });
}

describe("layers (DESIGN.md: arrows point down only)", () => {
  it("reads the imports (a sanity check of the reader itself)", () => {
    expect(srcImports.length).toBeGreaterThan(200);
    const csvFile = srcImports.filter((i) => i.file === "src/io/csv-file.ts");
    expect(csvFile.map((i) => i.target ?? i.specifier)).toContain("src/data/index.ts");
    // an import written inside a string (a worker's program) is not an import
    const helper = srcImports.filter((i) => i.file === "src/linalg/wasm/helper-thread.ts");
    expect(helper.map((i) => i.specifier)).not.toContain("node:worker_threads");
  });

  it("every unit of src/ has a rank", () => {
    const units = new Set(typeScriptFiles("src").map((f) => unitOf(f.split(sep).join("/"))));
    expect([...units].filter((u) => u === undefined || RANKS[u] === undefined)).toEqual([]);
  });

  it("a module of src/ imports only from its own folder or from a lower layer", () => {
    expect(rankBreaches(srcImports)).toEqual([]);
  });

  it("data/ is pure: no import of io/, nn/ or node:*", () => {
    const offenders = srcImports.filter(
      (i) =>
        unitOf(i.file) === "data" &&
        (i.specifier.startsWith("node:") || ["io", "nn"].includes(unitOf(i.target ?? "") ?? "")),
    );
    expect(offenders.map(describeImport)).toEqual([]);
  });

  it("model/ is browser-safe: no import of io/, cli/ or node:* (its file access is handed in)", () => {
    const offenders = srcImports.filter(
      (i) =>
        unitOf(i.file) === "model" &&
        (i.specifier.startsWith("node:") || ["io", "cli"].includes(unitOf(i.target ?? "") ?? "")),
    );
    expect(offenders.map(describeImport)).toEqual([]);
  });

  it(`only ${[...NODE_UNITS].join(" and ")} import node:* modules`, () => {
    const offenders = srcImports.filter(
      (i) => i.specifier.startsWith("node:") && !NODE_UNITS.has(unitOf(i.file) as string),
    );
    expect(offenders.map(describeImport)).toEqual([]);
  });

  it("no two folders import each other, directly or round a longer cycle", () => {
    const edges = new Map<string, Map<string, Import>>(); // unit → unit → its first import
    for (const i of srcImports) {
      const [from, to] = [unitOf(i.file) as string, unitOf(i.target ?? "")];
      if (to === undefined || to === from) continue;
      const out = edges.get(from) ?? new Map<string, Import>();
      if (!out.has(to)) out.set(to, i);
      edges.set(from, out);
    }
    const cycles: string[] = [];
    const path: string[] = [];
    const done = new Set<string>();
    const visit = (unit: string): void => {
      const at = path.indexOf(unit);
      if (at !== -1) {
        const loop = [...path.slice(at), unit];
        const steps = loop.slice(1).map((to, k) => {
          const i = edges.get(loop[k] as string)?.get(to) as Import;
          return `→ ${to} (${describeImport(i)})`;
        });
        cycles.push([loop[0], ...steps].join(" "));
        return;
      }
      if (done.has(unit)) return;
      path.push(unit);
      for (const next of edges.get(unit)?.keys() ?? []) visit(next);
      path.pop();
      done.add(unit);
    };
    for (const unit of edges.keys()) visit(unit);
    expect(cycles).toEqual([]);
  });

  it(`the playground (web/src) imports no ${[...WEB_FORBIDDEN].join(" or ")} module and no node:*`, () => {
    const offenders = webImports.filter(
      (i) =>
        !excepted(i) &&
        (i.specifier.startsWith("node:") || WEB_FORBIDDEN.has(unitOf(i.target ?? "") ?? "")),
    );
    expect(offenders.map(describeImport)).toEqual([]);
  });

  it("every exception still occurs (remove it when it is fixed)", () => {
    const all = [...srcImports, ...webImports];
    const stale = EXCEPTIONS.filter(
      (e) => !all.some((i) => i.file === e.from && i.target === e.to),
    );
    expect(stale.map((e) => `${e.from} → ${e.to} (${e.why})`)).toEqual([]);
  });
});
