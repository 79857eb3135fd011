/**
 * Hidden-layer activations a1 = f(z1), each with its derivative f′ written next to it.
 * The derivative takes both z and a = f(z), so that tanh′ = 1 − a² and σ′ = σ(1 − σ)
 * reuse the forward value instead of recomputing it.
 */
import { UsageError } from "../errors.js";
import { sigmoid } from "../numerics/index.js";

export type ActivationName = "relu" | "leaky-relu" | "tanh" | "sigmoid";

export interface Activation {
  readonly name: ActivationName;
  /** f(z). */
  readonly f: (z: number) => number;
  /** f′(z), given z and a = f(z). */
  readonly df: (z: number, a: number) => number;
  /** True when f′ jumps at z = 0 (the gradient check watches for kink crossings). */
  readonly hasKink: boolean;
}

/** Slope of leaky relu for z < 0. */
export const LEAKY_SLOPE = 0.01;

/** relu(z) = max(z, 0); relu′(z) = 1 for z > 0, else 0 (we take relu′(0) = 0). */
export const relu: Activation = {
  name: "relu",
  f: (z) => (z > 0 ? z : 0),
  df: (z) => (z > 0 ? 1 : 0),
  hasKink: true,
};

/** leaky(z) = z for z > 0, else 0.01 z; leaky′(z) = 1 for z > 0, else 0.01 (0.01 at 0). */
export const leakyRelu: Activation = {
  name: "leaky-relu",
  f: (z) => (z > 0 ? z : LEAKY_SLOPE * z),
  df: (z) => (z > 0 ? 1 : LEAKY_SLOPE),
  hasKink: true,
};

/** tanh(z); tanh′(z) = 1 − tanh²(z) = 1 − a². */
export const tanh: Activation = {
  name: "tanh",
  f: Math.tanh,
  df: (_z, a) => 1 - a * a,
  hasKink: false,
};

/** σ(z) = 1/(1 + e^{−z}) (the stable form); σ′(z) = σ(z)(1 − σ(z)) = a(1 − a). */
export const sigmoidActivation: Activation = {
  name: "sigmoid",
  f: sigmoid,
  df: (_z, a) => a * (1 - a),
  hasKink: false,
};

export const ACTIVATIONS: Readonly<Record<ActivationName, Activation>> = {
  relu,
  "leaky-relu": leakyRelu,
  tanh,
  sigmoid: sigmoidActivation,
};

export const ACTIVATION_NAMES = Object.keys(ACTIVATIONS) as ActivationName[];

/** The activation called `name`, or a UsageError listing the known ones. */
export function activationByName(name: string): Activation {
  if (!Object.hasOwn(ACTIVATIONS, name)) {
    throw new UsageError(`unknown activation "${name}" (known: ${ACTIVATION_NAMES.join(", ")})`);
  }
  return ACTIVATIONS[name as ActivationName];
}
