/** Softmax models in the model file: the "output" key, bit-for-bit round trips, and refusals. */
import { describe, expect, it } from "vitest";
import { ModelFileError } from "../../src/errors.js";
import { parseModel, serializeModel, type Model } from "../../src/formats/index.js";
import { initParams } from "../../src/nn/index.js";

const bits = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("hex");

function softmaxModel(K: number): Model {
  const params = initParams({ inputs: 3, hidden: 4, outputs: K, init: "xavier", seed: 2 });
  // Awkward values: −0, a subnormal, a 17-digit number, a huge one.
  params.W2.data.set([-0, 5e-324, 0.1 + 0.2, 1.7976931348623157e308], 0);
  params.b2.data[K - 1] = -1 / 3;
  return { activation: "relu", params };
}

describe("softmax model files", () => {
  it('write "output": "softmax" after "activation", W2 as H rows of K numbers and K numbers in b2', () => {
    const text = serializeModel(softmaxModel(3));
    expect(text).toMatch(/"activation": "relu",\n {2}"output": "softmax",\n {2}"W1"/);
    const json = JSON.parse(text);
    expect(json.W2).toHaveLength(4);
    for (const row of json.W2) expect(row).toHaveLength(3);
    expect(json.b2).toHaveLength(3);
  });

  it.each([2, 3, 7])("round-trip bit for bit with K = %i", (K) => {
    const model = softmaxModel(K);
    const back = parseModel(serializeModel(model));
    expect(back.activation).toBe("relu");
    for (const name of ["W1", "b1", "W2", "b2"] as const) {
      expect(back.params[name].rows).toBe(model.params[name].rows);
      expect(back.params[name].cols).toBe(model.params[name].cols);
      expect(bits(back.params[name].data)).toBe(bits(model.params[name].data));
    }
    expect(serializeModel(back)).toBe(serializeModel(model));
  });

  it('write "output": "sigmoid" for a binary model (version 2); a version 1 file without it reads as sigmoid', () => {
    const binary: Model = {
      activation: "tanh",
      params: initParams({ inputs: 2, hidden: 3, init: "xavier", seed: 1 }),
    };
    const text = serializeModel(binary);
    expect(text).toMatch(/"activation": "tanh",\n {2}"output": "sigmoid",\n {2}"W1"/);
    const version1 = text
      .replace('"version": 2', '"version": 1')
      .replace('\n  "output": "sigmoid",', "");
    expect(version1).not.toMatch(/"output"/);
    expect(serializeModel(parseModel(version1))).toBe(text);
  });

  const json = (K: number): Record<string, unknown> => JSON.parse(serializeModel(softmaxModel(K)));
  const refusal = (edit: (j: Record<string, unknown>) => void): (() => Model) => {
    const j = json(3);
    edit(j);
    return () => parseModel(JSON.stringify(j), "m.json");
  };

  it("refuse an unknown output, with the key named", () => {
    const run = refusal((j) => (j["output"] = "softplus"));
    expect(run).toThrow(ModelFileError);
    expect(run).toThrow(/m.json: "output" must be one of sigmoid, softmax, got "softplus"/);
    expect(refusal((j) => (j["output"] = null))).toThrow(/"output" must be one of/);
  });

  it("refuse a b2 whose width is not K, the width of W2", () => {
    const run = refusal((j) => (j["b2"] = [0, 0]));
    expect(run).toThrow(ModelFileError);
    expect(run).toThrow(/"b2" must have 3 numbers \(K = 3, the width of W2\), got 2/);
  });

  it("refuse W2 rows of unequal width", () => {
    const run = refusal((j) => ((j["W2"] as number[][])[1] = [1, 2]));
    expect(run).toThrow(/"W2"\[1\] must be an array of 3 numbers/);
  });

  it("refuse a softmax model with one output column, and a sigmoid model with K columns", () => {
    const one = refusal((j) => {
      j["W2"] = (j["W2"] as number[][]).map((row) => [row[0]]);
      j["b2"] = [0];
    });
    expect(one).toThrow(/"W2" must be 4×K with K ≥ 2 classes .*got 4×1/);
    expect(refusal((j) => (j["output"] = "sigmoid"))).toThrow(/"W2" must be 4×1 .*got 4×3/);
    // version 1: no "output" means sigmoid
    expect(
      refusal((j) => {
        delete j["output"];
        j["version"] = 1;
      }),
    ).toThrow(/"W2" must be 4×1 .*got 4×3/);
  });
});
