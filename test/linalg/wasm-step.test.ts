/**
 * The WebAssembly fused step (WasmBackend.step, kernels.wat's "step" section) against the
 * JavaScript path of nn/fast-network.ts on the JavaScript backend (forwardInto, backwardInto,
 * the plain kernels' loops) and fast-update.ts's θ − η g: every buffer the same bits (+0 told
 * from −0, NaN only required to stay NaN), for random shapes (odd H and D, K = 1 to 3), rows
 * gathered by index or taken in order, relu, leaky relu and tanh, and values from every range
 * (tanh's series and exp sides, saturated units past |z| = 20, ±0, subnormals, ±∞, NaN). Also:
 * what bind and the bound calls refuse.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createWasmBackendSync, jsBackend, type StepBuffers } from "../../src/linalg/index.js";
import { wasmSimdSupported, WasmBackend } from "../../src/linalg/wasm/backend.js";
import {
  ACTIVATIONS,
  backwardInto,
  forwardInto,
  LEAKY_SLOPE,
  makeParamBuffers,
  makeWorkspace,
  outputInto,
  type ParamBuffers,
  type Workspace,
} from "../../src/nn/index.js";
import { expectSameBits } from "./same-bits.js";

const value = fc.oneof(
  { weight: 6, arbitrary: fc.double({ min: -3, max: 3, noNaN: true }) },
  { weight: 2, arbitrary: fc.double({ min: -0.2, max: 0.2, noNaN: true }) },
  { weight: 2, arbitrary: fc.double({ min: -40, max: 40, noNaN: true }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(0, -0, 5e-324, -1e-310, 0.1733, 20, -21, 600, 1e300),
  },
  { weight: 1, arbitrary: fc.constantFrom(Infinity, -Infinity, NaN) },
);

const STEP_ACTIVATIONS = ["relu", "leaky-relu", "tanh"] as const;

const cases = fc
  .record({
    N: fc.integer({ min: 1, max: 12 }),
    rows: fc.integer({ min: 1, max: 6 }),
    D: fc.integer({ min: 1, max: 5 }),
    H: fc.integer({ min: 1, max: 9 }),
    K: fc.integer({ min: 1, max: 3 }),
    activation: fc.constantFrom(...STEP_ACTIVATIONS),
    shuffled: fc.boolean(),
    l2: fc.constantFrom(0, 0, 0.01, 3),
    eta: fc.constantFrom(0.1, 0.5, 1e300),
    seed: fc.integer(),
  })
  .chain((c) =>
    fc.record({
      c: fc.constant(c),
      n: fc.integer({ min: 1, max: Math.min(c.rows, c.N) }),
      start: fc.nat(c.N - 1),
      order: fc.shuffledSubarray(
        Array.from({ length: c.N }, (_, i) => i),
        { minLength: c.N, maxLength: c.N },
      ),
      X: fc.array(value, { minLength: c.N * c.D, maxLength: c.N * c.D }),
      labels: fc.array(fc.nat(c.K === 1 ? 1 : c.K - 1), { minLength: c.N, maxLength: c.N }),
      weights: fc.array(value, {
        minLength: c.D * c.H + c.H + c.H * c.K + c.K,
        maxLength: c.D * c.H + c.H + c.H * c.K + c.K,
      }),
    }),
  );

function fill(params: ParamBuffers, weights: number[]): void {
  let at = 0;
  for (const name of ["W1", "b1", "W2", "b2"] as const) {
    const buffer = params[name];
    buffer.set(weights.slice(at, at + buffer.length));
    at += buffer.length;
  }
}

function expectSameParams(actual: ParamBuffers, expected: ParamBuffers, what: string): void {
  for (const name of ["W1", "b1", "W2", "b2"] as const) {
    expectSameBits(actual[name], expected[name], `${what} ${name}`);
  }
}

const allFinite = (p: ParamBuffers): boolean =>
  [p.W1, p.b1, p.W2, p.b2].every((b) => b.every((x) => Number.isFinite(x)));

describe.runIf(wasmSimdSupported())("the WebAssembly fused step", () => {
  const backend = createWasmBackendSync({ capacity: 1 << 16 }) as WasmBackend;

  function stepBuffers(ws: Workspace, params: ParamBuffers, X: number[], y: number[]) {
    return {
      activation: "tanh",
      slope: 0,
      data: { X: Float64Array.from(X), y: Float64Array.from(y) },
      batch: ws,
      params,
      grads: ws.grads,
    } satisfies StepBuffers;
  }

  it("forward, the output layer, backward and descend give the JavaScript path's bits", () => {
    fc.assert(
      fc.property(cases, ({ c, n: count, start: from, order, X, labels, weights }) => {
        const { N, rows, D, H, K, l2, eta } = c;
        const activation = ACTIVATIONS[c.activation];
        const slope = c.activation === "leaky-relu" ? LEAKY_SLOPE : 0;
        const n = count;
        const start = Math.min(from, N - n); // rows start..start+n−1 of the set or of the order
        const rowOrder = Uint32Array.from(order);
        const rowAt = (r: number): number => (c.shuffled ? rowOrder[start + r]! : start + r);

        backend.reset();
        const ws = makeWorkspace(backend, rows, D, H, K);
        const params = makeParamBuffers(backend, D, H, K);
        fill(params, weights);
        const bound = backend.step.bind({
          ...stepBuffers(ws, params, X, labels),
          activation: c.activation,
          slope,
        });
        if (!bound) throw new Error("bind refused a backend with room");

        const js = makeWorkspace(jsBackend, rows, D, H, K);
        const jsParams = makeParamBuffers(jsBackend, D, H, K);
        fill(jsParams, weights);
        for (let r = 0; r < n; r++) {
          js.X.set(X.slice(rowAt(r) * D, (rowAt(r) + 1) * D), r * D);
          js.y[r] = labels[rowAt(r)]!;
        }

        bound.forward(n, c.shuffled ? rowOrder : null, start);
        const losses = new Float64Array(n);
        const correct = outputInto(ws, params, n, losses, 0, n);
        const jsLosses = new Float64Array(n);
        const jsCorrect = forwardInto(jsBackend, js, jsParams, n, activation, jsLosses, 0, n);
        expect(correct).toBe(jsCorrect);
        for (const name of ["X", "y", "z1", "a1", "z2", "dz2"] as const) {
          const length = (name === "X" ? D : name === "y" ? 1 : name[1] === "1" ? H : K) * n;
          expectSameBits(ws[name].subarray(0, length), js[name].subarray(0, length), name);
        }
        expectSameBits(losses, jsLosses, "losses");

        const finite = bound.backward(n, l2);
        backwardInto(jsBackend, js, jsParams, n, activation, l2);
        expectSameBits(ws.dz1.subarray(0, n * H), js.dz1.subarray(0, n * H), "δ1");
        expectSameParams(ws.grads, js.grads, "gradient");
        expect(finite).toBe(allFinite(js.grads));

        const paramsFinite = bound.descend(eta);
        for (const name of ["W1", "b1", "W2", "b2"] as const) {
          const [theta, g] = [jsParams[name], js.grads[name]];
          for (let i = 0; i < theta.length; i++) theta[i] = theta[i]! - eta * g[i]!; // θ − η g
        }
        expectSameParams(params, jsParams, "θ");
        expect(paramsFinite).toBe(allFinite(jsParams));
      }),
      { seed: 17, numRuns: 600 },
    );
  });

  it("bind refuses foreign, short and overlapping buffers; returns undefined without a kernel or room", () => {
    backend.reset();
    const ws = makeWorkspace(backend, 4, 3, 5, 1);
    const params = makeParamBuffers(backend, 3, 5, 1);
    const run = stepBuffers(ws, params, Array(30).fill(1), Array(10).fill(0));
    expect(() =>
      backend.step.bind({ ...run, params: { ...params, W1: new Float64Array(15) } }),
    ).toThrow(/W1 is not a buffer of this backend's memory/);
    expect(() =>
      backend.step.bind({ ...run, grads: { ...ws.grads, b1: backend.alloc(4) } }),
    ).toThrow(/db1 has 4 values, the shape needs 5/);
    expect(() => backend.step.bind({ ...run, batch: { ...ws, a1: ws.z1 } })).toThrow(
      /z1 overlaps a1/,
    );
    expect(() =>
      backend.step.bind({ ...run, data: { X: new Float64Array(29), y: run.data.y } }),
    ).toThrow(/X has 29 values/);
    expect(backend.step.bind({ ...run, activation: "sigmoid" })).toBeUndefined();
    const small = createWasmBackendSync({ capacity: 200 }) as WasmBackend;
    const tight = makeWorkspace(small, 4, 3, 5, 1);
    const tightParams = makeParamBuffers(small, 3, 5, 1);
    const big = stepBuffers(tight, tightParams, Array(9000).fill(1), Array(3000).fill(0));
    expect(small.step.bind(big)).toBeUndefined(); // the set's copy does not fit in its one page
  });

  it("the bound calls refuse a batch size, a row or an order outside the run", () => {
    backend.reset();
    const ws = makeWorkspace(backend, 4, 3, 5, 1);
    const params = makeParamBuffers(backend, 3, 5, 1);
    const bound = backend.step.bind(stepBuffers(ws, params, Array(30).fill(1), Array(10).fill(0)));
    if (!bound) throw new Error("bind refused");
    expect(() => bound.forward(0, null, 0)).toThrow(/n must be an integer from 1 to 4, got 0/);
    expect(() => bound.forward(5, null, 0)).toThrow(/n must be an integer from 1 to 4, got 5/);
    expect(() => bound.forward(4, null, 7)).toThrow(/rows 7\.\.10 of 10/);
    expect(() => bound.forward(2, Uint32Array.of(3, 10), 0)).toThrow(/order\[1\] is not a row/);
    expect(() => bound.forward(3, Uint32Array.of(3, 1), 0)).toThrow(/order\[2\] is not a row/);
    expect(() => bound.backward(1.5, 0)).toThrow(/n must be an integer/);
  });
});
