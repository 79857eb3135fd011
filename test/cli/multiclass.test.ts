/**
 * End-to-end tests of the built command line with softmax models (`npm run build` first):
 * --classes and --output, train → predict → grad → gradcheck, and the refusals.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadModel } from "../../src/io/index.js";
import { handgrad } from "./run.js";

const root = resolve(import.meta.dirname, "../..");

let work: string;
beforeAll(() => {
  if (!existsSync(join(root, "dist/cli/main.js")))
    throw new Error("run `npm run build` before the CLI tests");
  work = mkdtempSync(join(tmpdir(), "handgrad-multiclass-"));
  // Rows near the centres of the K = 3 blobs (radius 4/√3 ≈ 2.31 at angles 0, 120°, 240°).
  writeFileSync(join(work, "points.csv"), "x1,x2,label\n2.3,0,0\n-1.15,2,1\n-1.15,-2,2\n");
  writeFileSync(join(work, "features.csv"), "x1,x2\n2.3,0\n-1.15,2\n");
  writeFileSync(
    join(work, "four.csv"),
    "a,b,y\n0,0,0\n1,0,1\n0,1,2\n1,1,3\n0.1,0,0\n1,0.1,1\n0,1.1,2\n1.1,1,3\n",
  );
  // The same rows under the feature names of the toy sets' models (x1, x2).
  writeFileSync(join(work, "four-x.csv"), "x1,x2,label\n0,0,0\n1,0,1\n0,1,2\n1,1,3\n");
});

describe("handgrad train --classes K, then predict", () => {
  it("trains a 2→16→3 softmax network on blobs, saves it, and predicts class probabilities", () => {
    const train = handgrad(
      ["train", "--dataset", "blobs", "--classes", "3", "--save", "m.json", "--json"],
      work,
    );
    expect(train.code, train.stderr).toBe(0);
    expect(train.stderr).toMatch(/^trained tanh 2→16→3 softmax on blobs \(400 training rows\)/);
    const accuracy = Number(/train accuracy ([\d.]+)%/.exec(train.stderr)?.[1]);
    expect(accuracy).toBeGreaterThanOrEqual(94);
    const summary = JSON.parse(train.stdout);
    expect(summary.network).toEqual({
      activation: "tanh",
      hidden: 16,
      standardize: false,
      output: "softmax",
      classes: 3,
    });
    const model = loadModel(join(work, "m.json"));
    expect([model.params.W2.rows, model.params.W2.cols]).toEqual([16, 3]);
    expect(readFileSync(join(work, "m.json"), "utf8")).toMatch(/"output": "softmax"/);

    const predict = handgrad(
      ["predict", "--model", "m.json", "--data", "points.csv", "--out", "p.csv", "--json"],
      work,
    );
    expect(predict.code, predict.stderr).toBe(0);
    const out = JSON.parse(predict.stdout);
    expect(out.rows).toBe(3);
    expect(out.classes).toEqual([0, 1, 2]);
    expect(out.accuracy).toBe(1);
    expect(out.loss).toBeLessThan(0.1);
    expect(out.probabilities).toHaveLength(3);
    for (const row of out.probabilities) {
      expect(row).toHaveLength(3);
      expect(row.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 14);
    }
    const csv = readFileSync(join(work, "p.csv"), "utf8").trim().split("\n");
    expect(csv[0]).toBe("p_0,p_1,p_2,class");
    expect(csv.map((line) => line.split(",").at(-1))).toEqual(["class", "0", "1", "2"]);
    expect(Number(csv[1]?.split(",")[0])).toBe(out.probabilities[0][0]);

    const unlabelled = handgrad(["predict", "--model", "m.json", "--data", "features.csv"], work);
    expect(unlabelled.code, unlabelled.stderr).toBe(0);
    expect(JSON.parse(unlabelled.stdout).classes).toEqual([0, 1]);
  });

  it("grad and gradcheck work on the saved softmax model; a label outside 0..K−1 is refused", () => {
    handgrad(
      ["train", "--dataset", "blobs", "--classes", "3", "--epochs", "5", "--save", "g.json"],
      work,
    );
    const grad = handgrad(["grad", "--model", "g.json", "--data", "points.csv"], work);
    expect(grad.code, grad.stderr).toBe(0);
    const { grads } = JSON.parse(grad.stdout);
    expect(grads.W2[0]).toHaveLength(3);
    expect(grads.b2).toHaveLength(3);
    const check = handgrad(["gradcheck", "--model", "g.json", "--dataset", "blobs"], work);
    expect(check.code, check.stderr).toBe(0);
    expect(check.stderr).toMatch(/^b2 +3 +3 /m);
    expect(check.stderr).toMatch(/passed: max relError/);

    const bad = handgrad(["grad", "--model", "g.json", "--data", "four-x.csv"], work);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /^handgrad grad: four-x\.csv line 5, column "label": the label "3" is not one of the model's classes \(0, 1, 2\)$/m,
    );
    const contradicts = handgrad(
      ["gradcheck", "--model", "g.json", "--dataset", "blobs", "--classes", "4"],
      work,
    );
    expect(contradicts.code).toBe(2);
    expect(contradicts.stderr).toMatch(/--classes 4 contradicts g.json, which has 3 classes/);
  });

  it("gradcheck passes for fresh softmax networks (relu, K = 4 spirals; tanh, K = 3 blobs)", () => {
    for (const args of [
      ["--dataset", "spirals", "--classes", "4", "--activation", "relu"],
      ["--dataset", "blobs", "--classes", "3"],
    ]) {
      const r = handgrad(["gradcheck", ...args], work);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/passed/);
    }
  });
});

describe("a CSV with labels 0..K−1", () => {
  it("trains a softmax network over its K classes, with or without --classes K or --output softmax", () => {
    for (const flags of [[], ["--classes", "4"], ["--output", "softmax"]]) {
      const r = handgrad(["train", "--data", "four.csv", "--epochs", "20", ...flags], work);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/2→16→4 softmax on four.csv/);
    }
    const tooFew = handgrad(["train", "--data", "four.csv", "--classes", "3"], work);
    expect(tooFew.code).toBe(2);
    expect(tooFew.stderr).toMatch(/the label "3" is not an integer from 0 to 2/);
  });

  it("0/1 labels stay a sigmoid network unless --output softmax asks for K = 2 logits", () => {
    writeFileSync(join(work, "binary.csv"), "a,y\n0,0\n1,1\n2,1\n-1,0\n");
    const sigmoid = handgrad(["train", "--data", "binary.csv", "--epochs", "2"], work);
    expect(sigmoid.stderr).toMatch(/trained tanh 1→16→1 on binary.csv/);
    const softmax = handgrad(
      ["train", "--data", "binary.csv", "--epochs", "2", "--output", "softmax"],
      work,
    );
    expect(softmax.code, softmax.stderr).toBe(0);
    expect(softmax.stderr).toMatch(/1→16→2 softmax on binary.csv/);
  });
});

describe("bad --classes and --output values", () => {
  it.each(["0", "1", "-1", "2.5", "1001", "1e9", "abc", ""])(
    "--classes %j exits 2 with one clear line",
    (value) => {
      const r = handgrad(["train", "--dataset", "blobs", "--classes", value], work);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      const lines = r.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^handgrad train: --classes (must be|needs a value)/);
    },
  );

  it("refuses --classes on a binary-only toy set, --output sigmoid with K ≥ 3, and an unknown output", () => {
    const moons = handgrad(["train", "--dataset", "moons", "--classes", "3"], work);
    expect(moons.code).toBe(2);
    expect(moons.stderr).toMatch(/classes must be 2 for moons/);
    const sigmoid = handgrad(
      ["train", "--dataset", "blobs", "--classes", "3", "--output", "sigmoid"],
      work,
    );
    expect(sigmoid.code).toBe(2);
    expect(sigmoid.stderr).toMatch(/--output sigmoid is binary/);
    const unknown = handgrad(["train", "--dataset", "blobs", "--output", "linear"], work);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--output must be one of sigmoid, softmax, got "linear"/);
  });
});
