/** The README quotes the demo's output; this keeps the quote equal to what the command prints. */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");

describe("README", () => {
  it("quotes exactly what `handgrad demo` prints", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const quoted =
      /<!-- demo-output:start -->\s*```\n([\s\S]*?)\n```\s*<!-- demo-output:end -->/.exec(
        readme,
      )?.[1];
    const run = spawnSync(process.execPath, [join(root, "bin/handgrad.js"), "demo"], {
      encoding: "utf8",
    });
    expect(run.status).toBe(0);
    expect(quoted).toBe(run.stderr.trimEnd());
  });

  it("runs the library example as written", async () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
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
