/**
 * Gradient descent: θ ← θ − η g for each of W1, b1, W2, b2. Pure: returns new parameters,
 * so the previous (finite) ones stay available if a step diverges.
 */
import { ShapeError, UsageError } from "../errors.js";
import { assertMatrix, describeValue, shapeOf, subScaled } from "../linalg/index.js";
import { assertParams, PARAM_NAMES, type Grads, type Params } from "../nn/index.js";

/**
 * One step of gradient descent with learning rate η: new parameters θ − η ∂L/∂θ. Refuses
 * params that are not four Matrices of a network, gradients that are not Matrices of the
 * parameters' shapes (ShapeError; UsageError for another kind of value) and a learning rate
 * that is not a finite number (UsageError).
 */
export function gradientDescentStep(params: Params, grads: Grads, learningRate: number): Params {
  assertParams(params, "gradientDescentStep");
  if (typeof grads !== "object" || grads === null) {
    throw new UsageError(
      `gradientDescentStep: grads must be an object {dW1, db1, dW2, db2}, got ${describeValue(grads)}`,
    );
  }
  for (const name of PARAM_NAMES) {
    const g = grads[`d${name}`];
    assertMatrix(g, `grads.d${name}`, "gradientDescentStep");
    if (g.rows !== params[name].rows || g.cols !== params[name].cols) {
      throw new ShapeError(
        `gradientDescentStep: d${name} is ${shapeOf(g)} but ${name} is ${shapeOf(params[name])}`,
      );
    }
  }
  if (typeof learningRate !== "number" || !Number.isFinite(learningRate)) {
    throw new UsageError(
      `gradientDescentStep: the learning rate must be a finite number, got ${describeValue(learningRate)}`,
    );
  }
  return {
    W1: subScaled(params.W1, learningRate, grads.dW1), // W1 ← W1 − η ∂L/∂W1
    b1: subScaled(params.b1, learningRate, grads.db1), // b1 ← b1 − η ∂L/∂b1
    W2: subScaled(params.W2, learningRate, grads.dW2), // W2 ← W2 − η ∂L/∂W2
    b2: subScaled(params.b2, learningRate, grads.db2), // b2 ← b2 − η ∂L/∂b2
  };
}
