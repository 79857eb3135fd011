/**
 * Gradient descent: θ ← θ − η g for each of W1, b1, W2, b2. Pure: returns new parameters,
 * so the previous (finite) ones stay available if a step diverges.
 */
import { subScaled } from "../linalg/index.js";
import type { Grads, Params } from "../nn/index.js";

/** One step of gradient descent with learning rate η: new parameters θ − η ∂L/∂θ. */
export function gradientDescentStep(params: Params, grads: Grads, learningRate: number): Params {
  return {
    W1: subScaled(params.W1, learningRate, grads.dW1), // W1 ← W1 − η ∂L/∂W1
    b1: subScaled(params.b1, learningRate, grads.db1), // b1 ← b1 − η ∂L/∂b1
    W2: subScaled(params.W2, learningRate, grads.dW2), // W2 ← W2 − η ∂L/∂W2
    b2: subScaled(params.b2, learningRate, grads.db2), // b2 ← b2 − η ∂L/∂b2
  };
}
