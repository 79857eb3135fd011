/**
 * The checkpoint file read strictly: it round-trips bit for bit; a duplicated key anywhere
 * (top level, options, data, rng, the embedded models, a history record) is refused with its
 * path and line; every missing key is named, never reported as `undefined`.
 */
import { describe, expect, it } from "vitest";
import { fitStandardizer, makeDataset, splitDataset } from "../../src/data/index.js";
import { ModelFileError } from "../../src/errors.js";
import { dataFingerprint } from "../../src/io/index.js";
import { parseCheckpoint, serializeCheckpoint, type Checkpoint } from "../../src/formats/index.js";
import { initParams } from "../../src/nn/index.js";
import { train } from "../../src/train/index.js";
import { bits } from "../helpers.js";

const SOURCE = "ck.json";

/** A checkpoint two steps into epoch 2 of a run with validation and a standardised model. */
function sampleCheckpoint(): Checkpoint {
  const data = makeDataset("moons", { samples: 40, seed: 2 });
  const { train: rows, validation } = splitDataset(data, 0.25, 2);
  const start = initParams({ inputs: 2, hidden: 3, init: "xavier", seed: 7 });
  let calls = 0;
  const { state } = train(start, rows, {
    activation: "tanh",
    learningRate: 0.3,
    epochs: 3,
    batchSize: 10,
    seed: 9,
    validation,
    shouldStop: () => calls++ === 5,
  });
  return {
    options: { lr: 0.3, "batch-size": 10, epochs: 3, seed: 9, validation: 0.25 },
    data: dataFingerprint("moons", rows, validation),
    model: { activation: "tanh", params: state.params, standardizer: fitStandardizer(rows.X) },
    state,
  };
}

const text = serializeCheckpoint(sampleCheckpoint());
const json = () => JSON.parse(text) as Record<string, Record<string, unknown>>;

/** The ModelFileError's message for `bad`, or "" when it loads. */
function message(bad: string): string {
  try {
    parseCheckpoint(bad, SOURCE);
    return "";
  } catch (error) {
    expect(error).toBeInstanceOf(ModelFileError);
    return (error as Error).message;
  }
}

/** `text` with `insertion` written just after the first (or last) occurrence of `anchor`. */
function inserted(anchor: string, insertion: string, last = false): string {
  const at = (last ? text.lastIndexOf(anchor) : text.indexOf(anchor)) + anchor.length;
  expect(at).toBeGreaterThanOrEqual(anchor.length);
  return text.slice(0, at) + insertion + text.slice(at);
}

/** The 1-based line of character `index` of `s`. */
const lineOf = (s: string, index: number) => s.slice(0, index).split("\n").length;

describe("checkpoint files", () => {
  it("round-trip bit for bit; equal keys in different objects (model and lastGood, history records) are fine", () => {
    const back = parseCheckpoint(text, SOURCE);
    expect(serializeCheckpoint(back)).toBe(text);
    const original = sampleCheckpoint();
    expect(bits(back.state.params)).toBe(bits(original.state.params));
    expect(back.state.history).toEqual(original.state.history);
    expect(back.state.history.length).toBeGreaterThanOrEqual(2);
    expect(back.state.history[1]?.validationLoss).toEqual(expect.any(Number));
  });

  it("refuses a duplicated top-level key with its line", () => {
    const bad = inserted(`"steps": ${String(json()["steps"])},`, '\n  "epoch": 1,');
    const line = lineOf(bad, bad.indexOf('"epoch": 1,'));
    expect(message(bad)).toBe(
      `ck.json line ${line}: duplicated key "epoch" (JSON keeps only the last; remove one)`,
    );
  });

  const nested: [string, string, string, string, boolean?][] = [
    ["options", '"options": {', '"lr": 1, ', "options.lr"],
    ["data", '"data": {', '"source": "xor", ', "data.source"],
    ["optimizer", '"optimizer": {', '"name": "sgd", ', "optimizer.name"],
    ["rng", '"rng": {', '"words": [1, 2, 3, 4], ', "rng.words"],
    ["the model", '"model": {', '\n    "W1": [[0]],', "model.W1"],
    ["the model, escaped", '"model": {', '"W\\u0031": [[0]], ', "model.W1"],
    [
      "lastGood's standardize",
      '"standardize": {',
      '"mean": [0, 0], ',
      "lastGood.standardize.mean",
      true,
    ],
    ["a history record", '{"epoch": 1, ', '"loss": 0, ', "history[1].loss"],
  ];
  for (const [name, anchor, insertion, path, last] of nested) {
    it(`refuses a duplicated key in ${name}: "${path}"`, () => {
      expect(message(inserted(anchor, insertion, last))).toMatch(
        new RegExp(
          `^ck\\.json line \\d+: duplicated key "${path.replace(/[.[\]]/g, "\\$&")}" \\(JSON keeps only the last; remove one\\)$`,
        ),
      );
    });
  }

  const missing: [string, (c: Record<string, Record<string, unknown>>) => void, string][] = [
    ...[
      "format",
      "version",
      "options",
      "data",
      "optimizer",
      "epoch",
      "row",
      "steps",
      "rng",
      "model",
      "lastGood",
      "history",
    ].map((key): [string, (c: Record<string, unknown>) => void, string] => [
      key,
      (c) => delete c[key],
      `ck.json: missing key "${key}"`,
    ]),
    ...["source", "trainRows", "validationRows", "sha256"].map(
      (key): [string, (c: Record<string, Record<string, unknown>>) => void, string] => [
        `data.${key}`,
        (c) => delete c["data"]?.[key],
        `ck.json: missing key "data.${key}"`,
      ],
    ),
    ["optimizer.name", (c) => delete c["optimizer"]?.["name"], 'missing key "optimizer.name"'],
    [
      "optimizer.learningRate",
      (c) => delete c["optimizer"]?.["learningRate"],
      'ck.json: missing key "optimizer.learningRate"',
    ],
    ["rng.words", (c) => delete c["rng"]?.["words"], 'ck.json: missing key "rng.words"'],
    [
      "rng.spareNormal",
      (c) => delete c["rng"]?.["spareNormal"],
      'ck.json: missing key "rng.spareNormal"',
    ],
    ...["epoch", "loss", "accuracy"].map(
      (key): [string, (c: Record<string, Record<string, unknown>>) => void, string] => [
        `history[1].${key}`,
        (c) => delete (c["history"] as unknown as Record<string, unknown>[])[1]?.[key],
        `ck.json: missing key "history[1].${key}"`,
      ],
    ),
    ...["format", "version", "activation", "W1", "b1", "W2", "b2"].map(
      (key): [string, (c: Record<string, Record<string, unknown>>) => void, string] => [
        `model.${key}`,
        (c) => delete c["model"]?.[key],
        `ck.json "model": missing key "${key}"`,
      ],
    ),
    [
      "lastGood.standardize.std",
      (c) => delete (c["lastGood"]?.["standardize"] as Record<string, unknown>)["std"],
      'ck.json "lastGood": missing key "standardize.std"',
    ],
  ];
  for (const [path, remove, expected] of missing) {
    it(`refuses a checkpoint without "${path}": ${expected}`, () => {
      const c = json();
      remove(c);
      expect(message(JSON.stringify(c, null, 2))).toBe(
        expected.startsWith("ck.json") ? expected : `ck.json: ${expected}`,
      );
    });
  }

  it("loads history records without the optional validation figures", () => {
    const c = json();
    for (const record of c["history"] as unknown as Record<string, unknown>[]) {
      delete record["validationLoss"];
      delete record["validationAccuracy"];
    }
    expect(message(JSON.stringify(c))).toBe("");
  });

  it("a value nested 100 000 deep is a ModelFileError, not a stack overflow", () => {
    const deep = "[".repeat(100_000) + "]".repeat(100_000);
    expect(message(`{"format": ${deep}}`)).toMatch(
      /^ck\.json: "format" must be "handgrad-checkpoint", got \[\[\[+\.\.\.$/,
    );
    const c = json();
    c["model"] = "__deep__" as unknown as Record<string, unknown>;
    expect(message(JSON.stringify(c).replace('"__deep__"', deep))).toBe(
      'ck.json "model": expected a JSON object',
    );
  });
});
