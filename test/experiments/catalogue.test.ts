/**
 * The catalogue (names and summaries, read without loading the experiments) and the registry
 * (the experiments themselves) list the same experiments in the same order.
 */
import { describe, expect, it } from "vitest";
import { CATALOGUE, checkedExperimentName } from "../../src/experiments/catalogue.js";
import { EXPERIMENTS, experimentByName } from "../../src/experiments/index.js";
import { UsageError } from "../../src/errors.js";
import { expectThrows } from "../throws.js";

describe("the experiments' catalogue", () => {
  it("names every registered experiment, in the registry's order, with its summary", () => {
    expect(CATALOGUE.map(({ name, summary }) => ({ name, summary }))).toEqual(
      EXPERIMENTS.map(({ name, summary }) => ({ name, summary })),
    );
    expect(new Set(CATALOGUE.map((e) => e.name)).size).toBe(CATALOGUE.length);
  });

  it("checks a name with 'did you mean', as experimentByName does", () => {
    for (const { name } of CATALOGUE) {
      expect(checkedExperimentName(name)).toBe(name);
      expect(experimentByName(name).name).toBe(name);
    }
    expectThrows(() => checkedExperimentName("stabilty"), UsageError, /did you mean "stability"\?/);
    expectThrows(() => experimentByName("optimiser"), UsageError, /did you mean "optimizers"\?/);
    // A long name is shown cut, not echoed whole.
    const long = "x".repeat(100_000);
    expectThrows(() => checkedExperimentName(long), UsageError, /\(100000 characters\)/);
    expect(() => checkedExperimentName(long)).toThrow(/^.{0,400}$/s);
  });
});
