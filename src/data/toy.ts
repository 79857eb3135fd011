/**
 * Seeded two-dimensional toy data sets. Each one is a clean shape (a point per row, drawn
 * from the shape of its class) plus isotropic Gaussian noise of standard deviation `noise`
 * on both features. Classes are balanced (sizes differ by at most 1) and the rows are
 * shuffled, so the classes are interleaved.
 *
 * The noise is drawn even when it is 0, so one seed gives the same clean points at every
 * noise level: only the spread around them changes.
 *
 * Every angle is written in half-turns and goes through handgrad's own sinpi and cospi
 * (numerics/sinpi.ts), not Math.sin and Math.cos of a multiple of π: the same bits in every
 * engine, and exact values where the geometry has them (blob centres at quarter turns).
 */
import { UsageError } from "../errors.js";
import { matrix } from "../linalg/index.js";
import { cospi, sinpi } from "../numerics/sinpi.js";
import { Rng } from "../rng.js";
import { quote, suggestion } from "../suggest.js";
import type { Dataset } from "./dataset.js";

/** The toy data sets makeDataset can generate. */
export type ToyName = "moons" | "circles" | "xor" | "spirals" | "blobs";
/** Every ToyName, in the order the CLI lists them. */
export const TOY_NAMES: readonly ToyName[] = ["moons", "circles", "xor", "spirals", "blobs"];

/** makeDataset's options: rows, noise, seed and classes. */
export interface ToyOptions {
  /** Rows N: an integer from max(2, classes) to 10 000 000 (default 400). */
  readonly samples?: number | undefined;
  /** Standard deviation of the Gaussian noise on each feature (default: DEFAULT_NOISE). */
  readonly noise?: number | undefined;
  /** A non-negative safe integer (default 0). */
  readonly seed?: number | undefined;
  /** Classes K (default 2); blobs and spirals allow K ≥ 2, the others only 2. */
  readonly classes?: number | undefined;
}

export const DEFAULT_SAMPLES = 400;
export const MAX_SAMPLES = 10_000_000;

/** The largest noise accepted: the shapes are of size ~1, so more is noise alone (and far more overflows). */
export const MAX_NOISE = 1e6;

/**
 * The default noise of each set: the classes overlap a little (a few points sit on the
 * wrong side of the ideal boundary), yet a 16-unit tanh network fits them well.
 *   moons   0.1   as in the common two-moons generator; the arcs are 1 apart at their closest
 *   circles 0.1   radii 1 and 0.5: the 0.5 gap is 5 standard deviations
 *   xor     0.05  only points within ~0.1 of an axis can land in the wrong quadrant (~4%)
 *   spirals 0.05  neighbouring arms are 1/(K·TURNS) = 0.4 apart (K = 2): 8 standard deviations
 *   blobs   1     neighbouring centres are 4 apart: 2.3% of points fall past the midline
 */
export const DEFAULT_NOISE: Readonly<Record<ToyName, number>> = {
  moons: 0.1,
  circles: 0.1,
  xor: 0.05,
  spirals: 0.05,
  blobs: 1,
};

/** The turns each spiral arm makes around the origin (its radius grows from 0 to 1). */
export const SPIRAL_TURNS = 1.25;

/** The distance between neighbouring blob centres (the blob std is `noise`). */
export const BLOB_SPACING = 4;

/** The names that accept more than two classes. */
const MULTICLASS: readonly ToyName[] = ["spirals", "blobs"];

/** Draws one clean point (x1, x2) of class k out of K. */
type CleanPoint = (rng: Rng, k: number, K: number) => readonly [number, number];

const CLEAN_POINTS: Readonly<Record<ToyName, CleanPoint>> = {
  // Class 0: the upper half of the unit circle centred at (0, 0). Class 1: the lower half
  // of the unit circle centred at (1, 0.5), reaching into the first arc's mouth.
  moons: (rng, k) => {
    const t = rng.uniform(); // the angle πt, t ∈ [0, 1)
    return k === 0 ? [cospi(t), sinpi(t)] : [1 - cospi(t), 0.5 - sinpi(t)];
  },
  // Class 0 on the circle of radius 1, class 1 on the circle of radius 0.5, both at (0, 0).
  circles: (rng, k) => {
    const t = 2 * rng.uniform(); // the angle πt, t ∈ [0, 2)
    const radius = k === 0 ? 1 : 0.5;
    return [radius * cospi(t), radius * sinpi(t)];
  },
  // Uniform in [−1, 1]² given the class: class 1 where x1·x2 < 0 (quadrants 2 and 4),
  // class 0 where x1·x2 > 0. Magnitudes lie in (0, 1], so no clean point is on an axis.
  xor: (rng, k) => {
    const a = 1 - rng.uniform();
    const b = 1 - rng.uniform();
    const s1 = rng.uniform() < 0.5 ? -1 : 1;
    const s2 = k === 1 ? -s1 : s1;
    return [s1 * a, s2 * b];
  },
  // Arm k is the Archimedean spiral r = t, θ = 2π·TURNS·t + 2πk/K for t in [0, 1]; with
  // t = √u (u uniform) the points spread about evenly along the arm instead of crowding
  // at the centre.
  spirals: (rng, k, K) => {
    const t = Math.sqrt(rng.uniform());
    const theta = 2 * SPIRAL_TURNS * t + (2 * k) / K; // θ/π
    return [t * cospi(theta), t * sinpi(theta)];
  },
  // The centre of blob k: on a circle of radius R at angle 2πk/K, with R chosen so that
  // neighbouring centres are BLOB_SPACING apart (K = 2: centres (2, 0) and (−2, 0)).
  blobs: (_rng, k, K) => {
    const [c1, c2] = blobCentre(k, K);
    return [c1, c2];
  },
};

/** The centre of blob k out of K (the class mean of the blobs data set). */
export function blobCentre(k: number, K: number): readonly [number, number] {
  const radius = BLOB_SPACING / 2 / sinpi(1 / K);
  const angle = (2 * k) / K; // in half-turns
  return [radius * cospi(angle), radius * sinpi(angle)];
}

/**
 * The toy data set `name` with features x1, x2 and labels 0..K−1 in column "label".
 * Same options ⇒ bit-identical data. Throws a UsageError for an unknown name or a bad option.
 */
export function makeDataset(name: string, options: ToyOptions = {}): Dataset {
  const toy = toyName(name);
  const classes = checkClasses(toy, options.classes ?? 2);
  const samples = checkSamples(options.samples ?? DEFAULT_SAMPLES, classes);
  const noise = checkNoise(options.noise ?? DEFAULT_NOISE[toy]);
  const seed = checkSeed(options.seed ?? 0);

  const rng = new Rng(seed);
  const cleanPoint = CLEAN_POINTS[toy];
  const X = new Float64Array(samples * 2); // N×2, rows in class order
  const y = new Float64Array(samples); // N, labels in class order
  let row = 0;
  for (let k = 0; k < classes; k++) {
    for (let n = classSize(samples, classes, k); n > 0; n--, row++) {
      const [x1, x2] = cleanPoint(rng, k, classes);
      X[2 * row] = x1 + noise * rng.normal();
      X[2 * row + 1] = x2 + noise * rng.normal();
      y[row] = k;
    }
  }
  const order = rng.permutation(samples);
  const shuffledX = new Float64Array(samples * 2);
  const shuffledY = new Float64Array(samples);
  for (let i = 0; i < samples; i++) {
    const from = order[i] as number;
    shuffledX[2 * i] = X[2 * from] as number;
    shuffledX[2 * i + 1] = X[2 * from + 1] as number;
    shuffledY[i] = y[from] as number;
  }
  return {
    X: matrix(samples, 2, shuffledX),
    y: matrix(samples, 1, shuffledY),
    featureNames: ["x1", "x2"],
    labelName: "label",
  };
}

/** Rows of class k when N rows are split as evenly as possible among K classes. */
export function classSize(N: number, K: number, k: number): number {
  return Math.floor(N / K) + (k < N % K ? 1 : 0);
}

function toyName(name: string): ToyName {
  const toy = TOY_NAMES.find((known) => known === name);
  if (toy === undefined) {
    throw new UsageError(
      `unknown data set ${quote(name)}${suggestion(name, TOY_NAMES)}; the known data sets are ${TOY_NAMES.join(", ")}`,
    );
  }
  return toy;
}

function checkClasses(toy: ToyName, classes: number): number {
  if (!MULTICLASS.includes(toy)) {
    if (classes !== 2) {
      throw new UsageError(
        `classes must be 2 for ${toy} (only ${MULTICLASS.join(" and ")} have more), got ${classes}`,
      );
    }
  } else if (!Number.isSafeInteger(classes) || classes < 2) {
    throw new UsageError(`classes must be an integer ≥ 2, got ${classes}`);
  }
  return classes;
}

function checkSamples(samples: number, classes: number): number {
  const least = Math.max(2, classes);
  if (!Number.isInteger(samples) || samples < least || samples > MAX_SAMPLES) {
    throw new UsageError(
      `samples must be an integer from ${least} to ${MAX_SAMPLES}` +
        (classes > 2 ? ` (at least one per class)` : "") +
        `, got ${samples}`,
    );
  }
  return samples;
}

function checkNoise(noise: number): number {
  if (!Number.isFinite(noise) || noise < 0 || noise > MAX_NOISE) {
    throw new UsageError(`noise must be a number from 0 to ${MAX_NOISE}, got ${noise}`);
  }
  return noise;
}

function checkSeed(seed: number): number {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new UsageError(`seed must be a non-negative integer below 2^53, got ${seed}`);
  }
  return seed;
}
