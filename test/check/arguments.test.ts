/** gradientCheck refuses, before any work, what would otherwise be reported as an overflow. */
import { describe, it } from "vitest";
import { DataError, ShapeError, UsageError } from "../../src/errors.js";
import { columnVector, fromRows, matrix } from "../../src/linalg/index.js";
import { gradientCheck } from "../../src/check/index.js";
import { initParams, type ActivationName } from "../../src/nn/index.js";
import { expectThrows } from "../throws.js";

const params = initParams({ inputs: 2, hidden: 3, init: "xavier", seed: 0 });
const X = fromRows([
  [0.5, 1],
  [-1, NaN],
]);
const y = columnVector([0, 1]);

describe("gradientCheck refuses", () => {
  it("a non-finite feature, by row and column from 0 (not 'the loss overflows')", () => {
    expectThrows(
      () => gradientCheck(params, X, y, "tanh"),
      DataError,
      "gradientCheck: X row 1, column 1 is NaN",
    );
  });

  it("parameters with NaN", () => {
    const bad = { ...params, b2: fromRows([[NaN]]) };
    expectThrows(
      () => gradientCheck(bad, matrix(2, 2), y, "tanh"),
      UsageError,
      "gradientCheck: the parameters contain NaN or ±Infinity",
    );
  });

  it("a y of the wrong shape, and a label outside [0, 1]", () => {
    expectThrows(
      () => gradientCheck(params, matrix(2, 2), columnVector([0, 1, 1]), "tanh"),
      ShapeError,
      "gradientCheck: y is 3×1 but X is 2×2: y must be 2×1",
    );
    expectThrows(
      () => gradientCheck(params, matrix(2, 2), columnVector([0, 2]), "tanh"),
      DataError,
      "bceWithLogits: label y[1] = 2 is outside [0, 1] (labels are 0 or 1, or soft labels between)",
    );
  });

  it("an unknown activation name", () => {
    expectThrows(
      () => gradientCheck(params, matrix(2, 2), y, "elu" as ActivationName),
      UsageError,
      'unknown activation "elu" (known: relu, leaky-relu, tanh, sigmoid)',
    );
  });
});
