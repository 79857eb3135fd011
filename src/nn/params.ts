/**
 * The four parameter matrices of the network and their initialisation.
 *   W1: D×H, b1: 1×H, W2: H×K, b2: 1×K,
 * with K = 1 output logit for the sigmoid head or K ≥ 2 for a softmax over K classes.
 */
import { UsageError, ShapeError } from "../errors.js";
import {
  allFinite,
  assertMatrix,
  clone,
  describeValue,
  filled,
  matrix,
  shapeOf,
  type Matrix,
} from "../linalg/index.js";
import { Rng } from "../rng.js";
import type { ActivationName } from "./activations.js";

/** The network's four parameters, for D inputs, H hidden units and K output logits. */
export interface Params {
  /** D×H, the input-to-hidden weights. */
  readonly W1: Matrix;
  /** 1×H, the hidden biases. */
  readonly b1: Matrix;
  /** H×K, the hidden-to-output weights (K = 1: the sigmoid head). */
  readonly W2: Matrix;
  /** 1×K, the output biases. */
  readonly b2: Matrix;
}

/** Gradients of the loss, one per parameter and of the same shape. */
export type Grads = {
  readonly [K in keyof Params as `d${K}`]: Matrix;
};

/** The name of one parameter (spelt out, so that TypeScript and the API reference keep the name). */
export type ParamName = "W1" | "b1" | "W2" | "b2";
/** Every ParamName, in the order W1, b1, W2, b2. */
export const PARAM_NAMES = ["W1", "b1", "W2", "b2"] as const satisfies readonly ParamName[];

/**
 * Weight initialisation schemes (fan_in, fan_out of a layer; W1: D, H; W2: H, K):
 * - he:             normal, std √(2 / fan_in)            (He et al. 2015, for relu-like f)
 * - xavier:         normal, std √(2 / (fan_in + fan_out)) (Glorot & Bengio 2010)
 * - xavier-uniform: uniform on ±√(6 / (fan_in + fan_out)), the same variance as xavier
 * - he-uniform:     uniform on ±√(6 / fan_in), the same variance as he
 */
export type InitName = "he" | "xavier" | "xavier-uniform" | "he-uniform";
/** Every InitName. */
export const INIT_NAMES: readonly InitName[] = ["he", "xavier", "xavier-uniform", "he-uniform"];

/** initParams's options: the layer sizes, the scheme and its seed. */
export interface InitOptions {
  /** Inputs D (features). */
  readonly inputs: number;
  /** Hidden units H. */
  readonly hidden: number;
  /** Output logits K: 1 (the default) for the sigmoid head, K ≥ 2 for a softmax over K classes. */
  readonly outputs?: number;
  /** The weights' initialisation scheme. */
  readonly init: InitName;
  /** The seed of the weights' random draws. */
  readonly seed: number;
  /** The constant every bias starts at (0 by default; e.g. 0.01 keeps relu units alive). */
  readonly biasInit?: number;
}

/** The hidden units and the activation of a network when none are given (the CLI, a Classifier). */
export const DEFAULT_HIDDEN = 16;
export const DEFAULT_ACTIVATION: ActivationName = "tanh";

/** The init scheme the CLI picks when none is given: he for relu-like f, xavier otherwise. */
export function defaultInitFor(activation: string): InitName {
  return activation === "relu" || activation === "leaky-relu" ? "he" : "xavier";
}

/**
 * Refuses (UsageError) a hidden size H that is not a positive integer, an unknown init and a
 * bias init that is not finite: initParams's checks of the network's own options, which the
 * Classifier's constructor also runs (before any data is seen).
 */
export function assertInitOptions(
  options: Pick<InitOptions, "hidden" | "init" | "biasInit">,
): void {
  const { hidden: H, init } = options;
  const biasInit = options.biasInit ?? 0;
  if (!Number.isInteger(H) || H < 1)
    throw new UsageError(`hidden size must be a positive integer, got ${H}`);
  if (!INIT_NAMES.includes(init)) {
    throw new UsageError(`unknown init "${String(init)}" (known: ${INIT_NAMES.join(", ")})`);
  }
  if (!Number.isFinite(biasInit))
    throw new UsageError(`bias init must be a finite number, got ${biasInit}`);
}

/**
 * Fresh parameters: weights drawn from the seeded RNG by `init`, biases set to biasInit.
 * Refuses (UsageError) options that are not an object, sizes D, H, K that are not positive
 * integers, an unknown init, a bias init that is not finite, and a seed that is not a
 * non-negative integer.
 */
export function initParams(options: InitOptions): Params {
  if (typeof options !== "object" || options === null) {
    throw new UsageError(
      `initParams: options must be an object {inputs, hidden, init, seed}, got ${describeValue(options)}`,
    );
  }
  const { inputs: D, hidden: H, init, seed } = options;
  const K = options.outputs ?? 1;
  const biasInit = options.biasInit ?? 0;
  if (!Number.isInteger(D) || D < 1)
    throw new UsageError(`inputs (D) must be a positive integer, got ${D}`);
  assertInitOptions(options);
  if (!Number.isSafeInteger(K) || K < 1)
    throw new UsageError(`outputs (K) must be a positive integer, got ${K}`);
  const rng = new Rng(seed);
  return {
    W1: initWeights(rng, D, H, init),
    b1: filled(1, H, biasInit),
    W2: initWeights(rng, H, K, init),
    b2: filled(1, K, biasInit),
  };
}

/** A fanIn×fanOut weight matrix drawn by `init`. */
function initWeights(rng: Rng, fanIn: number, fanOut: number, init: InitName): Matrix {
  const data = new Float64Array(fanIn * fanOut);
  switch (init) {
    case "he": {
      const std = Math.sqrt(2 / fanIn);
      for (let i = 0; i < data.length; i++) data[i] = std * rng.normal();
      break;
    }
    case "xavier": {
      const std = Math.sqrt(2 / (fanIn + fanOut));
      for (let i = 0; i < data.length; i++) data[i] = std * rng.normal();
      break;
    }
    case "xavier-uniform": {
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      for (let i = 0; i < data.length; i++) data[i] = rng.uniformIn(-limit, limit);
      break;
    }
    case "he-uniform": {
      const limit = Math.sqrt(6 / fanIn);
      for (let i = 0; i < data.length; i++) data[i] = rng.uniformIn(-limit, limit);
      break;
    }
  }
  return matrix(fanIn, fanOut, data);
}

/**
 * Throws unless `params` is an object of four Matrices W1, b1, W2, b2 (a UsageError or a
 * ShapeError from assertMatrix) that form a D→H→K network (a ShapeError, assertParamShapes).
 * `op` names the function taking them, for the message.
 */
export function assertParams(params: Params, op: string): void {
  if (typeof params !== "object" || params === null) {
    throw new UsageError(
      `${op}: params must be an object {W1, b1, W2, b2} of Matrices, got ${describeValue(params)}`,
    );
  }
  for (const name of PARAM_NAMES) assertMatrix(params[name], `params.${name}`, op);
  assertParamShapes(params);
}

/** Throws a ShapeError unless the four matrices form a D→H→K network (K ≥ 1). */
export function assertParamShapes(params: Params): void {
  const { W1, b1, W2, b2 } = params;
  const H = W1.cols;
  const K = W2.cols;
  if (b1.rows !== 1 || b1.cols !== H)
    throw new ShapeError(`b1 is ${shapeOf(b1)} but W1 is ${shapeOf(W1)} (want 1×${H})`);
  if (W2.rows !== H || K < 1)
    throw new ShapeError(`W2 is ${shapeOf(W2)} but W1 is ${shapeOf(W1)} (want ${H}×K, K ≥ 1)`);
  if (b2.rows !== 1 || b2.cols !== K)
    throw new ShapeError(`b2 is ${shapeOf(b2)} but W2 is ${shapeOf(W2)} (want 1×${K})`);
}

/** True when every entry of every gradient is finite. */
export function gradsAreFinite(grads: Grads): boolean {
  return [grads.dW1, grads.db1, grads.dW2, grads.db2].every(allFinite);
}

/** True when every parameter entry is finite. */
export function paramsAreFinite(params: Params): boolean {
  return PARAM_NAMES.every((name) => allFinite(params[name]));
}

/** Independent copies of the four matrices (for a caller that must not share them). */
export function cloneParams(params: Params): Params {
  return { W1: clone(params.W1), b1: clone(params.b1), W2: clone(params.W2), b2: clone(params.b2) };
}
