// Rewrites the demo output quoted in README.md with what `handgrad demo` prints now
// (test/cli/readme.test.ts fails when the two differ). Run: npm run readme
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";

const run = spawnSync(process.execPath, ["bin/handgrad.js", "demo"], { encoding: "utf8" });
if (run.status !== 0) throw new Error(`handgrad demo failed:\n${run.stderr}`);
const readme = readFileSync("README.md", "utf8");
const block = /(<!-- demo-output:start -->\s*```\n)[\s\S]*?(\n```\s*<!-- demo-output:end -->)/;
if (!block.test(readme)) throw new Error("README.md has no demo-output block");
writeFileSync(
  "README.md",
  readme.replace(block, (_, start, end) => `${start}${run.stderr.trimEnd()}${end}`),
);
console.log("README.md: demo output updated");
