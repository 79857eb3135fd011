import { describe, expect, it } from "vitest";
import { closest, didYouMean, editDistance, suggestion } from "../src/suggest.js";

describe("editDistance (optimal string alignment)", () => {
  it.each([
    ["", "", 0],
    ["", "abc", 3],
    ["abc", "", 3],
    ["epochs", "epochs", 0],
    ["epoch", "epochs", 1], // an insertion
    ["epochss", "epochs", 1], // a deletion
    ["epocks", "epochs", 1], // a substitution
    ["tarin", "train", 1], // a swap of neighbours is one edit
    ["kitten", "sitting", 3],
    ["ca", "abc", 3], // OSA, not full Damerau–Levenshtein (which gives 2)
    ["η", "ε", 1], // code points, not UTF-16 units
    ["😀x", "x", 1],
  ])("%j → %j is %i", (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });
});

describe("closest: a suggestion only for a small typo", () => {
  const commands = ["demo", "train", "gradcheck", "grad", "predict", "experiment", "bench"];

  it("suggests the nearest word within 2 edits and a third of the length", () => {
    expect(closest("tarin", commands)).toBe("train");
    expect(closest("gradchek", commands)).toBe("gradcheck");
    expect(closest("predcit", commands)).toBe("predict");
    expect(closest("experimnt", commands)).toBe("experiment");
    expect(closest("Train", commands)).toBe("train"); // case is ignored when measuring
  });

  it("suggests nothing when the typo is large next to the word", () => {
    expect(closest("tr", commands)).toBeUndefined(); // 3 edits
    expect(closest("de", ["demo"])).toBeUndefined(); // 2 edits of 4 characters: more than a third
    expect(closest("dem", ["demo"])).toBe("demo"); // 1 edit of 4: within a third
    expect(closest("xo", ["xor"])).toBe("xor"); // 1 edit of 3
    expect(closest("ab", ["xy", "ax"])).toBeUndefined(); // 1 edit of 2: more than a third
    expect(closest("x", ["y"])).toBeUndefined();
    expect(closest("lr", ["l2"])).toBeUndefined();
    expect(closest("spirals", ["circles"])).toBeUndefined();
    expect(closest("mnist", ["moons", "circles", "xor", "spirals", "blobs"])).toBeUndefined();
    expect(closest("trainnnn", commands)).toBeUndefined(); // 3 edits, even in a long word
  });

  it("suggests a word that differs only in case, however long (case is not an edit)", () => {
    const inits = ["he", "xavier", "xavier-uniform", "he-uniform"];
    expect(closest("He", inits)).toBe("he"); // 2 characters: no edit would be allowed
    expect(closest("XAVIER-UNIFORM", inits)).toBe("xavier-uniform"); // 14 changed characters
    expect(closest("LEAKY-RELU", ["relu", "leaky-relu", "tanh", "sigmoid"])).toBe("leaky-relu");
    expect(closest("Adam", ["sgd", "momentum", "nesterov", "adam"])).toBe("adam");
  });

  it("never suggests the word itself, and ties go to the earlier word", () => {
    expect(closest("grad", commands)).toBeUndefined();
    expect(closest("gradd", ["grads", "grade"])).toBe("grads");
  });

  it("is empty for no known words", () => {
    expect(closest("anything", [])).toBeUndefined();
  });
});

describe("the texts", () => {
  it("didYouMean opens a parenthesis that goes on, or is empty", () => {
    expect(didYouMean("epoch", ["epochs", "seed"], (n) => `--${n}`)).toBe(
      "did you mean --epochs? ",
    );
    expect(didYouMean("zzz", ["epochs"])).toBe("");
  });

  it("suggestion is a quoted parenthesis, or empty", () => {
    expect(suggestion("moon", ["moons", "xor"])).toBe(' (did you mean "moons"?)');
    expect(suggestion("lable", ["x", "label"], (w) => `<${w}>`)).toBe(" (did you mean <label>?)");
    expect(suggestion("qqqq", ["moons"])).toBe("");
  });
});
