/** classify and accuracy refuse a probability that is NaN or ±Infinity, naming its row. */
import { describe, expect, it } from "vitest";
import { DataError } from "../../src/errors.js";
import { fromRows } from "../../src/linalg/index.js";
import { accuracy, classify, forward, initParams, loss } from "../../src/nn/index.js";
import { expectThrows } from "../throws.js";

describe("a NaN probability has no class", () => {
  const P = initParams({ inputs: 2, hidden: 4, init: "xavier", seed: 1 });
  const y = fromRows([[0], [1]]);
  it("accuracy and classify refuse it (the loss is NaN too), naming the row", () => {
    const cache = forward(
      P,
      fromRows([
        [NaN, 1],
        [1, 1],
      ]),
      "tanh",
    );
    expect(loss(cache, y)).toBeNaN();
    const hint =
      ": a probability that is not a number has no class (are the features or the weights NaN or too large?)";
    expectThrows(
      () => accuracy(cache.p, y),
      DataError,
      `accuracy: p row 0, column 0 is NaN${hint}`,
    );
    expectThrows(() => classify(cache.p), DataError, `classify: p row 0, column 0 is NaN${hint}`);
  });
  it("softmax probabilities too, at any row", () => {
    const p = fromRows([
      [0.2, 0.8],
      [Infinity, 0],
    ]);
    expectThrows(() => classify(p), DataError, /^classify: p row 1, column 0 is Infinity/);
  });
  it("finite probabilities classify as before", () => {
    expect(accuracy(fromRows([[0.2], [0.7]]), y)).toBe(1);
  });
});
