// The blocks of docs/ pages that quote command output, each rendered by running the built CLI
// (as readme-blocks.mjs does for README.md). `npm run docs:blocks` (and `npm run docs`) writes
// them; test/docs/worked-example.test.ts checks that each page quotes what the commands print.
// The "by hand" block computes nothing: it lays out, for one entry of each step, the operands
// and the result that `handgrad explain --json` printed, as a reader keys them into a calculator.
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

/** The worked example's command: the 2→2→1 relu network and the two rows in data/. */
export const WORKED_EXAMPLE = [
  "explain",
  "--model",
  "data/worked-example.json",
  "--data",
  "data/worked-example.csv",
];

/** What `handgrad explain` prints for the worked example. */
function explainOutput() {
  return ["```text", handgrad(WORKED_EXAMPLE).stderr.trimEnd(), "```"].join("\n");
}

/** A number as explain prints it: 6 significant digits, shortest form; negative ones in brackets. */
function n(x) {
  const text = String(Number(x.toPrecision(6)) + 0);
  return text.startsWith("-") ? `(${text})` : text;
}

/** A number as a result: not bracketed. */
function r(x) {
  return String(Number(x.toPrecision(6)) + 0);
}

/** One entry of each step of the worked example, with its operands, from explain --json. */
function byHand() {
  const j = JSON.parse(handgrad([...WORKED_EXAMPLE, "--json"]).stdout);
  const { X, y } = j.batch;
  const { W1, b1, W2, b2 } = j.params;
  const { z1, a1, z2, p, loss } = j.forward;
  const { dz2, dW2, db2, da1, dz1, dW1, db1 } = j.backward;
  const f = j.network.activation;
  const N = X.length;
  const D = X[0].length;
  const H = W1[0].length;
  const sum = (terms) => terms.join(" + ");
  const rows = [...Array(N).keys()];
  const ds = [...Array(D).keys()];
  const hs = [...Array(H).keys()];
  // The entries shown: a hidden unit that is off on some row, when there is one (its gradient
  // is 0 there), else the last.
  const off = rows.flatMap((i) => hs.filter((k) => z1[i][k] <= 0).map((k) => [i, k]))[0];
  const [i, k] = off ?? [N - 1, H - 1];
  const lines = [
    "forward",
    `z1[0][0] = ${sum(ds.map((d) => `X[0][${d}]·W1[${d}][0]`))} + b1[0]`,
    `         = ${sum(ds.map((d) => `${n(X[0][d])}·${n(W1[d][0])}`))} + ${n(b1[0])} = ${r(z1[0][0])}`,
    `a1[${i}][${k}] = ${f}(z1[${i}][${k}]) = ${f}(${r(z1[i][k])}) = ${r(a1[i][k])}`,
    `z2[0]    = ${sum(hs.map((h) => `a1[0][${h}]·W2[${h}]`))} + b2`,
    `         = ${sum(hs.map((h) => `${n(a1[0][h])}·${n(W2[h][0])}`))} + ${n(b2[0])} = ${r(z2[0][0])}`,
    `p[0]     = 1/(1 + e^−z2[0]) = 1/(1 + e^−${n(z2[0][0])}) = ${r(p[0][0])}`,
    `L        = (1/N) Σ_n [ln(1 + e^z2[n]) − y[n]·z2[n]]`,
    `         = (${rows.map((m) => `[ln(1 + e^${n(z2[m][0])}) − ${n(y[m])}·${n(z2[m][0])}]`).join(" + ")})/${N} = ${r(loss)}`,
    "",
    "backward",
    `dz2[0]   = (p[0] − y[0])/N = (${r(p[0][0])} − ${r(y[0])})/${N} = ${r(dz2[0][0])}`,
    `dW2[0]   = ${sum(rows.map((m) => `a1[${m}][0]·dz2[${m}]`))}`,
    `         = ${sum(rows.map((m) => `${n(a1[m][0])}·${n(dz2[m][0])}`))} = ${r(dW2[0][0])}`,
    `db2      = ${sum(rows.map((m) => `dz2[${m}]`))} = ${sum(rows.map((m) => n(dz2[m][0])))} = ${r(db2[0])}`,
    `da1[${i}][${k}] = dz2[${i}]·W2[${k}] = ${n(dz2[i][0])}·${n(W2[k][0])} = ${r(da1[i][k])}`,
    `dz1[${i}][${k}] = da1[${i}][${k}]·${f}′(z1[${i}][${k}]) = ${n(da1[i][k])}·${f}′(${r(z1[i][k])}) = ${r(dz1[i][k])}`,
    `dW1[${D - 1}][0] = ${sum(rows.map((m) => `X[${m}][${D - 1}]·dz1[${m}][0]`))}`,
    `         = ${sum(rows.map((m) => `${n(X[m][D - 1])}·${n(dz1[m][0])}`))} = ${r(dW1[D - 1][0])}`,
    `db1[${k}]   = ${sum(rows.map((m) => `dz1[${m}][${k}]`))} = ${sum(rows.map((m) => n(dz1[m][k])))} = ${r(db1[k])}`,
    "",
    `update, η = ${r(j.update.learningRate)}`,
    `W1[${D - 1}][0] ← W1[${D - 1}][0] − η·dW1[${D - 1}][0] = ${r(W1[D - 1][0])} − ${r(j.update.learningRate)}·${n(dW1[D - 1][0])} = ${r(j.update.W1[D - 1][0])}`,
  ];
  return ["```text", ...lines, "```"].join("\n");
}

/** The blocks of each page under docs/, by name: `<!-- NAME:start -->` … `<!-- NAME:end -->`. */
export const DOC_BLOCKS = {
  "worked-example.md": { "explain-output": explainOutput, "by-hand": byHand },
};

/** The page's text with every block between its markers replaced by `render(name)`. */
export function withDocBlocks(file, text, render) {
  let result = text;
  for (const name of Object.keys(DOC_BLOCKS[file])) {
    const block = new RegExp(`<!-- ${name}:start -->[\\s\\S]*?<!-- ${name}:end -->`);
    if (!block.test(result)) throw new Error(`docs/${file} has no ${name} block`);
    result = result.replace(
      block,
      () => `<!-- ${name}:start -->\n\n${render(name)}\n\n<!-- ${name}:end -->`,
    );
  }
  return result;
}
