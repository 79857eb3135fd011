import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { importGraph, root } from "../import-graph.js";

describe("the playground bundle", () => {
  for (const entry of ["web/src/main.ts", "web/src/worker.ts"]) {
    it(`${entry} reaches no node:* module and no package (the library's src/ only)`, () => {
      const graph = importGraph(join(root, entry));
      const offenders = [...graph]
        .filter(([, bare]) => bare.length > 0)
        .map(([f, b]) => `${relative(root, f)}: ${b.join(", ")}`);
      expect(offenders).toEqual([]);
      // it does reach the library's engine (the same src/, not a copy)
      if (entry.endsWith("worker.ts")) {
        const files = [...graph.keys()].map((f) => relative(root, f));
        expect(files).toContain("src/train/steppers/fast.ts");
        expect(files).toContain("src/data/csv-text.ts");
        expect(files).toContain("src/formats/model-format.ts");
        expect(files).not.toContain("src/io/files.ts");
      }
    });
  }
});
