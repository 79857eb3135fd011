/**
 * handgrad: a one-hidden-layer network for binary classification, every gradient by hand.
 *
 *   z1 = X W1 + b1,  a1 = f(z1),  z2 = a1 W2 + b2,  p = σ(z2),  L = mean BCE(z2, y)
 */
export { bceWithLogits, logSigmoid, sigmoid, softplus } from "./numerics/index.js";
export * from "./linalg/index.js";
export * from "./nn/index.js";
export * from "./train/index.js";
export * from "./check/index.js";
export * from "./data/index.js";
export * from "./io/index.js";
export * from "./errors.js";
export { Rng, streamSeed, type RngState, type RngStream } from "./rng.js";
