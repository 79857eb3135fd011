/**
 * CSV files through io's loaders (moved from test/data/csv.test.ts with the loaders): a UTF-8
 * file, a missing file, a folder, bytes that are not UTF-8, each a DataError naming the path.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DataError } from "../../src/errors.js";
import { loadCsv, loadFeatureCsv } from "../../src/io/index.js";

/** The DataError message `run` throws (fails the test when it throws nothing or another type). */
function dataErrorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DataError);
    return (error as DataError).message;
  }
  throw new Error("expected a DataError, but nothing was thrown");
}

describe("loading files", () => {
  const dir = mkdtempSync(join(tmpdir(), "handgrad-csv-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, content: string | Uint8Array): string => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  it("loadCsv reads a UTF-8 file (with a BOM) and names the file in errors", () => {
    const path = file("ok.csv", "\uFEFFx1,x2,class\n1,2,1\n");
    const ds = loadCsv(path);
    expect(ds.featureNames).toEqual(["x1", "x2"]);
    expect(ds.labelName).toBe("class");
    expect(loadCsv(path, { label: "x1" }).featureNames).toEqual(["x2", "class"]);
    const bad = file("bad.csv", "x1,y\n1,0\n2,7\n");
    expect(loadCsv(bad).classes).toEqual([0, 7]); // classes found from the labels
    expect(dataErrorOf(() => loadCsv(bad, { maxClasses: 2 }))).toBe(
      `${bad} line 3, column "y": the label "7" is not 0 or 1`,
    );
  });

  it("loadFeatureCsv reads every column as a feature", () => {
    const table = loadFeatureCsv(file("features.csv", "a,b\n1,2\n"));
    expect(table.featureNames).toEqual(["a", "b"]);
    expect(Array.from(table.X.data)).toEqual([1, 2]);
  });

  it("a missing file is a DataError naming the path", () => {
    const path = join(dir, "nope.csv");
    expect(dataErrorOf(() => loadCsv(path))).toBe(`cannot read ${path}: no such file`);
    expect(dataErrorOf(() => loadFeatureCsv(path))).toBe(`cannot read ${path}: no such file`);
  });

  it("a directory is a DataError naming the path", () => {
    expect(dataErrorOf(() => loadCsv(dir))).toBe(`cannot read ${dir}: it is a folder, not a file`);
  });

  it("bytes that are not UTF-8 are a DataError naming the path and the line", () => {
    const latin1 = Uint8Array.from([...Buffer.from("x,y\n1,0\ncaf"), 0xe9, ...Buffer.from(",1\n")]);
    const path = file("latin1.csv", latin1);
    expect(dataErrorOf(() => loadCsv(path))).toBe(
      `${path} is not UTF-8 text (line 3 has an invalid byte); save the file as UTF-8`,
    );
    const truncated = file(
      "truncated.csv",
      Uint8Array.from([...Buffer.from("x,y\n1,0\n\n\n"), 0xf0, 0x9f]),
    );
    expect(dataErrorOf(() => loadCsv(truncated))).toMatch(/line 5 has an invalid byte/);
  });
});
