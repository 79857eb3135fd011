// Renders docs/performance.md and docs/figures/performance-examples.svg from the measurements
// in bench/results.json (and the hand-written bench/notes.md), so the doc always says what was
// measured: `npm run bench:peers` measures and renders, `npm run bench:render` only renders,
// and test/docs/performance.test.ts fails when the doc or the figure differ from a rendering.
// Decimal numbers go in code spans: the docs drift test refuses hand-typed decimals in prose.
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { format, resolveConfig } from "prettier";
import { renderSvg } from "../dist/experiments/index.js";
import { WORKLOADS, WORKLOAD_NAMES } from "../dist/bench/workloads.js";
import { flopsPerEpoch } from "../dist/cli/commands/bench.js";

const here = import.meta.dirname;
const root = resolve(here, "..");
export const DOC = join(root, "docs/performance.md");
export const FIGURE = "performance-examples.svg";

/** Targets of issue 4: handgrad ÷ the fastest JavaScript peer, and handgrad ÷ NumPy. */
const JS_TARGET = 10;
const NUMPY_TARGET = { toy: 1, tab: 1, wide: 0.5 };

/** x to 3 significant digits, in a code span. */
const sig = (x) => `\`${Number(x.toPrecision(3))}\``;
const int = (x) => Math.round(x).toLocaleString("en-US");
const mib = (bytes) => int(bytes / 2 ** 20);

/** The measurements of one workload, handgrad first, in the peers' order. */
function runsOf(results, workload) {
  return results.peers
    .map((peer) => ({
      peer,
      run: results.runs.find((r) => r.peer === peer.id && r.workload === workload),
    }))
    .filter((x) => x.run !== undefined);
}

function ratios(results, workload) {
  const all = runsOf(results, workload);
  const handgrad = all.find((x) => x.peer.id === "handgrad").run.examplesPerSecond;
  const js = all.filter((x) => x.peer.id !== "handgrad" && x.peer.id !== "numpy");
  const fastestJs = js.reduce((a, b) =>
    b.run.examplesPerSecond > a.run.examplesPerSecond ? b : a,
  );
  const numpy = all.find((x) => x.peer.id === "numpy");
  return { all, handgrad, fastestJs, numpy };
}

function workloadSection(results, workload) {
  const spec = WORKLOADS[workload];
  const { all, handgrad, numpy } = ratios(results, workload);
  const lines = [
    `### ${workload}`,
    "",
    `N = ${spec.N}, D = ${spec.D}, H = ${spec.H}, ${spec.activation}, batch ${spec.batch}, ${spec.epochs} epochs, η = \`${spec.learningRate}\`.`,
    "",
    "| Peer | Precision | examples/s | handgrad ÷ peer | final loss | train accuracy | peak RSS (MiB) | runs |",
    "| --- | --- | --: | --: | --: | --: | --: | --: |",
  ];
  for (const { peer, run } of all) {
    const cut = run.subset
      ? ` (first ${run.examples} rows, ${run.epochs} epoch${run.epochs === 1 ? "" : "s"})`
      : "";
    lines.push(
      `| ${peer.label} | ${peer.precision} | ${int(run.examplesPerSecond)}${cut} | ${sig(handgrad / run.examplesPerSecond)} | ` +
        `${run.finalLoss === null ? "—" : sig(run.finalLoss)} | ${run.accuracy === null ? "—" : sig(run.accuracy)} | ${mib(run.peakRssBytes)} | ${run.runs} |`,
    );
  }
  const own = all.find((x) => x.peer.id === "handgrad").run;
  lines.push(
    "",
    `handgrad (engine ${own.engine}): ${sig(own.seconds / own.epochs)} s per epoch, ${sig(own.gflops)} GFLOP/s of matrix products` +
      (numpy
        ? `; NumPy ${sig((flopsPerEpoch(spec) * numpy.run.epochs) / numpy.run.seconds / 1e9)} GFLOP/s by the same count.`
        : "."),
  );
  return lines.join("\n");
}

function targetsSection(results) {
  const lines = ["| Workload | Target | Measured | Met |", "| --- | --- | --: | --- |"];
  const missed = [];
  for (const workload of WORKLOAD_NAMES) {
    const { handgrad, fastestJs, numpy } = ratios(results, workload);
    const js = handgrad / fastestJs.run.examplesPerSecond;
    const jsMet = js >= JS_TARGET;
    lines.push(
      `| ${workload} | ≥ ${JS_TARGET}× the fastest JavaScript peer (${fastestJs.peer.label}) | ${sig(js)}× | ${jsMet ? "yes" : "no"} |`,
    );
    if (!jsMet) missed.push(`${workload}: ${sig(js)}× ${fastestJs.peer.label}, not ${JS_TARGET}×`);
    if (numpy) {
      const np = handgrad / numpy.run.examplesPerSecond;
      const npMet = np >= NUMPY_TARGET[workload];
      lines.push(
        `| ${workload} | ≥ \`${NUMPY_TARGET[workload]}\`× NumPy | ${sig(np)}× | ${npMet ? "yes" : "no"} |`,
      );
      if (!npMet) missed.push(`${workload}: ${sig(np)}× NumPy, not ${NUMPY_TARGET[workload]}×`);
    } else {
      lines.push(
        `| ${workload} | ≥ \`${NUMPY_TARGET[workload]}\`× NumPy | not measured (no NumPy) | — |`,
      );
    }
  }
  lines.push(
    "",
    missed.length === 0
      ? "Every target is met in this run."
      : `${missed.length} of ${2 * WORKLOAD_NAMES.length} targets are missed in this run; why is in the next section.`,
  );
  return lines.join("\n");
}

/** How far NumPy's final loss is from handgrad's: it starts from the same weights, takes the same batches. */
function agreementLine(results) {
  const gaps = WORKLOAD_NAMES.map((w) => {
    const { all, numpy } = ratios(results, w);
    if (!numpy) return undefined;
    const own = all.find((x) => x.peer.id === "handgrad").run.finalLoss;
    return `${w} ${sig(Math.abs(own - numpy.run.finalLoss))}`;
  });
  if (gaps.includes(undefined)) return "";
  return (
    "NumPy starts from handgrad's weights and takes handgrad's batches, so both compute the same numbers in another summation order: " +
    `their final losses differ by ${gaps.join(", ")} (absolute), which checks that the two are timed on the same work.`
  );
}

function peersSection(results) {
  const lines = ["| Peer | Version | Precision | Set up |", "| --- | --- | --- | --- |"];
  for (const peer of results.peers) {
    const subset = peer.subset
      ? `; ${Object.entries(peer.subset)
          .map(
            ([w, s]) =>
              `on ${w} only the first ${s.examples} rows, ${s.epochs} epoch${s.epochs === 1 ? "" : "s"} (too slow for the whole run; it trains example by example, so its examples/s does not depend on N)`,
          )
          .join("; ")}`
      : "";
    const wasm = results.runs.find((r) => r.peer === peer.id && r.simd !== undefined);
    const flags = wasm
      ? `; WebAssembly SIMD ${wasm.simd ? "on" : "off"}, ${wasm.threads ? "several threads" : "one thread"} in this run`
      : "";
    lines.push(
      `| ${peer.label} | \`${peer.version}\` | ${peer.precision} | ${peer.notes}${flags}${subset} |`,
    );
  }
  for (const skip of results.skipped) lines.push("", `Skipped: ${skip.peer}: ${skip.reason}.`);
  return lines.join("\n");
}

function machineSection(results) {
  const { machine, versions } = results;
  return [
    `- CPU: ${machine.cpu}, ${machine.cores} cores, ${int(machine.memoryBytes / 2 ** 30)} GiB memory, ${machine.platform}`,
    `- Node \`${versions.node}\`${versions.python ? `, Python \`${versions.python}\`` : ""}`,
    `- Measured on ${results.date}, seed ${results.seed}; one-minute load average ${sig(machine.loadAverageBefore)} before the run and ${sig(machine.loadAverageAfter)} after it` +
      (Math.max(machine.loadAverageBefore, machine.loadAverageAfter) > machine.cores
        ? `. The machine was busy with other work (a load above its ${machine.cores} cores), which slows every peer by amounts that vary from run to run: read the ratios as rough`
        : ""),
  ].join("\n");
}

/** The figure: examples/s of every peer on every workload, log scale. */
export function figureSpec(results) {
  const values = results.runs.map((run) => {
    const peer = results.peers.find((p) => p.id === run.peer);
    const group =
      run.peer === "handgrad" ? "handgrad" : run.peer === "numpy" ? "NumPy" : "JavaScript peer";
    return {
      workload: run.workload,
      peer: peer.label,
      group,
      examplesPerSecond: run.examplesPerSecond,
    };
  });
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: "Training speed per workload (examples/s, log scale)",
    data: { values },
    facet: { row: { field: "workload", type: "nominal", sort: WORKLOAD_NAMES, title: null } },
    spec: {
      width: 360,
      height: { step: 16 },
      mark: { type: "point", filled: true, size: 70 },
      encoding: {
        y: {
          field: "peer",
          type: "nominal",
          sort: results.peers.map((p) => p.label),
          title: null,
          axis: { labelLimit: 240 },
        },
        x: {
          field: "examplesPerSecond",
          type: "quantitative",
          scale: { type: "log" },
          title: "examples/s",
        },
        color: {
          field: "group",
          type: "nominal",
          sort: ["handgrad", "NumPy", "JavaScript peer"],
          title: null,
        },
      },
    },
    resolve: { scale: { y: "independent" } },
  };
}

/**
 * bench/notes.md with its measured figures filled in from the results, so that the prose cannot
 * drift from the table: `{{eps:WORKLOAD:PEER}}` is that peer's examples/s and
 * `{{ratio:WORKLOAD:PEER}}` handgrad ÷ that peer (PEER `fastest-js`: the fastest JavaScript peer).
 */
export function fillNotes(text, results) {
  return text.replace(/\{\{(eps|ratio):(\w+):([\w.-]+)\}\}/g, (whole, kind, workload, id) => {
    const { all, handgrad, fastestJs } = ratios(results, workload);
    const found = id === "fastest-js" ? fastestJs : all.find((x) => x.peer.id === id);
    if (found === undefined) throw new Error(`bench/notes.md: no measurement for ${whole}`);
    const rate = found.run.examplesPerSecond;
    return kind === "eps" ? `\`${int(rate)}\`` : sig(handgrad / rate);
  });
}

/** The doc's Markdown (formatted as `prettier --write docs` would) and the figure's SVG. */
export async function renderReport(results) {
  const notes = fillNotes(readFileSync(join(here, "notes.md"), "utf8").trim(), results);
  const engine = results.runs.find((r) => r.peer === "handgrad").engine;
  const text = [
    "# Performance",
    "",
    "<!-- Generated by bench/render.mjs from bench/results.json and bench/notes.md: do not edit by hand. `npm run bench:peers` measures again and regenerates; `npm run bench:render` regenerates only. -->",
    "",
    "How fast handgrad trains its one-hidden-layer network, beside the tools a JavaScript user would otherwise pick and beside NumPy, on the three seeded synthetic workloads of `src/bench/workloads.ts` (standard normal features, labels from a fixed random tanh teacher). Every peer trains the same data with the same network shape, loss and plain mini-batch SGD where it can be configured; where it cannot, it keeps its own defaults, said in [the peers' table](#peers).",
    "",
    `examples/s = N × epochs / training wall time: only training is timed (not data generation or loading), each peer in its own process, the best of up to ${results.repeats} runs, stopping once ${results.budgetSeconds} s of training is spent (the table says how many). GFLOP/s counts the matrix products only: forward 2NDH + 2NH, backward 2NDH + 4NH per epoch; element-wise work is not counted. Peak RSS is the process's \`maxRSS\` (\`process.resourceUsage()\` in Node, \`getrusage\` in Python), data included. \`handgrad ÷ peer\` above 1 means handgrad is faster.`,
    "",
    `## Results (handgrad engine: ${engine})`,
    "",
    ...WORKLOAD_NAMES.flatMap((w) => [workloadSection(results, w), ""]),
    `![Examples per second of every peer on every workload](figures/${FIGURE})`,
    "",
    "## Targets",
    "",
    targetsSection(results),
    "",
    "## What limits the speed",
    "",
    notes,
    "",
    agreementLine(results),
    "",
    "## Peers",
    "",
    peersSection(results),
    "",
    "## Machine",
    "",
    machineSection(results),
    "",
  ].join("\n");
  const config = (await resolveConfig(DOC)) ?? {};
  const markdown = await format(text, { ...config, filepath: DOC });
  const svg = await renderSvg(figureSpec(results));
  return { markdown, figures: { [FIGURE]: svg } };
}

export async function writeReport(results) {
  const { markdown, figures } = await renderReport(results);
  writeFileSync(DOC, markdown);
  for (const [name, svg] of Object.entries(figures))
    writeFileSync(join(root, "docs/figures", name), svg);
}

if (process.argv[1] === import.meta.filename) {
  await writeReport(JSON.parse(readFileSync(join(here, "results.json"), "utf8")));
  console.log(
    "docs/performance.md and docs/figures/performance-*.svg rendered from bench/results.json",
  );
}
