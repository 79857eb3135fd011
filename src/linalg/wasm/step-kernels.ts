/**
 * The fused small-shape step of kernels.wat ("step: fused small-shape step") as StepKernels;
 * with one logit also the step with the sigmoid head in WebAssembly ("sigmoid head":
 * forwardSigmoid, stepSigmoid, a training step in one call), bit-identical to
 * nn/fused-heads.ts's sigmoidOutput (the same operations in the same order, with handgrad's
 * own exp and log1p; see kernels.wat).
 * bind() does every check once per run (each buffer a view of the backend's memory, long
 * enough for the shape, none overlapping another); the bound calls then hand the kernels byte
 * offsets and check only their numbers. Reading a view's buffer, byteOffset and length is what
 * the per-call checks of the products and passes cost (about 0.2–0.4 µs a call from
 * JavaScript, measured: more than the arithmetic of a small product).
 */
import type {
  BoundStep,
  BoundUpdate,
  StepBuffers,
  StepKernels,
  UpdateBuffers,
} from "../backend.js";

/** The exports of kernels.wat this file wraps (sizes in entries, pointers byte offsets). */
export interface StepExports {
  step_forward: (
    n: number,
    d: number,
    h: number,
    k: number,
    x: number,
    w1: number,
    b1: number,
    w2: number,
    z1: number,
    a1: number,
    fp: number,
    z2: number,
    act: number,
    slope: number,
  ) => void;
  step_backward: (
    n: number,
    d: number,
    h: number,
    k: number,
    x: number,
    z1: number,
    fp: number,
    a1: number,
    dz2: number,
    dz1: number,
    w1: number,
    w2: number,
    gw1: number,
    gb1: number,
    gw2: number,
    gb2: number,
    act: number,
    slope: number,
    l2: number,
  ) => number;
  forward_sigmoid: (
    n: number,
    d: number,
    h: number,
    x: number,
    w1: number,
    b1: number,
    w2: number,
    b2: number,
    y: number,
    z1: number,
    a1: number,
    fp: number,
    z2: number,
    losses: number,
    dz2: number,
    act: number,
    slope: number,
    inverseN: number,
  ) => number;
  step_sigmoid: (
    n: number,
    d: number,
    h: number,
    x: number,
    w1: number,
    b1: number,
    w2: number,
    b2: number,
    y: number,
    z1: number,
    a1: number,
    fp: number,
    z2: number,
    losses: number,
    dz2: number,
    act: number,
    slope: number,
    inverseN: number,
    dz1: number,
    gw1: number,
    gb1: number,
    gw2: number,
    gb2: number,
    l2: number,
  ) => number;
  sgd_update: (theta: number, g: number, len: number, eta: number) => number;
  /** 1 when the `len` values at byte `p` are all finite (kernels.wat, "wide products"). */
  all_finite: (p: number, len: number) => number;
  momentum_update: (
    theta: number,
    g: number,
    v: number,
    len: number,
    eta: number,
    mu: number,
    nesterov: number,
  ) => number;
  adam_update: (
    theta: number,
    g: number,
    m: number,
    v: number,
    len: number,
    eta: number,
    beta1: number,
    beta2: number,
    eps: number,
    c1: number,
    c2: number,
  ) => number;
}

/** The backend's allocator and memory, as bind() needs them. */
export interface StepMemory {
  alloc(length: number): Float64Array;
  /** The memory's ArrayBuffer now. */
  buffer(): ArrayBuffer;
  /** float64 values that alloc() can hand out without growing the memory. */
  free(): number;
}

/** kernels.wat's `act` argument for each activation with a kernel. */
const ACTIVATION_CODES: Readonly<Record<string, number>> = { relu: 0, "leaky-relu": 1, tanh: 2 };
const TANH = 2;

/**
 * The step kernels of `exports`, allocating in `memory`, for runs whose products are all below
 * `maxFlops` (2mkn): a threaded backend splits larger ones across threads, which the fused
 * step, on one thread, would not.
 */
export function wasmStepKernels(
  exports: StepExports,
  memory: StepMemory,
  maxFlops = Infinity,
): StepKernels {
  return {
    bind: (run) => bindStep(exports, memory, run, maxFlops),
    bindUpdate: (run) => bindUpdate(exports, memory, run),
  };
}

/**
 * SGD's update and the gradients' finiteness check in WebAssembly (sgd_update, all_finite:
 * the operations of fast-update.ts's descend and fast.ts's buffersAreFinite), bound once.
 */
function bindUpdate(exports: StepExports, memory: StepMemory, run: UpdateBuffers): BoundUpdate {
  const { D, H, K, params, grads } = run;
  const lengths = [D * H, H, H * K, K];
  const names = ["W1", "b1", "W2", "b2"] as const;
  const buffers: [string, Float64Array, number][] = [
    ...names.map((name, i): [string, Float64Array, number] => [name, params[name], lengths[i]!]),
    ...names.map((name, i): [string, Float64Array, number] => [
      `d${name}`,
      grads[name],
      lengths[i]!,
    ]),
  ];
  const [w1, b1, w2, b2, gw1, gb1, gw2, gb2] = checkBuffers(memory.buffer(), buffers) as [
    number, number, number, number, number, number, number, number,
  ]; // prettier-ignore
  const { sgd_update, all_finite } = exports;
  return {
    gradientsFinite: () =>
      (all_finite(gw1, D * H) &
        all_finite(gb1, H) &
        all_finite(gw2, H * K) &
        all_finite(gb2, K)) ===
      1,
    descend(learningRate) {
      // All four, as descend: a parameter set that stops being finite is still updated whole.
      const finite =
        sgd_update(w1, gw1, D * H, learningRate) &
        sgd_update(b1, gb1, H, learningRate) &
        sgd_update(w2, gw2, H * K, learningRate) &
        sgd_update(b2, gb2, K, learningRate);
      return finite === 1;
    },
  };
}

/**
 * The float64 values bind() allocates for batches of up to `rows` of a D→H→K network with
 * `momentSets` optimizer moment sets: f′(z1) (rows×H, for tanh) and the moments (W1, b1, W2,
 * b2 each), with one value of alignment slack per buffer.
 */
export function stepKernelValues(
  rows: number,
  D: number,
  H: number,
  K: number,
  momentSets = 0,
): number {
  return rows * H + 1 + momentSets * (D * H + H + H * K + K + 4);
}

function bindStep(
  exports: StepExports,
  memory: StepMemory,
  run: StepBuffers,
  maxFlops: number,
): BoundStep | undefined {
  const { batch, params, grads, slope } = run;
  const { rows, D, H, K } = batch;
  const act = Object.hasOwn(ACTIVATION_CODES, run.activation)
    ? ACTIVATION_CODES[run.activation]!
    : undefined;
  const momentSets = run.momentSets ?? 0;
  if (act === undefined || stepKernelValues(rows, D, H, K, momentSets) > memory.free()) {
    return undefined;
  }
  if (2 * rows * H * Math.max(D, K) >= maxFlops) return undefined; // X W1, Xᵀ δ1 or a1 W2
  const buffers: [string, Float64Array, number][] = [
    ["X", batch.X, rows * D],
    ["z1", batch.z1, rows * H],
    ["a1", batch.a1, rows * H],
    ["z2", batch.z2, rows * K],
    ["dz2", batch.dz2, rows * K],
    ["dz1", batch.dz1, rows * H],
    ["W1", params.W1, D * H],
    ["b1", params.b1, H],
    ["W2", params.W2, H * K],
    ["b2", params.b2, K],
    ["dW1", grads.W1, D * H],
    ["db1", grads.b1, H],
    ["dW2", grads.W2, H * K],
    ["db2", grads.b2, K],
    ["y", batch.y, rows],
    ["losses", batch.losses, rows],
  ];
  const fPrimes = memory.alloc(act === TANH ? rows * H : 0);
  buffers.push(["f′(z1)", fPrimes, fPrimes.length]);
  const moments = Array.from({ length: momentSets }, () => ({
    W1: memory.alloc(D * H),
    b1: memory.alloc(H),
    W2: memory.alloc(H * K),
    b2: memory.alloc(K),
  }));
  moments.forEach((set, i) => {
    for (const name of ["W1", "b1", "W2", "b2"] as const) {
      buffers.push([`moment ${i} ${name}`, set[name], set[name].length]);
    }
  });
  const momentAt = moments.map((set) => [set.W1, set.b1, set.W2, set.b2].map((b) => b.byteOffset));
  const [x, z1, a1, z2, dz2, dz1, w1, b1, w2, b2, gw1, gb1, gw2, gb2, y, losses] = checkBuffers(
    memory.buffer(),
    buffers,
  ) as [
    number, number, number, number, number, number, number, number,
    number, number, number, number, number, number, number, number, number,
  ]; // prettier-ignore
  const fPrime = fPrimes.byteOffset;
  const { step_forward, step_backward, sgd_update, momentum_update, adam_update } = exports;
  const { forward_sigmoid, step_sigmoid } = exports;
  const lengths = [D * H, H, H * K, K];
  const thetas = [w1, b1, w2, b2];
  const gradients = [gw1, gb1, gw2, gb2];
  const moment = (op: string, set: number): number[] => {
    const at = momentAt[set];
    if (!at) throw new Error(`BoundStep.${op}: bound with ${momentSets} moment sets`);
    return at;
  };

  const checkCount = (op: string, n: number): void => {
    if (!(Number.isInteger(n) && n >= 1 && n <= rows)) {
      throw new RangeError(`BoundStep.${op}: n must be an integer from 1 to ${rows}, got ${n}`);
    }
  };
  // K = 1: the step with the sigmoid head of kernels.wat ("sigmoid head"), sigmoidOutput's bits.
  const sigmoid =
    K === 1
      ? {
          forwardSigmoid(n: number, inverseN: number): number {
            checkCount("forwardSigmoid", n);
            return forward_sigmoid(n, D, H, x, w1, b1, w2, b2, y, z1, a1, fPrime, z2, losses, dz2, act, slope, inverseN); // prettier-ignore
          },
          stepSigmoid(n: number, inverseN: number, l2: number): boolean {
            checkCount("stepSigmoid", n);
            return step_sigmoid(n, D, H, x, w1, b1, w2, b2, y, z1, a1, fPrime, z2, losses, dz2, act, slope, inverseN, dz1, gw1, gb1, gw2, gb2, l2) === 1; // prettier-ignore
          },
        }
      : {};
  return {
    ...sigmoid,
    forward(n) {
      checkCount("forward", n);
      step_forward(n, D, H, K, x, w1, b1, w2, z1, a1, fPrime, z2, act, slope);
    },
    backward(n, l2) {
      checkCount("backward", n);
      return step_backward(n, D, H, K, x, z1, fPrime, a1, dz2, dz1, w1, w2, gw1, gb1, gw2, gb2, act, slope, l2) === 1; // prettier-ignore
    },
    moments,
    momentum(learningRate, mu, nesterov) {
      const v = moment("momentum", 0);
      let flags = 0; // all four, as fast-update.ts's momentum
      for (let i = 0; i < 4; i++) {
        flags |= momentum_update(thetas[i]!, gradients[i]!, v[i]!, lengths[i]!, learningRate, mu, nesterov ? 1 : 0); // prettier-ignore
      }
      return flags;
    },
    adam(learningRate, beta1, beta2, eps, c1, c2) {
      const [m, v] = [moment("adam", 0), moment("adam", 1)];
      let flags = 0; // all four, as fast-update.ts's adam
      for (let i = 0; i < 4; i++) {
        flags |= adam_update(thetas[i]!, gradients[i]!, m[i]!, v[i]!, lengths[i]!, learningRate, beta1, beta2, eps, c1, c2); // prettier-ignore
      }
      return flags;
    },
    descend(learningRate) {
      // All four, as descend: a parameter set that stops being finite is still updated whole.
      const finite =
        sgd_update(w1, gw1, D * H, learningRate) &
        sgd_update(b1, gb1, H, learningRate) &
        sgd_update(w2, gw2, H * K, learningRate) &
        sgd_update(b2, gb2, K, learningRate);
      return finite === 1;
    },
  };
}

/**
 * The byte offsets of the buffers, after checking that each is a view of `memory` with at
 * least its length and that no two overlap (the products write C apart from A and B).
 */
function checkBuffers(memory: ArrayBuffer, buffers: [string, Float64Array, number][]): number[] {
  for (const [name, view, length] of buffers) {
    if (view.buffer !== memory) {
      throw new Error(`StepKernels.bind: ${name} is not a buffer of this backend's memory`);
    }
    if (view.length < length) {
      throw new RangeError(
        `StepKernels.bind: ${name} has ${view.length} values, the shape needs ${length}`,
      );
    }
  }
  for (let i = 0; i < buffers.length; i++) {
    for (let j = i + 1; j < buffers.length; j++) {
      const [nameA, a, lengthA] = buffers[i]!;
      const [nameB, b, lengthB] = buffers[j]!;
      const [a0, b0] = [a.byteOffset, b.byteOffset];
      if (lengthA > 0 && lengthB > 0 && a0 < b0 + 8 * lengthB && b0 < a0 + 8 * lengthA) {
        throw new RangeError(`StepKernels.bind: ${nameA} overlaps ${nameB}`);
      }
    }
  }
  return buffers.map(([, view]) => view.byteOffset);
}
