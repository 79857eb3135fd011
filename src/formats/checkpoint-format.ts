/**
 * The checkpoint file: everything `handgrad train --resume` needs to continue a run bit for
 * bit from a step boundary. JSON, numbers written as in the model file (the shortest text
 * that reads back to the same float64; −0 as "-0"):
 *
 *   {"format": "handgrad-checkpoint", "version": 2,
 *    "options": {"lr": η, "batch-size": B | "full", "epochs": E, "shuffle": true, "seed": s, …},
 *    "data": {"source": "moons", "trainRows": N, "validationRows": M, "sha256": "…"},
 *    "optimizer": {"name": "sgd" | "momentum" | "nesterov" | "adam", "learningRate": η,
 *                  "state": S, "lastGoodState": S},    (S: the rule's state with θ now and
 *                                                       with the last good θ; null for sgd,
 *                                                       {"velocity": M} for momentum and
 *                                                       nesterov, {"t": t, "m": M, "v": M}
 *                                                       for adam; M a model file's object
 *                                                       holding the moments in W1, b1, W2, b2)
 *    "epoch": e, "row": r, "steps": t,                     (next batch: rows r.. of epoch e)
 *    "rng": {"words": [4 × uint32], "spareNormal": null},   (before epoch e's permutation)
 *    "model": {a model file's object: θ now},
 *    "lastGood": {a model file's object: θ at the end of epoch e − 1},
 *    "best": null | {"epoch": b, "validationLoss": …, "model": {θ at the end of epoch b}},
 *                                                          (early stopping's best epoch)
 *    "history": [{"epoch": 0, "loss": …, "accuracy": …}, …] (epochs 0..e − 1)}
 *
 * Version 1 files (before optimizers; no "best", "optimizer" just {"name": "sgd",
 * "learningRate": η}) still load, as plain SGD with no optimizer state and no best epoch.
 *
 * "options" holds the flags that shape the run (named as the flags are); a resumed run must
 * give the same ones, and the same data (the SHA-256 of the training and validation rows the
 * loop sees, after any standardisation). Loading validates everything and names what is wrong.
 *
 * This module holds the format alone (text in, text out: no file access and no node:*, so a
 * browser can use it); io/checkpoint-file.ts reads and writes the files and computes the
 * data's fingerprint (SHA-256, node:crypto).
 */
import { ModelFileError } from "../errors.js";
import type { Params } from "../nn/index.js";
import {
  OPTIMIZER_NAMES,
  type BestEpoch,
  type EpochRecord,
  type OptimizerName,
  type OptimizerState,
  type TrainState,
} from "../train/index.js";
import { modelFromJson, serializeModel, type Model } from "./model-format.js";
import { describeValue as describe, parseJsonStrictly, requiredKey } from "./strict-json.js";

export const CHECKPOINT_FORMAT = "handgrad-checkpoint";
export const CHECKPOINT_VERSION = 2;
/** The versions this handgrad reads (1: plain SGD, before optimizers and early stopping). */
const READABLE_VERSIONS = [1, 2];

/** A flag's value as the checkpoint records it (null: not given). */
export type OptionValue = string | number | boolean | null;

/** The data a run trains on: where from, how many rows, and the fingerprint of their values. */
export interface DataFingerprint {
  /** Where the rows came from: a toy data set's name or a CSV file's path. */
  readonly source: string;
  /** Rows in the training set. */
  readonly trainRows: number;
  /** Rows in the validation set (0 without one). */
  readonly validationRows: number;
  /** SHA-256 (hex) of the training and validation rows' shapes and float64 bytes. */
  readonly sha256: string;
}

/** What a checkpoint file holds: enough to continue a run bit for bit from a step boundary. */
export interface Checkpoint {
  /** The options that shape the run, by flag name. */
  readonly options: Readonly<Record<string, OptionValue>>;
  /** The rows the run trains on: a resumed run must be given the same ones. */
  readonly data: DataFingerprint;
  /** The activation and standardisation of the model, with θ = state.params. */
  readonly model: Model;
  /** Where the run stands: epoch, row, steps, generator, history and parameters. */
  readonly state: TrainState;
}

/** The checkpoint as the text of a checkpoint file (checked by parsing it back). */
export function serializeCheckpoint(checkpoint: Checkpoint): string {
  const { options, data, model, state } = checkpoint;
  const modelObject = (params: Model["params"], indent = "  "): string =>
    serializeModel({ ...model, params })
      .trimEnd()
      .replace(/\n/g, `\n${indent}`);
  // The moments (and the best θ) as model objects of the model's activation, unstandardised.
  const momentsObject = (params: Params): string =>
    serializeModel({ activation: model.activation, params }).trimEnd().replace(/\n/g, "\n    ");
  const stateText = (s: OptimizerState | undefined): string => {
    if (s === undefined || s.name === "sgd") return "null";
    if (s.name === "adam")
      return `{"t": ${s.t}, "m": ${momentsObject(s.m)}, "v": ${momentsObject(s.v)}}`;
    return `{"velocity": ${momentsObject(s.velocity)}}`;
  };
  const optimizerName = state.optimizer?.name ?? "sgd";
  const best = state.best
    ? `{"epoch": ${state.best.epoch}, "validationLoss": ${jsonText(state.best.validationLoss)}, "model": ${momentsObject(state.best.params)}}`
    : "null";
  const lines = [
    "{",
    `  "format": "${CHECKPOINT_FORMAT}",`,
    `  "version": ${CHECKPOINT_VERSION},`,
    `  "options": ${jsonText(options)},`,
    `  "data": ${jsonText(data)},`,
    `  "optimizer": {"name": ${JSON.stringify(optimizerName)}, "learningRate": ${jsonText(options["lr"] ?? null)},`,
    `    "state": ${stateText(state.optimizer)},`,
    `    "lastGoodState": ${stateText(state.lastGoodOptimizer)}},`,
    `  "epoch": ${state.epoch},`,
    `  "row": ${state.row},`,
    `  "steps": ${state.steps},`,
    `  "rng": ${jsonText(state.rng)},`,
    `  "model": ${modelObject(state.params)},`,
    `  "lastGood": ${modelObject(state.lastGoodParams)},`,
    `  "best": ${best},`,
    `  "history": [\n${state.history.map((r) => `    ${jsonText(r)}`).join(",\n")}\n  ]`,
    "}",
    "",
  ];
  const text = lines.join("\n");
  parseCheckpoint(text, "the checkpoint to be written"); // never write what loading refuses
  return text;
}

const KNOWN_KEYS = [
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
  "best",
  "history",
];

/** Parses and validates the text of a checkpoint file (`source` names it in errors). */
export function parseCheckpoint(text: string, source = "checkpoint file"): Checkpoint {
  const fail = (what: string): never => {
    throw new ModelFileError(`${source}: ${what}`);
  };
  const json = parseJsonStrictly(text, source, ModelFileError);
  if (!isObject(json)) return fail("expected a JSON object");
  const format = requiredKey(json, "format", fail);
  if (format !== CHECKPOINT_FORMAT)
    fail(`"format" must be "${CHECKPOINT_FORMAT}", got ${describe(format)}`);
  const version = requiredKey(json, "version", fail);
  if (!READABLE_VERSIONS.includes(version as number))
    fail(
      `unsupported "version" ${describe(version)} (this handgrad reads ${READABLE_VERSIONS.join(" and ")})`,
    );
  const keys = version === 1 ? KNOWN_KEYS.filter((key) => key !== "best") : KNOWN_KEYS;
  for (const key of keys) requiredKey(json, key, fail);
  for (const key of Object.keys(json))
    if (!keys.includes(key)) fail(`unknown key ${describe(key)}`);

  const options = json["options"];
  if (!isObject(options)) return fail(`"options" must be an object`);
  for (const [key, value] of Object.entries(options)) {
    const ok =
      value === null ||
      typeof value === "string" ||
      typeof value === "boolean" ||
      (typeof value === "number" && Number.isFinite(value));
    if (!ok) fail(`"options.${key}" must be a string, number, boolean or null`);
  }
  const data = json["data"];
  if (!isObject(data)) return fail(`"data" must be an object`);
  for (const key of ["source", "trainRows", "validationRows", "sha256"])
    requiredKey(data, key, fail, ["data"]);
  if (typeof data["source"] !== "string") fail(`"data.source" must be a string`);
  for (const key of ["trainRows", "validationRows"]) {
    if (!isCount(data[key])) fail(`"data.${key}" must be a non-negative integer`);
  }
  if (typeof data["sha256"] !== "string" || !/^[0-9a-f]{64}$/.test(data["sha256"]))
    fail(`"data.sha256" must be 64 hex digits`);
  const optimizer = json["optimizer"];
  const optimizerKeys = version === 1 ? ["name", "learningRate"] : OPTIMIZER_KEYS;
  if (isObject(optimizer)) {
    for (const key of optimizerKeys) requiredKey(optimizer, key, fail, ["optimizer"]);
    for (const key of Object.keys(optimizer))
      if (!optimizerKeys.includes(key)) fail(`unknown key ${describe(`optimizer.${key}`)}`);
  }
  const names: readonly string[] = version === 1 ? ["sgd"] : OPTIMIZER_NAMES;
  if (
    !isObject(optimizer) ||
    !names.includes(optimizer["name"] as string) ||
    optimizer["learningRate"] !== options["lr"]
  )
    fail(
      `"optimizer" must be {"name": ${names.map((n) => `"${n}"`).join(" | ")}, "learningRate": the "lr" of "options"${version === 1 ? "" : ", …"}}`,
    );
  const optimizerName = (optimizer as Record<string, unknown>)["name"] as OptimizerName;

  const [epoch, row, steps] = (["epoch", "row", "steps"] as const).map((key) =>
    isCount(json[key]) ? (json[key] as number) : fail(`"${key}" must be a non-negative integer`),
  ) as [number, number, number];
  if (epoch < 1) fail(`"epoch" must be ≥ 1, got ${epoch}`);

  const rng = json["rng"];
  if (!isObject(rng)) return fail(`"rng" must be an object with "words" and "spareNormal"`);
  const words = requiredKey(rng, "words", fail, ["rng"]);
  if (
    !Array.isArray(words) ||
    words.length !== 4 ||
    !words.every((w) => Number.isInteger(w) && w >= 0 && w < 2 ** 32) ||
    words.every((w) => w === 0)
  )
    fail(`"rng.words" must be 4 integers in 0..2^32 − 1, not all 0`);
  const spare = requiredKey(rng, "spareNormal", fail, ["rng"]);
  if (spare !== null && !(typeof spare === "number" && Number.isFinite(spare)))
    fail(`"rng.spareNormal" must be null or a finite number`);

  const model = modelFromJson(json["model"], `${source} "model"`);
  const lastGood = modelFromJson(json["lastGood"], `${source} "lastGood"`);
  for (const name of ["W1", "b1", "W2", "b2"] as const) {
    const [a, b] = [model.params[name], lastGood.params[name]];
    if (a.rows !== b.rows || a.cols !== b.cols)
      fail(`"lastGood.${name}" must have the shape of "model.${name}"`);
  }
  if (lastGood.activation !== model.activation) fail(`"lastGood" must have the model's activation`);
  const shaped = (json: unknown, where: string): Params => {
    const moments = modelFromJson(json, `${source} "${where}"`).params;
    for (const name of ["W1", "b1", "W2", "b2"] as const) {
      const [a, b] = [model.params[name], moments[name]];
      if (a.rows !== b.rows || a.cols !== b.cols)
        fail(`"${where}.${name}" must have the shape of "model.${name}"`);
    }
    return moments;
  };
  const stateOf = (key: "state" | "lastGoodState"): OptimizerState | undefined => {
    if (version === 1) return undefined;
    const where = `optimizer.${key}`;
    const value = (optimizer as Record<string, unknown>)[key];
    if (optimizerName === "sgd") {
      if (value !== null) fail(`"${where}" must be null for sgd`);
      return undefined;
    }
    if (!isObject(value)) return fail(`"${where}" must be an object`);
    const expected = optimizerName === "adam" ? ["t", "m", "v"] : ["velocity"];
    for (const k of expected) requiredKey(value, k, fail, ["optimizer", key]);
    for (const k of Object.keys(value))
      if (!expected.includes(k)) fail(`unknown key ${describe(`${where}.${k}`)}`);
    if (optimizerName !== "adam")
      return { name: optimizerName, velocity: shaped(value["velocity"], `${where}.velocity`) };
    if (!isCount(value["t"])) fail(`"${where}.t" must be a non-negative integer`);
    return {
      name: "adam",
      t: value["t"] as number,
      m: shaped(value["m"], `${where}.m`),
      v: shaped(value["v"], `${where}.v`),
    };
  };
  const optimizerState = stateOf("state");
  const lastGoodOptimizer = stateOf("lastGoodState");
  const bestJson = version === 1 ? null : json["best"];
  let best: BestEpoch | undefined;
  if (bestJson !== null) {
    if (!isObject(bestJson)) return fail(`"best" must be null or an object`);
    for (const k of BEST_KEYS) requiredKey(bestJson, k, fail, ["best"]);
    for (const k of Object.keys(bestJson))
      if (!BEST_KEYS.includes(k)) fail(`unknown key ${describe(`best.${k}`)}`);
    if (!isCount(bestJson["epoch"]) || (bestJson["epoch"] as number) >= epoch)
      fail(`"best.epoch" must be an integer in 0..${epoch - 1}`);
    const loss = bestJson["validationLoss"];
    if (typeof loss !== "number" || !Number.isFinite(loss))
      fail(`"best.validationLoss" must be a finite number`);
    best = {
      epoch: bestJson["epoch"] as number,
      validationLoss: loss as number,
      params: shaped(bestJson["model"], "best.model"),
    };
  }

  const history = json["history"];
  if (!Array.isArray(history)) return fail(`"history" must be an array`);
  if (history.length !== epoch)
    fail(`"history" must hold epochs 0..${epoch - 1} (${epoch} records), got ${history.length}`);
  const records = history.map((r: unknown, i): EpochRecord => {
    if (!isObject(r)) return fail(`"history"[${i}] must be an object`);
    if (requiredKey(r, "epoch", fail, ["history", i]) !== i)
      fail(`"history"[${i}] must be epoch ${i}`);
    const figures: Record<string, number> = { epoch: i };
    for (const key of ["loss", "accuracy", "validationLoss", "validationAccuracy", "penalty"]) {
      const optional = key.startsWith("validation") || key === "penalty";
      if (optional && !Object.hasOwn(r, key)) continue;
      const value = requiredKey(r, key, fail, ["history", i]);
      if (typeof value !== "number" || !Number.isFinite(value))
        fail(`"history"[${i}].${key} must be a finite number`);
      figures[key] = value as number;
    }
    return figures as unknown as EpochRecord;
  });

  return {
    options: options as Record<string, OptionValue>,
    data: data as unknown as DataFingerprint,
    model,
    state: {
      epoch,
      row,
      steps,
      params: model.params,
      rng: {
        words: words as [number, number, number, number],
        spareNormal: spare as number | null,
      },
      history: records,
      lastGoodParams: lastGood.params,
      ...(optimizerState ? { optimizer: optimizerState } : {}),
      ...(lastGoodOptimizer ? { lastGoodOptimizer } : {}),
      ...(best ? { best } : {}),
    },
  };
}

const OPTIMIZER_KEYS = ["name", "learningRate", "state", "lastGoodState"];
const BEST_KEYS = ["epoch", "validationLoss", "model"];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): boolean {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/**
 * JSON on one line, numbers as the shortest text that reads back to the same float64 and −0
 * as "-0" (JSON.stringify writes "0"); a non-finite number as a string, which the parser refuses.
 */
function jsonText(value: unknown): string {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return JSON.stringify(String(value));
    return Object.is(value, -0) ? "-0" : String(value);
  }
  if (Array.isArray(value)) return `[${value.map(jsonText).join(", ")}]`;
  if (isObject(value)) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${jsonText(v)}`).join(", ")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
