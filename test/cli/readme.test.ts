/** The README quotes command output; these tests keep each quote equal to what the command prints. */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain JavaScript module of the project's scripts, without type declarations
import { BLOCKS, withBlocks } from "../../scripts/readme-blocks.mjs";

const root = resolve(import.meta.dirname, "../..");
const readme = readFileSync(join(root, "README.md"), "utf8");
const blocks = BLOCKS as Record<string, () => string>;

describe("README", () => {
  for (const name of Object.keys(blocks)) {
    it(`quotes exactly what the commands of its ${name} block print (npm run readme rewrites it)`, () => {
      const current = withBlocks(readme, (n: string) =>
        n === name ? (blocks[n] as () => string)() : keep(n),
      );
      expect(aligned(current)).toBe(aligned(readme));
    });
  }

  it("runs the library example as written", async () => {
    // The block that trains, checks and saves with the lower-level API (after the Classifier's).
    const example =
      [...readme.matchAll(/```ts\n([\s\S]*?)```/g)]
        .map((m) => m[1] as string)
        .find((block) => block.includes("gradientCheck(")) ?? "";
    expect(example).toMatch(/from "handgrad"/);
    const library = await import("../../src/index.js");
    const body = example
      .replace(/^import [\s\S]*?from "handgrad";$/m, "")
      .replace(/saveModel\("moons.json"/, 'void ("moons.json"');
    const run = new Function(
      "lib",
      `const { ${Object.keys(library).join(", ")} } = lib; ${body}; return { report, history, p };`,
    );
    const { report, history, p } = run(library);
    expect(report.passed).toBe(true);
    expect(history.at(-1).accuracy).toBeGreaterThanOrEqual(0.97);
    expect(p.rows).toBe(400);
  });
});

/** The block `name` as the README has it now. */
function keep(name: string): string {
  const match = new RegExp(
    `<!-- ${name}:start -->\\n\\n([\\s\\S]*?)\\n\\n<!-- ${name}:end -->`,
  ).exec(readme);
  return match?.[1] ?? "";
}

/** The text with table padding (which the formatter adds) removed. */
function aligned(text: string): string {
  return text.replace(/ {2,}/g, " ").replace(/-{3,}/g, "---");
}
