/**
 * Columns by name and real-world CSVs through the command line (main() in-process): fixtures
 * made from data/breast_cancer.csv with string labels (diagnosis M/B for malignant 1/0), an id
 * column, other delimiters, reordered, missing and extra columns; train --save writes the
 * features and classes, and predict, grad, gradcheck and train --init-model find the columns
 * by those names.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Classifier } from "../../src/index.js";
import { loadCsv, loadModel } from "../../src/io/index.js";
import { toRows } from "../../src/linalg/index.js";
import { HANDGRAD_VERSION } from "../../src/version.js";
import { runMain } from "./run.js";

const root = resolve(import.meta.dirname, "../..");
const dir = mkdtempSync(join(tmpdir(), "handgrad-columns-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The breast-cancer table: 30 feature names, the rows' features as written, and labels 0/1. */
const source = readFileSync(join(root, "data/breast_cancer.csv"), "utf8").trim().split("\n");
const names = (source[0] as string).split(",").slice(0, -1);
const rows = source.slice(1).map((line) => {
  const cells = line.split(",");
  return { features: cells.slice(0, -1), malignant: cells.at(-1) as string };
});

/** A CSV of the table: `columns` in that order (feature names, "id", "diagnosis", …), joined by `d`. */
function fixture(
  file: string,
  columns: readonly string[],
  d = ",",
  cell: (name: string, i: number) => string | undefined = () => undefined,
): string {
  const value = (name: string, i: number): string => {
    const row = rows[i] as (typeof rows)[number];
    const own = cell(name, i);
    if (own !== undefined) return own;
    if (name === "id") return `P${String(i).padStart(4, "0")}`;
    if (name === "diagnosis") return row.malignant === "1" ? "M" : "B";
    if (name === "malignant") return row.malignant;
    return row.features[names.indexOf(name)] as string;
  };
  const lines = [columns.join(d), ...rows.map((_, i) => columns.map((c) => value(c, i)).join(d))];
  const path = join(dir, file);
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

const at = (file: string): string => join(dir, file);
const json = (text: string | undefined): Record<string, unknown> =>
  JSON.parse(text ?? "null") as Record<string, unknown>;
const QUICK = ["--epochs", "5", "--hidden", "4", "--standardize"];

let strings: string; // id;features…;diagnosis, ";" delimited
let model: string; // trained on it with --ignore id

beforeAll(async () => {
  strings = fixture("strings.csv", ["id", ...names, "diagnosis"], ";");
  model = at("m.json");
  const r = await runMain([
    "train",
    "--data",
    strings,
    "--ignore",
    "id",
    ...QUICK,
    "--save",
    model,
  ]);
  expect(r.code, r.stderr.join("\n")).toBe(0);
});

describe("train --save writes the features and the classes", () => {
  it("the CSV's feature names (the id ignored) and the labels as they appeared", () => {
    const m = loadModel(model);
    expect(m.features).toEqual(names);
    expect(m.classes).toEqual(["B", "M"]);
    const text = readFileSync(model, "utf8");
    expect(text).toContain('"classes": ["B", "M"]');
  });

  it("a toy set's features are x1…xD and its classes 0..K−1; --positive orders two classes", async () => {
    const toy = at("toy.json");
    expect(
      (await runMain(["train", "--dataset", "moons", "--epochs", "1", "--save", toy])).code,
    ).toBe(0);
    expect(loadModel(toy).features).toEqual(["x1", "x2"]);
    expect(loadModel(toy).classes).toEqual([0, 1]);
    const flipped = at("flipped.json");
    const r = await runMain([
      "train",
      "--data",
      strings,
      "--ignore",
      "0",
      "--positive",
      "B",
      "--epochs",
      "1",
      "--save",
      flipped,
    ]);
    expect(r.code, r.stderr.join("\n")).toBe(0);
    expect(loadModel(flipped).classes).toEqual(["M", "B"]);
  });

  it("the checkpoint's model names them too, and a resumed run's saved model keeps them", async () => {
    const checkpoint = at("run.checkpoint.json");
    const args = [
      "train",
      "--data",
      strings,
      "--ignore",
      "id",
      ...QUICK,
      "--checkpoint",
      checkpoint,
    ];
    expect((await runMain(args)).code).toBe(0);
    const text = readFileSync(checkpoint, "utf8");
    expect(text).toContain('"classes": ["B", "M"]');
    expect(text).toContain('"features": ["mean_radius"');
    const resumed = at("resumed.json");
    const r = await runMain([...args.slice(0, -2), "--resume", checkpoint, "--save", resumed]);
    expect(r.code, r.stderr.join("\n")).toBe(0);
    expect(loadModel(resumed).classes).toEqual(["B", "M"]);
    expect(loadModel(resumed).features).toEqual(names);
  });
});

describe("predict finds the columns by name", () => {
  it("a reordered file (other delimiter, label first, id inside) predicts bit for bit the same", async () => {
    const original = await runMain([
      "predict",
      "--model",
      model,
      "--data",
      strings,
      "--ignore",
      "id",
    ]);
    expect(original.code, original.stderr.join("\n")).toBe(0);
    const reversed = [...names].reverse();
    const shuffled = fixture(
      "reordered.csv",
      ["diagnosis", ...reversed.slice(0, 10), "id", ...reversed.slice(10)],
      "\t",
    );
    const r = await runMain([
      "predict",
      "--model",
      model,
      "--data",
      shuffled,
      "--label",
      "0",
      "--ignore",
      "id",
    ]);
    expect(r.code, r.stderr.join("\n")).toBe(0);
    expect(r.stdout).toEqual(original.stdout); // probabilities, classes, loss, accuracy: same text
    const out = json(r.stdout[0]);
    expect(out["accuracy"]).toBeGreaterThan(0.9);
    expect((out["classes"] as string[]).slice(0, 3).every((c) => c === "M" || c === "B")).toBe(
      true,
    );
  });

  it("a missing feature: exit 2 naming it (and a near name); predict, grad, gradcheck, --init-model", async () => {
    const missing = fixture("missing.csv", [
      ...names.filter((n) => n !== "mean_area"),
      "diagnosis",
    ]);
    const typo = fixture("typo.csv", [...names, "diagnosis"], ",", () => undefined);
    writeFileSync(typo, readFileSync(typo, "utf8").replace("worst_area", "worst_aera"));
    for (const command of [
      ["predict", "--model", model],
      ["grad", "--model", model],
      ["gradcheck", "--model", model],
      ["train", "--init-model", model, "--epochs", "1"],
    ]) {
      const r = await runMain([...command, "--data", missing]);
      expect(r.code, command[0]).toBe(2);
      expect(r.stderr).toEqual([
        `handgrad ${command[0]}: ${missing} has no column "mean_area", a feature of the model; the model takes 30 features by name`,
      ]);
      const t = await runMain([...command, "--data", typo]);
      expect(t.code).toBe(2);
      expect(t.stderr[0]).toContain('has no column "worst_area" (did you mean "worst_aera"?)');
    }
  });

  it("grad, gradcheck and train --init-model on a reordered file equal the original order", async () => {
    const shuffled = fixture("reordered2.csv", ["id", ...[...names].reverse(), "diagnosis"]);
    for (const command of [
      ["grad", "--model", model],
      ["gradcheck", "--model", model, "--entries", "3", "--json"],
      ["train", "--init-model", model, "--epochs", "2", "--json"],
    ]) {
      const a = await runMain([...command, "--data", strings, "--ignore", "id"]);
      const b = await runMain([...command, "--data", shuffled, "--ignore", "id"]);
      expect(a.code, a.stderr.join("\n")).toBe(0);
      expect(b.code).toBe(0);
      const strip = (text: string | undefined) => text?.replace(/"source": "[^"]*"/, "");
      expect(strip(b.stdout[0])).toEqual(strip(a.stdout[0]));
    }
  });

  it("extra columns are not read and are listed on one stderr line", async () => {
    const extra = fixture("extra.csv", ["id", ...names, "note", "diagnosis"], ",", (name) =>
      name === "note" ? "hello" : undefined,
    );
    const r = await runMain(["predict", "--model", model, "--data", extra]);
    expect(r.code, r.stderr.join("\n")).toBe(0);
    expect(r.stderr.filter((line) => line.includes("does not use"))).toEqual([
      `note: ${extra}: 2 columns the model does not use, not read: "id", "note"`,
    ]);
  });

  it("without a label column: no accuracy; a label column of other labels: not used, with a note", async () => {
    const unlabelled = fixture("unlabelled.csv", names);
    const r = await runMain(["predict", "--model", model, "--data", unlabelled]);
    expect(r.code, r.stderr.join("\n")).toBe(0);
    const out = json(r.stdout[0]);
    expect(out["accuracy"]).toBeUndefined();
    expect(out["rows"]).toBe(569);
    const numeric = fixture("numeric.csv", [...names, "malignant"]);
    const n = await runMain(["predict", "--model", model, "--data", numeric]);
    expect(n.code).toBe(0);
    expect(json(n.stdout[0])["accuracy"]).toBeUndefined();
    // The model's label column is "diagnosis": the file has none, and "malignant" is not a guess.
    expect(n.stderr).toContain(
      `note: no accuracy: ${numeric} has no column "diagnosis", the model's label column; give --label COL to score against a column`,
    );
    const other = await runMain([
      "predict",
      "--model",
      model,
      "--data",
      numeric,
      "--label",
      "malignant",
    ]);
    expect(other.code).toBe(0);
    expect(json(other.stdout[0])["accuracy"]).toBeUndefined();
    expect(other.stderr[0]).toMatch(
      /the label "[01]" is not one of the model's classes \("B", "M"\); the labels are not used$/,
    );
  });
});

describe("predict --out", () => {
  it("writes probability and class per row, the same numbers as --json, bit for bit", async () => {
    const out = at("pred.csv");
    const r = await runMain([
      "predict",
      "--model",
      model,
      "--data",
      strings,
      "--ignore",
      "id",
      "--out",
      out,
      "--json",
    ]);
    expect(r.code, r.stderr.join("\n")).toBe(0);
    const result = json(r.stdout[0]);
    const lines = readFileSync(out, "utf8").trimEnd().split("\n");
    expect(lines[0]).toBe("probability,class");
    expect(lines).toHaveLength(570);
    lines.slice(1).forEach((line, i) => {
      const [p, label] = line.split(",");
      expect(Object.is(Number(p), (result["probabilities"] as number[])[i])).toBe(true);
      expect(label).toBe((result["classes"] as string[])[i]);
    });
    // Without --json, stdout is empty and stderr has one summary line.
    const quiet = await runMain([
      "predict",
      "--model",
      model,
      "--data",
      strings,
      "--ignore",
      "id",
      "--out",
      out,
    ]);
    expect(quiet.stdout).toEqual([]);
    expect(quiet.stderr).toHaveLength(1);
    expect(quiet.stderr[0]).toMatch(
      /^predicted 569 rows with .*: accuracy \d+\.\d% on column "diagnosis" of .*; wrote .*pred\.csv \(probability = P\(class "M"\)\)$/,
    );
  });

  it("never over an input: --out naming --data is refused, the file kept", async () => {
    const before = readFileSync(strings, "utf8");
    const r = await runMain([
      "predict",
      "--model",
      model,
      "--data",
      strings,
      "--ignore",
      "id",
      "--out",
      strings,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr[0]).toMatch(/--out/);
    expect(readFileSync(strings, "utf8")).toBe(before);
  });

  it("a softmax model of string classes: one p_<class> column per class, then class", async () => {
    // Three classes of mean_area (column 3): under 500, under 1000, and above.
    const size = (i: number): string => {
      const area = Number(rows[i]?.features[3]);
      return area < 500 ? "small" : area < 1000 ? "medium" : "large";
    };
    const three = fixture("three.csv", [...names.slice(0, 4), "size"], ",", (name, i) =>
      name === "size" ? size(i) : undefined,
    );
    const m3 = at("m3.json");
    const t = await runMain(["train", "--data", three, ...QUICK, "--save", m3]);
    expect(t.code, t.stderr.join("\n")).toBe(0);
    expect(loadModel(m3).classes).toEqual(["large", "medium", "small"]);
    const out = at("three-pred.csv");
    const r = await runMain(["predict", "--model", m3, "--data", three, "--out", out, "--json"]);
    expect(r.code).toBe(0);
    const lines = readFileSync(out, "utf8").trimEnd().split("\n");
    expect(lines[0]).toBe("p_large,p_medium,p_small,class");
    const probabilities = json(r.stdout[0])["probabilities"] as number[][];
    const first = (lines[1] as string).split(",");
    expect(first.slice(0, 3).map(Number)).toEqual(probabilities[0]);
    expect(["large", "medium", "small"]).toContain(first[3]);
  });
});

describe("real-world CSVs through train", () => {
  it("pandas' unnamed index column: refused suggesting --ignore 0; trains when ignored", async () => {
    const pandas = fixture("pandas.csv", ["", ...names, "diagnosis"], ",", (name, i) =>
      name === "" ? String(i) : undefined,
    );
    const refused = await runMain(["train", "--data", pandas, "--epochs", "1"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toEqual([
      `handgrad train: ${pandas} line 1, column 1 (index 0): the header cell is empty; every column needs a name (an index column, as pandas writes? ignore it: --ignore 0)`,
    ]);
    const r = await runMain(["train", "--data", pandas, "--ignore", "0", "--epochs", "1"]);
    expect(r.code, r.stderr.join("\n")).toBe(0);
  });

  it("an id column is refused as a feature (not silently used); --label by index; --delimiter given", async () => {
    const idFirst = fixture("id.csv", ["diagnosis", "id", ...names], "|");
    const refused = await runMain(["train", "--data", idFirst, "--label", "0", "--epochs", "1"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr[0]).toContain('line 2, column "id": "P0000" is not a number');
    const r = await runMain([
      "train",
      "--data",
      idFirst,
      "--label",
      "0",
      "--ignore",
      "id",
      "--delimiter",
      "pipe",
      "--epochs",
      "1",
      "--json",
    ]);
    expect(r.code, r.stderr.join("\n")).toBe(0);
    expect(json(r.stdout[0])["data"]).toMatchObject({ features: 30 });
    const bad = await runMain(["train", "--data", idFirst, "--delimiter", "space"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr[0]).toMatch(/--delimiter must be one of/);
  });

  it("a file without a header row gets a warning on stderr", async () => {
    const headerless = join(dir, "headerless.csv");
    writeFileSync(headerless, "1,2,0\n3,4,1\n5,6,0\n7,8,1\n");
    const r = await runMain(["train", "--data", headerless, "--epochs", "1"]);
    expect(r.code).toBe(0);
    expect(r.stderr[0]).toMatch(
      /^warning: .*headerless\.csv line 1 \(the header\) holds only numbers/,
    );
  });

  it("--positive is refused with --classes K or a saved model", async () => {
    const r = await runMain([
      "train",
      "--data",
      strings,
      "--ignore",
      "id",
      "--classes",
      "2",
      "--positive",
      "M",
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr[0]).toMatch(
      /--positive applies to the classes found from a CSV's labels, not to --classes K/,
    );
  });
});

describe("the model's label column (issue 14 review)", () => {
  const small = (file: string, text: string): string => {
    writeFileSync(at(file), text);
    return at(file);
  };
  let m: string;
  beforeAll(async () => {
    const train = small(
      "f1-train.csv",
      "a,b,y\n1,2,1\n-1,-2,0\n2,1,1\n-2,-1,0\n1.5,1,1\n-1,-1.5,0\n",
    );
    m = at("f1.json");
    const r = await runMain(["train", "--data", train, "--epochs", "200", "--save", m]);
    expect(r.code, r.stderr.join("\n")).toBe(0);
    expect(readFileSync(m, "utf8")).toContain('"label": "y"');
  });

  it("a trailing extra column is not the label: predict scores column y, --init-model trains on y", async () => {
    const more = small(
      "f1-more.csv",
      "a,b,y,smoker\n1,2,1,0\n-1,-2,0,1\n2,1,1,0\n-2,-1,0,1\n1.5,1,1,0\n-1,-1.5,0,1\n",
    );
    const p = await runMain(["predict", "--model", m, "--data", more]);
    expect(p.code, p.stderr.join("\n")).toBe(0);
    expect(json(p.stdout[0])["accuracy"]).toBe(1);
    expect(p.stderr.at(-1)).toMatch(/accuracy 100\.0% on column "y" of /);
    const t = await runMain([
      "train",
      "--init-model",
      m,
      "--data",
      more,
      "--epochs",
      "1",
      "--json",
    ]);
    expect(t.code, t.stderr.join("\n")).toBe(0);
    expect(t.stderr[0]).toMatch(/1 column the model does not use, not read: "smoker"$/);
    // The label first is found by name too.
    const first = small("f1-first.csv", "y,b,a\n1,2,1\n0,-2,-1\n");
    const f = await runMain(["predict", "--model", m, "--data", first]);
    expect(json(f.stdout[0])["accuracy"]).toBe(1);
    expect((await runMain(["grad", "--model", m, "--data", first])).code).toBe(0);
  });

  it("no label column: predict says why; grad, gradcheck and --init-model refuse, after a missing feature", async () => {
    const noY = small("f1-noy.csv", "a,b,smoker\n1,2,0\n-1,-2,1\n");
    const p = await runMain(["predict", "--model", m, "--data", noY]);
    expect(p.code).toBe(0);
    expect(json(p.stdout[0])["accuracy"]).toBeUndefined();
    expect(p.stderr).toContain(
      `note: no accuracy: ${noY} has no column "y", the model's label column; give --label COL to score against a column`,
    );
    for (const command of [
      ["grad", "--model", m],
      ["gradcheck", "--model", m],
      ["train", "--epochs", "1", "--init-model", m],
    ]) {
      const r = await runMain([...command, "--data", noY]);
      expect(r.code).toBe(2);
      expect(r.stderr).toEqual([
        `handgrad ${command[0]}: ${noY}: no label column: ${noY} has no column "y", the model's label column; give --label COL`,
      ]);
      const idb = small("f5-idb.csv", "id,b\nP0,2\nP1,-2\n");
      const missing = await runMain([...command, "--data", idb]);
      expect(missing.stderr).toEqual([
        `handgrad ${command[0]}: ${idb} has no column "a", a feature of the model; the model takes 2 features by name`,
      ]);
    }
    const ignored = await runMain(["predict", "--model", m, "--data", noY, "--ignore", "a"]);
    expect(ignored.code).toBe(2);
    expect(ignored.stderr[0]).toContain(
      `the column "a" is ignored (--ignore), but the model needs it: it is one of the model's features`,
    );
  });

  it("an unnamed column the model does not read needs no --ignore at predict time", async () => {
    const pandas = small("f4-pandas.csv", ",a,b,y\n0,1,2,1\n1,-1,-2,0\n");
    const p = await runMain(["predict", "--model", m, "--data", pandas]);
    expect(p.code, p.stderr.join("\n")).toBe(0);
    expect(p.stderr[0]).toMatch(/not read: column 1 \(index 0, unnamed\)$/);
    expect(json(p.stdout[0])["accuracy"]).toBe(1);
  });

  it("pandas' header ,0,1,2: the hint is --ignore '#0', which works; --label 0 is the name, with a note", async () => {
    const pd = small("f4-pd.csv", ",1,2,0\n0,1,2,1\n1,-1,-2,0\n2,2,1,1\n3,-2,-1,0\n");
    const refused = await runMain(["train", "--data", pd, "--epochs", "1"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr[0]).toContain("ignore it: --ignore '#0')");
    const r = await runMain([
      "train",
      "--data",
      pd,
      "--ignore",
      "#0",
      "--label",
      "0",
      "--epochs",
      "1",
    ]);
    expect(r.code, r.stderr.join("\n")).toBe(0);
    expect(r.stderr).toContain(
      'note: --label 0 is the column named "0" (index 3); for index 0 write #0',
    );
  });
});

describe("train --save and the Classifier write the same file (issue 14 review, F7)", () => {
  it("the same settings give the same model file byte for byte, its training record complete", async () => {
    const file = fixture("same.csv", [...names.slice(0, 4), "diagnosis"]);
    const saved = at("same-cli.json");
    const r = await runMain([
      "train",
      "--data",
      file,
      "--standardize",
      "--hidden",
      "4",
      "--epochs",
      "7",
      "--batch-size",
      "16",
      "--validation",
      "0.25",
      "--seed",
      "5",
      "--save",
      saved,
    ]);
    expect(r.code, r.stderr.join("\n")).toBe(0);
    const cli = readFileSync(saved, "utf8");
    const training = loadModel(saved).training;
    expect(training).toMatchObject({ handgrad: HANDGRAD_VERSION, epochs: 7, batchSize: 16 });
    expect(training).toMatchObject({ validationFraction: 0.25, seed: 5 });
    const data = loadCsv(file);
    const labels = Array.from(data.y.data, (k) => data.classes[k] as string);
    const clf = new Classifier({ hidden: 4, epochs: 7, batchSize: 16, validation: 0.25, seed: 5 });
    clf.fit(toRows(data.X), labels, { features: data.featureNames, label: data.labelName });
    expect(clf.toModelText()).toBe(cli);
  });
});

describe("which class a probability belongs to (F10), and --out - (F13)", () => {
  it("predict --json lists classLabels; --out says probability = P(class …); train names the classes", async () => {
    const out = at("f10.csv");
    const r = await runMain([
      "predict",
      "--model",
      model,
      "--data",
      strings,
      "--ignore",
      "id",
      "--out",
      out,
      "--json",
    ]);
    expect(r.code, r.stderr.join("\n")).toBe(0);
    const result = json(r.stdout[0]);
    expect(result["classLabels"]).toEqual(["B", "M"]);
    expect((result["classes"] as unknown[]).length).toBe(569); // the per-row predictions, as before
    expect(r.stderr.at(-1)).toMatch(/; wrote .*f10\.csv \(probability = P\(class "M"\)\)$/);
    const t = await runMain([
      "train",
      "--data",
      strings,
      "--ignore",
      "id",
      "--epochs",
      "1",
      "--json",
    ]);
    expect(t.code).toBe(0);
    expect(t.stderr[0]).toMatch(/; classes "B", "M" \(positive "M"\)$/);
    expect(json(t.stdout[0])["data"]).toMatchObject({ classes: ["B", "M"], positive: "M" });
    const blobs = await runMain(["train", "--dataset", "blobs", "--classes", "3", "--epochs", "1"]);
    expect(blobs.stderr[0]).toMatch(/; 3 classes 0, 1, 2$/);
  });

  it("--out - is refused (it would create a file named -), before anything is read", async () => {
    const r = await runMain(["predict", "--model", model, "--data", strings, "--out", "-"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toEqual([
      'handgrad predict: --out - would create a file named "-": --out takes a file name (for the predictions on stdout, use --json; or --out ./- for that file name)',
    ]);
  });
});

describe('"-" is refused for every output path flag (one rule, in assertNoCollisions)', () => {
  it.each([
    ["--save", ["train", "--dataset", "blobs", "--epochs", "1", "--save", "-"]],
    ["--checkpoint", ["train", "--dataset", "blobs", "--epochs", "1", "--checkpoint", "-"]],
  ])(
    "train %s - is refused before anything runs, and no file named - appears",
    async (flag, args) => {
      const r = await runMain(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toEqual([
        `handgrad train: ${flag} - would create a file named "-": ${flag} takes a file name (${flag} ./- for that file name)`,
      ]);
      expect(existsSync("-")).toBe(false);
    },
  );
});

describe("polish (issue 14 review)", () => {
  it("a model file without feature names: predict notes that columns are taken by position", async () => {
    const m = loadModel(model);
    const text = readFileSync(model, "utf8")
      .replace(/\n {2}"features": \[[^\]]*\],/, "")
      .replace(/\n {2}"label": "[^"]*",/, "");
    const positional = at("positional.json");
    writeFileSync(positional, text);
    expect(loadModel(positional).features).toBeUndefined();
    const file = fixture("positional.csv", [...names, "diagnosis"]);
    const r = await runMain(["predict", "--model", positional, "--data", file]);
    expect(r.code, r.stderr.join("\n")).toBe(0);
    expect(r.stderr[0]).toBe(
      `note: ${file}: columns taken by position (the model file names no features)`,
    );
    expect(m.features).toEqual(names);
  });
});

describe("--classes K with a saved model of other labels", () => {
  it("is refused, as without --init-model", async () => {
    const r = await runMain([
      "train",
      "--data",
      strings,
      "--ignore",
      "id",
      "--init-model",
      model,
      "--classes",
      "2",
      "--epochs",
      "1",
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toEqual([
      `handgrad train: --classes 2 means the integer labels 0..1, but ${model}'s classes are "B", "M"; leave --classes out`,
    ]);
  });
});
