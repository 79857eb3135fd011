/**
 * The hidden layer's element-wise work, fused into one pass each way over the n×H buffers
 * (rows 0..n−1), with the same arithmetic as the plain path entry by entry:
 *
 *   forward:   z1 ← z1 + 1 b1,  a1 = f(z1)                     (addRow, then map f)
 *   backward:  δ1 = (δ2 W2ᵀ) ⊙ f′(z1, a1) in place,  ∂L/∂b1 = 1ᵀ δ1   (hadamard, then colSums)
 *
 * The four built-in activations get loops of their own (f and f′ written out as in
 * activations.ts); any other Activation object goes through its f and df. relu and leaky relu
 * run in the backend's RectifierKernels and tanh in its TanhKernels when it has them
 * (WebAssembly SIMD: the same operations in the same order, so the same bits as the loops
 * here; tanh is numerics/tanh.ts's own, not Math.tanh, so that both can compute it).
 */
import type { Backend, PhaseActivation } from "../linalg/index.js";
import { sigmoid, tanh, tanhDerivative } from "../numerics/index.js";
import { ACTIVATIONS, LEAKY_SLOPE, type Activation } from "./activations.js";

/** z1 ← z1 + 1 b1 and a1 = f(z1) on rows 0..n−1 of the n×H buffers. */
export function biasActivation(
  n: number,
  H: number,
  z1: Float64Array,
  b1: Float64Array,
  a1: Float64Array,
  activation: Activation,
  backend?: Backend,
): void {
  const end = n * H;
  const rectifiers = backend?.rectifiers;
  switch (builtIn(activation)) {
    case "relu":
      if (rectifiers) return rectifiers.biasRelu(n, H, z1, b1, a1);
      for (let row = 0; row < end; row += H) {
        for (let j = 0; j < H; j++) {
          const z = z1[row + j]! + b1[j]!;
          z1[row + j] = z;
          a1[row + j] = z > 0 ? z : 0; // relu(z) = max(z, 0)
        }
      }
      return;
    case "leaky-relu":
      if (rectifiers) return rectifiers.biasLeakyRelu(n, H, z1, b1, a1, LEAKY_SLOPE);
      for (let row = 0; row < end; row += H) {
        for (let j = 0; j < H; j++) {
          const z = z1[row + j]! + b1[j]!;
          z1[row + j] = z;
          a1[row + j] = z > 0 ? z : LEAKY_SLOPE * z; // leaky(z)
        }
      }
      return;
    case "tanh":
      if (backend?.tanh) return backend.tanh.biasTanh(n, H, z1, b1, a1);
      for (let row = 0; row < end; row += H) {
        for (let j = 0; j < H; j++) {
          const z = z1[row + j]! + b1[j]!;
          z1[row + j] = z;
          a1[row + j] = tanh(z);
        }
      }
      return;
    case "sigmoid":
      for (let row = 0; row < end; row += H) {
        for (let j = 0; j < H; j++) {
          const z = z1[row + j]! + b1[j]!;
          z1[row + j] = z;
          a1[row + j] = sigmoid(z);
        }
      }
      return;
    default:
      for (let row = 0; row < end; row += H) {
        for (let j = 0; j < H; j++) {
          const z = z1[row + j]! + b1[j]!;
          z1[row + j] = z;
          a1[row + j] = activation.f(z);
        }
      }
  }
}

/**
 * δ1 = da1 ⊙ f′(z1, a1) in place on rows 0..n−1 of the n×H buffer `delta` (which holds
 * da1 = δ2 W2ᵀ on entry), and db1 = Σ_rows δ1 (1×H), summed over rows in order.
 */
export function derivativeMask(
  n: number,
  H: number,
  delta: Float64Array,
  z1: Float64Array,
  a1: Float64Array,
  db1: Float64Array,
  activation: Activation,
  backend?: Backend,
): void {
  const end = n * H;
  const rectifiers = backend?.rectifiers;
  switch (builtIn(activation)) {
    case "relu":
      if (rectifiers) return rectifiers.rectifierMask(n, H, delta, z1, db1, 0);
      break;
    case "leaky-relu":
      if (rectifiers) return rectifiers.rectifierMask(n, H, delta, z1, db1, LEAKY_SLOPE);
      break;
    case "tanh":
      if (backend?.tanh) return backend.tanh.tanhDerivativeMask(n, H, delta, z1, db1);
      break;
  }
  db1.fill(0, 0, H);
  switch (builtIn(activation)) {
    case "relu":
      for (let row = 0; row < end; row += H) {
        for (let j = 0; j < H; j++) {
          const d = delta[row + j]! * (z1[row + j]! > 0 ? 1 : 0); // relu′ = [z > 0]
          delta[row + j] = d;
          db1[j]! += d;
        }
      }
      return;
    case "leaky-relu":
      for (let row = 0; row < end; row += H) {
        for (let j = 0; j < H; j++) {
          const d = delta[row + j]! * (z1[row + j]! > 0 ? 1 : LEAKY_SLOPE); // leaky′
          delta[row + j] = d;
          db1[j]! += d;
        }
      }
      return;
    case "tanh":
      for (let row = 0; row < end; row += H) {
        for (let j = 0; j < H; j++) {
          const d = delta[row + j]! * tanhDerivative(z1[row + j]!); // tanh′ = 4t/(1 + t)², t = e^{−2|z|}
          delta[row + j] = d;
          db1[j]! += d;
        }
      }
      return;
    case "sigmoid":
      for (let row = 0; row < end; row += H) {
        for (let j = 0; j < H; j++) {
          const d = delta[row + j]! * (a1[row + j]! * sigmoid(-z1[row + j]!)); // σ′ = a σ(−z)
          delta[row + j] = d;
          db1[j]! += d;
        }
      }
      return;
    default:
      for (let row = 0; row < end; row += H) {
        for (let j = 0; j < H; j++) {
          const d = delta[row + j]! * activation.df(z1[row + j]!, a1[row + j]!);
          delta[row + j] = d;
          db1[j]! += d;
        }
      }
  }
}

/** The built-in activations a backend's HiddenPhases compute (sigmoid and others: none). */
const PHASE_ACTIVATIONS: Readonly<Record<string, PhaseActivation>> = {
  relu: { name: "relu", slope: 0 },
  "leaky-relu": { name: "leaky-relu", slope: LEAKY_SLOPE },
  tanh: { name: "tanh", slope: 0 },
};

/** What a backend's HiddenPhases need to know of `activation`, or undefined if they lack it. */
export function phaseActivation(activation: Activation): PhaseActivation | undefined {
  const name = builtIn(activation);
  return name === undefined ? undefined : PHASE_ACTIVATIONS[name];
}

/** The activation's name when it is one of the four built-in objects, else undefined. */
function builtIn(activation: Activation): Activation["name"] | undefined {
  return ACTIVATIONS[activation.name] === activation ? activation.name : undefined;
}
