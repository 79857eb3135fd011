import { describe, expect, it } from "vitest";
import { fitStandardizer, applyStandardizer } from "../../src/data/standardize.js";
import { makeDataset } from "../../src/data/toy.js";
import { fastestBackend, jsBackend, type Backend } from "../../src/linalg/index.js";
import {
  activationByName,
  ACTIVATION_NAMES,
  forward,
  initParams,
  type Params,
} from "../../src/nn/index.js";
import { boundsOf, GridEvaluator, gridPoints, GRID } from "../../web/src/lib/boundary.js";

describe("gridPoints", () => {
  it("puts point r·R + c at the centre of cell (r from the top, c from the left)", () => {
    const g = gridPoints({ lo1: 0, hi1: 1, lo2: 10, hi2: 12 }, 2);
    expect([...g.data]).toEqual([0.25, 11.5, 0.75, 11.5, 0.25, 10.5, 0.75, 10.5]);
  });

  it("boundsOf pads the bounding box by 10% of its size on every side", () => {
    const b = boundsOf(makeDataset("moons", { samples: 50 }).X);
    const X = makeDataset("moons", { samples: 50 }).X.data;
    const x1 = X.filter((_, i) => i % 2 === 0);
    const [lo, hi] = [Math.min(...x1), Math.max(...x1)];
    expect(b.lo1).toBeCloseTo(lo - 0.1 * (hi - lo), 12);
    expect(b.hi1).toBeCloseTo(hi + 0.1 * (hi - lo), 12);
  });
});

describe("the boundary grid", () => {
  const data = makeDataset("spirals", { samples: 90, classes: 3, seed: 2 });
  const points = gridPoints(boundsOf(data.X), GRID);
  const backends: [string, (values: number) => Backend][] = [
    ["WebAssembly", (values) => fastestBackend(values)],
    ["JavaScript", () => jsBackend],
  ];

  /** forward()'s probabilities as the grid's C = max(2, K) classes, in float32. */
  const expected = (params: Params, X: typeof points, name: string): Float32Array => {
    const { p } = forward(params, X, activationByName(name));
    if (p.cols > 1) return Float32Array.from(p.data);
    return Float32Array.from({ length: 2 * p.rows }, (_, i) =>
      i % 2 === 0 ? 1 - (p.data[i >> 1] as number) : (p.data[i >> 1] as number),
    );
  };

  for (const [backendName, makeBackend] of backends) {
    for (const K of [1, 3]) {
      for (const name of ACTIVATION_NAMES) {
        it(`equals the library's forward pass on the ${GRID}×${GRID} points (${backendName}, K = ${K}, ${name})`, () => {
          const params = initParams({
            inputs: 2,
            hidden: 7,
            outputs: K,
            init: "he",
            seed: 11,
            biasInit: 0.1,
          });
          const evaluator = new GridEvaluator(makeBackend, points, { H: 7, K });
          const grid = evaluator.evaluate(params, activationByName(name));
          expect(grid.classes).toBe(Math.max(2, K));
          expect(grid.probabilities).toEqual(expected(params, points, name));
          expect(grid.rgba.length).toBe(4 * GRID * GRID);
          expect(grid.rgba.filter((_, i) => i % 4 === 3).every((a) => a === 255)).toBe(true);
        });
      }
    }
  }

  it("standardises the grid points with the model's standardizer before the forward pass", () => {
    const s = fitStandardizer(data.X);
    const params = initParams({ inputs: 2, hidden: 5, outputs: 3, init: "xavier", seed: 3 });
    const grid = new GridEvaluator((v) => fastestBackend(v), points, { H: 5, K: 3 }, s).evaluate(
      params,
      activationByName("tanh"),
    );
    expect(grid.probabilities).toEqual(expected(params, applyStandardizer(points, s), "tanh"));
  });

  it("colours a point by its most likely class", () => {
    // b2 decides alone (W2 = 0): class 1 of a sigmoid head is certain everywhere
    const params = initParams({ inputs: 2, hidden: 3, init: "he", seed: 1 });
    const certain: Params = {
      ...params,
      W2: { ...params.W2, data: new Float64Array(3) },
      b2: { ...params.b2, data: Float64Array.of(50) },
    };
    const grid = new GridEvaluator(() => jsBackend, points, { H: 3, K: 1 }).evaluate(
      certain,
      activationByName("relu"),
    );
    // class 1 is orange (255, 127, 14): red above blue in every cell
    for (let i = 0; i < GRID * GRID; i++)
      expect(grid.rgba[4 * i]! > grid.rgba[4 * i + 2]!).toBe(true);
  });
});
