/**
 * The browser entry (dist/browser.js, the package's "browser" condition and "handgrad/browser"):
 * its module graph holds no node:* module, no package and no io/ or cli/ file, so a bundler or
 * an import map can load it; its runtime names are the Node entry's minus the file-system
 * ones, named here; and its Classifier's save() and load() say what to use instead.
 * Run against the built package (`npm run build` first), as a bundler would see it.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { importGraph, root } from "./import-graph.js";

/** What the Node entry has and the browser entry leaves out: everything that touches files. */
const FILE_SYSTEM_NAMES = [
  "dataFingerprint", // SHA-256 through node:crypto
  "loadCheckpoint",
  "loadCsv",
  "loadFeatureCsv",
  "loadModel",
  "saveCheckpoint",
  "saveModel",
  "writeFileAtomic",
];

/** The names (values and types) a declaration file exports, sorted, as TypeScript reads them. */
function declaredNames(file: string): string[] {
  const program = ts.createProgram([file], { noEmit: true });
  const checker = program.getTypeChecker();
  const symbol = checker.getSymbolAtLocation(program.getSourceFile(file) as ts.SourceFile);
  return checker
    .getExportsOfModule(symbol as ts.Symbol)
    .map((s) => s.name)
    .sort();
}

const browserEntry = join(root, "dist/browser.js");
const nodeEntry = join(root, "dist/index.js");

describe("the browser entry", () => {
  it("is built, with type declarations: the Node entry's minus the file-system names", () => {
    expect(existsSync(browserEntry), "run npm run build first").toBe(true);
    const browser = declaredNames(join(root, "dist/browser.d.ts"));
    const node = declaredNames(join(root, "dist/index.d.ts"));
    expect(browser).toContain("Classifier");
    expect(browser).toContain("ClassifierOptions");
    const fileSystem = [...FILE_SYSTEM_NAMES, "CsvFileLimits"]; // and loadCsv's options type
    for (const name of fileSystem) expect(node, name).toContain(name);
    expect(browser).toEqual(node.filter((name) => !fileSystem.includes(name)));
  });

  it("reaches no node:* module, no package and no io/ or cli/ file (and the Node entry does)", () => {
    const graph = importGraph(browserEntry);
    const files = [...graph.keys()].map((f) =>
      relative(join(root, "dist"), f).split(sep).join("/"),
    );
    expect(files.length).toBeGreaterThan(40); // it does walk the library
    expect(files).toContain("model/classifier.js");
    expect(files).toContain("formats/model-format.js");
    expect(files.filter((f) => f.startsWith("io/") || f.startsWith("cli/"))).toEqual([]);
    const bare = [...graph].flatMap(([f, specifiers]) =>
      specifiers.map((s) => `${relative(root, f)} imports ${s}`),
    );
    expect(bare).toEqual([]);
    // the walk would see them: the Node entry reaches io/ and node:fs
    const nodeGraph = importGraph(nodeEntry);
    expect([...nodeGraph.keys()].some((f) => f.includes(`${sep}io${sep}`))).toBe(true);
    expect([...nodeGraph.values()].flat()).toContain("node:fs");
  });

  it("has the Node entry's runtime names minus the file-system ones", async () => {
    const browser = Object.keys(await import(pathToFileURL(browserEntry).href)).sort();
    const node = Object.keys(await import(pathToFileURL(nodeEntry).href)).sort();
    for (const name of FILE_SYSTEM_NAMES) expect(node, name).toContain(name);
    expect(browser).toEqual(node.filter((name) => !FILE_SYSTEM_NAMES.includes(name)));
    expect(browser).toContain("Classifier");
  });

  it("gives a Classifier whose save() and load() throw a UsageError naming what works instead", () => {
    // A fresh process that loads the browser entry alone (the Node entry would hand in files).
    const program = `
      const { Classifier, UsageError, makeDataset } = await import(${JSON.stringify(pathToFileURL(browserEntry).href)});
      const { X, y } = makeDataset("moons", { samples: 40, seed: 1 });
      const c = new Classifier({ epochs: 2 }).fit(X, y.data);
      const errors = [() => c.save("m.json"), () => Classifier.load("m.json")].map((f) => {
        try { f(); return "no error"; } catch (e) { return [e instanceof UsageError, e.message]; }
      });
      const again = Classifier.fromJSON(JSON.stringify(c.toJSON()));
      console.log(JSON.stringify({ errors, same: again.toModelText() === c.toModelText() }));`;
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", program], {
      cwd: root,
      encoding: "utf8",
    });
    expect(run.stderr).toBe("");
    const { errors, same } = JSON.parse(run.stdout) as {
      errors: [boolean, string][];
      same: boolean;
    };
    expect(errors).toEqual([
      [
        true,
        "Classifier: save() needs Node's file system; in a browser use toJSON() (or toModelText()) and Classifier.fromJSON()",
      ],
      [
        true,
        "Classifier.load() needs Node's file system; in a browser read the file's text (fetch, a file input) and pass it to Classifier.fromJSON()",
      ],
    ]);
    expect(same).toBe(true);
  });
});
