/**
 * The model file: JSON with the four parameters as nested arrays (rows of W1 and W2), the
 * output head, the activation, the names of the features and the labels of the classes, and
 * the standardisation when the model was trained on standardised data. Version 2:
 *
 *   {"format": "handgrad-model", "version": 2, "activation": "tanh", "output": "sigmoid",
 *    "features": ["mean_radius", …D names],          (optional: absent, columns by position)
 *    "label": "diagnosis",                            (optional: the label column's name)
 *    "classes": ["B", "M"],                           (optional: absent, classes 0..K−1)
 *    "W1": [[…H numbers] × D rows], "b1": [H], "W2": [[one number] × H rows], "b2": [1],
 *    "standardize": {"mean": [D], "std": [D]},       (only when used)
 *    "training": {…}}                                 (optional: what trained it)
 *
 * "output" is "sigmoid" (binary: W2 H×1, b2 one number, two classes) or "softmax" (K ≥ 2
 * classes: W2 rows of K numbers, K numbers in b2). "features" names the D columns of W1's
 * rows, in order, all different, each trimmed and non-empty (as the readers trim header
 * cells). "label" names the column the model was trained to predict (a CSV header name, not
 * one of "features"), and only with "features" (data/csv-columns.ts, modelColumnsProblem,
 * holds the rule): a reader of a file with feature names takes that
 * column as the labels when the file has it, and never guesses another. "classes" holds the labels as they appeared in the data,
 * strings or numbers, in class-index order (the label of class 0 first; for the sigmoid head,
 * class 1 is the positive one, p = σ(z2)), two for the sigmoid head and K for a softmax; no
 * two with the same text (1 and "1" would be one value in a CSV).
 *
 * Version 1 (every file written before version 2) still reads: it has no "features", no
 * "label" and no "classes" (a model read from it has neither, and the readers take its columns by position
 * and its classes as 0..K−1), and "output" is optional (absent: "sigmoid"). Everything
 * written now is version 2.
 *
 * "training" records what trained the model, in the names of the library's TrainOptions (see
 * TrainingRecord in train/record.ts, which builds it), on one line:
 *
 *   "training": {"handgrad": "0.1.0", "optimizer": "adam", "learningRate": 0.01, "beta1": 0.9,
 *                "beta2": 0.999, "adamEps": 1e-8, "l2": 0.001, "schedule": "cosine", "lrMin": 0,
 *                "warmup": 100, "clipNorm": 1, "patience": 20, "minDelta": 0,
 *                "restoreBest": true, "epochs": 200, "batchSize": 32, "validationFraction": 0.25,
 *                "seed": 0}
 *
 * A run stopped by a signal (SIGINT, SIGTERM) before its last epoch adds "stoppedAfterStep": the
 * steps it took, so the record still says how to reproduce the weights: the same settings,
 * stopped after that step.
 * Only the hyper-parameters the rule, the schedule and early stopping use appear; warm-up,
 * clipping and early stopping only when on; "shuffle": false only when the rows were not
 * reshuffled. "handgrad", "epochs", "batchSize", "shuffle", "validationFraction", "seed" and
 * "stoppedAfterStep" are version 2's (each optional). Nothing that would make two identical runs differ (a date,
 * the machine, the engine) is recorded. The key is optional: loadModel returns it, checked
 * like the rest.
 *
 * Reading is strict: an unknown key, a duplicated key (with its line), a missing one or a
 * value out of range is refused with a ModelFileError naming it. Numbers are written in the
 * shortest form that reads back to the same float64 (and −0 as "-0"), so a model round-trips
 * bit for bit.
 *
 * This module holds the format alone (text in, text out: no file access, so a browser can use
 * it); io/model-file.ts adds reading and writing files.
 */
import {
  labelKey,
  modelColumnsProblem,
  type ClassLabel,
  type Standardizer,
} from "../data/index.js";
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
import { OPTIMIZER_NAMES, SCHEDULE_NAMES, type TrainingRecord } from "../train/index.js";
import { describeValue as describe, parseJsonStrictly, requiredKey } from "./strict-json.js";

export const MODEL_FORMAT = "handgrad-model";
/** The version written. */
export const MODEL_VERSION = 2;
/** The versions read. */
const READABLE_VERSIONS: readonly number[] = [1, 2];

export type { ClassLabel };

/** A trained network: what a model file holds. */
export interface Model {
  /** The hidden layer's activation f. */
  readonly activation: ActivationName;
  /** The trained parameters W1, b1, W2, b2. */
  readonly params: Params;
  /**
   * The names of the D features, in the order of W1's rows (version 2). Absent (every
   * version 1 file, or a model built without them): the columns are taken by position.
   */
  readonly features?: readonly string[];
  /**
   * The name of the label column the model was trained on (version 2; a CSV header name, not
   * one of `features`; only with `features`, so that no reader takes the columns by position
   * and reads it as a feature). Readers take the column of this name as the labels when the
   * file has it (and no other column unless asked). Absent: not recorded.
   */
  readonly label?: string;
  /**
   * The class labels as they appeared in the data, in class-index order: two for the sigmoid
   * head (the negative class, then the positive), K for a softmax over K (version 2). Absent:
   * the classes are 0..K−1 (0 and 1 for the sigmoid head).
   */
  readonly classes?: readonly ClassLabel[];
  /** Applied to the features before the network, when the model was trained on standardised data. */
  readonly standardizer?: Standardizer;
  /** What trained it (written by `handgrad train --save`; absent in other model files). */
  readonly training?: TrainingRecord;
}

/** Each key of "training", in the order written: what its value must be, and when it may appear. */
const TRAINING_FIELDS: readonly {
  readonly key: keyof TrainingRecord;
  readonly valid: (value: unknown) => boolean;
  readonly rule: string;
  /** The record it may appear in (with what it applies to), when not every one. */
  readonly appliesTo?: readonly [(record: Record<string, unknown>) => boolean, string];
  /** The first file version with the key (absent: every version). */
  readonly since?: number;
}[] = (() => {
  const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
  const unit = (v: unknown): boolean => isNumber(v) && v >= 0 && v < 1;
  const positive = (v: unknown): boolean => isNumber(v) && v > 0;
  const nonNegative = (v: unknown): boolean => isNumber(v) && v >= 0;
  const integer = (min: number) => (v: unknown) => Number.isSafeInteger(v) && (v as number) >= min;
  const optimizer = (...names: string[]) =>
    [
      (r: Record<string, unknown>) => names.includes(r["optimizer"] as string),
      `optimizer ${names.join(" or ")}`,
    ] as const;
  const schedule = (name: string) =>
    [(r: Record<string, unknown>) => r["schedule"] === name, `schedule ${name}`] as const;
  const patience = [
    (r: Record<string, unknown>) => r["patience"] !== undefined,
    "patience",
  ] as const;
  return [
    {
      key: "handgrad",
      valid: (v) => typeof v === "string" && v.length > 0,
      rule: "a non-empty string (the version)",
      since: 2,
    },
    {
      key: "optimizer",
      valid: (v) => (OPTIMIZER_NAMES as readonly unknown[]).includes(v),
      rule: `one of ${OPTIMIZER_NAMES.join(", ")}`,
    },
    { key: "learningRate", valid: positive, rule: "a finite number > 0" },
    {
      key: "momentum",
      valid: unit,
      rule: "a number in [0, 1)",
      appliesTo: optimizer("momentum", "nesterov"),
    },
    { key: "beta1", valid: unit, rule: "a number in [0, 1)", appliesTo: optimizer("adam") },
    { key: "beta2", valid: unit, rule: "a number in [0, 1)", appliesTo: optimizer("adam") },
    { key: "adamEps", valid: positive, rule: "a finite number > 0", appliesTo: optimizer("adam") },
    { key: "l2", valid: nonNegative, rule: "a finite number ≥ 0" },
    {
      key: "schedule",
      valid: (v) => (SCHEDULE_NAMES as readonly unknown[]).includes(v),
      rule: `one of ${SCHEDULE_NAMES.join(", ")}`,
    },
    {
      key: "decayRate",
      valid: (v) => isNumber(v) && v > 0 && v <= 1,
      rule: "a number in (0, 1]",
      appliesTo: schedule("step"),
    },
    {
      key: "decayEvery",
      valid: integer(1),
      rule: "a positive integer",
      appliesTo: schedule("step"),
    },
    {
      key: "lrMin",
      valid: nonNegative,
      rule: "a finite number ≥ 0",
      appliesTo: schedule("cosine"),
    },
    { key: "warmup", valid: integer(0), rule: "a non-negative integer" },
    { key: "clipNorm", valid: positive, rule: "a finite number > 0" },
    { key: "patience", valid: integer(1), rule: "a positive integer" },
    { key: "minDelta", valid: nonNegative, rule: "a finite number ≥ 0", appliesTo: patience },
    {
      key: "restoreBest",
      valid: (v) => typeof v === "boolean",
      rule: "true or false",
      appliesTo: patience,
    },
    { key: "epochs", valid: integer(0), rule: "a non-negative integer", since: 2 },
    {
      key: "batchSize",
      valid: (v) => v === "full" || integer(1)(v),
      rule: 'a positive integer or "full"',
      since: 2,
    },
    { key: "shuffle", valid: (v) => v === false, rule: "false (absent: shuffled)", since: 2 },
    {
      key: "validationFraction",
      valid: (v) => isNumber(v) && v > 0 && v < 1,
      rule: "a number in (0, 1)",
      since: 2,
    },
    { key: "seed", valid: integer(0), rule: "a non-negative integer", since: 2 },
    { key: "stoppedAfterStep", valid: integer(0), rule: "a non-negative integer", since: 2 },
  ];
})();
const TRAINING_KEYS = new Set<string>(TRAINING_FIELDS.map((f) => f.key));

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
    `{\n  "format": "${MODEL_FORMAT}"`,
    `  "version": ${MODEL_VERSION}`,
    `  "activation": ${JSON.stringify(model.activation)}`,
    `  "output": ${JSON.stringify(outputHeadFor(W2.cols).name)}`,
    ...(model.features ? [`  "features": ${stringsText(model.features)}`] : []),
    ...(model.label === undefined ? [] : [`  "label": ${JSON.stringify(model.label)}`]),
    ...(model.classes ? [`  "classes": ${labelsText(model.classes)}`] : []),
    `  "W1": ${matrixText(W1)}`,
    `  "b1": ${vectorText(b1.data)}`,
    `  "W2": ${matrixText(W2)}`,
    `  "b2": ${vectorText(b2.data)}`,
  ];
  if (model.standardizer) {
    const { mean, std } = model.standardizer;
    lines.push(`  "standardize": {"mean": ${vectorText(mean)}, "std": ${vectorText(std)}}`);
  }
  if (model.training) lines.push(`  "training": ${trainingText(model.training)}`);
  return `${lines.join(",\n")}\n}\n`;
}

const KNOWN_KEYS = new Set([
  "format",
  "version",
  "activation",
  "output",
  "features",
  "label",
  "classes",
  "W1",
  "b1",
  "W2",
  "b2",
  "standardize",
  "training",
]);
const STANDARDIZE_KEYS = new Set(["mean", "std"]);
/** The keys version 1 does not have. */
const VERSION_2_KEYS = new Set(["features", "label", "classes"]);

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
  if (!READABLE_VERSIONS.includes(version as number))
    fail(
      `unsupported "version" ${describe(version)} (this handgrad reads ${READABLE_VERSIONS.join(" and ")})`,
    );
  if (version === 1) {
    for (const key of Object.keys(json))
      if (VERSION_2_KEYS.has(key)) fail(`${describe(key)} needs "version": 2 (this file says 1)`);
  }
  const activation = requiredKey(json, "activation", fail);
  if (typeof activation !== "string" || !(ACTIVATION_NAMES as string[]).includes(activation)) {
    fail(`"activation" must be one of ${ACTIVATION_NAMES.join(", ")}, got ${describe(activation)}`);
  }
  const W1 = matrixField(json, "W1", fail);
  const D = W1.rows;
  const H = W1.cols;
  const b1 = vectorField(json, "b1", H, `H = ${H}, the width of W1`, fail);
  const output = version === 1 && json["output"] === undefined ? "sigmoid" : json["output"];
  if (output === undefined) requiredKey(json, "output", fail);
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

  const features = json["features"] as readonly string[] | undefined;
  const label = json["label"] as string | undefined;
  const namesProblem = modelColumnsProblem(features, label, D, {
    key: (name, j) => (j === undefined ? `"${name}"` : `"${name}"[${j}]`),
    count: `D = ${D}, the rows of W1`,
    describe,
  });
  if (namesProblem !== undefined) fail(namesProblem);
  const classes =
    json["classes"] === undefined
      ? undefined
      : classesFromJson(json["classes"], K, output as string, fail);
  const training =
    json["training"] === undefined
      ? undefined
      : trainingFromJson(json["training"], version as number, fail);
  const model = {
    activation: activation as ActivationName,
    params,
    ...(features ? { features } : {}),
    ...(label === undefined ? {} : { label }),
    ...(classes ? { classes } : {}),
    ...(training ? { training } : {}),
  };
  const standardize = json["standardize"];
  if (standardize === undefined) return model;
  if (!isObject(standardize)) return fail(`"standardize" must be an object with "mean" and "std"`);
  for (const key of Object.keys(standardize)) {
    if (!STANDARDIZE_KEYS.has(key)) fail(`unknown key ${describe(`standardize.${key}`)}`);
  }
  const mean = vectorField(standardize, "mean", D, `D = ${D}, the rows of W1`, fail, "standardize");
  const std = vectorField(standardize, "std", D, `D = ${D}, the rows of W1`, fail, "standardize");
  std.forEach((s, j) => {
    if (!(s > 0)) fail(`"standardize.std"[${j}] must be > 0, got ${s}`);
  });
  return { ...model, standardizer: { mean, std } };
}

/** The "training" object, checked: known keys, each value in range, each where it applies. */
function trainingFromJson(json: unknown, version: number, fail: Fail): TrainingRecord {
  if (!isObject(json)) return fail(`"training" must be an object`);
  for (const key of Object.keys(json)) {
    if (!TRAINING_KEYS.has(key)) fail(`unknown key ${describe(`training.${key}`)}`);
  }
  requiredKey(json, "optimizer", fail, ["training"]);
  requiredKey(json, "learningRate", fail, ["training"]);
  for (const { key, valid, rule, appliesTo, since } of TRAINING_FIELDS) {
    if (!Object.hasOwn(json, key)) continue;
    if (since !== undefined && version < since)
      fail(`"training.${key}" needs "version": ${since} (this file says ${version})`);
    const value = json[key];
    if (!valid(value)) fail(`"training.${key}" must be ${rule}, got ${describe(value)}`);
    if (appliesTo && !appliesTo[0](json)) {
      fail(`"training.${key}" applies to ${appliesTo[1]} only`);
    }
  }
  return json as unknown as TrainingRecord;
}

/** "classes": the labels of the head's classes (2 for sigmoid, K for softmax), all different. */
function classesFromJson(json: unknown, K: number, output: string, fail: Fail): ClassLabel[] {
  const count = Math.max(K, 2);
  const why = output === "sigmoid" ? "the sigmoid head's two" : `K = ${K}, the width of W2`;
  if (!Array.isArray(json) || json.length !== count)
    return fail(`"classes" must be an array of ${count} labels (${why})`);
  const seen = new Map<string, number>();
  json.forEach((label: unknown, k) => {
    if (!(typeof label === "string" || (typeof label === "number" && Number.isFinite(label))))
      fail(`"classes"[${k}] must be a string or a finite number, got ${describe(label)}`);
    const text = labelKey(label as ClassLabel);
    const before = seen.get(text);
    if (before !== undefined)
      fail(`"classes"[${k}] ${describe(label)} repeats "classes"[${before}]: labels must differ`);
    seen.set(text, k);
  });
  return json as ClassLabel[];
}

function stringsText(values: readonly string[]): string {
  return `[${values.map((v) => JSON.stringify(v)).join(", ")}]`;
}

function labelsText(values: readonly ClassLabel[]): string {
  return `[${values.map((v) => (typeof v === "number" ? numberText(v) : JSON.stringify(v))).join(", ")}]`;
}

/** The "training" object on one line, its keys in TRAINING_FIELDS' order. */
function trainingText(training: TrainingRecord): string {
  const entries = TRAINING_FIELDS.flatMap(({ key }) => {
    const value = training[key];
    if (value === undefined) return [];
    const text = typeof value === "number" ? numberText(value) : JSON.stringify(value);
    return [`${JSON.stringify(key)}: ${text}`];
  });
  return `{${entries.join(", ")}}`;
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
