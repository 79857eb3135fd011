// Regenerates everything in docs/ that an experiment produces (and the numbers README.md quotes): runs every experiment from its
// default seed, writes docs/figures/*.svg, and rewrites each doc's quoted numbers and tables
// (see src/experiments/docs.ts). Run through `npm run docs`, which builds first, then re-syncs
// the code links (docs:links) and formats docs/.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { join, resolve } from "node:path";
import {
  docDrift,
  EXPERIMENTS,
  figureFileName,
  renderSvg,
  syncDoc,
} from "../dist/experiments/index.js";

const docs = resolve(import.meta.dirname, "../docs");
const started = performance.now();
const results = new Map();
for (const experiment of EXPERIMENTS) {
  const t0 = performance.now();
  const result = experiment.run({ seed: 0 });
  results.set(experiment.name, result);
  for (const figure of result.figures) {
    writeFileSync(
      join(docs, "figures", figureFileName(experiment.name, figure)),
      await renderSvg(figure.spec),
    );
  }
  console.log(`${experiment.name}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
const pages = readdirSync(docs).filter((f) => f.endsWith(".md"));
for (const file of [...pages.map((f) => `docs/${f}`), "README.md"]) {
  const path = join(docs, "..", file);
  const text = readFileSync(path, "utf8");
  const stale = docDrift(text, results);
  writeFileSync(path, syncDoc(text, results));
  console.log(`${file}: ${stale.length === 0 ? "in step" : `${stale.length} quotes updated`}`);
}
console.log(`all experiments and docs: ${((performance.now() - started) / 1000).toFixed(1)} s`);
