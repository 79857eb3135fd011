// The blocks of README.md that quote command output, each rendered by running the command.
// `npm run readme` writes them into README.md; test/cli/readme.test.ts checks they match.
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");

function handgrad(args) {
  const run = spawnSync(process.execPath, ["bin/handgrad.js", ...args], {
    cwd: root,
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`handgrad ${args.join(" ")} failed:\n${run.stderr}`);
  return run;
}

/** What `handgrad demo` prints. */
export function demoBlock() {
  return ["```", handgrad(["demo"]).stderr.trimEnd(), "```"].join("\n");
}

/** The default settings on every toy set and on the shipped real data set, 25% held out. */
export const DEFAULTS_RUNS = [
  ...["moons", "circles", "xor", "spirals", "blobs"].map((name) => ["--dataset", name]),
  ["--data", "data/breast_cancer.csv", "--standardize"],
];

export function defaultsBlock() {
  const percent = (x) => `${(100 * x).toFixed(1)} %`;
  const rows = DEFAULTS_RUNS.map((args) => {
    const command = ["handgrad", "train", ...args, "--validation", "0.25"];
    const { final } = JSON.parse(handgrad([...command.slice(1), "--json"]).stdout);
    return `| \`${command.join(" ")}\` | ${final.loss.toPrecision(3)} | ${percent(final.accuracy)} | ${percent(final.validationAccuracy)} |`;
  });
  return [
    "| command | final training loss | train accuracy | test accuracy |",
    "| --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}

export const BLOCKS = { "demo-output": demoBlock, "defaults-table": defaultsBlock };

/** The README text with every block between its markers replaced by `render(name)`. */
export function withBlocks(readme, render) {
  let text = readme;
  for (const name of Object.keys(BLOCKS)) {
    const block = new RegExp(`<!-- ${name}:start -->[\\s\\S]*?<!-- ${name}:end -->`);
    if (!block.test(text)) throw new Error(`README.md has no ${name} block`);
    text = text.replace(
      block,
      () => `<!-- ${name}:start -->\n\n${render(name)}\n\n<!-- ${name}:end -->`,
    );
  }
  return text;
}
