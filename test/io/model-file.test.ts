import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ModelFileError } from "../../src/errors.js";
import { loadModel, saveModel, writeFileAtomic } from "../../src/io/index.js";
import { parseModel, serializeModel, type Model } from "../../src/formats/index.js";
import { fromRows, matrix } from "../../src/linalg/index.js";
import { initParams } from "../../src/nn/index.js";

const bits = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("hex");

function sampleModel(): Model {
  return {
    activation: "tanh",
    params: initParams({ inputs: 3, hidden: 4, init: "xavier", seed: 1 }),
    standardizer: { mean: Float64Array.from([1, 2, 3]), std: Float64Array.from([0.5, 1, 2]) },
  };
}

describe("model file", () => {
  it("has the documented layout: format, version 2, activation, output, W1 D rows of H, b1 H, W2 H rows of 1, b2 1", () => {
    const json = JSON.parse(serializeModel(sampleModel()));
    expect(json.format).toBe("handgrad-model");
    expect(json.version).toBe(2);
    expect(json.activation).toBe("tanh");
    expect(json.output).toBe("sigmoid");
    expect(json.W1).toHaveLength(3);
    expect(json.W1[0]).toHaveLength(4);
    expect(json.b1).toHaveLength(4);
    expect(json.W2).toEqual(expect.arrayContaining([expect.any(Array)]));
    expect(json.W2).toHaveLength(4);
    expect(json.W2[0]).toHaveLength(1);
    expect(json.b2).toHaveLength(1);
    expect(json.standardize).toEqual({ mean: [1, 2, 3], std: [0.5, 1, 2] });
  });

  it("round-trips every float64 bit for bit, −0, subnormals and extremes included", () => {
    const double = fc.double({ noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(
        fc.array(double, { minLength: 6, maxLength: 6 }),
        fc.array(double, { minLength: 3, maxLength: 3 }),
        (w, b) => {
          const model: Model = {
            activation: "relu",
            params: {
              W1: matrix(2, 3, Float64Array.from(w)),
              b1: matrix(1, 3, Float64Array.from(b)),
              W2: matrix(3, 1, Float64Array.from(b)),
              b2: matrix(1, 1, Float64Array.from([w[0] as number])),
            },
          };
          const back = parseModel(serializeModel(model));
          for (const k of ["W1", "b1", "W2", "b2"] as const)
            expect(bits(back.params[k].data)).toBe(bits(model.params[k].data));
        },
      ),
      { seed: 5, numRuns: 500 },
    );
    const negativeZero = parseModel(
      serializeModel({
        ...sampleModel(),
        params: { ...sampleModel().params, b2: fromRows([[-0]]) },
      }),
    );
    expect(Object.is(negativeZero.params.b2.data[0], -0)).toBe(true);
  });

  const base = JSON.parse(serializeModel(sampleModel()));
  const broken: [string, (m: Record<string, unknown>) => unknown, RegExp][] = [
    ["wrong format", (m) => ({ ...m, format: "keras" }), /"format" must be "handgrad-model"/],
    [
      "newer version",
      (m) => ({ ...m, version: 3 }),
      /unsupported "version" 3 \(this handgrad reads 1 and 2\)/,
    ],
    ["unknown activation", (m) => ({ ...m, activation: "gelu" }), /"activation" must be one of/],
    [
      "ragged W1",
      (m) => ({
        ...m,
        W1: [
          [1, 2, 3, 4],
          [1, 2],
        ],
      }),
      /"W1"\[1\] must be an array of 4 numbers/,
    ],
    ["b1 too short", (m) => ({ ...m, b1: [0, 0] }), /"b1" must have 4 numbers/],
    ["W2 wrong height", (m) => ({ ...m, W2: [[1], [2]] }), /"W2" must be 4×1/],
    [
      "string in W2",
      (m) => ({ ...m, W2: [["1"], [2], [3], [4]] }),
      /"W2"\[0\]\[0\] must be a finite number, got "1"/,
    ],
    ["null bias", (m) => ({ ...m, b2: [null] }), /"b2"\[0\] must be a finite number, got null/],
    [
      "std 0",
      (m) => ({ ...m, standardize: { mean: [0, 0, 0], std: [1, 0, 1] } }),
      /"standardize.std"\[1\] must be > 0/,
    ],
    [
      "mean wrong length",
      (m) => ({ ...m, standardize: { mean: [0], std: [1, 1, 1] } }),
      /"standardize.mean" must have 3 numbers/,
    ],
    ["unknown key", (m) => ({ ...m, optimizer: "adam" }), /unknown key "optimizer"/],
    ["not an object", () => [1, 2], /expected a JSON object/],
  ];
  for (const [name, mutate, message] of broken) {
    it(`refuses a model file with ${name}, saying what is wrong`, () => {
      const text = JSON.stringify(mutate(structuredClone(base)));
      expect(() => parseModel(text, "m.json")).toThrow(ModelFileError);
      expect(() => parseModel(text, "m.json")).toThrow(message);
    });
  }

  it("refuses non-JSON and Infinity written as 1e999", () => {
    expect(() => parseModel("{not json", "m.json")).toThrow(/m.json: not valid JSON/);
    const text = serializeModel(sampleModel()).replace(/"b2": \[[^\]]*\]/, '"b2": [1e999]');
    expect(() => parseModel(text)).toThrow(/"b2"\[0\] must be a finite number/);
  });

  it("arbitrary text never loads as anything but a valid model or a ModelFileError", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (text) => {
        try {
          parseModel(text);
        } catch (error) {
          expect(error).toBeInstanceOf(ModelFileError);
        }
      }),
      { seed: 8, numRuns: 2000 },
    );
  });
});

describe("saving", () => {
  it("saveModel then loadModel gives the same model", () => {
    const folder = mkdtempSync(join(tmpdir(), "handgrad-"));
    const path = join(folder, "model.json");
    saveModel(path, sampleModel());
    expect(serializeModel(loadModel(path))).toBe(serializeModel(sampleModel()));
    expect(readdirSync(folder)).toEqual(["model.json"]); // no temporary file left behind
  });

  it("writing over a folder fails and removes its temporary file", () => {
    const folder = mkdtempSync(join(tmpdir(), "handgrad-"));
    const target = join(folder, "sub");
    writeFileSync(join(folder, "keep.json"), "keep");
    mkdirSync(target);
    expect(() => writeFileAtomic(target, "x")).toThrow();
    expect(readdirSync(folder).sort()).toEqual(["keep.json", "sub"]);
  });

  it("loadModel names a missing file", () => {
    expect(() => loadModel("/nonexistent/model.json")).toThrow(
      "cannot read /nonexistent/model.json: no such file",
    );
  });
});

describe("writing only what can be read back", () => {
  it("serializeModel refuses NaN, ±Infinity and a zero std, naming the entry", () => {
    const model = sampleModel();
    const withNaN: Model = {
      ...model,
      params: { ...model.params, b1: fromRows([[0, NaN, 0, 0]]) },
    };
    expect(() => serializeModel(withNaN)).toThrow(ModelFileError);
    expect(() => serializeModel(withNaN)).toThrow(/"b1"\[1\] must be a finite number, got "NaN"/);
    const zeroStd: Model = {
      ...model,
      standardizer: { mean: Float64Array.from([0, 0, 0]), std: Float64Array.from([1, 0, 1]) },
    };
    expect(() => serializeModel(zeroStd)).toThrow(/"standardize.std"\[1\] must be > 0/);
    const folder = mkdtempSync(join(tmpdir(), "handgrad-"));
    expect(() => saveModel(join(folder, "m.json"), withNaN)).toThrow(ModelFileError);
    expect(readdirSync(folder)).toEqual([]);
  });

  it("a JSON syntax error is reported on one line", () => {
    let message = "";
    try {
      parseModel('{"format": "handgrad-model",\n "version": 1,\n "W1": [[1, 2,]]\n}', "m.json");
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^m\.json: not valid JSON \(/);
    expect(message).not.toContain("\n");
  });

  it("refuses unknown keys inside standardize", () => {
    const json = JSON.parse(serializeModel(sampleModel()));
    json.standardize.scale = [1, 1, 1];
    expect(() => parseModel(JSON.stringify(json))).toThrow(/unknown key "standardize.scale"/);
  });
});

describe("model files are read strictly", () => {
  const text = serializeModel(sampleModel());
  /** The 1-based line of character `index` of `s`. */
  const lineOf = (s: string, index: number) => s.slice(0, index).split("\n").length;

  it("refuses a duplicated key, naming it and the line of its second occurrence", () => {
    const bad = text.replace('  "b2": ', '  "W1": [[1, 2, 3, 4]],\n  "b2": ');
    const line = lineOf(bad, bad.indexOf('"W1": [[1, 2, 3, 4]]'));
    expect(() => parseModel(bad, "m.json")).toThrow(
      new ModelFileError(
        `m.json line ${line}: duplicated key "W1" (JSON keeps only the last; remove one)`,
      ),
    );
  });

  it("refuses a duplicated key written with escapes (W\\u0031 is W1)", () => {
    const bad = text.replace('  "b2": ', '  "W\\u0031": [[0, 0, 0, 0]],\n  "b2": ');
    expect(() => parseModel(bad, "m.json")).toThrow(/^m\.json line \d+: duplicated key "W1" /);
  });

  it("refuses a duplicated key inside standardize, by its path", () => {
    const bad = text.replace('"std": ', '"mean": [0, 0, 0], "std": ');
    expect(() => parseModel(bad, "m.json")).toThrow(
      /^m\.json line \d+: duplicated key "standardize\.mean" \(JSON keeps only the last; remove one\)$/,
    );
  });

  const required = ["format", "version", "activation", "output", "W1", "b1", "W2", "b2"];
  for (const key of required) {
    it(`refuses a model without "${key}": m.json: missing key "${key}"`, () => {
      const json = JSON.parse(text);
      delete json[key];
      expect(() => parseModel(JSON.stringify(json), "m.json")).toThrow(
        new ModelFileError(`m.json: missing key "${key}"`),
      );
    });
  }
  for (const key of ["mean", "std"]) {
    it(`refuses a standardize without "${key}": m.json: missing key "standardize.${key}"`, () => {
      const json = JSON.parse(text);
      delete json.standardize[key];
      expect(() => parseModel(JSON.stringify(json), "m.json")).toThrow(
        new ModelFileError(`m.json: missing key "standardize.${key}"`),
      );
    });
  }

  it('loads a model without the optional "standardize"', () => {
    const json = JSON.parse(text);
    delete json.standardize;
    expect(parseModel(JSON.stringify(json)).standardizer).toBeUndefined();
  });
});
