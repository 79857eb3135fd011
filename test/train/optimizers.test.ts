/**
 * The update rules against independent truth: on the quadratic f(θ) = ½ a θ² (gradient a θ)
 * every rule but adam is a linear recurrence whose iterates have a closed form; adam's first
 * steps are recomputed with decimal.js at 60 digits. Plus the clip and the refusals.
 */
import { Decimal as DecimalBase } from "decimal.js";
import { describe, expect, it } from "vitest";
import { filled, matrix } from "../../src/linalg/index.js";
import type { Grads, Params } from "../../src/nn/index.js";
import {
  clipByGlobalNorm,
  globalNorm,
  initialOptimizerState,
  optimizerSettings,
  optimizerStep,
  train,
  type OptimizerName,
} from "../../src/train/index.js";
import { randomBatch } from "../helpers.js";
import { initParams } from "../../src/nn/index.js";

/** 60-digit decimals. */
const Decimal = DecimalBase.clone({ precision: 60 });

/** The curvature a of each parameter's quadratic: four independent 1-D problems at once. */
const CURVATURE = { W1: 0.5, b1: 1, W2: 2, b2: 3 } as const;
const NAMES = ["W1", "b1", "W2", "b2"] as const;

function scalars(values: Record<(typeof NAMES)[number], number>): Params {
  return {
    W1: filled(1, 1, values.W1),
    b1: filled(1, 1, values.b1),
    W2: filled(1, 1, values.W2),
    b2: filled(1, 1, values.b2),
  };
}

/** The gradient of Σ ½ a θ² at θ. */
function quadraticGradient(params: Params): Grads {
  const g = (name: (typeof NAMES)[number]) => filled(1, 1, CURVATURE[name] * params[name].data[0]!);
  return { dW1: g("W1"), db1: g("b1"), dW2: g("W2"), db2: g("b2") };
}

/** θ_k for k = 0..steps by the library's rule on the quadratic, from θ0 = 1 for every parameter. */
function iterates(
  name: OptimizerName,
  eta: number,
  steps: number,
  extra: Parameters<typeof optimizerSettings>[0] = {},
): Record<(typeof NAMES)[number], number[]> {
  const settings = optimizerSettings({ optimizer: name, ...extra });
  let params = scalars({ W1: 1, b1: 1, W2: 1, b2: 1 });
  let state = initialOptimizerState(name, params);
  const out = { W1: [1], b1: [1], W2: [1], b2: [1] } as Record<(typeof NAMES)[number], number[]>;
  for (let k = 0; k < steps; k++) {
    ({ params, state } = optimizerStep(params, quadraticGradient(params), state, eta, settings));
    for (const n of NAMES) out[n].push(params[n].data[0]!);
  }
  return out;
}

/**
 * θ_k of the linear recurrence (θ, v)_{k+1} = M (θ, v)_k, (θ, v)_0 = (1, 0), in closed form
 * from the eigenvalues λ± of M = [[p, q], [r, s]]: θ_k = c₊ λ₊^k + c₋ λ₋^k with c± from θ_0
 * and θ_1 (real λ), or θ_k = ρ^k (C cos kφ + D sin kφ) (complex λ = ρ e^{±iφ}).
 */
function closedForm(p: number, q: number, r: number, s: number, k: number): number {
  const trace = p + s;
  const det = p * s - q * r;
  const disc = trace * trace - 4 * det;
  const theta0 = 1;
  const theta1 = p; // θ_1 = p θ_0 + q v_0
  if (disc > 0) {
    const l1 = (trace + Math.sqrt(disc)) / 2;
    const l2 = (trace - Math.sqrt(disc)) / 2;
    const c1 = (theta1 - l2 * theta0) / (l1 - l2);
    const c2 = theta0 - c1;
    return c1 * l1 ** k + c2 * l2 ** k;
  }
  const rho = Math.sqrt(det);
  const phi = Math.atan2(Math.sqrt(-disc) / 2, trace / 2);
  const C = theta0;
  const D = (theta1 / rho - C * Math.cos(phi)) / Math.sin(phi);
  return rho ** k * (C * Math.cos(k * phi) + D * Math.sin(k * phi));
}

function expectClose(actual: number, expected: number, what: string): void {
  expect(Math.abs(actual - expected), what).toBeLessThanOrEqual(
    1e-12 * Math.max(1, Math.abs(expected)),
  );
}

describe("the update rules on f(θ) = ½ a θ² follow their closed forms", () => {
  it("sgd: θ_k = (1 − η a)^k θ_0", () => {
    const eta = 0.3;
    const got = iterates("sgd", eta, 40);
    for (const n of NAMES) {
      got[n].forEach((theta, k) =>
        expectClose(theta, (1 - eta * CURVATURE[n]) ** k, `${n}, k = ${k}`),
      );
    }
  });

  for (const mu of [0.3, 0.9]) {
    it(`momentum μ = ${mu}: θ_{k+1} = θ_k − η v_{k+1}, v_{k+1} = μ v_k + a θ_k (M = [[1 − ηa, −ημ], [a, μ]])`, () => {
      const eta = 0.1;
      const got = iterates("momentum", eta, 60, { momentum: mu });
      for (const n of NAMES) {
        const a = CURVATURE[n];
        got[n].forEach((theta, k) =>
          expectClose(theta, closedForm(1 - eta * a, -eta * mu, a, mu, k), `${n}, k = ${k}`),
        );
      }
    });

    it(`nesterov μ = ${mu}: θ_{k+1} = θ_k − η(a θ_k + μ v_{k+1}) (M = [[1 − ηa(1 + μ), −ημ²], [a, μ]])`, () => {
      const eta = 0.1;
      const got = iterates("nesterov", eta, 60, { momentum: mu });
      for (const n of NAMES) {
        const a = CURVATURE[n];
        got[n].forEach((theta, k) =>
          expectClose(
            theta,
            closedForm(1 - eta * a * (1 + mu), -eta * mu * mu, a, mu, k),
            `${n}, k = ${k}`,
          ),
        );
      }
    });
  }

  it("adam: the first 25 steps match a 60-digit decimal.js computation of Algorithm 1", () => {
    const [eta, beta1, beta2, eps] = [0.05, 0.9, 0.999, 1e-8];
    const got = iterates("adam", eta, 25, { beta1, beta2, adamEps: eps });
    for (const n of NAMES) {
      const a = new Decimal(CURVATURE[n]);
      let theta = new Decimal(1);
      let m = new Decimal(0);
      let v = new Decimal(0);
      const [b1, b2] = [new Decimal(beta1), new Decimal(beta2)];
      for (let t = 1; t <= 25; t++) {
        const g = a.times(theta);
        m = b1.times(m).plus(new Decimal(1).minus(b1).times(g));
        v = b2.times(v).plus(new Decimal(1).minus(b2).times(g.times(g)));
        const mHat = m.div(new Decimal(1).minus(b1.pow(t)));
        const vHat = v.div(new Decimal(1).minus(b2.pow(t)));
        theta = theta.minus(new Decimal(eta).times(mHat).div(vHat.sqrt().plus(eps)));
        const actual = got[n][t]!;
        const error = Math.abs(actual - theta.toNumber());
        expect(error, `${n}, t = ${t}`).toBeLessThanOrEqual(
          1e-14 * Math.max(1, Math.abs(theta.toNumber())),
        );
      }
    }
  });

  it("adam's first step moves every parameter by η (m̂/√v̂ = sign g when ε ≪ |g|)", () => {
    const got = iterates("adam", 0.01, 1);
    for (const n of NAMES) {
      const g = CURVATURE[n]; // a θ_0; m̂ = g, v̂ = g², so the step is η g/(|g| + ε)
      expectClose(got[n][1]!, 1 - (0.01 * g) / (g + 1e-8), n);
    }
  });
});

describe("clipByGlobalNorm", () => {
  const grads: Grads = {
    dW1: matrix(1, 2, Float64Array.from([3, 0])),
    db1: matrix(1, 1, Float64Array.from([0])),
    dW2: matrix(2, 1, Float64Array.from([0, 4])),
    db2: matrix(1, 1, Float64Array.from([0])),
  }; // ‖g‖ = 5
  it("scales the four gradients together to norm c when ‖g‖ > c, and leaves them alone otherwise", () => {
    expect(globalNorm([grads.dW1.data, grads.db1.data, grads.dW2.data, grads.db2.data])).toBe(5);
    const clipped = clipByGlobalNorm(grads, 1);
    expect(clipped.dW1.data[0]).toBeCloseTo(3 / 5, 15);
    expect(clipped.dW2.data[1]).toBeCloseTo(4 / 5, 15);
    expect(globalNorm([clipped.dW1.data, clipped.dW2.data])).toBeCloseTo(1, 15);
    expect(clipByGlobalNorm(grads, 5)).toBe(grads);
    expect(clipByGlobalNorm(grads, 6)).toBe(grads);
  });

  it("the norm neither overflows nor underflows", () => {
    expect(globalNorm([Float64Array.from([3e300, 4e300])])).toBeCloseTo(5e300, -290);
    expect(globalNorm([Float64Array.from([3e-300, 4e-300])])).toBeCloseTo(5e-300, 310);
  });
});

describe("bad values are refused with one line", () => {
  const { X, y } = randomBatch(10, 2, 1);
  const start = initParams({ inputs: 2, hidden: 3, init: "xavier", seed: 1 });
  const base = { activation: "tanh", learningRate: 0.1, epochs: 2, batchSize: 5 } as const;
  const cases: [Record<string, unknown>, RegExp][] = [
    [
      { optimizer: "rmsprop" },
      /^unknown optimizer "rmsprop" \(known: sgd, momentum, nesterov, adam\)$/,
    ],
    [
      { optimizer: "momentum", momentum: -0.1 },
      /^momentum μ must be a number in \[0, 1\), got -0.1$/,
    ],
    [{ optimizer: "momentum", momentum: 1 }, /^momentum μ must be a number in \[0, 1\), got 1$/],
    [{ optimizer: "adam", beta1: 1 }, /^beta1 must be a number in \[0, 1\), got 1$/],
    [{ optimizer: "adam", beta2: -0.5 }, /^beta2 must be a number in \[0, 1\), got -0.5$/],
    [{ optimizer: "adam", adamEps: 0 }, /^adamEps must be a finite number > 0, got 0$/],
    [{ l2: -1 }, /^train: the L2 penalty λ must be a finite number ≥ 0, got -1$/],
    [{ l2: Infinity }, /the L2 penalty λ must be a finite number ≥ 0/],
    [{ clipNorm: 0 }, /^clipNorm must be a finite number > 0, got 0$/],
    [{ schedule: "linear" }, /^unknown schedule "linear" \(known: constant, step, cosine\)$/],
    [{ schedule: "step" }, /^schedule "step" needs decayEvery, the epochs between decays$/],
    [
      { schedule: "step", decayEvery: 1, decayRate: 0 },
      /^decayRate γ must be a number in \(0, 1\]/,
    ],
    [{ schedule: "step", decayEvery: 1.5 }, /^decayEvery must be a positive integer/],
    [{ schedule: "cosine", lrMin: 0.2 }, /^lrMin must be a number in \[0, 0.1\]/],
    [{ warmup: 5 }, /^the warm-up \(5 steps\) is longer than the run \(4 steps\)$/],
    [{ warmup: -1 }, /^warmup must be a non-negative integer/],
    [{ patience: 3 }, /^early stopping \(patience\) needs validation data to watch$/],
  ];
  for (const [extra, message] of cases) {
    it(`${JSON.stringify(extra)}: ${message.source}`, () => {
      expect(() => train(start, { X, y }, { ...base, ...extra })).toThrow(message);
    });
  }

  it("a warm-up as long as the run is fine", () => {
    expect(() => train(start, { X, y }, { ...base, warmup: 4 })).not.toThrow();
  });
});
