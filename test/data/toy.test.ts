import { describe, expect, it } from "vitest";
import { makeDataset, TOY_NAMES, type ToyName } from "../../src/data/index.js";
import { UsageError } from "../../src/errors.js";
import type { Matrix } from "../../src/linalg/index.js";
import { initParams } from "../../src/nn/index.js";
import { train } from "../../src/train/index.js";

/** Rows (x1, x2, label) of a toy data set. */
function points(
  name: ToyName,
  options: Parameters<typeof makeDataset>[1] = {},
): [number, number, number][] {
  const { X, y } = makeDataset(name, options);
  return Array.from({ length: X.rows }, (_, i) => [X.data[2 * i]!, X.data[2 * i + 1]!, y.data[i]!]);
}

function labelCounts(y: Matrix, K: number): number[] {
  const counts = new Array<number>(K).fill(0);
  for (const label of y.data) counts[label] = (counts[label] ?? 0) + 1;
  return counts;
}

/** The bytes of a matrix: equal bytes ⇔ bit-identical values. */
function bytes(A: Matrix): Buffer {
  return Buffer.from(A.data.buffer, A.data.byteOffset, A.data.byteLength);
}

/** The angle a − b reduced to (−π, π]. */
function angleBetween(a: number, b: number): number {
  const d = (a - b) % (2 * Math.PI);
  return d > Math.PI ? d - 2 * Math.PI : d <= -Math.PI ? d + 2 * Math.PI : d;
}

describe("every toy data set", () => {
  for (const name of TOY_NAMES) {
    it(`${name}: 400 rows of (x1, x2) by default, labels 0/1 balanced 200/200, finite`, () => {
      const ds = makeDataset(name);
      expect([ds.X.rows, ds.X.cols, ds.y.rows, ds.y.cols]).toEqual([400, 2, 400, 1]);
      expect(ds.featureNames).toEqual(["x1", "x2"]);
      expect(ds.labelName).toBe("label");
      expect(labelCounts(ds.y, 2)).toEqual([200, 200]);
      expect(ds.X.data.every(Number.isFinite)).toBe(true);
    });

    it(`${name}: an odd number of rows splits into classes of sizes differing by 1`, () => {
      const ds = makeDataset(name, { samples: 7, seed: 3 });
      expect(labelCounts(ds.y, 2).sort()).toEqual([3, 4]);
    });

    it(`${name}: rows are shuffled, so the classes are interleaved`, () => {
      const { y } = makeDataset(name, { seed: 5 });
      let changes = 0;
      for (let i = 1; i < y.rows; i++) if (y.data[i] !== y.data[i - 1]) changes++;
      // Independent fair labels change about N/2 = 200 times; class-ordered rows change once.
      expect(changes).toBeGreaterThan(150);
    });

    it(`${name}: the same seed gives bit-identical data, another seed different data`, () => {
      const a = makeDataset(name, { seed: 42, samples: 300 });
      const b = makeDataset(name, { seed: 42, samples: 300 });
      const c = makeDataset(name, { seed: 43, samples: 300 });
      expect(bytes(a.X).equals(bytes(b.X))).toBe(true);
      expect(bytes(a.y).equals(bytes(b.y))).toBe(true);
      expect(bytes(a.X).equals(bytes(c.X))).toBe(false);
      expect(bytes(makeDataset(name).X).equals(bytes(makeDataset(name, { seed: 0 }).X))).toBe(true);
    });

    it(`${name}: one seed gives the same clean points at every noise level`, () => {
      const clean = points(name, { noise: 0, seed: 9 });
      const noisy = points(name, { noise: 0.001, seed: 9 });
      clean.forEach(([x1, x2, label], i) => {
        const [n1, n2, noisyLabel] = noisy[i]!;
        expect(noisyLabel).toBe(label);
        expect(Math.hypot(n1 - x1, n2 - x2)).toBeLessThan(0.001 * 7); // 7 standard deviations
      });
    });
  }
});

describe("the geometry of each set, without noise", () => {
  it("moons: class 0 on the upper unit half circle at (0, 0), class 1 on the lower one at (1, 0.5)", () => {
    for (const [x1, x2, label] of points("moons", { noise: 0 })) {
      if (label === 0) {
        expect(Math.hypot(x1, x2)).toBeCloseTo(1, 14);
        expect(x2).toBeGreaterThanOrEqual(0);
      } else {
        expect(Math.hypot(x1 - 1, x2 - 0.5)).toBeCloseTo(1, 14);
        expect(x2).toBeLessThanOrEqual(0.5);
      }
    }
  });

  it("moons: the arcs are covered end to end (x1 spans [−1, 1] and [0, 2])", () => {
    const rows = points("moons", { noise: 0, samples: 2000 });
    const span = (k: number): [number, number] => {
      const xs = rows.filter((r) => r[2] === k).map((r) => r[0]);
      return [Math.min(...xs), Math.max(...xs)];
    };
    const [lo0, hi0] = span(0);
    const [lo1, hi1] = span(1);
    expect(lo0).toBeLessThan(-0.99);
    expect(hi0).toBeGreaterThan(0.99);
    expect(lo1).toBeLessThan(0.01);
    expect(hi1).toBeGreaterThan(1.99);
  });

  it("circles: class 0 has radius 1 and class 1 radius 0.5, all around the circle", () => {
    const rows = points("circles", { noise: 0, samples: 1000 });
    for (const [x1, x2, label] of rows) {
      expect(Math.hypot(x1, x2)).toBeCloseTo(label === 0 ? 1 : 0.5, 15);
    }
    const quadrants = new Set(rows.map(([x1, x2]) => `${Math.sign(x1)}${Math.sign(x2)}`));
    expect(quadrants.size).toBe(4);
  });

  it("xor: points in [−1, 1]², label 1 exactly when x1·x2 < 0, every quadrant used equally often", () => {
    const rows = points("xor", { noise: 0, samples: 4000 });
    const perQuadrant = new Map<string, number>();
    for (const [x1, x2, label] of rows) {
      expect(Math.abs(x1)).toBeLessThanOrEqual(1);
      expect(Math.abs(x2)).toBeLessThanOrEqual(1);
      expect(label).toBe(x1 * x2 < 0 ? 1 : 0);
      const key = `${x1 > 0}${x2 > 0}`;
      perQuadrant.set(key, (perQuadrant.get(key) ?? 0) + 1);
    }
    // 1000 expected per quadrant; a binomial standard deviation is about 22.
    for (const count of perQuadrant.values()) expect(Math.abs(count - 1000)).toBeLessThan(120);
  });

  it("xor: the noise moves points but the labels stay those of the clean points", () => {
    const clean = points("xor", { noise: 0, seed: 4 });
    const noisy = points("xor", { noise: 0.3, seed: 4 });
    expect(noisy.map((r) => r[2])).toEqual(clean.map((r) => r[2]));
    expect(noisy.some(([x1, x2, label]) => label !== (x1 * x2 < 0 ? 1 : 0))).toBe(true);
  });

  for (const K of [2, 3, 5]) {
    it(`spirals (K = ${K}): arm k is r = t, θ = 2π·1.25·t + 2πk/K with 0 ≤ t ≤ 1`, () => {
      for (const [x1, x2, label] of points("spirals", { noise: 0, classes: K, samples: 600 })) {
        const r = Math.hypot(x1, x2);
        expect(r).toBeLessThanOrEqual(1 + 1e-15);
        if (r < 1e-9) continue; // the angle of the centre is undefined
        const expected = 2 * Math.PI * 1.25 * r + (2 * Math.PI * label) / K;
        expect(Math.abs(angleBetween(Math.atan2(x2, x1), expected))).toBeLessThan(1e-9);
      }
    });
  }

  it("spirals with noise 0.05 stay within 0.3 of the radius range [0, 1]", () => {
    for (const [x1, x2] of points("spirals")) expect(Math.hypot(x1, x2)).toBeLessThan(1.3);
  });
});

describe("blobs", () => {
  /** Centre k of K: on a circle whose radius puts neighbouring centres 4 apart. */
  const centre = (k: number, K: number): [number, number] => {
    const radius = 2 / Math.sin(Math.PI / K);
    return [radius * Math.cos((2 * Math.PI * k) / K), radius * Math.sin((2 * Math.PI * k) / K)];
  };

  it("with noise 0 every point is its class centre; neighbouring centres are 4 apart", () => {
    for (const K of [2, 3, 6]) {
      for (const [x1, x2, label] of points("blobs", { noise: 0, classes: K, samples: 60 })) {
        const [c1, c2] = centre(label, K);
        expect(x1).toBeCloseTo(c1, 12);
        expect(x2).toBeCloseTo(c2, 12);
      }
      const [a1, a2] = centre(0, K);
      const [b1, b2] = centre(1, K);
      expect(Math.hypot(a1 - b1, a2 - b2)).toBeCloseTo(4, 12);
    }
    expect(centre(0, 2)[0]).toBeCloseTo(2, 15);
  });

  it("class means lie near the centres and each class has standard deviation ≈ noise", () => {
    const K = 4;
    const noise = 0.8;
    const rows = points("blobs", { classes: K, samples: 8000, noise, seed: 11 });
    for (let k = 0; k < K; k++) {
      const own = rows.filter((r) => r[2] === k);
      expect(own).toHaveLength(2000);
      const [c1, c2] = centre(k, K);
      const mean1 = own.reduce((s, r) => s + r[0], 0) / own.length;
      const mean2 = own.reduce((s, r) => s + r[1], 0) / own.length;
      // The standard error of a mean of 2000 draws is 0.8/√2000 ≈ 0.018; allow 5 of them.
      expect(Math.abs(mean1 - c1)).toBeLessThan(0.09);
      expect(Math.abs(mean2 - c2)).toBeLessThan(0.09);
      const sd1 = Math.sqrt(own.reduce((s, r) => s + (r[0] - mean1) ** 2, 0) / own.length);
      expect(Math.abs(sd1 / noise - 1)).toBeLessThan(0.08);
    }
  });
});

describe("more than two classes", () => {
  for (const name of ["blobs", "spirals"] as const) {
    it(`${name} with K = 3 and 10 rows: labels 0, 1, 2 of sizes 4, 3, 3`, () => {
      const ds = makeDataset(name, { classes: 3, samples: 10 });
      expect(labelCounts(ds.y, 3)).toEqual([4, 3, 3]);
    });
  }
});

describe("bad options are UsageErrors that name the option and the value", () => {
  const cases: [string, () => unknown, RegExp][] = [
    ["an unknown name", () => makeDataset("mnist"), /"mnist".*moons, circles, xor, spirals, blobs/],
    ["a name in the wrong case", () => makeDataset("Moons"), /"Moons"/],
    ["1 sample", () => makeDataset("moons", { samples: 1 }), /samples .*got 1$/],
    ["0 samples", () => makeDataset("moons", { samples: 0 }), /samples .*got 0$/],
    [
      "fractional samples",
      () => makeDataset("moons", { samples: 2.5 }),
      /samples must be an integer.*got 2\.5/,
    ],
    ["NaN samples", () => makeDataset("moons", { samples: NaN }), /samples.*got NaN/],
    [
      "too many samples",
      () => makeDataset("moons", { samples: 10_000_001 }),
      /samples.*10000000.*got 10000001/,
    ],
    [
      "fewer samples than classes",
      () => makeDataset("blobs", { classes: 5, samples: 4 }),
      /samples.*from 5.*got 4/,
    ],
    [
      "negative noise",
      () => makeDataset("moons", { noise: -0.1 }),
      /noise must be a number from 0 to 1000000, got -0\.1/,
    ],
    ["NaN noise", () => makeDataset("moons", { noise: NaN }), /noise.*got NaN/],
    ["infinite noise", () => makeDataset("moons", { noise: Infinity }), /noise.*got Infinity/],
    ["a negative seed", () => makeDataset("moons", { seed: -1 }), /seed.*got -1/],
    ["a fractional seed", () => makeDataset("moons", { seed: 0.5 }), /seed.*got 0\.5/],
    ["an unsafe seed", () => makeDataset("moons", { seed: 2 ** 53 }), /seed.*got 9007199254740992/],
    [
      "3 classes of moons",
      () => makeDataset("moons", { classes: 3 }),
      /classes must be 2 for moons.*got 3/,
    ],
    [
      "3 classes of xor",
      () => makeDataset("xor", { classes: 3 }),
      /classes must be 2 for xor.*got 3/,
    ],
    [
      "1 class of circles",
      () => makeDataset("circles", { classes: 1 }),
      /classes must be 2 for circles.*got 1/,
    ],
    [
      "1 class of blobs",
      () => makeDataset("blobs", { classes: 1 }),
      /classes must be an integer ≥ 2, got 1/,
    ],
    ["2.5 classes of spirals", () => makeDataset("spirals", { classes: 2.5 }), /classes.*got 2\.5/],
  ];
  for (const [what, make, message] of cases) {
    it(what, () => {
      expect(make).toThrow(UsageError);
      expect(make).toThrow(message);
    });
  }
});

describe("the default noise keeps moons learnable", () => {
  it("a 16-unit tanh network reaches ≥ 97% training accuracy on the default moons", () => {
    const ds = makeDataset("moons");
    const initial = initParams({ inputs: 2, hidden: 16, init: "xavier", seed: 0 });
    const result = train(initial, ds, {
      activation: "tanh",
      learningRate: 0.3,
      epochs: 150,
      batchSize: 32,
      seed: 0,
    });
    expect(result.history.at(-1)!.accuracy).toBeGreaterThanOrEqual(0.97);
  });
});
