/**
 * Checkpoint format v2 (optimizer state, best epoch) and v1 (plain SGD) files: v1 still loads,
 * as "sgd, no optimizer state, no best epoch", and resumes bit for bit.
 */
import { describe, expect, it } from "vitest";
import { makeDataset, splitDataset } from "../../src/data/index.js";
import {
  CHECKPOINT_VERSION,
  parseCheckpoint,
  serializeCheckpoint,
} from "../../src/formats/checkpoint-format.js";
import { initParams } from "../../src/nn/index.js";
import { train, type TrainOptions } from "../../src/train/index.js";
import { bits } from "../helpers.js";

const data = makeDataset("moons", { samples: 40, seed: 2 });
const { train: rows, validation } = splitDataset(data, 0.25, 2);
const start = initParams({ inputs: 2, hidden: 3, init: "xavier", seed: 7 });

function checkpointText(options: TrainOptions): string {
  let calls = 0;
  const { state } = train(start, rows, { ...options, shouldStop: () => calls++ === 5 });
  return serializeCheckpoint({
    options: { lr: options.learningRate },
    data: { source: "moons", trainRows: 30, validationRows: 10, sha256: "0".repeat(64) },
    model: { activation: "tanh", params: state.params },
    state,
  });
}

const sgd: TrainOptions = {
  activation: "tanh",
  learningRate: 0.3,
  epochs: 3,
  batchSize: 10,
  seed: 9,
  validation,
};

describe("checkpoint versions", () => {
  it(`writes version ${CHECKPOINT_VERSION} with the optimizer's state and the best epoch`, () => {
    const text = checkpointText({ ...sgd, optimizer: "nesterov", patience: 2 });
    const json = JSON.parse(text) as Record<string, Record<string, unknown>>;
    expect(json["version"]).toBe(2);
    expect(json["optimizer"]?.["name"]).toBe("nesterov");
    expect(Object.keys(json["optimizer"]?.["state"] as object)).toEqual(["velocity"]);
    expect(json["best"]?.["epoch"]).toEqual(expect.any(Number));
    const sgdJson = JSON.parse(checkpointText(sgd)) as Record<string, Record<string, unknown>>;
    expect(sgdJson["optimizer"]).toEqual({
      name: "sgd",
      learningRate: 0.3,
      state: null,
      lastGoodState: null,
    });
    expect(sgdJson["best"]).toBe(null);
  });

  it("reads a version 1 file as plain SGD without optimizer state, and resumes it bit for bit", () => {
    const json = JSON.parse(checkpointText(sgd)) as Record<string, unknown>;
    json["version"] = 1;
    json["optimizer"] = { name: "sgd", learningRate: 0.3 };
    delete json["best"];
    const v1 = parseCheckpoint(JSON.stringify(json), "old.json");
    expect(v1.state.optimizer).toBeUndefined();
    expect(v1.state.best).toBeUndefined();
    const rest = train(v1.state.params, rows, { ...sgd, resumeFrom: v1.state });
    expect(bits(rest.params)).toBe(bits(train(start, rows, sgd).params));
    // A version 1 file knows no other optimizer and no "best".
    json["optimizer"] = { name: "adam", learningRate: 0.3 };
    expect(() => parseCheckpoint(JSON.stringify(json), "old.json")).toThrow(
      /^old\.json: "optimizer" must be \{"name": "sgd", "learningRate": the "lr" of "options"\}$/,
    );
    json["optimizer"] = { name: "sgd", learningRate: 0.3 };
    json["best"] = null;
    expect(() => parseCheckpoint(JSON.stringify(json), "old.json")).toThrow(/unknown key "best"/);
  });

  it("refuses a v2 optimizer state that does not fit the rule or the model", () => {
    const json = JSON.parse(
      checkpointText({ ...sgd, optimizer: "adam", learningRate: 0.3 }),
    ) as Record<string, Record<string, Record<string, unknown>>>;
    const bad = (change: (j: typeof json) => void, message: RegExp) => {
      const copy = structuredClone(json);
      change(copy);
      expect(() => parseCheckpoint(JSON.stringify(copy), "ck.json")).toThrow(message);
    };
    bad((j) => delete j["optimizer"]!["state"]!["t"], /missing key "optimizer\.state\.t"/);
    bad(
      (j) => (j["optimizer"]!["state"]!["t"] = -1),
      /"optimizer\.state\.t" must be a non-negative integer/,
    );
    bad(
      (j) => (j["optimizer"]!["name"] = "sgd" as never),
      /"optimizer\.state" must be null for sgd/,
    );
    bad(
      (j) => ((j["optimizer"]!["state"]!["m"] as Record<string, unknown>)["b2"] = [0, 0]),
      /"b2" must have 1 numbers/,
    );
  });
});
