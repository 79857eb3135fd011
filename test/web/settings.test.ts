import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ACTIVATION_NAMES, INIT_NAMES } from "../../src/nn/index.js";
import { TOY_NAMES } from "../../src/data/toy.js";
import { OPTIMIZER_NAMES, SCHEDULE_NAMES } from "../../src/train/index.js";
import {
  consistent,
  decodeSettings,
  DEFAULT_COSINE_EPOCHS,
  DEFAULT_SETTINGS,
  encodeSettings,
  LIMITS,
  MAX_EPOCHS,
  MULTICLASS_SETS,
  optimizerOptions,
  parseTrainingText,
  readLink,
  SPEEDS,
  speedText,
  trainingProblems,
  usedTrainingKeys,
  type Settings,
} from "../../web/src/lib/settings.js";

const between = (key: keyof typeof LIMITS): fc.Arbitrary<number> =>
  fc.double({ min: LIMITS[key].min, max: LIMITS[key].max, noNaN: true, noDefaultInfinity: true });
const integer = (key: keyof typeof LIMITS): fc.Arbitrary<number> =>
  fc.integer({ min: LIMITS[key].min, max: LIMITS[key].max });

const unit = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
const positive = (max: number): fc.Arbitrary<number> =>
  fc.double({ min: 0, max, minExcluded: true, noNaN: true, noDefaultInfinity: true });

/**
 * Any settings the page can hold (consistent: classes 2 for the binary data sets, defaults for
 * the hyper-parameters the optimizer and schedule do not use; each in the library's range).
 */
const settingsArbitrary: fc.Arbitrary<Settings> = fc
  .record({
    dataset: fc.constantFrom(...TOY_NAMES),
    noise: between("noise"),
    samples: integer("samples"),
    classes: integer("classes"),
    testFraction: between("testFraction"),
    hidden: integer("hidden"),
    activation: fc.constantFrom(...ACTIVATION_NAMES),
    init: fc.constantFrom(...INIT_NAMES),
    learningRate: between("learningRate"),
    batchSize: integer("batchSize"),
    seed: integer("seed"),
    optimizer: fc.constantFrom(...OPTIMIZER_NAMES),
    momentum: unit,
    beta1: unit,
    beta2: unit,
    adamEps: positive(1),
    l2: fc.oneof(fc.constant(0), positive(10)),
    schedule: fc.constantFrom(...SCHEDULE_NAMES),
    decayRate: fc.double({ min: 0, max: 1, minExcluded: true, noNaN: true }),
    decayEvery: fc.integer({ min: 1, max: 1000 }),
    lrMinShare: fc.double({ min: 0, max: 1, noNaN: true }),
    warmup: fc.integer({ min: 0, max: 100_000 }),
    clipNorm: fc.oneof(fc.constant(0), positive(1e6)),
    epochs: fc.option(fc.integer({ min: 1, max: MAX_EPOCHS }), { nil: null }),
  })
  .map(({ lrMinShare, ...s }) => consistent({ ...s, lrMin: lrMinShare * s.learningRate }));

describe("settings in the query string", () => {
  it("round-trip exactly: decode(encode(s)) = s, every float bit for bit", () => {
    fc.assert(
      fc.property(settingsArbitrary, (s) => {
        const back = decodeSettings(encodeSettings(s));
        expect(back).toEqual(s);
        for (const key of Object.keys(s) as (keyof Settings)[])
          expect(Object.is(back[key], s[key])).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("every setting the arbitrary makes is one the library takes", () => {
    fc.assert(
      fc.property(settingsArbitrary, (s) => {
        expect(trainingProblems(s)).toEqual({});
      }),
      { numRuns: 300 },
    );
  });

  it("an empty query gives the defaults, and a link with a leading ? reads the same", () => {
    expect(decodeSettings("")).toEqual(DEFAULT_SETTINGS);
    const s = { ...DEFAULT_SETTINGS, dataset: "spirals" as const, classes: 3, seed: 7 };
    expect(decodeSettings(`?${encodeSettings(s)}`)).toEqual(s);
  });

  it("replaces unknown names and non-numbers by the defaults and clamps numbers into range", () => {
    const s = decodeSettings(
      "data=spiral&act=gelu&init=&lr=abc&noise=Infinity&n=1e9&h=0.4&b=-3&k=9&seed=-1",
    );
    expect(s.dataset).toBe(DEFAULT_SETTINGS.dataset);
    expect(s.activation).toBe(DEFAULT_SETTINGS.activation);
    expect(s.init).toBe(DEFAULT_SETTINGS.init);
    expect(s.learningRate).toBe(DEFAULT_SETTINGS.learningRate);
    expect(s.noise).toBe(DEFAULT_SETTINGS.noise);
    expect(s.samples).toBe(LIMITS.samples.max);
    expect(s.hidden).toBe(1); // round(0.4) = 0, clamped to 1
    expect(s.batchSize).toBe(1);
    expect(s.seed).toBe(0);
    expect(s.classes).toBe(2); // moons has two classes whatever k says
  });

  it("keeps K classes only for the data sets that have them", () => {
    for (const dataset of TOY_NAMES) {
      const s = decodeSettings(`data=${dataset}&k=5`);
      expect(s.classes).toBe(MULTICLASS_SETS.includes(dataset) ? 5 : 2);
    }
  });
});

describe("the optimizer's settings in the query string", () => {
  const OLD_DEFAULT_QUERY =
    "data=moons&noise=0.1&n=400&k=2&test=0.3&h=16&act=tanh&init=xavier&lr=0.3&b=16&seed=0";

  it("leave the default run's link as it was, and an old link means plain SGD as before", () => {
    expect(encodeSettings(DEFAULT_SETTINGS)).toBe(OLD_DEFAULT_QUERY);
    const old = decodeSettings("data=spirals&k=3&lr=0.05&b=8&seed=3");
    expect(old.optimizer).toBe("sgd");
    expect(old.l2).toBe(0);
    expect(old.schedule).toBe("constant");
    expect(old.warmup).toBe(0);
    expect(old.clipNorm).toBe(0);
    expect(old.epochs).toBeNull();
    // Plain SGD at a constant rate: no hyper-parameter of another rule or schedule (the
    // library refuses one that would have no effect).
    expect(optimizerOptions(old)).toEqual({
      optimizer: "sgd",
      l2: 0,
      schedule: "constant",
      warmup: 0,
    });
  });

  it("write only what differs from the defaults, under the CLI's option names", () => {
    const s = consistent({
      ...DEFAULT_SETTINGS,
      optimizer: "adam",
      beta2: 0.99,
      l2: 1e-3,
      schedule: "cosine",
      lrMin: 0.01,
      warmup: 50,
      clipNorm: 5,
      epochs: 40,
    });
    const query = encodeSettings(s);
    expect(query).toBe(
      `${OLD_DEFAULT_QUERY}&optimizer=adam&beta2=0.99&l2=0.001&schedule=cosine&lr-min=0.01` +
        "&warmup=50&clip-norm=5&epochs=40",
    );
    expect(decodeSettings(query)).toEqual(s);
    const momentum = consistent({ ...DEFAULT_SETTINGS, optimizer: "nesterov", momentum: 0.5 });
    expect(encodeSettings(momentum)).toBe(`${OLD_DEFAULT_QUERY}&optimizer=nesterov&momentum=0.5`);
    const step = consistent({
      ...DEFAULT_SETTINGS,
      schedule: "step",
      decayRate: 0.5,
      decayEvery: 3,
    });
    expect(encodeSettings(step)).toBe(
      `${OLD_DEFAULT_QUERY}&schedule=step&decay-rate=0.5&decay-every=3`,
    );
    expect(decodeSettings(encodeSettings(step))).toEqual(step);
  });

  it("drop the settings the optimizer and schedule do not use (the link names only what acts)", () => {
    const s = consistent({
      ...DEFAULT_SETTINGS,
      optimizer: "adam",
      momentum: 0.5,
      schedule: "constant",
      lrMin: 0.1,
      decayEvery: 2,
    });
    expect(s.momentum).toBe(DEFAULT_SETTINGS.momentum);
    expect(s.lrMin).toBe(0);
    expect(s.decayEvery).toBe(DEFAULT_SETTINGS.decayEvery);
    expect(encodeSettings(s)).toBe(`${OLD_DEFAULT_QUERY}&optimizer=adam`);
    expect(usedTrainingKeys("adam", "constant")).toEqual([
      "beta1",
      "beta2",
      "adamEps",
      "l2",
      "warmup",
      "clipNorm",
      "epochs",
    ]);
    expect(usedTrainingKeys("sgd", "step")).toContain("decayEvery");
  });

  it("give a cosine schedule a length when the link has none", () => {
    expect(decodeSettings("schedule=cosine").epochs).toBe(DEFAULT_COSINE_EPOCHS);
    expect(decodeSettings("schedule=cosine&epochs=7").epochs).toBe(7);
  });

  it("replace values the library refuses by the defaults", () => {
    const s = decodeSettings(
      "optimizer=adam&beta1=1&beta2=-0.1&adam-eps=0&l2=-1&warmup=2.5&clip-norm=-3&epochs=0",
    );
    expect(s.optimizer).toBe("adam");
    for (const key of ["beta1", "beta2", "adamEps", "l2", "warmup", "clipNorm", "epochs"] as const)
      expect(s[key], key).toBe(DEFAULT_SETTINGS[key]);
    const step = decodeSettings("schedule=step&decay-rate=2&decay-every=0.5");
    expect(step.decayRate).toBe(DEFAULT_SETTINGS.decayRate);
    expect(step.decayEvery).toBe(DEFAULT_SETTINGS.decayEvery);
    // η_min above η: refused with this η
    expect(decodeSettings("lr=0.1&schedule=cosine&lr-min=0.2").lrMin).toBe(0);
    expect(decodeSettings("optimizer=rmsprop&schedule=linear&l2=abc")).toEqual(DEFAULT_SETTINGS);
  });

  it("get the library's own messages for bad values, and blank means off for clip and epochs", () => {
    const problems = trainingProblems({
      ...DEFAULT_SETTINGS,
      optimizer: "adam",
      beta1: 1,
      adamEps: 0,
      l2: -1,
      schedule: "cosine",
      lrMin: 1,
      warmup: -2,
      clipNorm: -1,
      epochs: 0,
    });
    expect(problems).toEqual({
      beta1: "beta1 must be a number in [0, 1), got 1",
      adamEps: "adamEps must be a finite number > 0, got 0",
      l2: "the L2 penalty λ must be a finite number ≥ 0, got -1",
      lrMin: "lrMin must be a number in [0, 0.3] (the learning rate), got 1",
      warmup: "warmup must be a non-negative integer (steps), got -2",
      clipNorm: "the gradient clip must be a number > 0 (blank: none), got -1",
      epochs: `epochs must be an integer from 1 to ${MAX_EPOCHS} (blank: until paused), got 0`,
    });
    expect(trainingProblems({ ...DEFAULT_SETTINGS, optimizer: "momentum", momentum: 1 })).toEqual({
      momentum: "momentum μ must be a number in [0, 1), got 1",
    });
    expect(parseTrainingText("clipNorm", " ")).toEqual({ value: 0 });
    expect(parseTrainingText("epochs", "")).toEqual({ value: null });
    expect(parseTrainingText("l2", "")).toEqual({ problem: "enter a number" });
    expect(parseTrainingText("l2", "1e-3")).toEqual({ value: 0.001 });
    expect(parseTrainingText("beta1", "0,9")).toEqual({ problem: '"0,9" is not a number' });
  });
});

describe("numbers in links and controls", () => {
  it("follow the CLI's grammar: no hex, no Infinity, no separators", () => {
    for (const text of ["0x10", "Infinity", "1_000", "0b11", " "]) {
      expect(parseTrainingText("warmup", text), text).toHaveProperty("problem");
      expect(decodeSettings(`warmup=${encodeURIComponent(text)}`).warmup, text).toBe(
        DEFAULT_SETTINGS.warmup,
      );
    }
    expect(decodeSettings("lr=0x10").learningRate).toBe(DEFAULT_SETTINGS.learningRate);
    expect(parseTrainingText("warmup", "1e1")).toEqual({ value: 10 });
    expect(decodeSettings("clip-norm=2.5e0").clipNorm).toBe(2.5);
  });
});

describe("the speed in a link", () => {
  it("is read as steps per second (full speed without one), and refused when not a Speed setting", () => {
    expect(readLink("h=8").speed).toBe(Infinity);
    expect(readLink("h=8&speed=30")).toMatchObject({ speed: 30, refused: [] });
    for (const speed of SPEEDS.filter(Number.isFinite)) {
      const text = speedText(speed)!;
      expect(readLink(`speed=${text}`)).toMatchObject({ speed, refused: [] });
    }
    expect(speedText(Infinity)).toBeUndefined();
    const { speed, refused, settings } = readLink("speed=7&h=8&speed=abc&speed=Infinity&speed=2");
    expect(speed).toBe(2); // the last valid one, which the refusals name
    expect(readLink("speed=0.5").refused).toEqual([
      "speed=0.5: not one of 1, 2, 5, 10, 30, 100, 300, 1000 steps per second; using full speed",
    ]);
    expect(settings.hidden).toBe(8);
    expect(refused).toEqual([
      "speed=7: not one of 1, 2, 5, 10, 30, 100, 300, 1000 steps per second; using 2",
      "speed=abc: not one of 1, 2, 5, 10, 30, 100, 300, 1000 steps per second; using 2",
      "speed=Infinity: not one of 1, 2, 5, 10, 30, 100, 300, 1000 steps per second; using 2",
    ]);
  });
});

describe("a link's refused values", () => {
  it("are none for every link the page writes", () => {
    fc.assert(
      fc.property(settingsArbitrary, (s) => {
        expect(readLink(encodeSettings(s)).refused).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it("name each value that did not become its setting, why, and what is used instead", () => {
    const { settings, refused } = readLink(
      "data=csv&h=abc&lr=50&k=3&b=2.5&act=gelu&momentum=0.5&beta1=1&optimizer=adam&foo=1",
    );
    expect(settings.hidden).toBe(DEFAULT_SETTINGS.hidden);
    expect(refused).toEqual([
      "data=csv: a link cannot carry a CSV file (load it again with “Choose a CSV file”); using moons",
      'h=abc: "abc" is not a number; using 16',
      "lr=50: outside 0.0001 to 10; using 10",
      "k=3: moons has two classes; using 2",
      "b=2.5: not a whole number; using 3",
      "act=gelu: not one of relu, leaky-relu, tanh, sigmoid; using tanh",
      "momentum=0.5: not used with optimizer adam and schedule constant; using 0.9",
      "beta1=1: beta1 must be a number in [0, 1), got 1; using 0.9",
      "foo=1: not a setting; ignored",
    ]);
  });
});
