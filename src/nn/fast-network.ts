/**
 * The network's forward and backward passes in place, on a Workspace and a Backend: the
 * same equations as network.ts, in the same floating-point order, without allocating.
 *
 *   z1 = X W1 + b1,  a1 = f(z1)              gemm, then biasActivation
 *   z2 = a1 W2 + b2,  ℓ, δ2 = (P − Y)/N      gemm, then the head's one pass per row
 *   ∂L/∂W2 = a1ᵀ δ2,  ∂L/∂b2 = 1ᵀ δ2          gemmTransA, column sums
 *   δ1 = (δ2 W2ᵀ) ⊙ f′(z1),  ∂L/∂b1 = 1ᵀ δ1   gemmTransB, then derivativeMask
 *   ∂L/∂W1 = Xᵀ δ1                           gemmTransA
 *   with an L2 penalty λ > 0: ∂L/∂W += λ W   addPenaltyGradient, for W1 and W2
 *
 * A backend with `phases` (threads: linalg/wasm/threaded-backend.ts) takes the lines before
 * the head as one call and the hidden layer's backward lines as another, each split across
 * its threads; the rest (the head, ∂L/∂b2, the penalty) stays here, the sigmoid head in the
 * backend's WebAssembly where it has one (Backend.sigmoidHead).
 */
import type { Backend } from "../linalg/index.js";
import type { Activation } from "./activations.js";
import { biasActivation, derivativeMask, phaseActivation } from "./fused-activations.js";
import { sigmoidOutput, softmaxOutput } from "./fused-heads.js";
import type { ParamBuffers, Workspace } from "./workspace.js";

/**
 * The forward pass and the output layer on the first n rows of ws.X and ws.y: fills z1, a1,
 * z2, losses[at..at+n−1] and δ2 = (P − Y)/scaleRows. Returns the rows classified correctly.
 */
export function forwardInto(
  backend: Backend,
  ws: Workspace,
  params: ParamBuffers,
  n: number,
  activation: Activation,
  losses: Float64Array,
  at: number,
  scaleRows: number,
): number {
  hiddenForward(backend, ws, params, n, activation); // z1, a1 = f(z1), z2 = a1 W2 (n×K)
  return outputInto(ws, params, n, losses, at, scaleRows, backend);
}

/**
 * The output layer on the first n rows, after z2 holds a1 W2 (forwardInto's last step, also
 * run after a bound step's forward): z2 += b2, losses[at..at+n−1] and δ2 = (P − Y)/scaleRows.
 * Returns the rows classified correctly. The sigmoid head runs in the backend where it has
 * one (`sigmoidHead`: WebAssembly, the same bits), its losses in ws.losses, then copied to
 * losses[at..] when that is another buffer.
 */
export function outputInto(
  ws: Workspace,
  params: ParamBuffers,
  n: number,
  losses: Float64Array,
  at: number,
  scaleRows: number,
  backend?: Backend,
): number {
  const inverseN = 1 / scaleRows;
  if (ws.K !== 1) {
    return softmaxOutput(n, ws.K, ws.z2, params.b2, ws.y, losses, at, ws.dz2, inverseN, ws.exps);
  }
  const head = backend?.sigmoidHead;
  if (!head) return sigmoidOutput(n, ws.z2, params.b2, ws.y, losses, at, ws.dz2, inverseN);
  const correct = head.sigmoidOutput(n, ws.z2, params.b2, ws.y, ws.losses, ws.dz2, inverseN);
  if (losses !== ws.losses || at !== 0) losses.set(ws.losses.subarray(0, n), at);
  return correct;
}

/**
 * The backward pass on the first n rows, after forwardInto: fills ws.grads; with l2 = λ > 0
 * (default 0), the gradient of the penalised loss (λ W added to the weights' gradients).
 */
export function backwardInto(
  backend: Backend,
  ws: Workspace,
  params: ParamBuffers,
  n: number,
  activation: Activation,
  l2 = 0,
): void {
  const { D, H, K, grads } = ws;
  columnSums(n, K, ws.dz2, grads.b2); // 1×K, ∂L/∂b2 = Σ_n δ2
  hiddenBackward(backend, ws, params, n, activation); // ∂L/∂W2, δ1, ∂L/∂b1, ∂L/∂W1
  if (l2 === 0) return;
  addPenaltyGradient(D * H, grads.W1, l2, params.W1); // D×H, ∂L/∂W1 += λ W1
  addPenaltyGradient(H * K, grads.W2, l2, params.W2); // H×K, ∂L/∂W2 += λ W2
}

/**
 * The forward pass before the head on rows 0..n−1: one call to the backend's phases where it
 * has them for this activation, else product by product.
 */
function hiddenForward(
  backend: Backend,
  ws: Workspace,
  params: ParamBuffers,
  n: number,
  activation: Activation,
): void {
  const { D, H, K, X, z1, a1, z2 } = ws;
  const { W1, b1, W2 } = params;
  const phases = backend.phases;
  const hidden = phases && phaseActivation(activation);
  if (hidden && phases.forward(n, D, H, K, X, W1, b1, W2, z1, a1, z2, hidden)) return;
  backend.gemm(n, D, H, X, W1, z1); // n×H, X W1
  biasActivation(n, H, z1, b1, a1, activation, backend); // z1 = X W1 + b1, a1 = f(z1)
  backend.gemm(n, H, K, a1, W2, z2); // n×K, a1 W2
}

/**
 * The backward pass below the head on rows 0..n−1 (δ2 in ws.dz2): one call to the backend's
 * phases where it has them for this activation, else product by product.
 */
function hiddenBackward(
  backend: Backend,
  ws: Workspace,
  params: ParamBuffers,
  n: number,
  activation: Activation,
): void {
  const { D, H, K, X, z1, a1, dz2, dz1, grads } = ws;
  const { W1: dW1, b1: db1, W2: dW2 } = grads;
  const W2 = params.W2;
  const phases = backend.phases;
  const hidden = phases && phaseActivation(activation);
  if (hidden && phases.backward(n, D, H, K, X, z1, a1, dz2, W2, dz1, dW1, db1, dW2, hidden)) return;
  backend.gemmTransA(H, n, K, a1, dz2, dW2); // H×K, ∂L/∂W2 = a1ᵀ δ2
  backend.gemmTransB(n, K, H, dz2, W2, dz1); // n×H, ∂L/∂a1 = δ2 W2ᵀ
  derivativeMask(n, H, dz1, z1, a1, db1, activation, backend); // δ1 = ∂L/∂a1 ⊙ f′(z1), ∂L/∂b1 = Σ_n δ1
  backend.gemmTransA(D, n, H, X, dz1, dW1); // D×H, ∂L/∂W1 = Xᵀ δ1
}

/** g ← g + λ w on the first `length` entries (network.ts's g + l2 * w, entry by entry). */
function addPenaltyGradient(length: number, g: Float64Array, l2: number, w: Float64Array): void {
  for (let i = 0; i < length; i++) g[i] = g[i]! + l2 * w[i]!;
}

/** out (1×cols) = Σ_i A_i over rows 0..n−1 of the n×cols buffer A, rows in order (colSums). */
function columnSums(n: number, cols: number, A: Float64Array, out: Float64Array): void {
  out.fill(0, 0, cols);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < cols; j++) out[j]! += A[i * cols + j]!;
  }
}
