import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { HANDGRAD_VERSION } from "../src/version.js";

describe("HANDGRAD_VERSION", () => {
  it("is package.json's version (what model files record as the handgrad that trained them)", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
      version: string;
    };
    expect(HANDGRAD_VERSION).toBe(pkg.version);
  });
});
