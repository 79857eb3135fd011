/**
 * findDuplicateKey against JSON.parse as the truth: a text without a duplicated key parses to
 * an object with as many keys as the text writes; with one, the first duplicate is found with
 * its path and line. Hand-written cases for the tricky spots, then fast-check properties.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ModelFileError } from "../../src/errors.js";
import {
  findDuplicateKey,
  keyPathText,
  parseJsonStrictly,
  requiredKey,
} from "../../src/formats/strict-json.js";

const found = (text: string) => {
  const duplicate = findDuplicateKey(text);
  return duplicate && { ...duplicate, path: keyPathText(duplicate.path) };
};

describe("findDuplicateKey", () => {
  it("finds a duplicate at the top level, naming the key and the line of its second occurrence", () => {
    expect(findDuplicateKey('{"W1": [1], "W1": [2]}')).toEqual({
      key: "W1",
      path: ["W1"],
      line: 1,
    });
    expect(found('{\n  "format": 1,\n  "W1": [1],\n  "b1": 2,\n  "W1": [2]\n}')).toEqual({
      key: "W1",
      path: '"W1"',
      line: 5,
    });
  });

  it("finds a nested duplicate with its path: objects by key, arrays by index", () => {
    expect(found('{"standardize": {"mean": [0], "std": [1], "mean": [2]}}')?.path).toBe(
      '"standardize.mean"',
    );
    expect(found('{"history": [{"loss": 1}, {"epoch": 1, "loss": 2, "loss": 3}]}')?.path).toBe(
      '"history[1].loss"',
    );
    expect(found('[[0], [1, {"a": {"b": 1, "b": 2}}]]')?.path).toBe('"[1][1].a.b"');
    // after a nested object closes, its parent's keys are still there
    expect(found('{"a": {"b": {"c": 1}, "d": 2}, "e": {"b": 1, "d": 2, "b": 3}}')?.path).toBe(
      '"e.b"',
    );
    expect(found('{"a": {"b": {"c": 1}}, "a": 2}')?.path).toBe('"a"');
  });

  it('compares keys after unescaping: \\u0031 is 1, \\/ is /, \\" is a quote', () => {
    expect(found('{"W1": 1, "W\\u0031": 2}')).toEqual({ key: "W1", path: '"W1"', line: 1 });
    expect(found('{"a/b": 1, "a\\/b": 2}')?.key).toBe("a/b");
    expect(found('{"a\\"b": 1, "a\\u0022b": 2}')?.key).toBe('a"b');
    expect(found('{"\\ud83d\\ude00": 1, "😀": 2}')?.key).toBe("😀");
    // equal only before unescaping: different keys
    expect(found('{"a\\\\u0031": 1, "a\\u0031": 2}')).toBeUndefined();
  });

  it("is not fooled by braces, brackets, commas, colons and quotes inside strings", () => {
    expect(found('{"a": "}{,:\\"[", "b": "\\\\", "a": 1}')?.path).toBe('"a"');
    expect(found('{"a": "{\\"a\\": 1}", "b": "{\\"a\\": 2}"}')).toBeUndefined();
    expect(found('{"x\\\\": 1, "y\\\\\\"": {"x\\\\": 2}}')).toBeUndefined();
  });

  it("the same key in different objects, or as a value, is not a duplicate", () => {
    expect(found('{"x": {"mean": 1}, "y": {"mean": 2}}')).toBeUndefined();
    expect(found('[{"loss": 1, "epoch": 0}, {"loss": 2, "epoch": 1}]')).toBeUndefined();
    expect(found('{"a": {"a": {"a": 1}}}')).toBeUndefined();
    expect(found('{"a": "b", "b": ["a", "a"], "c": {"b": "b"}}')).toBeUndefined();
    expect(found('{"model": {"W1": 1}, "lastGood": {"W1": 1}}')).toBeUndefined();
    expect(found('{"": 1, " ": 2}')).toBeUndefined();
    expect(found('{"": 1, "": 2}')?.path).toBe('""');
    expect(found("[1, true, null, -0.5e3, {}, [], []]")).toBeUndefined();
  });

  it("handles nesting 100 000 deep without overflowing the stack", () => {
    const depth = 100_000;
    const objects = '{"a":'.repeat(depth) + '{"k": 1, "k": 2}' + "}".repeat(depth);
    const duplicate = findDuplicateKey(objects);
    expect(duplicate?.key).toBe("k");
    expect(duplicate?.path).toHaveLength(depth + 1);
    expect(findDuplicateKey('{"a":'.repeat(depth) + "{}" + "}".repeat(depth))).toBeUndefined();
    const arrays = "[".repeat(depth) + '{"k": 1, "k": 2}' + "]".repeat(depth);
    expect(findDuplicateKey(arrays)?.path).toEqual([...Array<number>(depth).fill(0), "k"]);
  });

  it("stays linear: 200 000 keys in one object, 1 000 000 numbers, in at most 10× JSON.parse's time", () => {
    const keys = `{${Array.from({ length: 200_000 }, (_, i) => `"k${i}": ${i}`).join(", ")}}`;
    const numbers = `{"W1": [${Array.from({ length: 1_000_000 }, (_, i) => i / 7).join(", ")}]}`;
    const milliseconds = (f: () => unknown) => {
      const start = performance.now();
      f();
      return performance.now() - start;
    };
    for (const text of [keys, numbers]) {
      const parse = milliseconds(() => JSON.parse(text));
      const scan = milliseconds(() => expect(findDuplicateKey(text)).toBeUndefined());
      expect(scan).toBeLessThan(10 * parse + 50); // quadratic work would take minutes
    }
  });
});

/** JSON values with many objects and keys (fc.jsonValue's objects have unique keys). */
const jsonValue = fc.jsonValue({ maxDepth: 4 });

/** Paths to the objects inside `value` that have at least one key. */
function objectPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => objectPaths(v, [...path, i]));
  if (typeof value !== "object" || value === null) return [];
  const own = Object.keys(value).length > 0 ? [path] : [];
  return [...own, ...Object.entries(value).flatMap(([k, v]) => objectPaths(v, [...path, k]))];
}

/**
 * `value` as JSON text over several lines, with one entry added to the object at `at`: `key`
 * again (written with every character as \uXXXX when `escaped`), placed after the entry at
 * `position` of that object. Returns the text and the line of the second occurrence.
 */
function withDuplicate(
  value: unknown,
  at: readonly (string | number)[],
  key: string,
  position: number,
  extra: unknown,
  escaped: boolean,
): { text: string; line: number } {
  let text = "";
  let line = 0;
  let seen = 0; // occurrences of `key` written in the target object
  const keyText = (k: string, target: boolean) => {
    if (!target || k !== key) return JSON.stringify(k);
    seen++;
    if (seen === 2) line = text.split("\n").length;
    return escaped && seen === 2
      ? `"${Array.from(k, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("")}"`
      : JSON.stringify(k);
  };
  const write = (v: unknown, path: (string | number)[]): void => {
    if (Array.isArray(v)) {
      text += "[";
      v.forEach((item, i) => {
        if (i > 0) text += ",\n";
        write(item, [...path, i]);
      });
      text += "]";
    } else if (typeof v === "object" && v !== null) {
      const target = JSON.stringify(path) === JSON.stringify(at);
      const entries: [string, unknown][] = Object.entries(v);
      if (target) entries.splice(position + 1, 0, [key, extra]);
      text += "{";
      entries.forEach(([k, item], i) => {
        if (i > 0) text += ",\n";
        text += `${keyText(k, target)}: `;
        write(item, [...path, k]);
      });
      text += "}";
    } else text += JSON.stringify(v);
  };
  write(value, []);
  return { text, line };
}

describe("findDuplicateKey, by property", () => {
  it("JSON written from a value (no duplicates possible) has none (numRuns 2000)", () => {
    fc.assert(
      fc.property(jsonValue, fc.boolean(), (value, pretty) => {
        const text = JSON.stringify(value, null, pretty ? 2 : undefined);
        expect(findDuplicateKey(text)).toBeUndefined();
      }),
      { seed: 11, numRuns: 2000 },
    );
  });

  it("a key repeated anywhere is found with its path, key and line (numRuns 2000)", () => {
    const withObject = jsonValue
      .map((v) => ({ top: v, extra: { "0": 1, mean: [1] } }))
      .chain((value) => {
        const paths = objectPaths(value);
        return fc.record({
          value: fc.constant(value),
          at: fc.constantFrom(...paths),
          pick: fc.nat(),
          position: fc.nat(),
          extra: jsonValue,
          escaped: fc.boolean(),
        });
      });
    fc.assert(
      fc.property(withObject, ({ value, at, pick, position, extra, escaped }) => {
        let target: unknown = value;
        for (const step of at) target = (target as Record<string | number, unknown>)[step];
        const keys = Object.keys(target as object);
        const key = keys[pick % keys.length] as string;
        // after the original (the copy is second) or before it (the original is second)
        const after = position % (keys.length + 1);
        const { text, line } = withDuplicate(value, at, key, after - 1, extra, escaped);
        expect(() => JSON.parse(text)).not.toThrow();
        const duplicate = findDuplicateKey(text);
        expect(duplicate?.key).toBe(key);
        expect(duplicate?.path).toEqual([...at, key]);
        expect(duplicate?.line).toBe(line);
      }),
      { seed: 12, numRuns: 2000 },
    );
  });
});

describe("the messages", () => {
  it("a duplicated key: source, line, the key's path, and what to do", () => {
    const text = '{\n  "standardize": {\n    "mean": [0],\n    "mean": [1]\n  }\n}';
    expect(() => parseJsonStrictly(text, "m.json", ModelFileError)).toThrow(
      new ModelFileError(
        'm.json line 4: duplicated key "standardize.mean" (JSON keeps only the last; remove one)',
      ),
    );
    expect(parseJsonStrictly('{"a": 1}', "m.json", ModelFileError)).toEqual({ a: 1 });
  });

  it("a key path is one line: quotes, backslashes and control characters escaped, long keys cut", () => {
    expect(keyPathText(["history", 2, "loss"])).toBe('"history[2].loss"');
    expect(keyPathText(['a"b\\', "x\ny\u2028"])).toBe('"a\\"b\\\\.x\\u000ay\\u2028"');
    expect(keyPathText(["k".repeat(1000)])).toBe(`"${"k".repeat(37)}..."`);
  });

  it("a missing key is named by its path, never as undefined", () => {
    const fail = (what: string): never => {
      throw new ModelFileError(`ck.json: ${what}`);
    };
    expect(requiredKey({ a: undefined }, "a", fail)).toBeUndefined(); // present: its value
    expect(() => requiredKey({}, "source", fail, ["data"])).toThrow(
      new ModelFileError('ck.json: missing key "data.source"'),
    );
    // inherited properties are not keys of the file
    expect(() => requiredKey({}, "constructor", fail)).toThrow('missing key "constructor"');
  });
});
