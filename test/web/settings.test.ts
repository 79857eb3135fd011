import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ACTIVATION_NAMES, INIT_NAMES } from "../../src/nn/index.js";
import { TOY_NAMES } from "../../src/data/toy.js";
import {
  consistent,
  decodeSettings,
  DEFAULT_SETTINGS,
  encodeSettings,
  LIMITS,
  MULTICLASS_SETS,
  type Settings,
} from "../../web/src/lib/settings.js";

const between = (key: keyof typeof LIMITS): fc.Arbitrary<number> =>
  fc.double({ min: LIMITS[key].min, max: LIMITS[key].max, noNaN: true, noDefaultInfinity: true });
const integer = (key: keyof typeof LIMITS): fc.Arbitrary<number> =>
  fc.integer({ min: LIMITS[key].min, max: LIMITS[key].max });

/** Any settings the page can hold (consistent: classes 2 for the binary data sets). */
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
  })
  .map(consistent);

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
