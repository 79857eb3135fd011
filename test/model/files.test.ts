/**
 * model/ alone (as in a browser): a Classifier's save() and load() throw a UsageError until
 * file functions are handed in, and then call exactly those (here an in-memory "disk").
 */
import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/errors.js";
import type { Model } from "../../src/formats/index.js";
import { Classifier, useModelFiles } from "../../src/model/index.js";

const X = [[0], [1], [2], [3]];
const y = ["a", "a", "b", "b"];

describe("a Classifier's file access", () => {
  it("without the Node entry, save() and load() throw a UsageError pointing to toJSON and fromJSON", () => {
    const c = new Classifier({ epochs: 1 }).fit(X, y);
    expect(() => c.save("m.json")).toThrow(UsageError);
    expect(() => c.save("m.json")).toThrow(
      /save\(\) needs Node's file system.*toJSON\(\).*Classifier\.fromJSON\(\)/,
    );
    expect(() => Classifier.load("m.json")).toThrow(UsageError);
    expect(() => Classifier.load("m.json")).toThrow(
      /Classifier\.load\(\) needs Node's file system.*Classifier\.fromJSON\(\)/,
    );
  });

  it("uses the functions handed in: save writes the model, load reads it back", () => {
    const disk = new Map<string, Model>();
    useModelFiles({
      save: (path, model) => void disk.set(path, model),
      load: (path) => disk.get(path) as Model,
    });
    const c = new Classifier({ epochs: 1 }).fit(X, y);
    c.save("m.json");
    expect([...disk.keys()]).toEqual(["m.json"]);
    expect(Classifier.load("m.json").toModelText()).toBe(c.toModelText());
  });
});
