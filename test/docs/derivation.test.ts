/** docs/derivation.md links each equation to the line implementing it; these tests keep the links true. */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain JavaScript module of the project's scripts, without type declarations
import * as docLinks from "../../scripts/doc-links.mjs";

interface CodeLink {
  readonly snippet: string;
  readonly path: string;
  readonly line: number;
  readonly docLine: number;
}

interface Problem {
  readonly link: CodeLink;
  readonly kind: "missing-file" | "moved" | "vanished" | "ambiguous";
  readonly message: string;
}

const { findCodeLinks, checkCodeLinks, updateCodeLinks, snippetLines } = docLinks as {
  findCodeLinks: (markdown: string) => CodeLink[];
  checkCodeLinks: (markdown: string, docDir: string) => Problem[];
  updateCodeLinks: (
    markdown: string,
    docDir: string,
  ) => { markdown: string; moved: { snippet: string; from: number; to: number }[] };
  snippetLines: (source: string, snippet: string) => number[];
};

const root = resolve(import.meta.dirname, "../..");
const docDir = join(root, "docs");
const doc = readFileSync(join(docDir, "derivation.md"), "utf8");
const links = findCodeLinks(doc);

/** The equations the doc must link, each to a line of `file` whose snippet matches `snippet`. */
const REQUIRED: readonly { equation: string; file: string; snippet: RegExp }[] = [
  // forward
  { equation: "z1 = X W1 + b1", file: "src/nn/network.ts", snippet: /const z1 = / },
  { equation: "a1 = f(z1)", file: "src/nn/network.ts", snippet: /const a1 = / },
  { equation: "z2 = a1 W2 + b2", file: "src/nn/network.ts", snippet: /const z2 = / },
  { equation: "p = σ(z2)", file: "src/nn/network.ts", snippet: /const p = / },
  // loss
  {
    equation: "ℓ(z, y) = max(z, 0) − y z + log1p(e^{−|z|})",
    file: "src/numerics/bce.ts",
    snippet: /Math\.max\(z, 0\) - y \* z/,
  },
  { equation: "L = (1/N) Σ ℓ", file: "src/numerics/mean.ts", snippet: /total \/ N/ },
  { equation: "softplus(z)", file: "src/numerics/softplus.ts", snippet: /function softplus/ },
  {
    equation: "∂ℓ/∂z = σ(z) − y",
    file: "src/numerics/sigmoid.ts",
    snippet: /function sigmoidMinusLabel/,
  },
  // backward
  { equation: "∂L/∂z2 = (p − y)/N", file: "src/nn/network.ts", snippet: /const dz2 = / },
  { equation: "∂L/∂W2 = a1ᵀ δ2", file: "src/nn/network.ts", snippet: /const dW2 = / },
  { equation: "∂L/∂b2 = Σ δ2", file: "src/nn/network.ts", snippet: /const db2 = / },
  { equation: "δ1 = (δ2 W2ᵀ) ⊙ f′(z1)", file: "src/nn/network.ts", snippet: /const dz1 = / },
  { equation: "∂L/∂W1 = Xᵀ δ1", file: "src/nn/network.ts", snippet: /const dW1 = / },
  { equation: "∂L/∂b1 = Σ δ1", file: "src/nn/network.ts", snippet: /const db1 = / },
  // activation derivatives
  { equation: "relu′", file: "src/nn/activations.ts", snippet: /df: \(z\) => \(z > 0 \? 1 : 0\)/ },
  {
    equation: "leaky′",
    file: "src/nn/activations.ts",
    snippet: /df: \(z\) => \(z > 0 \? 1 : LEAKY_SLOPE\)/,
  },
  { equation: "tanh′ = 4t/(1 + t)²", file: "src/numerics/tanh.ts", snippet: /\(4 \* t\)/ },
  {
    equation: "σ′ = a σ(−z)",
    file: "src/nn/activations.ts",
    snippet: /df: \(z, a\) => a \* sigmoid\(-z\)/,
  },
  // the L2 penalty and the update rules (issue 13)
  {
    equation: "∂L_λ/∂W1 = Xᵀ δ1 + λ W1",
    file: "src/nn/network.ts",
    snippet: /const dW1Penalised = /,
  },
  {
    equation: "∂L_λ/∂W2 = a1ᵀ δ2 + λ W2",
    file: "src/nn/network.ts",
    snippet: /const dW2Penalised = /,
  },
  {
    equation: "(λ/2)(‖W1‖² + ‖W2‖²)",
    file: "src/nn/network.ts",
    snippet: /\(l2 \/ 2\) \* squares/,
  },
  { equation: "momentum", file: "src/train/optimizers.ts", snippet: /function momentumStep/ },
  { equation: "nesterov", file: "src/train/optimizers.ts", snippet: /g \+ mu \* v/ },
  {
    equation: "adam m",
    file: "src/train/optimizers.ts",
    snippet: /beta1 \* m \+ \(1 - beta1\) \* g/,
  },
  {
    equation: "adam v",
    file: "src/train/optimizers.ts",
    snippet: /beta2 \* v \+ \(1 - beta2\) \* g \* g/,
  },
  {
    equation: "adam step",
    file: "src/train/optimizers.ts",
    snippet: /Math\.sqrt\(vh\) \+ eps/,
  },
  { equation: "warm-up", file: "src/train/schedules.ts", snippet: /\(eta \* t\) \/ S/ },
  {
    equation: "cosine",
    file: "src/train/schedules.ts",
    snippet: /cospi\(progress\)/,
  },
  // gradient check
  {
    equation: "central differences",
    file: "src/check/gradcheck.ts",
    snippet: /lossPlus - lossMinus/,
  },
];

/** The repository-relative path of a link's target ("src/nn/network.ts"). */
function targetOf(link: CodeLink): string {
  return resolve(docDir, link.path)
    .slice(root.length + 1)
    .split("\\")
    .join("/");
}

describe("docs/derivation.md", () => {
  it("has code links, all into src/", () => {
    expect(links.length).toBeGreaterThanOrEqual(REQUIRED.length);
    for (const link of links) expect(targetOf(link)).toMatch(/^src\//);
  });

  it("links only to files that exist, at lines within them", () => {
    for (const link of links) {
      const target = resolve(docDir, link.path);
      expect(existsSync(target), `${link.path} (doc line ${link.docLine}) does not exist`).toBe(
        true,
      );
      const lines = readFileSync(target, "utf8").split("\n").length;
      expect(
        link.line,
        `${link.path}#L${link.line} is past the end of the file`,
      ).toBeLessThanOrEqual(lines);
    }
  });

  it("has every linked snippet on its linked line (npm run docs:links fixes moved lines)", () => {
    const problems = checkCodeLinks(doc, docDir);
    expect(problems.map((p) => p.message)).toEqual([]);
  });

  it("uses snippets that occur on exactly one line of their file, so they can be re-synced", () => {
    for (const link of links) {
      const found = snippetLines(readFileSync(resolve(docDir, link.path), "utf8"), link.snippet);
      expect(found, `\`${link.snippet}\` in ${link.path}`).toHaveLength(1);
    }
  });

  for (const { equation, file, snippet } of REQUIRED) {
    it(`links ${equation} to ${file}`, () => {
      const match = links.some((link) => targetOf(link) === file && snippet.test(link.snippet));
      expect(match, `no link for ${equation} into ${file} matching ${snippet}`).toBe(true);
    });
  }

  it("states each activation's derivative and the relu′(0) convention", () => {
    for (const text of [
      "relu′(0) = 0",
      "leaky′(0) = 0.01",
      "1 − a²",
      "4t / (1 + t)²",
      "σ(z) (1 − σ(z)) = a σ(−z)",
    ]) {
      expect(doc).toContain(text);
    }
  });
});

describe("the doc-link checker", () => {
  const network = "../src/nn/network.ts";
  const dW2Line = snippetLines(
    readFileSync(join(root, "src/nn/network.ts"), "utf8"),
    "const dW2 = matmulTransA(a1, dz2)",
  )[0] as number;

  it("reports a link to a symbol that has vanished, naming the snippet and the file", () => {
    const fabricated = `See [\`const dW3 = vanishedKernel(a1, dz2)\`](${network}#L${dW2Line}).\n`;
    expect(findCodeLinks(fabricated)).toHaveLength(1);
    const problems = checkCodeLinks(fabricated, docDir);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.kind).toBe("vanished");
    expect(problems[0]?.message).toContain("const dW3 = vanishedKernel(a1, dz2)");
    expect(problems[0]?.message).toContain("src/nn/network.ts");
    expect(() => updateCodeLinks(fabricated, docDir)).toThrow(
      /const dW3 = vanishedKernel\(a1, dz2\).*src\/nn\/network\.ts/,
    );
  });

  it("reports a link to a missing file", () => {
    const fabricated = `[\`export function gone\`](../src/nn/gone.ts#L1)\n`;
    expect(checkCodeLinks(fabricated, docDir).map((p) => p.kind)).toEqual(["missing-file"]);
    expect(() => updateCodeLinks(fabricated, docDir)).toThrow(/gone\.ts/);
  });

  it("reports a moved snippet with the hint to run npm run docs:links, and moves it back", () => {
    const stale = `[\`const dW2 = matmulTransA(a1, dz2)\`](${network}#L${dW2Line + 3})\n`;
    const problems = checkCodeLinks(stale, docDir);
    expect(problems.map((p) => p.kind)).toEqual(["moved"]);
    expect(problems[0]?.message).toContain("npm run docs:links");
    const { markdown, moved } = updateCodeLinks(stale, docDir);
    expect(markdown).toBe(`[\`const dW2 = matmulTransA(a1, dz2)\`](${network}#L${dW2Line})\n`);
    expect(moved).toEqual([
      {
        snippet: "const dW2 = matmulTransA(a1, dz2)",
        path: network,
        from: dW2Line + 3,
        to: dW2Line,
      },
    ]);
    expect(checkCodeLinks(markdown, docDir)).toEqual([]);
  });

  it("refuses to re-sync a snippet that occurs on more than one line", () => {
    const ambiguous = `[\`= colSums(\`](${network}#L1)\n`;
    expect(checkCodeLinks(ambiguous, docDir).map((p) => p.kind)).toEqual(["ambiguous"]);
    expect(() => updateCodeLinks(ambiguous, docDir)).toThrow(
      /`= colSums\(` occurs on 2 lines of .*network\.ts/,
    );
  });

  it("ignores links written inside fenced code blocks and links outside src/", () => {
    const text =
      "```text\n[`const gone = 1`](../src/nn/network.ts#L1)\n```\n[`x`](../README.md#L1)\n";
    expect(findCodeLinks(text)).toEqual([]);
  });

  it("leaves the doc unchanged when every line number is current", () => {
    expect(updateCodeLinks(doc, docDir)).toEqual({ markdown: doc, moved: [] });
  });
});
