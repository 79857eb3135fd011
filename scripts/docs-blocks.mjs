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

/**
 * An entry in the derivation's index notation (docs/derivation.md, "Notation"): `z1_{nj}` for a
 * matrix entry, `b1_j` for a vector's, counted from 0 as the program counts.
 */
function ix(...indices) {
  return indices.length === 1 ? `_${indices[0]}` : `_{${indices.join("")}}`;
}

/** A line's left-hand side, padded so that the `=` of its continuation lines align. */
function lhs(name) {
  return name.padEnd(8);
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
    `${lhs(`z1${ix(0, 0)}`)} = ${sum(ds.map((d) => `X${ix(0, d)}·W1${ix(d, 0)}`))} + b1${ix(0)}`,
    `${lhs("")} = ${sum(ds.map((d) => `${n(X[0][d])}·${n(W1[d][0])}`))} + ${n(b1[0])} = ${r(z1[0][0])}`,
    `${lhs(`a1${ix(i, k)}`)} = ${f}(z1${ix(i, k)}) = ${f}(${r(z1[i][k])}) = ${r(a1[i][k])}`,
    `${lhs(`z2${ix(0)}`)} = ${sum(hs.map((h) => `a1${ix(0, h)}·W2${ix(h)}`))} + b2`,
    `${lhs("")} = ${sum(hs.map((h) => `${n(a1[0][h])}·${n(W2[h][0])}`))} + ${n(b2[0])} = ${r(z2[0][0])}`,
    `${lhs(`p${ix(0)}`)} = 1/(1 + e^{−z2${ix(0)}}) = 1/(1 + e^{−${n(z2[0][0])}}) = ${r(p[0][0])}`,
    `${lhs("L")} = (1/N) Σ_n [ln(1 + e^{z2_n}) − y_n·z2_n]`,
    `${lhs("")} = (${rows.map((m) => `[ln(1 + e^{${n(z2[m][0])}}) − ${n(y[m])}·${n(z2[m][0])}]`).join(" + ")})/${N} = ${r(loss)}`,
    "",
    "backward",
    `${lhs(`dz2${ix(0)}`)} = (p${ix(0)} − y${ix(0)})/N = (${r(p[0][0])} − ${r(y[0])})/${N} = ${r(dz2[0][0])}`,
    `${lhs(`dW2${ix(0)}`)} = ${sum(rows.map((m) => `a1${ix(m, 0)}·dz2${ix(m)}`))}`,
    `${lhs("")} = ${sum(rows.map((m) => `${n(a1[m][0])}·${n(dz2[m][0])}`))} = ${r(dW2[0][0])}`,
    `${lhs("db2")} = ${sum(rows.map((m) => `dz2${ix(m)}`))} = ${sum(rows.map((m) => n(dz2[m][0])))} = ${r(db2[0])}`,
    `${lhs(`da1${ix(i, k)}`)} = dz2${ix(i)}·W2${ix(k)} = ${n(dz2[i][0])}·${n(W2[k][0])} = ${r(da1[i][k])}`,
    `${lhs(`dz1${ix(i, k)}`)} = da1${ix(i, k)}·${f}′(z1${ix(i, k)}) = ${n(da1[i][k])}·${f}′(${r(z1[i][k])}) = ${r(dz1[i][k])}`,
    `${lhs(`dW1${ix(D - 1, 0)}`)} = ${sum(rows.map((m) => `X${ix(m, D - 1)}·dz1${ix(m, 0)}`))}`,
    `${lhs("")} = ${sum(rows.map((m) => `${n(X[m][D - 1])}·${n(dz1[m][0])}`))} = ${r(dW1[D - 1][0])}`,
    `${lhs(`db1${ix(k)}`)} = ${sum(rows.map((m) => `dz1${ix(m, k)}`))} = ${sum(rows.map((m) => n(dz1[m][k])))} = ${r(db1[k])}`,
    "",
    `update, η = ${r(j.update.learningRate)}`,
    `${lhs(`W1${ix(D - 1, 0)}`)} ← W1${ix(D - 1, 0)} − η·dW1${ix(D - 1, 0)} = ${r(W1[D - 1][0])} − ${r(j.update.learningRate)}·${n(dW1[D - 1][0])} = ${r(j.update.W1[D - 1][0])}`,
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
