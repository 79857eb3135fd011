/**
 * docs/worked-example.md quotes `handgrad explain`'s output and, for one entry of each step,
 * the numbers that go into it; these tests keep each quote equal to what the built command
 * prints now (`npm run docs:blocks` rewrites them). The page types no measured number by hand
 * (test/docs/drift.test.ts checks that for every page).
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain JavaScript module of the project's scripts, without type declarations
import { DOC_BLOCKS, withDocBlocks } from "../../scripts/docs-blocks.mjs";

const docs = resolve(import.meta.dirname, "../../docs");
const pages = DOC_BLOCKS as Record<string, Record<string, () => string>>;

describe("docs/ pages that quote command output", () => {
  for (const [file, blocks] of Object.entries(pages)) {
    const text = readFileSync(join(docs, file), "utf8");
    for (const name of Object.keys(blocks)) {
      it(`docs/${file} quotes exactly what its ${name} block's command prints (npm run docs:blocks)`, () => {
        const current = withDocBlocks(file, text, (n: string) =>
          n === name ? (blocks[n] as () => string)() : keep(text, n),
        ) as string;
        expect(current).toBe(text);
      });
    }
  }

  it("the worked example's by-hand lines hold the printed numbers", () => {
    const text = readFileSync(join(docs, "worked-example.md"), "utf8");
    expect(text).toContain("z1_{00}  = X_{00}·W1_{00} + X_{01}·W1_{10} + b1_0");
    expect(text).toContain("= 1·0.5 + 2·0.25 + 0.5 = 1.5");
    expect(text).toContain("dz1_{11} = da1_{11}·relu′(z1_{11})");
  });
});

/** The block `name` as the page has it now. */
function keep(text: string, name: string): string {
  const match = new RegExp(
    `<!-- ${name}:start -->\\n\\n([\\s\\S]*?)\\n\\n<!-- ${name}:end -->`,
  ).exec(text);
  return match?.[1] ?? "";
}
