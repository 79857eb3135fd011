/**
 * Gradients as text: the JSON that `handgrad grad` prints, which a learner's own program
 * writes to be compared with handgrad's (`handgrad check-grads`):
 *
 *   {"loss": 0.8054…,                                   (optional: the mean loss)
 *    "grads": {"W1": [[…H numbers] × D rows], "b1": [H numbers],
 *              "W2": [[…K numbers] × H rows], "b2": [K numbers]}}
 *
 * nested as the model file nests the parameters (weights as rows, biases as lists), each
 * gradient of its parameter's shape. "l2" and "penalty" (what `grad --l2` adds) may be there
 * and are not read. Read strictly against the model's shapes: a missing key, an unknown one, a
 * key given twice, a row of the wrong length or a value that is not a finite number is a
 * DataError naming its path, e.g.
 *
 *   mine.json: "grads.W1[1]" has 3 numbers, expected 2 (W1 is D×H = 2×2)
 */
import { DataError } from "../errors.js";
import { fromRows, rowVector, type Matrix } from "../linalg/index.js";
import { PARAM_NAMES, type Grads, type ParamName, type Params } from "../nn/index.js";
import { describeValue, keyPathText, parseJsonStrictly, requiredKey } from "./strict-json.js";

/** A gradients file, read (parseGrads' result). */
export interface GradsFile {
  /** The mean loss the file states, when it states one. */
  readonly loss?: number;
  /** The four gradients, each of its parameter's shape. */
  readonly grads: Grads;
}

/** The keys a gradients file may have at its top, and under "grads". */
const TOP_KEYS = new Set(["loss", "grads", "l2", "penalty"]);

/** The letters of each parameter's shape, for messages. */
const SHAPE_LETTERS: Record<ParamName, string> = { W1: "D×H", b1: "1×H", W2: "H×K", b2: "1×K" };

/**
 * Reads the gradients file `text` (named `source` in messages) for the network `params`:
 * each gradient must have its parameter's shape. A DataError names the first fault by its path.
 */
export function parseGrads(text: string, source: string, params: Params): GradsFile {
  const fail = (what: string): never => {
    throw new DataError(`${source}: ${what}`);
  };
  const json = parseJsonStrictly(text, source, DataError);
  if (!isObject(json)) {
    return fail(
      `expected an object {"grads": {"W1", "b1", "W2", "b2"}} as handgrad grad prints, got ${describeValue(json)}`,
    );
  }
  for (const key of Object.keys(json)) {
    if (!TOP_KEYS.has(key)) {
      const hint = PARAM_NAMES.includes(key as ParamName)
        ? ` (nest the gradients under "grads", as handgrad grad prints them)`
        : "";
      fail(`unknown key ${keyPathText([key])}${hint}`);
    }
  }
  const grads = requiredKey(json, "grads", fail);
  if (!isObject(grads)) {
    return fail(`"grads" must be an object {"W1", "b1", "W2", "b2"}, got ${describeValue(grads)}`);
  }
  for (const key of Object.keys(grads)) {
    if (!PARAM_NAMES.includes(key as ParamName)) {
      fail(`unknown key ${keyPathText(["grads", key])} (expected W1, b1, W2, b2)`);
    }
  }
  const read = {} as Record<ParamName, Matrix>;
  for (const name of PARAM_NAMES) {
    const value = requiredKey(grads, name, fail, ["grads"]);
    read[name] = gradientOf(value, name, params[name], fail);
  }
  const loss = json["loss"];
  if (loss !== undefined && !isFiniteNumber(loss)) {
    fail(`"loss" must be a finite number, got ${describeValue(loss)}`);
  }
  return {
    ...(loss === undefined ? {} : { loss: loss as number }),
    grads: { dW1: read.W1, db1: read.b1, dW2: read.W2, db2: read.b2 },
  };
}

/** One gradient, nested as its parameter is in a model file, checked against its shape. */
function gradientOf(
  value: unknown,
  name: ParamName,
  param: Matrix,
  fail: (what: string) => never,
): Matrix {
  const shape = `${name} is ${SHAPE_LETTERS[name]} = ${param.rows}×${param.cols}`;
  const row = (cells: unknown, path: (string | number)[], length: number): number[] => {
    if (!Array.isArray(cells)) {
      return fail(
        `${keyPathText(path)} must be a list of ${length} numbers (${shape}), got ${describeValue(cells)}`,
      );
    }
    if (cells.length !== length) {
      const numbers = `${cells.length} number${cells.length === 1 ? "" : "s"}`;
      fail(`${keyPathText(path)} has ${numbers}, expected ${length} (${shape})`);
    }
    cells.forEach((cell: unknown, j) => {
      if (!isFiniteNumber(cell)) {
        fail(`${keyPathText([...path, j])} must be a finite number, got ${describeValue(cell)}`);
      }
    });
    return cells as number[];
  };
  if (name === "b1" || name === "b2") return rowVector(row(value, ["grads", name], param.cols));
  if (!Array.isArray(value) || value.length !== param.rows) {
    const got = Array.isArray(value) ? `has ${value.length} rows` : `is ${describeValue(value)}`;
    return fail(
      `${keyPathText(["grads", name])} ${got}, expected ${param.rows} rows of ${param.cols} number${param.cols === 1 ? "" : "s"} (${shape})`,
    );
  }
  return fromRows(value.map((cells: unknown, i) => row(cells, ["grads", name, i], param.cols)));
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
