/**
 * The kernel interface the fast training path runs on. The readable kernels in kernels.ts
 * (pure, allocating) stay the teaching path and the test oracle; a Backend does the same
 * arithmetic in place, on row-major Float64Array buffers it allocates itself (a WebAssembly
 * backend's buffers live in its linear memory, so no copy crosses the boundary).
 *
 * Summation order contract: every product entry is Σ_p a·b accumulated for p = 0, 1, …, k−1
 * with one accumulator and no fused multiply-add, exactly as kernels.ts does. A backend that
 * keeps it gives bit-identical results to the plain path; one that does not must say so and
 * state its tolerance.
 */
export interface Backend {
  /** "js", "wasm-simd", … (reported by the benchmark). */
  readonly name: string;
  /**
   * A zeroed buffer of `length` float64 values that stays valid until `reset()`; the
   * training loop allocates all of them once per batch shape, never per step.
   */
  alloc(length: number): Float64Array;
  /** Forgets every buffer handed out (their memory may be reused). */
  reset(): void;
  /** C (m×n) = A (m×k) B (k×n). */
  gemm(m: number, k: number, n: number, A: Float64Array, B: Float64Array, C: Float64Array): void;
  /** C (m×n) = Aᵀ B, with A k×m and B k×n (e.g. dW1 = Xᵀ δ1). */
  gemmTransA(
    m: number,
    k: number,
    n: number,
    A: Float64Array,
    B: Float64Array,
    C: Float64Array,
  ): void;
  /** C (m×n) = A Bᵀ, with A m×k and B n×k (e.g. δ2 W2ᵀ). */
  gemmTransB(
    m: number,
    k: number,
    n: number,
    A: Float64Array,
    B: Float64Array,
    C: Float64Array,
  ): void;
  /**
   * Optional element-wise kernels for the rectifier activations; where absent, the fast path
   * runs its own JavaScript loops (nn/fused-activations.ts), which these must match bit for bit.
   */
  readonly rectifiers?: RectifierKernels;
  /** Optional element-wise kernels for tanh, with the same contract as `rectifiers`. */
  readonly tanh?: TanhKernels;
  /**
   * Optional: a small network's training step in a few calls, bound once to a run's buffers
   * (StepKernels); where absent, the fast path calls the products and passes one by one.
   * Internal to the WebAssembly backend: a Backend written elsewhere leaves it out.
   *
   * @internal
   */
  readonly step?: StepKernels;
  /**
   * Optional: the hidden layer's forward and backward passes each as one call, for a backend
   * that splits them across threads (wasm/threaded-backend.ts). Where absent, or where a call
   * returns false, the fast path does the same work product by product (nn/fast-network.ts),
   * which these must match bit for bit.
   */
  readonly phases?: HiddenPhases | undefined;
  /**
   * Optional: the sigmoid head (K = 1) in one call (SigmoidHeadKernel), for the fast path's
   * steps that do not take the fused step (large shapes, threads). Internal to the WebAssembly
   * backend: where absent, nn/fused-heads.ts's sigmoidOutput runs, which it must match bit
   * for bit.
   *
   * @internal
   */
  readonly sigmoidHead?: SigmoidHeadKernel;
}

/** The sigmoid head on a backend's buffers (Backend.sigmoidHead). */
export interface SigmoidHeadKernel {
  /**
   * nn/fused-heads.ts's sigmoidOutput(n, z2, b2, y, losses, 0, dz2, inverseN), every value the
   * same bits, on buffers of this backend (z2, y, losses, dz2 n values, b2 one; z2, losses and
   * dz2 apart from each other and from y and b2): z2 += b2, losses, δ2. Returns the rows
   * classified correctly.
   */
  sigmoidOutput(
    n: number,
    z2: Float64Array,
    b2: Float64Array,
    y: Float64Array,
    losses: Float64Array,
    dz2: Float64Array,
    inverseN: number,
  ): number;
}

/** The hidden activation a HiddenPhases call applies: relu, tanh, or leaky relu with its slope. */
export interface PhaseActivation {
  /** Which of the three (nn/activations.ts's names). */
  readonly name: "relu" | "leaky-relu" | "tanh";
  /** f(z) = slope·z for z ≤ 0 (leaky relu; unused by the others). */
  readonly slope: number;
}

/**
 * A training step's two phases on rows 0..n−1 of the fast path's n×· buffers (row-major, all
 * the backend's own), each entry with the operations and order of the step-by-step path
 * (products as kernels.ts, element-wise as nn/fused-activations.ts). Each returns false, having
 * written nothing, when it leaves the work to the caller (a size 0).
 */
export interface HiddenPhases {
  /**
   * z1 (n×H) = X W1 + 1 b1, a1 = f(z1), z2 (n×K) = a1 W2 (b2 is the head's); X n×D, W1 D×H,
   * b1 1×H, W2 H×K.
   */
  forward(
    n: number,
    D: number,
    H: number,
    K: number,
    X: Float64Array,
    W1: Float64Array,
    b1: Float64Array,
    W2: Float64Array,
    z1: Float64Array,
    a1: Float64Array,
    z2: Float64Array,
    activation: PhaseActivation,
  ): boolean;
  /**
   * dW2 (H×K) = a1ᵀ δ2, δ1 (n×H, into dz1) = (δ2 W2ᵀ) ⊙ f′(z1), db1 (1×H) = 1ᵀ δ1 (rows in
   * order from +0), dW1 (D×H) = Xᵀ δ1; δ2 is dz2 (n×K).
   */
  backward(
    n: number,
    D: number,
    H: number,
    K: number,
    X: Float64Array,
    z1: Float64Array,
    a1: Float64Array,
    dz2: Float64Array,
    W2: Float64Array,
    dz1: Float64Array,
    dW1: Float64Array,
    db1: Float64Array,
    dW2: Float64Array,
    activation: PhaseActivation,
  ): boolean;
}

/**
 * The hidden layer's element-wise passes for f(z) = z > 0 ? z : s·z (relu: +0 instead of s·z),
 * on rows 0..n−1 of n×H row-major buffers of the backend, entry by entry in the operations and
 * order of the JavaScript loops of nn/fused-activations.ts (so the same bits, NaN and ±0 too).
 */
export interface RectifierKernels {
  /** z1 ← z1 + 1 b1, a1 = z1 > 0 ? z1 : +0 (relu). */
  biasRelu(n: number, H: number, z1: Float64Array, b1: Float64Array, a1: Float64Array): void;
  /** z1 ← z1 + 1 b1, a1 = z1 > 0 ? z1 : slope·z1 (leaky relu). */
  biasLeakyRelu(
    n: number,
    H: number,
    z1: Float64Array,
    b1: Float64Array,
    a1: Float64Array,
    slope: number,
  ): void;
  /**
   * δ ← δ ⊙ f′(z1) in place with f′(z) = z > 0 ? 1 : slope (relu: slope 0; a multiply, so
   * NaN or ±∞ times 0 is NaN), and db1 (1×H) = Σ_rows δ, rows in order from +0.
   */
  rectifierMask(
    n: number,
    H: number,
    delta: Float64Array,
    z1: Float64Array,
    db1: Float64Array,
    slope: number,
  ): void;
}

/**
 * The tanh activation's element-wise passes, with the bits of the JavaScript loops of
 * nn/fused-activations.ts, i.e. of numerics/tanh.ts's tanh and tanhDerivative.
 */
export interface TanhKernels {
  /** z1 ← z1 + 1 b1 and a1 = tanh(z1) on rows 0..n−1 of the n×H buffers z1, a1 (b1 1×H). */
  biasTanh(n: number, H: number, z1: Float64Array, b1: Float64Array, a1: Float64Array): void;
  /**
   * δ1 = δ ⊙ tanh′(z1) in place on rows 0..n−1 of the n×H buffer `delta`, and db1 (1×H) =
   * Σ_rows δ1, each column summed over rows in order from +0.
   */
  tanhDerivativeMask(
    n: number,
    H: number,
    delta: Float64Array,
    z1: Float64Array,
    db1: Float64Array,
  ): void;
}

/**
 * A training step of a D→H→K network in two calls around the output layer (one, output layer
 * included, for the sigmoid head: K = 1), for small shapes
 * (where the calls, their checks, the row gather and the parameter loops were much of a step):
 * the same operations in the same order as the products and passes the fast path calls one by
 * one (nn/fast-network.ts, train/steppers/fast.ts), so the same bits.
 */
export interface StepKernels {
  /**
   * Checks the buffers once (the backend's own, long enough, apart) and returns the step bound
   * to them; undefined when the backend lacks the room for the step's own buffer
   * (stepKernelValues of wasm/step-kernels.ts) or the activation has no kernel here. Valid
   * until the backend's reset().
   */
  bind(run: StepBuffers): BoundStep | undefined;
  /**
   * Plain SGD's update and the gradient's finiteness check alone, bound to a D→H→K network's
   * parameters and gradients (each the backend's own, long enough, apart): for runs the fused
   * step does not take (large products, split across threads or not). Undefined where the
   * backend has no such kernels.
   */
  bindUpdate?(run: UpdateBuffers): BoundUpdate | undefined;
}

/** What a bound update computes on (StepKernels.bindUpdate). */
export interface UpdateBuffers {
  readonly D: number;
  readonly H: number;
  readonly K: number;
  /** W1 D×H, b1 1×H, W2 H×K, b2 1×K, and their gradients. */
  readonly params: StepParams;
  readonly grads: StepParams;
}

/** Plain SGD's update bound to a run's buffers (StepKernels.bindUpdate). */
export interface BoundUpdate {
  /**
   * Whether every entry of the four bound gradients is finite (steppers/fast.ts's
   * buffersAreFinite: the same answer).
   */
  gradientsFinite(): boolean;
  /** θ ← θ − η g on the bound parameters, as BoundStep.descend; whether every new θ is finite. */
  descend(learningRate: number): boolean;
}

/** What a bound step computes on: the network's buffers (nn/workspace.ts's). */
export interface StepBuffers {
  /** "relu", "leaky-relu" (a = slope·z below 0) or "tanh"; other activations are not bound. */
  readonly activation: string;
  readonly slope: number;
  /** The batch buffers: rows×D, rows×H, rows×H, rows×K, rows×K, rows×H. */
  readonly batch: {
    readonly rows: number;
    readonly D: number;
    readonly H: number;
    readonly K: number;
    readonly X: Float64Array;
    readonly z1: Float64Array;
    readonly a1: Float64Array;
    readonly z2: Float64Array;
    readonly dz2: Float64Array;
    readonly dz1: Float64Array;
    /** rows: the labels, and the per-example losses the sigmoid head writes (K = 1). */
    readonly y: Float64Array;
    readonly losses: Float64Array;
  };
  /** W1 D×H, b1 1×H, W2 H×K, b2 1×K, and their gradients. */
  readonly params: StepParams;
  readonly grads: StepParams;
  /**
   * Parameter-shaped moment sets for the optimizer to allocate in the backend (BoundStep.moments):
   * 0 (sgd), 1 (momentum's v) or 2 (Adam's m and v); default 0.
   */
  readonly momentSets?: number;
}

export interface StepParams {
  readonly W1: Float64Array;
  readonly b1: Float64Array;
  readonly W2: Float64Array;
  readonly b2: Float64Array;
}

/** A step bound to a run's buffers (StepKernels.bind): each call checks its numbers only. */
export interface BoundStep {
  /**
   * z1 = X W1 + b1, a1 = f(z1) and z2 = a1 W2 on the first n rows of the batch's X (b2 is the
   * output layer's to add), as nn/fast-network.ts's forwardInto before its output layer.
   */
  forward(n: number): void;
  /**
   * After forward and the output layer's δ2 (the batch's dz2), as backwardInto: ∂L/∂W2, ∂L/∂b2,
   * δ1, ∂L/∂b1, ∂L/∂W1 into the bound gradients, with λ W added for l2 = λ > 0. Returns whether
   * every gradient entry is finite.
   */
  backward(n: number, l2: number): boolean;
  /**
   * K = 1 only (undefined otherwise): forward, then the sigmoid head of nn/fused-heads.ts
   * (sigmoidOutput, the same bits) on the first n rows: z2 += b2, the batch's losses[0..n−1],
   * δ2 = (σ(z2) − y)·inverseN into dz2. Returns the rows classified correctly. One call.
   */
  readonly forwardSigmoid?: (n: number, inverseN: number) => number;
  /**
   * K = 1 only: forwardSigmoid, then backward(n, l2), in one call; returns backward's flag.
   */
  readonly stepSigmoid?: (n: number, inverseN: number, l2: number) => boolean;
  /**
   * θ ← θ − η g on the bound parameters with the bound gradients (fast-update.ts's descend);
   * returns whether every new θ is finite.
   */
  descend(learningRate: number): boolean;
  /**
   * The optimizer's moment sets, zeroed, in the backend's memory (StepBuffers.momentSets of
   * them): the ones momentum and adam update.
   */
  readonly moments: readonly StepParams[];
  /**
   * v ← μ v + g, θ ← θ − η d with d = g + μ v (nesterov) or v (fast-update.ts's momentum), v
   * the first moment set. Returns UPDATE_PARAMS_NOT_FINITE | UPDATE_FIRST_MOMENT_NOT_FINITE
   * for the new values that are not all finite (0: all finite).
   */
  momentum(learningRate: number, mu: number, nesterov: boolean): number;
  /**
   * m ← β1 m + (1 − β1) g, v ← β2 v + (1 − β2) g², θ ← θ − η (m/c1)/(√(v/c2) + ε), m and v the
   * two moment sets (fast-update.ts's adam; c1, c2 its bias corrections). Returns the flags of
   * momentum, | UPDATE_SECOND_MOMENT_NOT_FINITE for v.
   */
  adam(
    learningRate: number,
    beta1: number,
    beta2: number,
    eps: number,
    c1: number,
    c2: number,
  ): number;
}

/** BoundStep's update flags: a new parameter, first moment (v, Adam's m) or Adam's v not finite. */
export const UPDATE_PARAMS_NOT_FINITE = 1;
export const UPDATE_FIRST_MOMENT_NOT_FINITE = 2;
export const UPDATE_SECOND_MOMENT_NOT_FINITE = 4;
