/**
 * Hidden-layer activations a1 = f(z1), each with its derivative f′ written next to it.
 * The derivative takes both z and a = f(z) so that it can reuse the forward value. For
 * tanh and σ it is evaluated from z instead wherever 1 − a would cancel: a saturated unit
 * (|z| ≳ 19) has a = ±1 or 1 to the last bit, so 1 − a² or a(1 − a) would be exactly 0
 * although the true derivative ≈ 4e^{−2|z|} or e^{−|z|} is not.
 */
import { UsageError } from "../errors.js";
import { describeValue } from "../linalg/index.js";
import { sigmoid, tanh as tanhOf, tanhDerivative } from "../numerics/index.js";

/** The names of the built-in hidden-layer activations. */
export type ActivationName = "relu" | "leaky-relu" | "tanh" | "sigmoid";

/** A hidden-layer activation f with its derivative f′, side by side. */
export interface Activation {
  /** The name the CLI, model files and activationByName use. */
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

/**
 * tanh(z); tanh′(z) = 1 − tanh²(z) = 1 − a², evaluated as 4t/(1 + t)² with t = e^{−2|z|}
 * (the same value, 1 − a² = sech² z = 4/(e^z + e^{−z})²), which keeps full relative
 * accuracy where 1 − a² cancels. Both are handgrad's own (numerics/tanh.ts, on its own
 * exp): the same bits in every engine, unlike Math.tanh / Math.exp, and the same bits as the
 * WebAssembly SIMD kernels of the fast path.
 */
export const tanh: Activation = {
  name: "tanh",
  f: tanhOf,
  df: (z) => tanhDerivative(z),
  hasKink: false,
};

/** σ(z) = 1/(1 + e^{−z}) (the stable form); σ′(z) = σ(z)(1 − σ(z)) = a σ(−z), as 1 − σ(z) = σ(−z). */
export const sigmoidActivation: Activation = {
  name: "sigmoid",
  f: sigmoid,
  df: (z, a) => a * sigmoid(-z),
  hasKink: false,
};

/** The built-in activations, by name. */
export const ACTIVATIONS: Readonly<Record<ActivationName, Activation>> = {
  relu,
  "leaky-relu": leakyRelu,
  tanh,
  sigmoid: sigmoidActivation,
};

/** Every ActivationName, in the order of ACTIVATIONS. */
export const ACTIVATION_NAMES = Object.keys(ACTIVATIONS) as ActivationName[];

/** The activation called `name`, or a UsageError listing the known ones. */
export function activationByName(name: string): Activation {
  if (!Object.hasOwn(ACTIVATIONS, name)) {
    throw new UsageError(`unknown activation "${name}" (known: ${ACTIVATION_NAMES.join(", ")})`);
  }
  return ACTIVATIONS[name as ActivationName];
}

/**
 * The activation an argument names: an Activation object itself, or the built-in one called
 * by its name ("tanh"), through activationByName. Refuses (UsageError) an unknown name, listing
 * the known ones, and any other value. `op` names the function taking it, for the message.
 */
export function resolveActivation(activation: Activation | ActivationName, op: string): Activation {
  if (typeof activation === "string") return activationByName(activation);
  const given = activation as Partial<Activation> | null | undefined;
  if (typeof given?.f !== "function" || typeof given.df !== "function") {
    throw new UsageError(
      `${op}: activation must be one of ${ACTIVATION_NAMES.join(", ")} or an Activation {name, f, df, hasKink}, got ${describeValue(activation)}`,
    );
  }
  return activation;
}
