/**
 * The model file: JSON with the four parameters as nested arrays (rows of W1 and W2),
 * the activation, and the standardisation when the model was trained on standardised data.
 *
 *   {"format": "handgrad-model", "version": 1, "activation": "tanh",
 *    "W1": [[…H numbers] × D rows], "b1": [H], "W2": [[one number] × H rows], "b2": [1],
 *    "standardize": {"mean": [D], "std": [D]}}            (the last key only when used)
 *
 * A softmax model over K ≥ 2 classes adds "output": "softmax" after "activation", with W2
 * rows of K numbers and K numbers in b2. Without the key (or with "sigmoid") the model is
 * binary, W2 H×1: every file written before the softmax head reads as it did.
 *
 * Numbers are written in the shortest form that reads back to the same float64 (and −0
 * as "-0"), so a model round-trips bit for bit. Loading validates everything and names
 * what is wrong.
 *
 * This module holds the format alone (text in, text out: no file access, so a browser can use
 * it); model-file.ts adds reading and writing files.
 */
import type { Standardizer } from "../data/index.js";
import { ModelFileError } from "../errors.js";
import { fromRows, rowVector, toRows, type Matrix } from "../linalg/index.js";
import {
  ACTIVATION_NAMES,
  assertParamShapes,
  OUTPUT_NAMES,
  outputHeadFor,
  type ActivationName,
  type Params,
} from "../nn/index.js";
import { describeValue as describe, parseJsonStrictly, requiredKey } from "./strict-json.js";

export const MODEL_FORMAT = "handgrad-model";
export const MODEL_VERSION = 1;

/** A trained network: what a model file holds. */
export interface Model {
  /** The hidden layer's activation f. */
  readonly activation: ActivationName;
  /** The trained parameters W1, b1, W2, b2. */
  readonly params: Params;
  /** Applied to the features before the network, when the model was trained on standardised data. */
  readonly standardizer?: Standardizer;
}

/** The model as the text of a model file. */
export function serializeModel(model: Model): string {
  assertParamShapes(model.params);
  // Never write what loadModel would refuse: check by parsing the text back.
  const text = modelText(model);
  parseModel(text, "the model to be written");
  return text;
}

function modelText(model: Model): string {
  const { W1, b1, W2, b2 } = model.params;
  const lines = [
    "{",
    `  "format": "${MODEL_FORMAT}",`,
    `  "version": ${MODEL_VERSION},`,
    `  "activation": ${JSON.stringify(model.activation)},`,
    ...(W2.cols > 1 ? [`  "output": ${JSON.stringify(outputHeadFor(W2.cols).name)},`] : []),
    `  "W1": ${matrixText(W1)},`,
    `  "b1": ${vectorText(b1.data)},`,
    `  "W2": ${matrixText(W2)},`,
    `  "b2": ${vectorText(b2.data)}${model.standardizer ? "," : ""}`,
  ];
  if (model.standardizer) {
    const { mean, std } = model.standardizer;
    lines.push(`  "standardize": {"mean": ${vectorText(mean)}, "std": ${vectorText(std)}}`);
  }
  lines.push("}", "");
  return lines.join("\n");
}

const KNOWN_KEYS = new Set([
  "format",
  "version",
  "activation",
  "output",
  "W1",
  "b1",
  "W2",
  "b2",
  "standardize",
]);
const STANDARDIZE_KEYS = new Set(["mean", "std"]);

/**
 * Parses and validates the text of a model file (`source` names it in errors): valid JSON
 * without a duplicated key (see strict-json.ts), then what modelFromJson checks.
 */
export function parseModel(text: string, source = "model file"): Model {
  return modelFromJson(parseJsonStrictly(text, source, ModelFileError), source);
}

/**
 * Validates a model file's object, already parsed (a checkpoint embeds two of them), and
 * builds the model; a ModelFileError whose message starts with `source` says what is wrong.
 */
export function modelFromJson(json: unknown, source: string): Model {
  const fail = (what: string): never => {
    throw new ModelFileError(`${source}: ${what}`);
  };
  if (!isObject(json)) return fail("expected a JSON object");
  if (json["format"] === "handgrad-checkpoint") {
    fail(
      `this is a training checkpoint, not a model file: continue the run with handgrad train --resume, or use the model file its run saved`,
    );
  }
  for (const key of Object.keys(json))
    if (!KNOWN_KEYS.has(key)) fail(`unknown key ${describe(key)}`);
  const format = requiredKey(json, "format", fail);
  if (format !== MODEL_FORMAT) fail(`"format" must be "${MODEL_FORMAT}", got ${describe(format)}`);
  const version = requiredKey(json, "version", fail);
  if (version !== MODEL_VERSION)
    fail(`unsupported "version" ${describe(version)} (this handgrad reads ${MODEL_VERSION})`);
  const activation = requiredKey(json, "activation", fail);
  if (typeof activation !== "string" || !(ACTIVATION_NAMES as string[]).includes(activation)) {
    fail(`"activation" must be one of ${ACTIVATION_NAMES.join(", ")}, got ${describe(activation)}`);
  }
  const W1 = matrixField(json, "W1", fail);
  const D = W1.rows;
  const H = W1.cols;
  const b1 = vectorField(json, "b1", H, `H = ${H}, the width of W1`, fail);
  const output = json["output"] === undefined ? "sigmoid" : json["output"];
  if (typeof output !== "string" || !(OUTPUT_NAMES as readonly string[]).includes(output)) {
    fail(`"output" must be one of ${OUTPUT_NAMES.join(", ")}, got ${describe(output)}`);
  }
  const W2 = matrixField(json, "W2", fail);
  const K = W2.cols;
  if (output === "sigmoid" && (W2.rows !== H || K !== 1))
    fail(`"W2" must be ${H}×1 (H = ${H} from W1, one sigmoid output), got ${W2.rows}×${K}`);
  if (output === "softmax" && (W2.rows !== H || K < 2))
    fail(
      `"W2" must be ${H}×K with K ≥ 2 classes (H = ${H} from W1, softmax output), got ${W2.rows}×${K}`,
    );
  const b2 = vectorField(json, "b2", K, K === 1 ? "one output" : `K = ${K}, the width of W2`, fail);
  const params: Params = { W1, b1: rowVector(b1), W2, b2: rowVector(b2) };

  const standardize = json["standardize"];
  if (standardize === undefined) return { activation: activation as ActivationName, params };
  if (!isObject(standardize)) return fail(`"standardize" must be an object with "mean" and "std"`);
  for (const key of Object.keys(standardize)) {
    if (!STANDARDIZE_KEYS.has(key)) fail(`unknown key ${describe(`standardize.${key}`)}`);
  }
  const mean = vectorField(standardize, "mean", D, `D = ${D}, the rows of W1`, fail, "standardize");
  const std = vectorField(standardize, "std", D, `D = ${D}, the rows of W1`, fail, "standardize");
  std.forEach((s, j) => {
    if (!(s > 0)) fail(`"standardize.std"[${j}] must be > 0, got ${s}`);
  });
  return { activation: activation as ActivationName, params, standardizer: { mean, std } };
}

type Fail = (what: string) => never;

function matrixField(json: Record<string, unknown>, key: string, fail: Fail): Matrix {
  const rows = requiredKey(json, key, fail);
  if (!Array.isArray(rows) || rows.length === 0)
    return fail(`"${key}" must be a non-empty array of rows`);
  const width = Array.isArray(rows[0]) ? rows[0].length : -1;
  if (width < 1) return fail(`"${key}"[0] must be a non-empty array of numbers`);
  rows.forEach((row: unknown, i) => {
    if (!Array.isArray(row) || row.length !== width)
      fail(`"${key}"[${i}] must be an array of ${width} numbers`);
    (row as unknown[]).forEach((v, j) => {
      if (typeof v !== "number" || !Number.isFinite(v))
        fail(`"${key}"[${i}][${j}] must be a finite number, got ${describe(v)}`);
    });
  });
  return fromRows(rows as number[][]);
}

function vectorField(
  json: Record<string, unknown>,
  key: string,
  length: number,
  why: string,
  fail: Fail,
  parent?: string,
): Float64Array {
  const values = requiredKey(json, key, fail, parent === undefined ? [] : [parent]);
  const name = parent === undefined ? key : `${parent}.${key}`;
  if (!Array.isArray(values)) return fail(`"${name}" must be an array of ${length} numbers`);
  if (values.length !== length)
    fail(`"${name}" must have ${length} numbers (${why}), got ${values.length}`);
  values.forEach((v: unknown, j) => {
    if (typeof v !== "number" || !Number.isFinite(v))
      fail(`"${name}"[${j}] must be a finite number, got ${describe(v)}`);
  });
  return Float64Array.from(values as number[]);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The shortest decimal that reads back to x; −0 keeps its sign. */
function numberText(x: number): string {
  // A non-finite value is written as a string so that the check in serializeModel names it.
  if (!Number.isFinite(x)) return JSON.stringify(String(x));
  return Object.is(x, -0) ? "-0" : String(x);
}

function vectorText(values: ArrayLike<number>): string {
  return `[${Array.from(values, numberText).join(", ")}]`;
}

function matrixText(A: Matrix): string {
  return `[\n${toRows(A)
    .map((row) => `    ${vectorText(row)}`)
    .join(",\n")}\n  ]`;
}
