/**
 * forwardInto and backwardInto on a threaded backend, whose phases split the forward pass by
 * batch rows and the backward pass by hidden units, against the same calls on the JavaScript
 * backend (the step-by-step path: kernels.ts's order, fused-activations.ts's loops): every
 * buffer entry by entry (Object.is), NaN, ±0 and ±∞ included, for 2 to 8 threads.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsBackend, type Backend } from "../../src/linalg/index.js";
import {
  createThreadedWasmBackendSync,
  type ThreadedWasmBackend,
} from "../../src/linalg/wasm/index.js";
import {
  ACTIVATIONS,
  backwardInto,
  forwardInto,
  makeParamBuffers,
  makeWorkspace,
  type ParamBuffers,
  type Workspace,
} from "../../src/nn/index.js";

interface Case {
  readonly n: number;
  readonly D: number;
  readonly H: number;
  readonly K: number;
  readonly activation: "relu" | "leaky-relu" | "tanh";
  readonly values: readonly number[];
  readonly labels: readonly number[];
}

/** Runs forward then backward on `backend`; every buffer the step wrote, as plain copies. */
function step(backend: Backend, c: Case): Record<string, Float64Array> {
  const { n, D, H, K } = c;
  backend.reset();
  const ws: Workspace = makeWorkspace(backend, n, D, H, K);
  const params: ParamBuffers = makeParamBuffers(backend, D, H, K);
  let next = 0;
  const fill = (buffer: Float64Array, length: number) => {
    for (let i = 0; i < length; i++) buffer[i] = c.values[next++ % c.values.length]!;
  };
  fill(ws.X, n * D);
  fill(params.W1, D * H);
  fill(params.b1, H);
  fill(params.W2, H * K);
  fill(params.b2, K);
  for (let i = 0; i < n; i++) ws.y[i] = c.labels[i % c.labels.length]! % Math.max(K, 2);
  const activation = ACTIVATIONS[c.activation];
  const correct = forwardInto(backend, ws, params, n, activation, ws.losses, 0, n);
  backwardInto(backend, ws, params, n, activation);
  const copy = (buffer: Float64Array, length: number) => buffer.slice(0, length);
  return {
    correct: Float64Array.of(correct),
    z1: copy(ws.z1, n * H),
    a1: copy(ws.a1, n * H),
    z2: copy(ws.z2, n * K),
    losses: copy(ws.losses, n),
    dz2: copy(ws.dz2, n * K),
    dz1: copy(ws.dz1, n * H),
    dW1: copy(ws.grads.W1, D * H),
    db1: copy(ws.grads.b1, H),
    dW2: copy(ws.grads.W2, H * K),
    db2: copy(ws.grads.b2, K),
  };
}

function expectSameEntries(actual: Record<string, Float64Array>, expected: typeof actual) {
  for (const [name, want] of Object.entries(expected)) {
    const got = actual[name]!;
    expect(got.length, name).toBe(want.length);
    for (let i = 0; i < want.length; i++) {
      if (!Object.is(got[i], want[i])) {
        throw new Error(`${name}[${i}] is ${got[i]}, the step-by-step path's ${want[i]}`);
      }
    }
  }
}

const entry = fc.oneof(
  { weight: 12, arbitrary: fc.double({ min: -3, max: 3, noNaN: true }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 5e-324, -1e-310, 1e300, -40, 25),
  },
);

const cases: fc.Arbitrary<Case> = fc.record({
  n: fc.integer({ min: 1, max: 40 }),
  D: fc.integer({ min: 1, max: 9 }),
  H: fc.integer({ min: 1, max: 41 }),
  K: fc.constantFrom(1, 1, 2, 3),
  activation: fc.constantFrom("relu" as const, "leaky-relu" as const, "tanh" as const),
  values: fc.array(entry, { minLength: 1, maxLength: 97 }),
  labels: fc.array(fc.nat({ max: 2 }), { minLength: 1, maxLength: 7 }),
});

function splitting(threads: number, phases = true): ThreadedWasmBackend {
  const backend = createThreadedWasmBackendSync({
    capacity: 1 << 16,
    threads,
    minFlopsPerThread: 0,
    phases,
  });
  if (!backend) throw new Error("threads unsupported here");
  return backend;
}

describe("a threaded backend's phases agree with the step-by-step path, entry by entry", () => {
  for (let threads = 2; threads <= 8; threads++) {
    it(`${threads} threads (fast-check: shapes, activations, heads, special values)`, () => {
      const backend = splitting(threads);
      let split = 0;
      fc.assert(
        fc.property(cases, (c) => {
          const before = backend.splitPhases;
          expectSameEntries(step(backend, c), step(jsBackend, c));
          // A phase splits when its rows (forward) or hidden units (backward) make ≥ 2 blocks of 4.
          const expected = (c.n >= 8 ? 1 : 0) + (c.H >= 8 ? 1 : 0);
          expect(backend.splitPhases - before).toBe(expected);
          split += expected;
        }),
        { seed: 100 + threads, numRuns: 60 },
      );
      expect(split).toBeGreaterThan(60);
    });
  }
});

describe("joins per training step", () => {
  // n = 32, D = H = 16, K = 1: every product has ≥ 8 rows of C, so each can be split.
  const c: Case = {
    n: 32,
    D: 16,
    H: 16,
    K: 1,
    activation: "relu",
    values: [0.5, -0.25, 1.5, -2, 0.125, 3, -0.75],
    labels: [0, 1, 1],
  };

  it("two with phases (forward, backward); five when each product is split on its own", () => {
    const expected = step(jsBackend, c);
    const phased = splitting(2);
    expectSameEntries(step(phased, c), expected);
    expect([phased.joins, phased.splitPhases, phased.splitProducts]).toEqual([2, 2, 0]);
    // phases: false, the design before: X W1, a1 W2, a1ᵀ δ2, δ2 W2ᵀ and Xᵀ δ1 each joined,
    // the element-wise passes between them on the main thread.
    const productWise = splitting(2, false);
    expectSameEntries(step(productWise, c), expected);
    expect([productWise.joins, productWise.splitPhases, productWise.splitProducts]).toEqual([
      5, 0, 5,
    ]);
  });

  it("phases with a size 0 are left to the step-by-step path (the kernels need sums of ≥ 1 term)", () => {
    const backend = splitting(2);
    const ws = makeWorkspace(backend, 4, 3, 5, 1);
    const params = makeParamBuffers(backend, 3, 5, 1);
    const relu = { name: "relu", slope: 0 } as const;
    expect(
      backend.phases!.forward(
        0,
        3,
        5,
        1,
        ws.X,
        params.W1,
        params.b1,
        params.W2,
        ws.z1,
        ws.a1,
        ws.z2,
        relu,
      ),
    ).toBe(false);
    expect(() =>
      backend.phases!.forward(
        4,
        3,
        5,
        1,
        ws.X,
        params.W1,
        params.b1,
        params.W2,
        ws.z1,
        ws.z1,
        ws.z2,
        relu,
      ),
    ).toThrow(/z1 overlaps a1/);
    expect(() =>
      backend.phases!.forward(
        4,
        3,
        5,
        1,
        new Float64Array(12),
        params.W1,
        params.b1,
        params.W2,
        ws.z1,
        ws.a1,
        ws.z2,
        relu,
      ),
    ).toThrow(/X is not a buffer of this backend's memory/);
    expect(() =>
      backend.phases!.forward(
        9,
        3,
        5,
        1,
        ws.X,
        params.W1,
        params.b1,
        params.W2,
        ws.z1,
        ws.a1,
        ws.z2,
        relu,
      ),
    ).toThrow(/X has 12 values, the shape needs 27/);
  });
});
