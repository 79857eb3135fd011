/**
 * The playground's settings and their query-string form: a link with the same query
 * reproduces the run (same seed → same data, initialisation and shuffling).
 */
import {
  ACTIVATION_NAMES,
  INIT_NAMES,
  type ActivationName,
  type InitName,
} from "../../../src/nn/index.js";
import { TOY_NAMES, type ToyName } from "../../../src/data/index.js";

export interface Settings {
  readonly dataset: ToyName;
  /** Std of the Gaussian noise on each feature. */
  readonly noise: number;
  /** Rows N of the toy data set. */
  readonly samples: number;
  /** Classes K (2: sigmoid head; K ≥ 3, spirals and blobs only: softmax head). */
  readonly classes: number;
  /** The fraction of rows held out as the test set. */
  readonly testFraction: number;
  /** Hidden units H. */
  readonly hidden: number;
  readonly activation: ActivationName;
  readonly init: InitName;
  /** η > 0. */
  readonly learningRate: number;
  /** Rows per step B. */
  readonly batchSize: number;
  readonly seed: number;
}

export const DEFAULT_SETTINGS: Settings = {
  dataset: "moons",
  noise: 0.1,
  samples: 400,
  classes: 2,
  testFraction: 0.3,
  hidden: 16,
  activation: "tanh",
  init: "xavier",
  learningRate: 0.3,
  batchSize: 16,
  seed: 0,
};

/** The range each numeric setting may take (the controls' min and max). */
export const LIMITS = {
  noise: { min: 0, max: 2 },
  samples: { min: 20, max: 5000 },
  classes: { min: 2, max: 8 },
  testFraction: { min: 0.1, max: 0.9 },
  hidden: { min: 1, max: 256 },
  learningRate: { min: 1e-4, max: 10 },
  batchSize: { min: 1, max: 5000 },
  seed: { min: 0, max: 2 ** 31 - 1 },
} as const;

/** The data sets with more than two classes (see src/data/toy.ts). */
export const MULTICLASS_SETS: readonly ToyName[] = ["spirals", "blobs"];

/** Query keys, short enough for a link. */
const KEYS: Record<keyof Settings, string> = {
  dataset: "data",
  noise: "noise",
  samples: "n",
  classes: "k",
  testFraction: "test",
  hidden: "h",
  activation: "act",
  init: "init",
  learningRate: "lr",
  batchSize: "b",
  seed: "seed",
};

const INTEGER_SETTINGS = new Set<keyof Settings>([
  "samples",
  "classes",
  "hidden",
  "batchSize",
  "seed",
]);

/** The settings as a query string (numbers in their shortest round-trip form). */
export function encodeSettings(s: Settings): string {
  const query = new URLSearchParams();
  for (const key of Object.keys(KEYS) as (keyof Settings)[]) query.set(KEYS[key], String(s[key]));
  return query.toString();
}

/**
 * The settings a query string gives: each key read when valid, else its default; then made
 * consistent (classes 2 for the binary-only data sets).
 */
export function decodeSettings(query: string): Settings {
  const params = new URLSearchParams(query);
  const read = <K extends keyof Settings>(
    key: K,
    parse: (text: string) => Settings[K] | undefined,
  ): Settings[K] => {
    const text = params.get(KEYS[key]);
    return (text === null ? undefined : parse(text)) ?? DEFAULT_SETTINGS[key];
  };
  const choice =
    <T extends string>(known: readonly T[]) =>
    (text: string): T | undefined =>
      known.find((k) => k === text);
  const numeric =
    (key: keyof typeof LIMITS) =>
    (text: string): number | undefined =>
      clampSetting(key, Number(text));
  const s: Settings = {
    dataset: read("dataset", choice(TOY_NAMES)),
    noise: read("noise", numeric("noise")),
    samples: read("samples", numeric("samples")),
    classes: read("classes", numeric("classes")),
    testFraction: read("testFraction", numeric("testFraction")),
    hidden: read("hidden", numeric("hidden")),
    activation: read("activation", choice(ACTIVATION_NAMES)),
    init: read("init", choice(INIT_NAMES)),
    learningRate: read("learningRate", numeric("learningRate")),
    batchSize: read("batchSize", numeric("batchSize")),
    seed: read("seed", numeric("seed")),
  };
  return consistent(s);
}

/**
 * A numeric setting's value when it is a number: clamped into its range (integers rounded),
 * or undefined for text that is not a finite number.
 */
export function clampSetting(key: keyof typeof LIMITS, value: number): number | undefined {
  if (!Number.isFinite(value)) return undefined;
  const { min, max } = LIMITS[key];
  const x = INTEGER_SETTINGS.has(key) ? Math.round(value) : value;
  return Math.min(max, Math.max(min, x));
}

/** Classes 2 for moons, circles and xor (they have two); at least one row per class. */
export function consistent(s: Settings): Settings {
  const classes = MULTICLASS_SETS.includes(s.dataset) ? s.classes : 2;
  return { ...s, classes, samples: Math.max(s.samples, classes) };
}
