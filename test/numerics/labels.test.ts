/**
 * The binary losses take labels in [0, 1] (0 or 1, or soft labels between) and refuse the
 * rest; the softmax losses refuse arguments that are not Matrices.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DataError, UsageError } from "../../src/errors.js";
import { columnVector, fromRows, type Matrix } from "../../src/linalg/index.js";
import {
  bceWithLogits,
  bceWithLogitsPerExample,
  sigmoidMinusLabel,
  softmaxCrossEntropy,
  softmaxMinusOneHot,
} from "../../src/numerics/index.js";
import { expectThrows } from "../throws.js";

const z = columnVector([0.5, -2, 3]);
const outside = fc.oneof(
  fc.double({ max: -Number.MIN_VALUE, noNaN: true }),
  fc.double({ min: 1 + Number.EPSILON, noNaN: true }),
  fc.constant(NaN),
);

describe("bceWithLogits and bceWithLogitsPerExample", () => {
  it("refuse a label above 1, naming it (DataError)", () => {
    expectThrows(
      () => bceWithLogits(z, columnVector([0, 2, 1])),
      DataError,
      "bceWithLogits: label y[1] = 2 is outside [0, 1] (labels are 0 or 1, or soft labels between)",
    );
  });

  it("refuse a negative label and NaN", () => {
    expectThrows(
      () => bceWithLogitsPerExample(z, columnVector([0, 1, -1])),
      DataError,
      "bceWithLogitsPerExample: label y[2] = -1 is outside [0, 1] (labels are 0 or 1, or soft labels between)",
    );
    expectThrows(
      () => bceWithLogits(z, columnVector([NaN, 1, 0])),
      DataError,
      "bceWithLogits: label y[0] = NaN is outside [0, 1] (labels are 0 or 1, or soft labels between)",
    );
  });

  it("refuse logits that are not a Matrix (UsageError)", () => {
    expectThrows(
      () => bceWithLogits([0.5] as unknown as Matrix, columnVector([1])),
      UsageError,
      "bceWithLogits: z2 must be a Matrix {rows, cols, data}, got an array (fromRows makes one from nested arrays)",
    );
  });

  it("accept any y in [0, 1]: the loss is finite and ≥ 0 (property)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (logit, label) => {
          const L = bceWithLogits(columnVector([logit]), columnVector([label]));
          return Number.isFinite(L) && L >= 0;
        },
      ),
    );
  });

  it("refuse any y outside [0, 1] (property)", () => {
    fc.assert(
      fc.property(outside, (label) => {
        expect(() => bceWithLogits(columnVector([0]), columnVector([label]))).toThrow(DataError);
      }),
    );
  });
});

describe("sigmoidMinusLabel", () => {
  it("refuses a label outside [0, 1] (DataError)", () => {
    expectThrows(
      () => sigmoidMinusLabel(0, 2),
      DataError,
      "sigmoidMinusLabel: label y = 2 is outside [0, 1]",
    );
  });

  it("accepts soft labels and refuses the rest (property)", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), (label) =>
        Number.isFinite(sigmoidMinusLabel(1, label)),
      ),
    );
    fc.assert(
      fc.property(outside, (label) => {
        expect(() => sigmoidMinusLabel(1, label)).toThrow(DataError);
      }),
    );
  });
});

describe("softmaxCrossEntropy and softmaxMinusOneHot", () => {
  it("refuse arguments that are not Matrices (UsageError)", () => {
    const z2 = fromRows([[1, 2, 3]]);
    expectThrows(
      () => softmaxCrossEntropy(z2, [0] as unknown as Matrix),
      UsageError,
      "softmaxCrossEntropy: y must be a Matrix {rows, cols, data}, got an array (fromRows makes one from nested arrays)",
    );
    expectThrows(
      () =>
        softmaxMinusOneHot(
          { rows: 1, cols: 3, data: [1, 2, 3] } as unknown as Matrix,
          columnVector([0]),
        ),
      UsageError,
      "softmaxMinusOneHot: z2.data must be a Float64Array, got an array",
    );
  });
});
