/**
 * Hostile model files: parseModel either returns a model whose every number is finite and
 * whose shapes fit together, or throws a ModelFileError whose message is one line starting
 * with the source (and perhaps a line number), never mentioning an `undefined` value. Never
 * another exception (a stack overflow, a TypeError), never NaN.
 * Every property is seeded (SEED) with its numRuns in the test name.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ModelFileError } from "../../src/errors.js";
import { parseModel, serializeModel, type Model } from "../../src/formats/index.js";
import { matrix } from "../../src/linalg/index.js";
import { ACTIVATION_NAMES, type ActivationName } from "../../src/nn/index.js";

const SEED = 20250917;
const SOURCE = "m.json";

/** True when `text` holds a control character or a line or paragraph separator. */
function hasControlCharacter(text: string): boolean {
  return Array.from(text).some((c) => {
    const code = c.charCodeAt(0);
    return code < 0x20 || code === 0x7f || code === 0x2028 || code === 0x2029;
  });
}

/** The model, or the ModelFileError's message; fails the test on any other outcome. */
function parseOrMessage(text: string): Model | string {
  try {
    return parseModel(text, SOURCE);
  } catch (error) {
    expect(error).toBeInstanceOf(ModelFileError);
    const message = (error as Error).message;
    expect(message).toMatch(/^m\.json( line \d+)?: /);
    expect(message).not.toMatch(/(?<!")undefined(?!")/);
    expect(hasControlCharacter(message)).toBe(false);
    expect(message.length).toBeLessThan(400);
    return message;
  }
}

/** The loaded model's shapes fit together and every number is finite. */
function expectWellFormed(model: Model): void {
  const { W1, b1, W2, b2 } = model.params;
  expect(W1.rows).toBeGreaterThanOrEqual(1);
  expect(W1.cols).toBeGreaterThanOrEqual(1);
  expect([b1.rows, b1.cols]).toEqual([1, W1.cols]);
  expect(W2.rows).toBe(W1.cols);
  expect([b2.rows, b2.cols]).toEqual([1, W2.cols]);
  for (const A of [W1, b1, W2, b2]) {
    expect(A.data.length).toBe(A.rows * A.cols);
    expect(A.data.every(Number.isFinite)).toBe(true);
  }
  expect(ACTIVATION_NAMES).toContain(model.activation);
  if (model.standardizer) {
    expect(model.standardizer.mean).toHaveLength(W1.rows);
    expect(model.standardizer.std).toHaveLength(W1.rows);
    expect(model.standardizer.mean.every(Number.isFinite)).toBe(true);
    expect(model.standardizer.std.every((s) => Number.isFinite(s) && s > 0)).toBe(true);
  }
}

const double = fc.double({ noNaN: true, noDefaultInfinity: true });
const positiveDouble = fc.double({ min: Number.MIN_VALUE, noNaN: true, noDefaultInfinity: true });

/** A valid model: D, H from 1 to 4, K = 1 (sigmoid) or 2..4 (softmax), with or without standardisation. */
const validModel: fc.Arbitrary<Model> = fc
  .record({
    D: fc.integer({ min: 1, max: 4 }),
    H: fc.integer({ min: 1, max: 4 }),
    K: fc.constantFrom(1, 2, 3, 4),
    activation: fc.constantFrom(...ACTIVATION_NAMES),
    standardize: fc.boolean(),
  })
  .chain(({ D, H, K, activation, standardize }) => {
    const values = (n: number, arb = double) => fc.array(arb, { minLength: n, maxLength: n });
    return fc
      .record({
        W1: values(D * H),
        b1: values(H),
        W2: values(H * K),
        b2: values(K),
        mean: values(D),
        std: values(D, positiveDouble),
      })
      .map((v): Model => ({
        activation: activation as ActivationName,
        params: {
          W1: matrix(D, H, Float64Array.from(v.W1)),
          b1: matrix(1, H, Float64Array.from(v.b1)),
          W2: matrix(H, K, Float64Array.from(v.W2)),
          b2: matrix(1, K, Float64Array.from(v.b2)),
        },
        ...(standardize
          ? { standardizer: { mean: Float64Array.from(v.mean), std: Float64Array.from(v.std) } }
          : {}),
      }));
  });

const bits = (a: ArrayLike<number>) => Buffer.from(Float64Array.from(a).buffer).toString("hex");

/** JSON text of values that no valid model holds where a number or array is expected. */
const DEEP = 100_000;
const junkToken = fc.constantFrom(
  "NaN",
  "Infinity",
  "-Infinity",
  "1e999",
  "-1e400",
  '"1"',
  '"NaN"',
  "null",
  "true",
  "[]",
  "{}",
  "[[]]",
  "[1, [2]]",
  '{"a": 1}',
  "[".repeat(DEEP) + "]".repeat(DEEP), // deeply nested: guards the stack
  `{"a":`.repeat(DEEP / 10) + "1" + "}".repeat(DEEP / 10),
);
/** Numbers a model may hold: they must load and read back bit for bit. */
const extremeNumber = fc.constantFrom(
  "1e308",
  "-1.7976931348623157e308",
  "5e-324",
  "-0",
  "2.2250738585072014e-308",
  "1E+2",
);

describe("model files, fuzzed", () => {
  it("valid models (sigmoid and softmax, with or without standardize) round-trip bit for bit (numRuns 1000)", () => {
    fc.assert(
      fc.property(validModel, (model) => {
        const back = parseOrMessage(serializeModel(model));
        if (typeof back === "string") throw new Error(`a valid model was refused: ${back}`);
        expectWellFormed(back);
        expect(back.activation).toBe(model.activation);
        for (const key of ["W1", "b1", "W2", "b2"] as const) {
          expect([back.params[key].rows, back.params[key].cols]).toEqual([
            model.params[key].rows,
            model.params[key].cols,
          ]);
          expect(bits(back.params[key].data)).toBe(bits(model.params[key].data));
        }
        expect(back.standardizer === undefined).toBe(model.standardizer === undefined);
        if (model.standardizer && back.standardizer) {
          expect(bits(back.standardizer.mean)).toBe(bits(model.standardizer.mean));
          expect(bits(back.standardizer.std)).toBe(bits(model.standardizer.std));
        }
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it("arbitrary text, bytes and JSON values: a well-formed model or a one-line ModelFileError (numRuns 3000)", () => {
    const text = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.string({ unit: "binary", maxLength: 80 }),
      fc.json({ maxDepth: 4 }),
      fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? ""),
      junkToken,
    );
    fc.assert(
      fc.property(text, (t) => {
        const result = parseOrMessage(t);
        if (typeof result !== "string") expectWellFormed(result);
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });

  /** Paths into a model's JSON at which a mutation may strike. */
  const mutationPath = fc.constantFrom(
    [] as (string | number)[],
    ["format"],
    ["version"],
    ["activation"],
    ["output"],
    ["W1"],
    ["W1", 0],
    ["W1", 0, 0],
    ["b1"],
    ["b1", 0],
    ["W2"],
    ["W2", 0],
    ["W2", 0, 0],
    ["b2"],
    ["b2", 0],
    ["standardize"],
    ["standardize", "mean"],
    ["standardize", "std", 0],
    ["extra"],
  );
  const mutation = fc.oneof(
    fc.record({ kind: fc.constant("delete" as const), path: mutationPath }),
    fc.record({ kind: fc.constant("junk" as const), path: mutationPath, token: junkToken }),
    fc.record({ kind: fc.constant("number" as const), path: mutationPath, token: extremeNumber }),
    fc.record({
      kind: fc.constant("value" as const),
      path: mutationPath,
      value: fc.jsonValue({ maxDepth: 2 }),
    }),
  );

  it("mutated valid models (keys deleted or added, junk, wrong shapes and heads): a well-formed model or a one-line ModelFileError (numRuns 3000)", () => {
    const PLACEHOLDER = "__handgrad_fuzz_value__";
    fc.assert(
      fc.property(
        validModel,
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        (model, edits) => {
          let json: unknown = JSON.parse(serializeModel(model));
          const tokens: string[] = [];
          for (const edit of edits) {
            if (edit.path.length === 0) {
              if (edit.kind === "value") json = edit.value;
              continue;
            }
            const parentPath = edit.path.slice(0, -1);
            const key = edit.path[edit.path.length - 1] as string | number;
            let parent: unknown = json;
            for (const step of parentPath) {
              parent =
                typeof parent === "object" && parent !== null
                  ? (parent as Record<string | number, unknown>)[step]
                  : undefined;
            }
            if (typeof parent !== "object" || parent === null) continue;
            const target = parent as Record<string | number, unknown>;
            if (edit.kind === "delete") delete target[key];
            else if (edit.kind === "value") target[key] = edit.value;
            else {
              target[key] = `${PLACEHOLDER}${tokens.length}`;
              tokens.push(edit.token);
            }
          }
          let text = JSON.stringify(json) ?? "";
          tokens.forEach((token, i) => {
            text = text.replace(`"${PLACEHOLDER}${i}"`, () => token);
          });
          const result = parseOrMessage(text);
          if (typeof result !== "string") expectWellFormed(result);
        },
      ),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it("an extreme but finite weight (1e308, 5e-324, −0, subnormal) loads and reads back exactly (numRuns 500)", () => {
    fc.assert(
      fc.property(validModel, extremeNumber, fc.constantFrom("W1", "W2"), (model, token, key) => {
        const json = JSON.parse(serializeModel(model));
        json[key][0][0] = "__x__";
        const back = parseOrMessage(JSON.stringify(json).replace('"__x__"', token));
        if (typeof back === "string") throw new Error(`refused ${token}: ${back}`);
        expect(Object.is(back.params[key].data[0], Number(token))).toBe(true);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it("removing any required key is refused, naming the key (numRuns 300)", () => {
    const required = fc.constantFrom("format", "version", "activation", "W1", "b1", "W2", "b2");
    fc.assert(
      fc.property(validModel, required, (model, key) => {
        const json = JSON.parse(serializeModel(model));
        delete json[key];
        expect(parseOrMessage(JSON.stringify(json))).toBe(`${SOURCE}: missing key "${key}"`);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

describe("model-file regressions found by fuzzing", () => {
  it("a value nested 100 000 arrays deep where a number belongs is a ModelFileError, not a stack overflow", () => {
    const deep = "[".repeat(DEEP) + "]".repeat(DEEP);
    const text = `{"format": "handgrad-model", "version": 1, "activation": "tanh", "W1": [${deep}]}`;
    expect(() => parseModel(text, SOURCE)).toThrow(ModelFileError);
    expect(() => parseModel(text, SOURCE)).toThrow(
      /^m\.json: "W1"\[0\]\[0\] must be a finite number, got \[\[\[+\.\.\.$/,
    );
    expect(() => parseModel(`{"format": ${deep}}`, SOURCE)).toThrow(
      /"format" must be "handgrad-model", got \[\[\[+\.\.\.$/,
    );
  });

  it("an unknown key with a line break or 10 000 characters is quoted, escaped and cut", () => {
    expect(() => parseModel('{"a\\nb": 1}', SOURCE)).toThrow('m.json: unknown key "a\\nb"');
    const long = "k".repeat(10_000);
    let message = "";
    try {
      parseModel(`{"${long}": 1}`, SOURCE);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^m\.json: unknown key "k+\.\.\.$/);
    expect(message.length).toBeLessThan(80);
  });

  it("a JSON syntax error at a CR or another control character stays on one line", () => {
    for (const text of ["\r", "{\r\n\u0001}", "\u2028"]) {
      let message = "";
      try {
        parseModel(text, SOURCE);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/^m\.json: not valid JSON \(/);
      expect(hasControlCharacter(message)).toBe(false);
    }
  });
});
