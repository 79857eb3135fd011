/**
 * The Node examples (examples/node-esm, examples/node-cjs) run as a user runs them, twice:
 * in the clone (where "handgrad" is the clone itself, by Node's self-reference) and copied
 * into an empty project that installed the packed tarball offline (where it is
 * node_modules/handgrad: `import` and `require` of the installed package). Each must print a
 * held-out accuracy, save a model, load it and predict the same. The truth they are checked
 * against is computed here from src/: the same split, the saved file loaded by the library.
 * Needs the build (`npm run build`).
 */
import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCsv } from "../../src/io/index.js";
import { Classifier } from "../../src/index.js";
import { splitDataset } from "../../src/data/index.js";
import { toRows } from "../../src/linalg/index.js";
import { root } from "../import-graph.js";

/**
 * The least held-out accuracy accepted. The examples are seeded (seed 0 gives 140 of 142,
 * 0.986, on every run); the bound is what any seed gives, not this one's luck: over seeds
 * 0..29 (for the split and the Classifier) the held-out accuracy measured 133 to 141 of 142
 * (0.937 to 0.993, median 0.972).
 */
const MIN_ACCURACY = 0.93;

const EXAMPLES = [
  { name: "node-esm", file: "examples/node-esm/breast-cancer.mjs" },
  { name: "node-cjs", file: "examples/node-cjs/breast-cancer.cjs" },
];

/** npm and node without the npm_* settings of an `npm test` that runs these tests. */
const env = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith("npm_")),
);
const exec = (command: string, args: string[], cwd: string) => {
  const r = spawnSync(command, args, { cwd, env, encoding: "utf8", timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

/** What this test expects an example to print, from src/ and the model file it saved. */
function truth(modelFile: string): { accuracy: number; first: string[] } {
  const data = loadCsv(join(root, "data/breast_cancer.csv"));
  const { validation: test } = splitDataset(data, 0.25, 0);
  const labels = Array.from(test.y.data, (v) => (v === 1 ? "malignant" : "benign"));
  const loaded = Classifier.load(modelFile);
  const predicted = loaded.predict(toRows(test.X));
  const right = predicted.filter((label, i) => label === labels[i]).length;
  return { accuracy: right / labels.length, first: predicted.slice(0, 5).map(String) };
}

let work: string;
let project: string;

beforeAll(() => {
  expect(existsSync(join(root, "dist/index.js")), "run npm run build first").toBe(true);
  work = mkdtempSync(join(tmpdir(), "handgrad-examples-"));
  // The packed tarball as built (no prepare, no rebuild), installed offline: the package
  // needs nothing but itself.
  const pack = exec(
    "npm",
    ["pack", "--ignore-scripts", "--json", "--pack-destination", work],
    root,
  );
  expect(pack.code, pack.stderr).toBe(0);
  const tarball = join(work, (JSON.parse(pack.stdout) as { filename: string }[])[0]!.filename);
  project = join(work, "project");
  mkdirSync(join(project, "data"), { recursive: true });
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true }));
  const install = exec(
    "npm",
    ["install", "--offline", "--ignore-scripts", "--no-audit", "--no-fund", tarball],
    project,
  );
  expect(install.code, install.stderr).toBe(0);
  copyFileSync(join(root, "data/breast_cancer.csv"), join(project, "data/breast_cancer.csv"));
  for (const { file } of EXAMPLES) {
    mkdirSync(join(project, file, ".."), { recursive: true });
    copyFileSync(join(root, file), join(project, file));
  }
}, 180_000);
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const saved: string[] = [];

describe.each(EXAMPLES)("examples/$name", ({ name, file }) => {
  for (const where of ["clone", "installed"] as const) {
    it(`runs in ${where === "clone" ? "the clone" : "a project that installed the tarball"}: accuracy ≥ ${MIN_ACCURACY}, the saved model loads and predicts the same`, () => {
      const model = join(work, `${name}-${where}.json`);
      const run = exec(process.execPath, [file, model], where === "clone" ? root : project);
      expect(run.stderr).toBe(""); // no warning (require of an ES module included)
      expect(run.code).toBe(0);
      const lines = run.stdout.trimEnd().split("\n");
      expect(lines).toHaveLength(3);
      const accuracy = Number(/^held-out accuracy: (\S+)$/.exec(lines[0]!)?.[1]);
      expect(accuracy).toBeGreaterThanOrEqual(MIN_ACCURACY);
      expect(lines[1]).toBe(
        `saved ${model}; loaded, it predicts the same as the fitted model: true`,
      );
      // the file it saved, read by the library here, gives the accuracy and labels it printed
      const expected = truth(model);
      expect(accuracy).toBe(expected.accuracy);
      expect(lines[2]).toBe(`first held-out rows: ${expected.first.join(", ")}`);
      saved.push(model);
    });
  }
});

describe("the four runs", () => {
  it("saved the same model file, byte for byte (ES module and CommonJS, clone and installed)", () => {
    expect(saved).toHaveLength(4);
    const texts = saved.map((f) => readFileSync(f, "utf8"));
    for (const text of texts) expect(text).toBe(texts[0]);
    expect(JSON.parse(texts[0]!).classes).toEqual(["benign", "malignant"]);
  });
});
