// `npm run bench:accuracy`: scikit-learn's MLPClassifier defaults on the splits of handgrad's
// accuracy experiment (src/experiments/accuracy.ts), for docs/accuracy.md. Steps:
//   1. writes bench/accuracy/splits.json: every data set's training and held-out rows per run
//      (accuracySplits(0) from dist/; test/docs/accuracy.test.ts checks the file against it);
//   2. runs bench/sklearn_accuracy.py on them with a Python that has scikit-learn (PYTHON if
//      set, else the first of python3 and /usr/bin/python3 that imports sklearn) and records
//      its accuracies, warnings, versions and the machine in bench/accuracy/sklearn.json;
//   3. renders the scikit-learn section of docs/accuracy.md from that file (accuracy-render.mjs).
// Not part of `npm test` (CI has no scikit-learn): the recorded file is what the docs show.
// `node bench/accuracy.mjs --render` does step 3 only.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join, resolve } from "node:path";
import { format } from "prettier";
import { SKLEARN_RESULTS, SPLITS, splitsText, writeAccuracyDoc } from "./accuracy-render.mjs";

const here = import.meta.dirname;
const root = resolve(here, "..");

/** The first Python that imports scikit-learn, or undefined. */
function pythonWithSklearn() {
  const candidates = process.env.PYTHON ? [process.env.PYTHON] : ["python3", "/usr/bin/python3"];
  return candidates.find(
    (python) => spawnSync(python, ["-c", "import sklearn"], { encoding: "utf8" }).status === 0,
  );
}

async function measure() {
  const { accuracySplits } = await import("../dist/experiments/accuracy.js");
  mkdirSync(join(root, "bench/accuracy"), { recursive: true });
  const splits = splitsText(accuracySplits(0));
  writeFileSync(join(root, SPLITS), splits);
  console.log(`${SPLITS} written`);
  const python = pythonWithSklearn();
  if (python === undefined) {
    console.error(
      "no Python with scikit-learn found (tried PYTHON, python3, /usr/bin/python3): install it (e.g. apt-get install python3-sklearn, or pip install scikit-learn) or set PYTHON; bench/accuracy/sklearn.json left as it was",
    );
    process.exit(2);
  }
  console.log(`running bench/sklearn_accuracy.py with ${python}`);
  const r = spawnSync(python, [join(here, "sklearn_accuracy.py"), join(root, SPLITS), root], {
    encoding: "utf8",
    maxBuffer: 1 << 24,
  });
  process.stderr.write(r.stderr);
  if (r.status !== 0) throw new Error(`sklearn_accuracy.py failed (exit ${r.status})`);
  const measured = JSON.parse(r.stdout);
  const { cpu, ...rest } = measured;
  const results = {
    date: new Date().toISOString().slice(0, 10),
    command: "npm run bench:accuracy",
    python,
    machine: {
      cpu,
      cores: cpus().length,
      platform: `${process.platform} ${process.arch}`,
    },
    splits: { file: SPLITS, sha256: createHash("sha256").update(splits).digest("hex") },
    ...rest,
  };
  const file = join(root, SKLEARN_RESULTS);
  writeFileSync(file, await format(JSON.stringify(results), { filepath: file }));
  console.log(`${SKLEARN_RESULTS} written`);
  return results;
}

const results = process.argv.includes("--render")
  ? JSON.parse(readFileSync(join(root, SKLEARN_RESULTS), "utf8"))
  : await measure();
await writeAccuracyDoc(results);
console.log("docs/accuracy.md: the scikit-learn section rendered");
