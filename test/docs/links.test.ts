/** Every relative link in docs/ and the README points at a file that exists, and at a heading that exists. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const pages = [
  "README.md",
  ...readdirSync(join(root, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
];

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** The anchors of a Markdown file's headings (outside code blocks). */
function anchors(text: string): Set<string> {
  const prose = text.replace(/```[\s\S]*?```/g, "");
  return new Set([...prose.matchAll(/^#{1,6} (.*)$/gm)].map((m) => slug(m[1] as string)));
}

describe("links between the docs", () => {
  it("makes GitHub's anchors", () => {
    expect(slug("Where exactly does 1 − p lose precision?")).toBe(
      "where-exactly-does-1--p-lose-precision",
    );
    expect(slug("The gradient check's step ε")).toBe("the-gradient-checks-step-ε");
  });

  for (const page of pages) {
    it(`${page}: every relative link reaches an existing file and heading`, () => {
      const text = readFileSync(join(root, page), "utf8").replace(/```[\s\S]*?```/g, "");
      const broken: string[] = [];
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1] as string;
        if (/^[a-z]+:/.test(target)) continue; // http:, https:, mailto:
        const [path, anchor] = target.split("#") as [string, string | undefined];
        const file = path === "" ? join(root, page) : resolve(dirname(join(root, page)), path);
        if (!existsSync(file)) {
          broken.push(`${target}: no such file`);
          continue;
        }
        if (
          anchor !== undefined &&
          file.endsWith(".md") &&
          !anchors(readFileSync(file, "utf8")).has(anchor)
        ) {
          broken.push(`${target}: no heading with that anchor`);
        }
      }
      expect(broken).toEqual([]);
    });
  }
});
