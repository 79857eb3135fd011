// Renders the scikit-learn section of docs/accuracy.md (between the markers
// `<!-- sklearn-accuracy:start -->` and `<!-- sklearn-accuracy:end -->`) from the recorded
// bench/accuracy/sklearn.json, so the doc always says what was measured, with its provenance;
// handgrad's own tables in the same doc are the accuracy experiment's (npm run docs).
// `npm run bench:accuracy` measures and renders; test/docs/accuracy.test.ts fails when the
// section differs from a rendering. Decimal numbers go in code spans: the docs drift test
// refuses hand-typed decimals in prose.
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { format, resolveConfig } from "prettier";

const root = resolve(import.meta.dirname, "..");
export const DOC = join(root, "docs/accuracy.md");
/** The rows of every split, written by accuracy.mjs (paths from the repository root). */
export const SPLITS = "bench/accuracy/splits.json";
/** scikit-learn's recorded results. */
export const SKLEARN_RESULTS = "bench/accuracy/sklearn.json";

const BLOCK = /(<!-- sklearn-accuracy:start -->)[\s\S]*?(<!-- sklearn-accuracy:end -->)/;

/** The data sets in the experiment's order, with the names its tables use. */
const TITLES = { "breast-cancer": "breast cancer", iris: "iris", wine: "wine" };

/**
 * The text of splits.json: JSON with one line per run (its row lists are long), so that the
 * file reads and diffs by run; prettier leaves it alone (.prettierignore).
 */
export function splitsText(splits) {
  const run = (r) => `        ${JSON.stringify(r)}`;
  const dataset = (d) =>
    [
      "    {",
      `      "name": ${JSON.stringify(d.name)},`,
      `      "file": ${JSON.stringify(d.file)},`,
      `      "rows": ${d.rows},`,
      '      "runs": [',
      d.runs.map(run).join(",\n"),
      "      ]",
      "    }",
    ].join("\n");
  return [
    "{",
    `  "heldOut": ${splits.heldOut},`,
    '  "datasets": [',
    splits.datasets.map(dataset).join(",\n"),
    "  ]",
    "}",
    "",
  ].join("\n");
}

const percent = (x) => `${(100 * x).toFixed(1)} %`;
/** 3 significant digits, exponent form below 1e-3 (as the experiments' sig). */
function sig(x) {
  const rounded = Number(x.toPrecision(3));
  return Math.abs(rounded) < 1e-3 ? rounded.toExponential().replace("e+", "e") : String(rounded);
}
const mean = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length;
const code = (text) => `\`${text}\``;
const spread = (xs) =>
  code(
    `${percent(mean(xs))} (${percent(Math.min(...xs)).replace(" %", "")}–${percent(Math.max(...xs))})`,
  );
const range = (xs) => {
  const [lo, hi] = [Math.min(...xs), Math.max(...xs)];
  return lo === hi ? String(lo) : `${lo}–${hi}`;
};

function datasetsOf(results) {
  return [...new Set(results.runs.map((r) => r.dataset))];
}

function summaryTable(results, splits) {
  const lines = [
    "| data set | rows: train + held out | train accuracy | held-out accuracy | final training loss (mean) | epochs (`n_iter_`) | stopped by `max_iter` |",
    "| --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const name of datasetsOf(results)) {
    const runs = results.runs.filter((r) => r.dataset === name);
    const first = splits.datasets.find((d) => d.name === name).runs[0];
    const capped = runs.filter((r) => r.warnings.some((w) => w.startsWith("ConvergenceWarning")));
    lines.push(
      `| ${TITLES[name] ?? name} | ${first.train.length} + ${first.heldOut.length} | ${spread(runs.map((r) => r.trainAccuracy))} | ${spread(runs.map((r) => r.heldOutAccuracy))} | ${code(sig(mean(runs.map((r) => r.finalLoss))))} | ${range(runs.map((r) => r.epochs))} | ${capped.length} of ${runs.length} |`,
    );
  }
  return lines.join("\n");
}

function runsTable(results) {
  const names = datasetsOf(results);
  const seeds = [...new Set(results.runs.map((r) => r.seed))];
  const lines = [
    `| seed | ${names.map((n) => TITLES[n] ?? n).join(" | ")} |`,
    `| --- | ${names.map(() => "---").join(" | ")} |`,
  ];
  for (const seed of seeds) {
    const cells = names.map((name) => {
      const r = results.runs.find((x) => x.dataset === name && x.seed === seed);
      return code(`${percent(r.trainAccuracy)} / ${percent(r.heldOutAccuracy)}`);
    });
    lines.push(`| ${seed} | ${cells.join(" | ")} |`);
  }
  return lines.join("\n");
}

function warningsLine(results) {
  const messages = [...new Set(results.runs.flatMap((r) => r.warnings))];
  if (messages.length === 0) return "No fit raised a warning.";
  const counts = datasetsOf(results).map((name) => {
    const runs = results.runs.filter((r) => r.dataset === name);
    return `${runs.filter((r) => r.warnings.length > 0).length} of ${runs.length} on ${TITLES[name] ?? name}`;
  });
  return `Warnings raised by the fits (${counts.join(", ")}): ${messages.map((m) => code(m)).join("; ")}`;
}

function paramsLine(results) {
  const p = results.params;
  return `The ${code("MLPClassifier")} settings, all scikit-learn's defaults: ${Object.entries(p)
    .map(([k, v]) => code(`${k}=${JSON.stringify(v)}`))
    .join(", ")}.`;
}

function provenance(results) {
  const { machine, versions, splits } = results;
  return (
    `Recorded in ${code(SKLEARN_RESULTS)} by ${code(results.command)} on ${results.date} (${code(results.python)}: Python ${code(versions.python)}, scikit-learn ${code(versions.sklearn)}, NumPy ${code(versions.numpy)}, SciPy ${code(versions.scipy)}; ` +
    `${machine.cpu}, ${machine.cores} cores, ${machine.platform}), on the rows of ${code(splits.file)} (SHA-256 ${code(splits.sha256.slice(0, 16))}…).`
  );
}

/** The section's Markdown (between the markers, unformatted). */
export function renderSection(results, splits) {
  return [
    `${code(results.estimator)}, fitted on each run's training rows (the same rows, in the same order, as handgrad's) and scored on the same held-out rows:`,
    "",
    summaryTable(results, splits),
    "",
    "Each run: training / held-out accuracy.",
    "",
    runsTable(results),
    "",
    warningsLine(results),
    "",
    paramsLine(results),
    "",
    provenance(results),
  ].join("\n");
}

/** docs/accuracy.md's text with the section rendered from `results`, formatted as prettier would. */
export async function renderAccuracyDoc(text, results, splits) {
  if (!BLOCK.test(text)) throw new Error("docs/accuracy.md has no sklearn-accuracy markers");
  const section = renderSection(results, splits);
  const replaced = text.replace(BLOCK, (_, start, end) => `${start}\n\n${section}\n\n${end}`);
  const config = (await resolveConfig(DOC)) ?? {};
  return format(replaced, { ...config, filepath: DOC });
}

/** Rewrites docs/accuracy.md's scikit-learn section from `results`. */
export async function writeAccuracyDoc(results) {
  const splits = JSON.parse(readFileSync(join(root, SPLITS), "utf8"));
  writeFileSync(DOC, await renderAccuracyDoc(readFileSync(DOC, "utf8"), results, splits));
}
