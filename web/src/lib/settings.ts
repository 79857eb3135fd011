/**
 * The playground's settings and their query-string form: a link with the same query
 * reproduces the run (same seed → same data, initialisation and shuffling; the same optimizer,
 * penalty and schedule → the same steps). The optimizer's settings are written only when they
 * differ from their defaults, so a link from before they existed means the same run.
 */
import { UsageError } from "../../../src/errors.js";
import {
  ACTIVATION_NAMES,
  assertL2,
  INIT_NAMES,
  type ActivationName,
  type InitName,
} from "../../../src/nn/index.js";
import { parseDecimal, TOY_NAMES, type ToyName } from "../../../src/data/index.js";
import {
  DEFAULT_ADAM_EPS,
  DEFAULT_BETA1,
  DEFAULT_BETA2,
  DEFAULT_DECAY_RATE,
  DEFAULT_MOMENTUM,
  learningRateSchedule,
  OPTIMIZER_NAMES,
  OPTION_NAMES,
  optionActs,
  optimizerSettings,
  SCHEDULE_NAMES,
  type OptimizerName,
  type OptimizerOptions,
  type ScheduleName,
} from "../../../src/train/index.js";

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
  /** The update rule: sgd, momentum, nesterov or adam (src/train/optimizers.ts). */
  readonly optimizer: OptimizerName;
  /** μ ∈ [0, 1) of momentum and nesterov. */
  readonly momentum: number;
  /** Adam's β1, β2 ∈ [0, 1) and ε > 0. */
  readonly beta1: number;
  readonly beta2: number;
  readonly adamEps: number;
  /** λ ≥ 0 of the L2 penalty (λ/2)(‖W1‖² + ‖W2‖²); 0: none. */
  readonly l2: number;
  /** How η changes: constant, step (× decayRate every decayEvery epochs) or cosine (to lrMin). */
  readonly schedule: ScheduleName;
  readonly decayRate: number;
  readonly decayEvery: number;
  readonly lrMin: number;
  /** Warm-up steps S (η·t/S for t ≤ S); 0: none. */
  readonly warmup: number;
  /** The gradient's largest global norm c; 0: no clipping. */
  readonly clipNorm: number;
  /** The run's length in epochs, or null: until paused (a cosine schedule needs a length). */
  readonly epochs: number | null;
}

/** The page's step schedule decays every this many epochs unless told (the library requires E). */
export const DEFAULT_DECAY_EVERY = 20;
/** The run's length a cosine schedule gets when none is set. */
export const DEFAULT_COSINE_EPOCHS = 100;

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
  optimizer: "sgd",
  momentum: DEFAULT_MOMENTUM,
  beta1: DEFAULT_BETA1,
  beta2: DEFAULT_BETA2,
  adamEps: DEFAULT_ADAM_EPS,
  l2: 0,
  schedule: "constant",
  decayRate: DEFAULT_DECAY_RATE,
  decayEvery: DEFAULT_DECAY_EVERY,
  lrMin: 0,
  warmup: 0,
  clipNorm: 0,
  epochs: null,
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

/**
 * The Speed control's steps per second, slowest first (Infinity: full speed, the default). Not a
 * setting of the run (a new speed goes on with the same run), but the link carries it too, as
 * `speed=N` (none at full speed).
 */
export const SPEEDS: readonly number[] = [1, 2, 5, 10, 30, 100, 300, 1000, Infinity];
export const SPEED_KEY = "speed";

/** The link's `speed` value of a speed: steps per second, or undefined at full speed. */
export function speedText(stepsPerSecond: number): string | undefined {
  return stepsPerSecond === Infinity ? undefined : String(stepsPerSecond);
}

/** The most epochs a run may ask for (a run without a length stops there too). */
export const MAX_EPOCHS = 1_000_000;

/** The data sets with more than two classes (see src/data/toy.ts). */
export const MULTICLASS_SETS: readonly ToyName[] = ["spirals", "blobs"];

/** The optimizer's numeric settings: typed into their controls, checked by the library. */
export type TrainingKey =
  | "momentum"
  | "beta1"
  | "beta2"
  | "adamEps"
  | "l2"
  | "decayRate"
  | "decayEvery"
  | "lrMin"
  | "warmup"
  | "clipNorm"
  | "epochs";
export const TRAINING_KEYS: readonly TrainingKey[] = [
  "momentum",
  "beta1",
  "beta2",
  "adamEps",
  "l2",
  "decayRate",
  "decayEvery",
  "lrMin",
  "warmup",
  "clipNorm",
  "epochs",
];

/** The settings that may be left blank, and what blank means (0 or null: off). */
const BLANK_MEANS: Partial<Record<TrainingKey, number | null>> = { clipNorm: 0, epochs: null };

/**
 * Query keys, short enough for a link; the optimizer's are the CLI's option names (and written
 * only when not their defaults, see encodeSettings).
 */
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
  optimizer: OPTION_NAMES.optimizer,
  momentum: OPTION_NAMES.momentum,
  beta1: OPTION_NAMES.beta1,
  beta2: OPTION_NAMES.beta2,
  adamEps: OPTION_NAMES.adamEps,
  l2: OPTION_NAMES.l2,
  schedule: OPTION_NAMES.schedule,
  decayRate: OPTION_NAMES.decayRate,
  decayEvery: OPTION_NAMES.decayEvery,
  lrMin: OPTION_NAMES.lrMin,
  warmup: OPTION_NAMES.warmup,
  clipNorm: OPTION_NAMES.clipNorm,
  epochs: "epochs",
};

/** The keys every link carries (those from before the optimizer's settings). */
const ALWAYS_WRITTEN = new Set<keyof Settings>([
  "dataset",
  "noise",
  "samples",
  "classes",
  "testFraction",
  "hidden",
  "activation",
  "init",
  "learningRate",
  "batchSize",
  "seed",
]);

const INTEGER_SETTINGS = new Set<keyof Settings>([
  "samples",
  "classes",
  "hidden",
  "batchSize",
  "seed",
]);

/** The query key of a setting ("lr", "adam-eps", …). */
export function queryKey(key: keyof Settings): string {
  return KEYS[key];
}

/**
 * The settings as a query string (numbers in their shortest round-trip form); the optimizer's
 * settings only where they differ from the defaults, so that the default run's link is the
 * one it was before they existed.
 */
export function encodeSettings(s: Settings): string {
  const query = new URLSearchParams();
  for (const key of Object.keys(KEYS) as (keyof Settings)[]) {
    if (ALWAYS_WRITTEN.has(key) || !Object.is(s[key], DEFAULT_SETTINGS[key]))
      query.set(KEYS[key], String(s[key]));
  }
  return query.toString();
}

/**
 * The settings a query string gives: each key read when valid, else its default; then made
 * consistent (classes 2 for the binary-only data sets; see `consistent`). An optimizer's
 * setting the library refuses (β1 = 1, λ < 0, …) also gives way to its default.
 */
export function decodeSettings(query: string): Settings {
  return readLink(query).settings;
}

/**
 * A link's settings (decodeSettings') and, in the order of the query, one line for each of
 * its values that did not become the setting as written: what was refused, why, and what is
 * used instead (`h=abc: not a number; using 16`). A link never falls back silently: the page
 * shows these lines.
 */
export function readLink(query: string): {
  settings: Settings;
  /** Steps per second of the Speed control (Infinity: full speed). */
  speed: number;
  refused: string[];
} {
  const settings = decodeQuery(query);
  const byKey = new Map(
    (Object.entries(KEYS) as [keyof Settings, string][]).map(([key, name]) => [name, key]),
  );
  const refused: string[] = [];
  const speedOf = (text: string): number | undefined => {
    const asked = parseDecimal(text.trim());
    return Number.isFinite(asked) && SPEEDS.includes(asked) ? asked : undefined;
  };
  // The last valid speed, as decodeQuery takes the last value of a key.
  const speeds = new URLSearchParams(query).getAll(SPEED_KEY).map(speedOf);
  const speed = speeds.filter((s) => s !== undefined).at(-1) ?? Infinity;
  for (const [name, text] of new URLSearchParams(query)) {
    const key = byKey.get(name);
    const shown = `${name}=${text.length > 40 ? `${text.slice(0, 40)}…` : text}`;
    if (name === SPEED_KEY) {
      const known = SPEEDS.filter(Number.isFinite).join(", ");
      if (speedOf(text) === undefined)
        refused.push(
          `${shown}: not one of ${known} steps per second; using ${speedText(speed) ?? "full speed"}`,
        );
      continue;
    }
    if (key === undefined) {
      refused.push(`${shown}: not a setting; ignored`);
      continue;
    }
    const used = settings[key];
    const why = refusal(key, text.trim(), settings);
    if (why !== undefined)
      refused.push(`${shown}: ${why}; using ${used === null ? "none" : String(used)}`);
  }
  return { settings, speed, refused };
}

/** Why `text` did not become setting `key` (undefined when it did). */
function refusal(key: keyof Settings, text: string, s: Settings): string | undefined {
  const used = s[key];
  if (
    key === "dataset" ||
    key === "activation" ||
    key === "init" ||
    key === "optimizer" ||
    key === "schedule"
  ) {
    if (text === used) return undefined;
    if (key === "dataset" && text === "csv")
      return "a link cannot carry a CSV file (load it again with “Choose a CSV file”)";
    const known = {
      dataset: TOY_NAMES,
      activation: ACTIVATION_NAMES,
      init: INIT_NAMES,
      optimizer: OPTIMIZER_NAMES,
      schedule: SCHEDULE_NAMES,
    }[key];
    return `not one of ${known.join(", ")}`;
  }
  if (key in LIMITS) {
    const value = parseDecimal(text);
    if (!Number.isFinite(value)) return `"${text}" is not a number`;
    if (Object.is(value, used)) return undefined;
    const { min, max } = LIMITS[key as keyof typeof LIMITS];
    if (value < min || value > max) return `outside ${min} to ${max}`;
    if (INTEGER_SETTINGS.has(key) && !Number.isInteger(value)) return "not a whole number";
    if (key === "classes") return `${s.dataset} has two classes`;
    if (key === "samples") return `${s.dataset} needs a row per class`;
    return "changed";
  }
  const trainingKey = key as TrainingKey;
  const parsed = parseTrainingText(trainingKey, text);
  if ("problem" in parsed) return parsed.problem;
  if (Object.is(parsed.value, used)) return undefined;
  if (!usedTrainingKeys(s.optimizer, s.schedule).includes(trainingKey))
    return `not used with optimizer ${s.optimizer} and schedule ${s.schedule}`;
  return trainingProblems({ ...s, [trainingKey]: parsed.value })[trainingKey] ?? "changed";
}

/** The settings of a query string (see decodeSettings). */
function decodeQuery(query: string): Settings {
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
      clampSetting(key, parseDecimal(text));
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
    optimizer: read("optimizer", choice(OPTIMIZER_NAMES)),
    schedule: read("schedule", choice(SCHEDULE_NAMES)),
    ...Object.fromEntries(
      TRAINING_KEYS.map((key) => [
        key,
        read(key, (text) => {
          const parsed = parseTrainingText(key, text);
          return "value" in parsed ? parsed.value : undefined;
        }),
      ]),
    ),
  } as Settings;
  let checked = consistent(s);
  for (const key of Object.keys(trainingProblems(checked)) as TrainingKey[])
    checked = { ...checked, [key]: DEFAULT_SETTINGS[key] };
  return consistent(checked);
}

/**
 * An optimizer's setting as typed: its value (blank: off, for the clip and the epochs), or
 * what is wrong with the text. Ranges are trainingProblems' job.
 */
export function parseTrainingText(
  key: TrainingKey,
  text: string,
): { readonly value: number | null } | { readonly problem: string } {
  const trimmed = text.trim();
  if (trimmed === "") {
    const blank = BLANK_MEANS[key];
    return blank === undefined ? { problem: "enter a number" } : { value: blank };
  }
  // The grammar of the CLI's numbers and CSV cells: no hex ("0x10"), no "Infinity", no "1_000".
  const value = parseDecimal(trimmed);
  return Number.isFinite(value) ? { value } : { problem: `"${trimmed}" is not a number` };
}

/** The optimizer's numeric settings that act with this optimizer and schedule (the others are ignored). */
export function usedTrainingKeys(optimizer: OptimizerName, schedule: ScheduleName): TrainingKey[] {
  const context = { optimizer, schedule, earlyStopping: false };
  return TRAINING_KEYS.filter((key) => key === "epochs" || optionActs(key, context));
}

/**
 * What the library says against each optimizer's setting the run uses (those of the chosen
 * optimizer and schedule), in its own words; empty when all are fine. The warm-up's bound by
 * the run's steps needs the data's size: the worker's Trainer checks that one.
 */
export function trainingProblems(s: Settings): Partial<Record<TrainingKey, string>> {
  const problems: Partial<Record<TrainingKey, string>> = {};
  const check = (key: TrainingKey, test: () => void): void => {
    try {
      test();
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      problems[key] = error.message;
    }
  };
  const { optimizer, learningRate } = s;
  if (optimizer === "momentum" || optimizer === "nesterov")
    check("momentum", () => optimizerSettings({ optimizer, momentum: s.momentum }));
  if (optimizer === "adam") {
    check("beta1", () => optimizerSettings({ optimizer, beta1: s.beta1 }));
    check("beta2", () => optimizerSettings({ optimizer, beta2: s.beta2 }));
    check("adamEps", () => optimizerSettings({ optimizer, adamEps: s.adamEps }));
  }
  check("l2", () => {
    try {
      assertL2(s.l2, "l2");
    } catch (error) {
      // "l2: the L2 penalty λ must be …": the control names it already
      if (error instanceof UsageError) throw new UsageError(error.message.replace(/^l2: /, ""));
      throw error;
    }
  });
  const schedule = (options: Parameters<typeof learningRateSchedule>[0]): void => {
    learningRateSchedule(options, Infinity, 1);
  };
  if (s.schedule === "step") {
    check("decayRate", () => schedule({ learningRate, decayRate: s.decayRate, decayEvery: 1 }));
    check("decayEvery", () => schedule({ learningRate, decayEvery: s.decayEvery }));
  }
  if (s.schedule === "cosine") check("lrMin", () => schedule({ learningRate, lrMin: s.lrMin }));
  check("warmup", () => schedule({ learningRate, warmup: s.warmup }));
  if (!(Number.isFinite(s.clipNorm) && s.clipNorm >= 0))
    problems.clipNorm = `the gradient clip must be a number > 0 (blank: none), got ${s.clipNorm}`;
  if (s.epochs !== null && !(Number.isInteger(s.epochs) && s.epochs >= 1 && s.epochs <= MAX_EPOCHS))
    problems.epochs = `epochs must be an integer from 1 to ${MAX_EPOCHS} (blank: until paused), got ${s.epochs}`;
  return problems;
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

/**
 * Classes 2 for moons, circles and xor (they have two); at least one row per class; the
 * defaults for the hyper-parameters the chosen optimizer and schedule do not use (so that a
 * link names only what acts); a length for a cosine schedule, which anneals over the run.
 */
export function consistent(s: Settings): Settings {
  const classes = MULTICLASS_SETS.includes(s.dataset) ? s.classes : 2;
  const d = DEFAULT_SETTINGS;
  const usesMomentum = s.optimizer === "momentum" || s.optimizer === "nesterov";
  const adam = s.optimizer === "adam";
  return {
    ...s,
    classes,
    samples: Math.max(s.samples, classes),
    momentum: usesMomentum ? s.momentum : d.momentum,
    beta1: adam ? s.beta1 : d.beta1,
    beta2: adam ? s.beta2 : d.beta2,
    adamEps: adam ? s.adamEps : d.adamEps,
    decayRate: s.schedule === "step" ? s.decayRate : d.decayRate,
    decayEvery: s.schedule === "step" ? s.decayEvery : d.decayEvery,
    lrMin: s.schedule === "cosine" ? s.lrMin : d.lrMin,
    epochs: s.schedule === "cosine" && s.epochs === null ? DEFAULT_COSINE_EPOCHS : s.epochs,
  };
}

/**
 * The Trainer's options for the optimizer's settings: each hyper-parameter only where the rule
 * or the schedule uses it (the library refuses one that would have no effect), and the
 * library's defaults are the page's, so the default run's options are what they were before
 * these settings existed.
 */
export function optimizerOptions(s: Settings): OptimizerOptions {
  const { optimizer, momentum, beta1, beta2, adamEps, l2, schedule } = s;
  const { decayRate, decayEvery, lrMin, warmup, clipNorm } = s;
  const all: OptimizerOptions = {
    optimizer,
    momentum,
    beta1,
    beta2,
    adamEps,
    l2,
    schedule,
    decayRate,
    decayEvery,
    lrMin,
    warmup,
    ...(clipNorm > 0 ? { clipNorm } : {}),
  };
  const context = { optimizer, schedule, earlyStopping: false };
  return Object.fromEntries(
    Object.entries(all).filter(([key]) => optionActs(key as keyof OptimizerOptions, context)),
  ) as OptimizerOptions;
}
