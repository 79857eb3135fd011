/**
 * assertNoCollisions compares files by identity (device and inode, or real folder and name
 * for a file not there yet), whatever the spelling; unusedPath never names an existing file.
 */
import { linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UsageError } from "../../src/errors.js";
import { assertNoCollisions, unusedPath, type FileRole } from "../../src/io/index.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "handgrad-paths-"));
  writeFileSync(join(dir, "d.csv"), "a,y\n1,0\n");
  linkSync(join(dir, "d.csv"), join(dir, "hard.csv"));
  symlinkSync("d.csv", join(dir, "soft.csv"));
  mkdirSync(join(dir, "real"));
  symlinkSync("real", join(dir, "alias"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const data = (path: string): FileRole => ({
  flag: "--data",
  path,
  direction: "input",
  kind: "data",
});
const save = (path: string): FileRole => ({
  flag: "--save",
  path,
  direction: "output",
  kind: "model",
});

function refusal(roles: FileRole[]): string {
  try {
    assertNoCollisions(roles);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error("expected a UsageError");
}

describe("assertNoCollisions", () => {
  it("catches the same file spelled as given, relatively, absolutely, by hard and by symbolic link", () => {
    const file = join(dir, "d.csv");
    const spellings = [
      file,
      relative(process.cwd(), file),
      join(dir, ".", "real", "..", "d.csv"),
      join(dir, "hard.csv"),
      join(dir, "soft.csv"),
    ];
    for (const spelling of spellings) {
      const message = refusal([data(file), save(spelling)]);
      expect(message).toContain("writing the model would replace the data you gave");
      expect(message).toContain("choose another path for --save");
    }
    expect(refusal([data(file), save(file)])).toBe(
      `--data and --save name the same file ${file}: writing the model would replace the data you gave; choose another path for --save`,
    );
  });

  it("catches two outputs on one file that is not there yet, through a linked folder", () => {
    const checkpoint: FileRole = {
      flag: "--checkpoint",
      path: join(dir, "alias", "new.json"),
      direction: "output",
      kind: "checkpoint",
    };
    expect(refusal([save(join(dir, "real", "new.json")), checkpoint])).toBe(
      `--save ${join(dir, "real", "new.json")} and --checkpoint ${join(dir, "alias", "new.json")} are the same file: the model and the checkpoint would replace each other; give them different paths`,
    );
  });

  it("allows an output that continues its own kind of input in place, and distinct files", () => {
    const model = join(dir, "d.csv"); // any existing file: only identities are compared
    const initModel: FileRole = {
      flag: "--init-model",
      path: model,
      direction: "input",
      kind: "model",
    };
    expect(() => assertNoCollisions([initModel, save(model)])).not.toThrow();
    expect(() =>
      assertNoCollisions([data(join(dir, "d.csv")), save(join(dir, "other.json"))]),
    ).not.toThrow();
    // Two inputs may share a file: nothing is written.
    expect(() => assertNoCollisions([data(model), initModel])).not.toThrow();
  });

  it("allows outputs to share a character device (written through), not a data file", () => {
    expect(() =>
      assertNoCollisions([
        save("/dev/null"),
        { ...save("/dev/null"), flag: "--checkpoint", kind: "checkpoint" },
      ]),
    ).not.toThrow();
  });
});

describe("unusedPath", () => {
  it("returns the base when free, else the first free numbered name before .json", () => {
    const d = join(dir, "unused");
    mkdirSync(d);
    const base = join(d, "handgrad-checkpoint.json");
    expect(unusedPath(base)).toBe(base);
    writeFileSync(base, "");
    expect(unusedPath(base)).toBe(join(d, "handgrad-checkpoint-2.json"));
    writeFileSync(join(d, "handgrad-checkpoint-2.json"), "");
    expect(unusedPath(base)).toBe(join(d, "handgrad-checkpoint-3.json"));
    // The file the run continues in place may be reused.
    expect(unusedPath(base, base)).toBe(base);
    // A dangling symbolic link is not free: writing it would create its target.
    symlinkSync("elsewhere.json", join(d, "m.json.checkpoint.json"));
    expect(unusedPath(join(d, "m.json.checkpoint.json"))).toBe(join(d, "m.json.checkpoint-2.json"));
  });
});
