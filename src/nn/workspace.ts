/**
 * The buffers of the fast path, allocated once per batch shape by a Backend and reused by
 * every step: a batch of up to `rows` examples of a D→H→K network. Buffers are row-major,
 * and a batch of n ≤ rows examples uses the first n rows of each.
 */
import type { Backend } from "../linalg/index.js";

export interface Workspace {
  readonly rows: number; // R, the largest batch
  readonly D: number;
  readonly H: number;
  readonly K: number;
  readonly X: Float64Array; // R×D, the batch's features
  readonly y: Float64Array; // R, its labels
  readonly z1: Float64Array; // R×H, z1 = X W1 + b1
  readonly a1: Float64Array; // R×H, a1 = f(z1)
  readonly z2: Float64Array; // R×K, z2 = a1 W2 + b2
  readonly dz2: Float64Array; // R×K, δ2 = (P − Y)/n
  readonly dz1: Float64Array; // R×H, δ2 W2ᵀ, then δ1 = (δ2 W2ᵀ) ⊙ f′(z1) in place
  readonly losses: Float64Array; // R, ℓ(z2_i, y_i)
  readonly exps: Float64Array; // K, a softmax row's e^{z_j − m}
  readonly grads: ParamBuffers; // ∂L/∂W1, ∂L/∂b1, ∂L/∂W2, ∂L/∂b2
}

/** W1 D×H, b1 1×H, W2 H×K, b2 1×K (or their gradients) as flat row-major buffers. */
export interface ParamBuffers {
  readonly W1: Float64Array;
  readonly b1: Float64Array;
  readonly W2: Float64Array;
  readonly b2: Float64Array;
}

/**
 * The float64 values makeWorkspace plus `extraParamSets` more makeParamBuffers calls allocate,
 * with one value of 16-byte alignment slack per buffer: what a backend must hold for a run.
 */
export function runValues(
  rows: number,
  D: number,
  H: number,
  K: number,
  extraParamSets: number,
): number {
  const params = D * H + H + H * K + K + 4; // W1, b1, W2, b2, each with its slack
  const workspace = rows * (D + 1 + 3 * H + 2 * K + 1) + K + 9 + params; // 10 buffers + grads
  return workspace + extraParamSets * params;
}

/** A workspace for batches of up to `rows` examples of a D→H→K network. */
export function makeWorkspace(
  backend: Backend,
  rows: number,
  D: number,
  H: number,
  K: number,
): Workspace {
  return {
    rows,
    D,
    H,
    K,
    X: backend.alloc(rows * D),
    y: backend.alloc(rows),
    z1: backend.alloc(rows * H),
    a1: backend.alloc(rows * H),
    z2: backend.alloc(rows * K),
    dz2: backend.alloc(rows * K),
    dz1: backend.alloc(rows * H),
    losses: backend.alloc(rows),
    exps: backend.alloc(K),
    grads: makeParamBuffers(backend, D, H, K),
  };
}

/** Zeroed buffers for the four parameters of a D→H→K network. */
export function makeParamBuffers(backend: Backend, D: number, H: number, K: number): ParamBuffers {
  return {
    W1: backend.alloc(D * H),
    b1: backend.alloc(H),
    W2: backend.alloc(H * K),
    b2: backend.alloc(K),
  };
}
