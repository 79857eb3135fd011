/**
 * docs/performance.md and its figure are rendered from the recorded measurements in
 * bench/results.json (speed cannot be measured again in CI): this test renders them again and
 * fails when either differs (`npm run bench:render` rewrites them; `npm run bench:peers`
 * measures again first).
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain JavaScript module of bench/, without type declarations
import { renderReport } from "../../bench/render.mjs";

const root = resolve(import.meta.dirname, "../..");
const results = JSON.parse(readFileSync(join(root, "bench/results.json"), "utf8"));

interface Report {
  readonly markdown: string;
  readonly figures: Readonly<Record<string, string>>;
}

describe("docs/performance.md", () => {
  it("is the rendering of bench/results.json, and so is every figure it embeds", async () => {
    const report = (await renderReport(results)) as Report;
    const doc = readFileSync(join(root, "docs/performance.md"), "utf8");
    expect(doc === report.markdown, "docs/performance.md is stale: run npm run bench:render").toBe(
      true,
    );
    for (const [name, svg] of Object.entries(report.figures)) {
      const file = join(root, "docs/figures", name);
      expect(existsSync(file), `${file} is missing: run npm run bench:render`).toBe(true);
      expect(readFileSync(file, "utf8") === svg, `${file} is stale: run npm run bench:render`).toBe(
        true,
      );
      expect(doc).toContain(`](figures/${name})`);
    }
  });

  it("records every workload for handgrad and every peer it lists, with positive speeds", () => {
    for (const workload of ["toy", "tab", "wide"]) {
      for (const peer of results.peers as { id: string }[]) {
        const run = (
          results.runs as { peer: string; workload: string; examplesPerSecond: number }[]
        ).find((r) => r.peer === peer.id && r.workload === workload);
        expect(run, `${peer.id} on ${workload}`).toBeDefined();
        expect(run?.examplesPerSecond).toBeGreaterThan(0);
      }
    }
  });
});
