// How fast loadCsv reads a large CSV file: 200 000 rows × 30 feature columns and a label,
// generated once (seeded, about 60 MB) into the system's temporary folder. Best of 3 passes
// (other processes may share the cores: the best pass is the one they left alone), in ms and
// MB/s. A measuring script, not a test. Needs `npm run build` first.
// Extra arguments are other built dist/ folders to time in the same run, passes interleaved
// (to compare a change against a build of the code before it, under the same load):
//   node scripts/bench-csv.mjs [--rows 200000] [--passes 3] [OTHER_DIST ...]
import { statSync, writeFileSync, rmSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL, URL } from "node:url";
import { performance } from "node:perf_hooks";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  if (at === -1) return fallback;
  const value = Number(args[at + 1]);
  args.splice(at, 2);
  return value;
};
const ROWS = option("--rows", 200_000);
const PASSES = option("--passes", 3);
const COLUMNS = 30;
const dists = [new URL("../dist/", import.meta.url).pathname, ...args.map((d) => resolve(d))];

/** A seeded CSV file: a header, then ROWS rows of COLUMNS numbers and a 0/1 label. */
function writeCsv(path) {
  let state = 12345;
  const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const lines = [[...Array.from({ length: COLUMNS }, (_, j) => `x${j + 1}`), "label"].join(",")];
  for (let i = 0; i < ROWS; i++) {
    const cells = Array.from({ length: COLUMNS }, () => ((next() - 0.5) * 20).toFixed(6));
    cells.push(next() < 0.5 ? "0" : "1");
    lines.push(cells.join(","));
  }
  writeFileSync(path, lines.join("\n") + "\n");
}

const folder = mkdtempSync(join(tmpdir(), "handgrad-bench-csv-"));
const path = join(folder, "large.csv");
try {
  writeCsv(path);
  const megabytes = statSync(path).size / 1e6;
  console.log(`${path}: ${ROWS} rows × ${COLUMNS + 1} columns, ${megabytes.toFixed(1)} MB`);
  const loaders = [];
  for (const dist of dists) {
    const { loadCsv } = await import(pathToFileURL(join(dist, "index.js")).href);
    loaders.push({ dist, loadCsv, best: Infinity });
  }
  for (let pass = 0; pass < PASSES; pass++) {
    for (const loader of loaders) {
      const start = performance.now();
      const data = loader.loadCsv(path);
      const ms = performance.now() - start;
      if (data.X.rows !== ROWS || data.X.cols !== COLUMNS) throw new Error("wrong shape");
      loader.best = Math.min(loader.best, ms);
    }
  }
  for (const { dist, best } of loaders) {
    const rate = megabytes / (best / 1000);
    console.log(`${dist}: best of ${PASSES} ${best.toFixed(0)} ms (${rate.toFixed(1)} MB/s)`);
  }
} finally {
  rmSync(folder, { recursive: true, force: true });
}
