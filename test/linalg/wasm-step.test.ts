/**
 * The WebAssembly fused step (WasmBackend.step, kernels.wat's "step" section) against the
 * JavaScript path of nn/fast-network.ts on the JavaScript backend (forwardInto, backwardInto,
 * the plain kernels' loops) and fast-update.ts's θ − η g: every buffer the same bits (+0 told
 * from −0, NaN only required to stay NaN), for random shapes (odd H and D, K = 1 to 3), rows
 * gathered by index or taken in order, relu, leaky relu and tanh, and values from every range
 * (tanh's series and exp sides, saturated units past |z| = 20, ±0, subnormals, ±∞, NaN), and
 * for K = 1 the step with the sigmoid head in WebAssembly (forwardSigmoid, stepSigmoid). Also:
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
    rows: fc.integer({ min: 1, max: 9 }),
    D: fc.integer({ min: 1, max: 5 }),
    H: fc.integer({ min: 1, max: 9 }),
    K: fc.integer({ min: 1, max: 3 }),
    activation: fc.constantFrom(...STEP_ACTIVATIONS),
    l2: fc.constantFrom(0, 0, 0.01, 3),
    eta: fc.constantFrom(0.1, 0.5, 1e300),
  })
  .chain((c) =>
    fc.record({
      c: fc.constant(c),
      n: fc.integer({ min: 1, max: c.rows }),
      X: fc.array(value, { minLength: c.rows * c.D, maxLength: c.rows * c.D }),
      labels: fc.array(fc.nat(c.K === 1 ? 1 : c.K - 1), {
        minLength: c.rows,
        maxLength: c.rows,
      }),
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

  function stepBuffers(ws: Workspace, params: ParamBuffers) {
    const run = { activation: "tanh", slope: 0, batch: ws, params, grads: ws.grads };
    return run satisfies StepBuffers;
  }

  it("forward, the output layer, backward and descend give the JavaScript path's bits", () => {
    fc.assert(
      fc.property(cases, ({ c, n, X, labels, weights }) => {
        const { rows, D, H, K, l2, eta } = c;
        const activation = ACTIVATIONS[c.activation];
        const slope = c.activation === "leaky-relu" ? LEAKY_SLOPE : 0;

        backend.reset();
        const ws = makeWorkspace(backend, rows, D, H, K);
        const params = makeParamBuffers(backend, D, H, K);
        fill(params, weights);
        const run = { ...stepBuffers(ws, params), activation: c.activation, slope };
        const bound = backend.step.bind(run);
        if (!bound) throw new Error("bind refused a backend with room");

        const js = makeWorkspace(jsBackend, rows, D, H, K);
        const jsParams = makeParamBuffers(jsBackend, D, H, K);
        fill(jsParams, weights);
        for (const batch of [ws, js]) {
          batch.X.set(X);
          batch.y.set(labels);
        }

        bound.forward(n);
        const losses = new Float64Array(n);
        const correct = outputInto(ws, params, n, losses, 0, n);
        const jsLosses = new Float64Array(n);
        const jsCorrect = forwardInto(jsBackend, js, jsParams, n, activation, jsLosses, 0, n);
        expect(correct).toBe(jsCorrect);
        for (const name of ["z1", "a1", "z2", "dz2"] as const) {
          const length = (name[1] === "1" ? H : K) * n;
          expectSameBits(ws[name].subarray(0, length), js[name].subarray(0, length), name);
        }
        expectSameBits(losses, jsLosses, "losses");

        const finite = bound.backward(n, l2);
        backwardInto(jsBackend, js, jsParams, n, activation, l2);
        expectSameBits(ws.dz1.subarray(0, n * H), js.dz1.subarray(0, n * H), "δ1");
        expectSameParams(ws.grads, js.grads, "gradient");
        expect(finite).toBe(allFinite(js.grads));

        // K = 1: the sigmoid head in WebAssembly, as forwardSigmoid then backward, and as the
        // one call stepSigmoid, each on buffers of its own, against the same JavaScript values
        for (const oneCall of [false, true]) {
          if (K !== 1) break;
          const ws1 = makeWorkspace(backend, rows, D, H, K);
          const params1 = makeParamBuffers(backend, D, H, K);
          fill(params1, weights);
          const bound1 = backend.step.bind({ ...run, batch: ws1, params: params1, grads: ws1.grads }); // prettier-ignore
          if (!bound1?.forwardSigmoid || !bound1.stepSigmoid) throw new Error("no sigmoid step");
          ws1.X.set(X);
          ws1.y.set(labels);
          const what = oneCall ? "stepSigmoid" : "forwardSigmoid";
          if (oneCall) expect(bound1.stepSigmoid(n, 1 / n, l2), what).toBe(finite);
          else expect(bound1.forwardSigmoid(n, 1 / n), what).toBe(jsCorrect);
          for (const name of ["z1", "a1", "z2", "dz2"] as const) {
            const length = (name[1] === "1" ? H : K) * n;
            expectSameBits(ws1[name].subarray(0, length), js[name].subarray(0, length), `${what} ${name}`); // prettier-ignore
          }
          expectSameBits(ws1.losses.subarray(0, n), jsLosses, `${what} losses`);
          if (!oneCall) expect(bound1.backward(n, l2)).toBe(finite);
          expectSameBits(ws1.dz1.subarray(0, n * H), js.dz1.subarray(0, n * H), `${what} δ1`);
          expectSameParams(ws1.grads, js.grads, `${what} gradient`);
        }

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

  it("momentum, nesterov and Adam give fast-update.ts's bits and name what stopped being finite", () => {
    const sizes = fc.record({
      D: fc.integer({ min: 1, max: 4 }),
      H: fc.integer({ min: 1, max: 7 }),
    });
    const run = sizes.chain(({ D, H }) => {
      const length = D * H + H + H + 1; // K = 1
      const values = fc.array(value, { minLength: length, maxLength: length });
      return fc.record({
        D: fc.constant(D),
        H: fc.constant(H),
        theta: values,
        g: values,
        m: values,
        v: values.map((v) => v.map(Math.abs)), // Adam's v ≥ 0 (NaN stays NaN)
        eta: fc.constantFrom(0.1, 0.01, 1e300),
        mu: fc.constantFrom(0.9, 0.5),
        nesterov: fc.boolean(),
        t: fc.integer({ min: 1, max: 50 }),
      });
    });
    fc.assert(
      fc.property(run, ({ D, H, theta, g, m, v, eta, mu, nesterov, t }) => {
        backend.reset();
        const ws = makeWorkspace(backend, 2, D, H, 1);
        const params = makeParamBuffers(backend, D, H, 1);
        const bound = backend.step.bind({ ...stepBuffers(ws, params), momentSets: 2 });
        if (!bound) throw new Error("bind refused a backend with room");
        const [beta1, beta2, eps] = [0.9, 0.999, 1e-8];
        const [c1, c2] = [1 - beta1 ** t, 1 - beta2 ** t];
        for (const rule of ["momentum", "adam"] as const) {
          const [first, second] = bound.moments as [ParamBuffers, ParamBuffers];
          for (const [buffers, values] of [
            [params, theta],
            [ws.grads, g],
            [first, m],
            [second, v],
          ] as const) {
            fill(buffers, values);
          }
          const flags =
            rule === "momentum"
              ? bound.momentum(eta, mu, nesterov)
              : bound.adam(eta, beta1, beta2, eps, c1, c2);
          // The rules as fast-update.ts writes them, entry by entry.
          const [T, M, V] = [Float64Array.from(theta), Float64Array.from(m), Float64Array.from(v)];
          for (let i = 0; i < T.length; i++) {
            const gi = g[i]!;
            if (rule === "momentum") {
              M[i] = mu * M[i]! + gi; // v ← μ v + g
              T[i] = T[i]! - eta * (nesterov ? gi + mu * M[i]! : M[i]!);
            } else {
              M[i] = beta1 * M[i]! + (1 - beta1) * gi;
              V[i] = beta2 * V[i]! + (1 - beta2) * gi * gi;
              T[i] = T[i]! - eta * (M[i]! / c1 / (Math.sqrt(V[i]! / c2) + eps));
            }
          }
          const flat = (p: ParamBuffers) => Float64Array.from([...p.W1, ...p.b1, ...p.W2, ...p.b2]);
          expectSameBits(flat(params), T, `${rule} θ`);
          expectSameBits(flat(first), M, `${rule} first moment`);
          const notFinite = (a: Float64Array) => (a.every((x) => Number.isFinite(x)) ? 0 : 1);
          let expected = notFinite(T) | (notFinite(M) << 1);
          if (rule === "adam") {
            expectSameBits(flat(second), V, "adam v");
            expected |= notFinite(V) << 2;
          }
          expect(flags, rule).toBe(expected);
        }
      }),
      { seed: 5, numRuns: 400 },
    );
  });

  it("bind refuses foreign, short and overlapping buffers; returns undefined without a kernel or room", () => {
    backend.reset();
    const ws = makeWorkspace(backend, 4, 3, 5, 1);
    const params = makeParamBuffers(backend, 3, 5, 1);
    const run = stepBuffers(ws, params);
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
      backend.step.bind({ ...run, batch: { ...ws, losses: new Float64Array(4) } }),
    ).toThrow(/losses is not a buffer of this backend's memory/);
    expect(() => backend.step.bind({ ...run, batch: { ...ws, losses: ws.y } })).toThrow(
      /y overlaps losses/,
    );
    expect(backend.step.bind({ ...run, activation: "sigmoid" })).toBeUndefined();
    // One page (8192 values): the workspace and parameters take about 6900, f′(z1) 2000 more.
    const small = createWasmBackendSync({ capacity: 200 }) as WasmBackend;
    const full = stepBuffers(
      makeWorkspace(small, 100, 3, 20, 1),
      makeParamBuffers(small, 3, 20, 1),
    );
    expect(small.step.bind(full)).toBeUndefined();
  });

  it("the bound calls refuse a batch size outside the workspace's", () => {
    backend.reset();
    const bound = backend.step.bind(
      stepBuffers(makeWorkspace(backend, 4, 3, 5, 1), makeParamBuffers(backend, 3, 5, 1)),
    );
    if (!bound) throw new Error("bind refused");
    expect(() => bound.forward(0)).toThrow(/n must be an integer from 1 to 4, got 0/);
    expect(() => bound.forward(5)).toThrow(/n must be an integer from 1 to 4, got 5/);
    expect(() => bound.backward(1.5, 0)).toThrow(/n must be an integer from 1 to 4, got 1.5/);
    expect(() => bound.forwardSigmoid?.(5, 1)).toThrow(/forwardSigmoid: n must be an integer/);
    expect(() => bound.stepSigmoid?.(0, 1, 0)).toThrow(/stepSigmoid: n must be an integer/);
    // the sigmoid step is K = 1's only
    const two = backend.step.bind(
      stepBuffers(makeWorkspace(backend, 4, 3, 5, 2), makeParamBuffers(backend, 3, 5, 2)),
    );
    expect(two && [two.forwardSigmoid, two.stepSigmoid]).toEqual([undefined, undefined]);
  });
});
