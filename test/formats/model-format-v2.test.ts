/**
 * Model file version 2: feature names, class labels as they appeared, the output head always
 * written, and what trained the model (the handgrad version, epochs, batch size, seed). It
 * round-trips bit for bit, reads as strictly as version 1, and every version 1 file still
 * loads (without features and classes: the readers take columns by position, classes 0..K−1).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ModelFileError } from "../../src/errors.js";
import {
  parseModel,
  serializeModel,
  type ClassLabel,
  type Model,
} from "../../src/formats/index.js";
import { toRows } from "../../src/linalg/index.js";
import { initParams } from "../../src/nn/index.js";
import { trainingRecord } from "../../src/train/index.js";
import { HANDGRAD_VERSION } from "../../src/version.js";

const bits = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("hex");

/** A version 1 file, as handgrad wrote it before version 2 (typed out, not generated). */
const VERSION_1 = `{
  "format": "handgrad-model",
  "version": 1,
  "activation": "relu",
  "W1": [
    [0.5, -1.25],
    [2, -0]
  ],
  "b1": [0.125, 0],
  "W2": [
    [1.5],
    [-3e-7]
  ],
  "b2": [0.25],
  "standardize": {"mean": [1, 2], "std": [3, 4]},
  "training": {"optimizer": "sgd", "learningRate": 0.5, "l2": 0, "schedule": "constant"}
}
`;

const binary = (features?: string[], classes?: ClassLabel[]): Model => ({
  activation: "tanh",
  params: initParams({ inputs: 3, hidden: 2, init: "xavier", seed: 7 }),
  ...(features ? { features } : {}),
  ...(classes ? { classes } : {}),
});

describe("model file version 2", () => {
  it("writes the documented layout: version 2, activation, output, features, classes, then the parameters", () => {
    const text = serializeModel({
      ...binary(["a", "b", "c"], ["no", "yes"]),
      training: trainingRecord({}, 0.5, { epochs: 3, batchSize: 32, seed: 0 }),
    });
    expect(text).toMatch(
      /^\{\n {2}"format": "handgrad-model",\n {2}"version": 2,\n {2}"activation": "tanh",\n {2}"output": "sigmoid",\n {2}"features": \["a", "b", "c"\],\n {2}"classes": \["no", "yes"\],\n {2}"W1": \[/,
    );
    expect(text).toContain(
      `"training": {"handgrad": "${HANDGRAD_VERSION}", "optimizer": "sgd", "learningRate": 0.5, "l2": 0, "schedule": "constant", "epochs": 3, "batchSize": 32, "seed": 0}\n}\n`,
    );
  });

  it("records nothing that two identical runs would differ in: the same settings give the same text", () => {
    const record = () =>
      trainingRecord({ optimizer: "adam" }, 0.01, {
        epochs: 10,
        batchSize: "full",
        shuffle: false,
        validationFraction: 0.25,
        seed: 3,
      });
    const a = serializeModel({ ...binary(), training: record() });
    const b = serializeModel({ ...binary(), training: record() });
    expect(a).toBe(b);
    expect(JSON.parse(a).training).toEqual({
      handgrad: HANDGRAD_VERSION,
      optimizer: "adam",
      learningRate: 0.01,
      beta1: 0.9,
      beta2: 0.999,
      adamEps: 1e-8,
      l2: 0,
      schedule: "constant",
      epochs: 10,
      batchSize: "full",
      shuffle: false,
      validationFraction: 0.25,
      seed: 3,
    });
  });

  it("round-trips names, labels (strings and numbers, −0 included), parameters and the run record bit for bit", () => {
    const label = fc.oneof(fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true }));
    const key = (l: ClassLabel) => String(l); // −0 and 0 are one label (String(-0) is "0")
    fc.assert(
      fc.property(
        // Feature names are column names: trimmed and non-empty (any other text within).
        fc.uniqueArray(
          fc.string({ minLength: 1 }).filter((n) => n.trim() === n && n !== ""),
          { minLength: 3, maxLength: 3 },
        ),
        fc.uniqueArray(label, { minLength: 2, maxLength: 4, selector: key }),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.oneof(fc.integer({ min: 1, max: 1e6 }), fc.constant("full" as const)),
        (features, classes, seed, batchSize) => {
          const K = classes.length === 2 ? 1 : classes.length;
          const model: Model = {
            activation: "relu",
            params: initParams({ inputs: 3, hidden: 2, init: "he", seed, outputs: K }),
            features,
            classes,
            training: trainingRecord({}, 0.5, { epochs: 7, batchSize, seed }),
          };
          const text = serializeModel(model);
          const back = parseModel(text);
          expect(back.features).toEqual(features);
          expect(back.classes).toHaveLength(classes.length);
          back.classes?.forEach((c, k) => expect(Object.is(c, classes[k])).toBe(true));
          for (const name of ["W1", "b1", "W2", "b2"] as const)
            expect(bits(back.params[name].data)).toBe(bits(model.params[name].data));
          expect(back.training).toEqual(model.training);
          expect(serializeModel(back)).toBe(text);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("loads a version 1 file: the same parameters and standardisation, no features and no classes", () => {
    const model = parseModel(VERSION_1, "old.json");
    expect(model.features).toBeUndefined();
    expect(model.classes).toBeUndefined();
    expect(model.activation).toBe("relu");
    expect(toRows(model.params.W1)).toEqual([
      [0.5, -1.25],
      [2, -0],
    ]);
    expect(Object.is(model.params.W1.data[3], -0)).toBe(true);
    expect(Array.from(model.params.W2.data)).toEqual([1.5, -3e-7]);
    expect(Array.from(model.standardizer?.std ?? [])).toEqual([3, 4]);
    expect(model.training).toEqual({
      optimizer: "sgd",
      learningRate: 0.5,
      l2: 0,
      schedule: "constant",
    });
    // Written again, it is version 2: the same lines, the version bumped and the head named.
    expect(serializeModel(model)).toBe(
      VERSION_1.replace('"version": 1', '"version": 2').replace(
        '"activation": "relu",',
        '"activation": "relu",\n  "output": "sigmoid",',
      ),
    );
  });

  const refuse = (text: string, message: string) => () => {
    expect(() => parseModel(text, "m.json")).toThrow(ModelFileError);
    expect(() => parseModel(text, "m.json")).toThrow(`m.json${message}`);
  };
  const v2 = serializeModel(binary(["a", "b", "c"], [0, 1]));
  const edit = (f: (json: Record<string, unknown>) => void): string => {
    const json = JSON.parse(v2) as Record<string, unknown>;
    f(json);
    return JSON.stringify(json, null, 1);
  };

  it.each([
    [
      "version 2's keys in a version 1 file",
      VERSION_1.replace('"version": 1,', '"version": 1, "features": ["a", "b"],'),
      ': "features" needs "version": 2 (this file says 1)',
    ],
    [
      "version 2's training keys in a version 1 file",
      VERSION_1.replace('"schedule": "constant"', '"schedule": "constant", "epochs": 3'),
      ': "training.epochs" needs "version": 2 (this file says 1)',
    ],
    [
      'a version 2 file without "output"',
      edit((j) => delete j["output"]),
      ': missing key "output"',
    ],
    [
      "features of the wrong count",
      edit((j) => (j["features"] = ["a", "b"])),
      ': "features" must be an array of 3 names (D = 3, the rows of W1)',
    ],
    [
      "a feature name that is not a string",
      edit((j) => (j["features"] = ["a", 2, "c"])),
      ': "features"[1] must be a column name (a non-empty string without spaces around it), got 2',
    ],
    [
      "a feature name with a space around it (a trimmed header cell could never match it)",
      edit((j) => (j["features"] = ["a", " b", "c"])),
      ': "features"[1] must be a column name (a non-empty string without spaces around it), got " b"',
    ],
    [
      "an empty feature name",
      edit((j) => (j["features"] = ["a", "", "c"])),
      ': "features"[1] must be a column name (a non-empty string without spaces around it), got ""',
    ],
    [
      'a "label" without "features" (the label column would be read as a feature)',
      edit((j) => {
        delete j["features"];
        j["label"] = "y";
      }),
      ': "label" needs "features": without feature names the columns are taken by position, and the label column "y" would be read as a feature',
    ],
    [
      "a repeated feature name",
      edit((j) => (j["features"] = ["a", "b", "a"])),
      ': "features"[2] "a" repeats "features"[0]: names must differ',
    ],
    [
      "three classes on the sigmoid head",
      edit((j) => (j["classes"] = ["x", "y", "z"])),
      `: "classes" must be an array of 2 labels (the sigmoid head's two)`,
    ],
    [
      "a class label that is neither a string nor a number",
      edit((j) => (j["classes"] = [null, "y"])),
      ': "classes"[0] must be a string or a finite number, got null',
    ],
    [
      "two labels with the same text",
      edit((j) => (j["classes"] = [1, "1"])),
      ': "classes"[1] "1" repeats "classes"[0]: labels must differ',
    ],
    ["an unknown key", edit((j) => (j["labels"] = [0, 1])), ': unknown key "labels"'],
    [
      'a "label" that is not a string',
      edit((j) => (j["label"] = 3)),
      ': "label" must be a column name (a non-empty string without spaces around it), got 3',
    ],
    [
      'an empty "label"',
      edit((j) => (j["label"] = " ")),
      ': "label" must be a column name (a non-empty string without spaces around it), got " "',
    ],
    [
      'a "label" that is one of the features',
      edit((j) => (j["label"] = "b")),
      ': "label" "b" is also "features"[1]: a column is a feature or the label',
    ],
    [
      '"label" in a version 1 file',
      VERSION_1.replace('"version": 1,', '"version": 1, "label": "y",'),
      ': "label" needs "version": 2 (this file says 1)',
    ],
    [
      "a duplicated key, with its line",
      v2.replace('"classes": [0, 1],', '"classes": [0, 1],\n  "classes": [1, 0],'),
      ' line 8: duplicated key "classes" (JSON keeps only the last; remove one)',
    ],
  ])("refuses %s, naming it", (_, text, message) => refuse(text, message)());

  it('writes "label" (the label column\'s name) after "features" and reads it back', () => {
    const text = serializeModel({ ...binary(["a", "b", "c"], ["B", "M"]), label: "diagnosis" });
    expect(text).toContain(
      '  "features": ["a", "b", "c"],\n  "label": "diagnosis",\n  "classes": ["B", "M"],\n',
    );
    expect(parseModel(text).label).toBe("diagnosis");
    expect(parseModel(v2).label).toBeUndefined();
  });

  it("refuses to write what it could not read: features of the wrong count", () => {
    expect(() => serializeModel(binary(["a"]))).toThrow(
      'the model to be written: "features" must be an array of 3 names',
    );
  });
});
