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

/**
 * The targets (issue 17), the one place their thresholds are written: handgrad's steady-state
 * examples/s ÷ NumPy's on each workload (wide at equal thread counts), and ÷ every JavaScript
 * peer's, where reachable. bench/notes.md quotes them as {{target:…}}.
 */
export const TARGETS = { numpy: { toy: 1, tab: 1, wide: 0.25 }, javascript: 10 };

/** x to 3 significant digits, in a code span. */
const sig = (x) => `\`${Number(x.toPrecision(3))}\``;
const int = (x) => Math.round(x).toLocaleString("en-US");
const mib = (bytes) => int(bytes / 2 ** 20);

/** The steady-state examples/s (best) of a record, undefined when it has a cold figure only. */
const steadyOf = (run) => run.steadyExamplesPerSecond;

/** The measurements of one workload, handgrad first, in the peers' order. */
function runsOf(results, workload) {
  return results.peers
    .map((peer) => ({
      peer,
      run: results.runs.find((r) => r.peer === peer.id && r.workload === workload),
    }))
    .filter((x) => x.run !== undefined);
}

/**
 * handgrad ÷ a peer, steady state against steady state where both have one, else cold against
 * cold (`basis` says which).
 */
function versus(own, other) {
  if (steadyOf(own) !== undefined && steadyOf(other) !== undefined) {
    return { ratio: steadyOf(own) / steadyOf(other), basis: "steady" };
  }
  return { ratio: own.examplesPerSecond / other.examplesPerSecond, basis: "cold" };
}

function ratios(results, workload) {
  const all = runsOf(results, workload);
  const own = all.find((x) => x.peer.id === "handgrad").run;
  const js = all.filter((x) => x.peer.id !== "handgrad" && x.peer.id !== "numpy");
  const fastest = (rate) =>
    js
      .filter((x) => rate(x.run) !== undefined)
      .reduce((a, b) => (a === undefined || rate(b.run) > rate(a.run) ? b : a), undefined);
  const numpy = all.find((x) => x.peer.id === "numpy");
  return {
    all,
    own,
    js,
    fastestJs: fastest((run) => run.examplesPerSecond),
    fastestSteadyJs: fastest(steadyOf),
    numpy,
  };
}

/** GFLOP/s of the matrix products at `rate` examples/s on `workload`. */
const gflopsAt = (workload, rate) =>
  (flopsPerEpoch(WORKLOADS[workload]) * rate) / WORKLOADS[workload].N / 1e9;

function workloadSection(results, workload) {
  const spec = WORKLOADS[workload];
  const { all, own, numpy } = ratios(results, workload);
  const lines = [
    `### ${workload}`,
    "",
    `N = ${spec.N}, D = ${spec.D}, H = ${spec.H}, ${spec.activation}, batch ${spec.batch}, ${spec.epochs} epochs, η = \`${spec.learningRate}\`.`,
    "",
    "| Peer | Precision | cold examples/s | steady examples/s: best (median) | handgrad ÷ peer, cold | handgrad ÷ peer, steady | final loss | train accuracy | peak RSS (MiB) | runs: cold, steady |",
    "| --- | --- | --: | --: | --: | --: | --: | --: | --: | --: |",
  ];
  for (const { peer, run } of all) {
    const cut = run.subset
      ? ` (first ${run.examples} rows, ${run.epochs} epoch${run.epochs === 1 ? "" : "s"})`
      : "";
    const steady =
      steadyOf(run) === undefined
        ? "fresh process only"
        : `${int(steadyOf(run))} (${int(run.steadyMedianExamplesPerSecond)})`;
    const steadyRatio =
      steadyOf(run) === undefined || steadyOf(own) === undefined
        ? "—"
        : sig(steadyOf(own) / steadyOf(run));
    lines.push(
      `| ${peer.label} | ${peer.precision} | ${int(run.examplesPerSecond)}${cut} | ${steady} | ${sig(own.examplesPerSecond / run.examplesPerSecond)} | ${steadyRatio} | ` +
        `${run.finalLoss === null ? "—" : sig(run.finalLoss)} | ${run.accuracy === null ? "—" : sig(run.accuracy)} | ${mib(run.peakRssBytes)} | ${run.runs}, ${run.steadyRuns ?? 0} |`,
    );
  }
  const coldOnly = all.filter((x) => steadyOf(x.run) === undefined).map((x) => x.peer.label);
  // All cold only: the method paragraph says so once for the whole file.
  if (coldOnly.length > 0 && coldOnly.length < all.length) {
    lines.push(
      "",
      `A cold figure only (fresh processes, no steady-state run recorded): ${coldOnly.join(", ")}.`,
    );
  }
  const rates = (run) =>
    `cold ${sig(gflopsAt(workload, run.examplesPerSecond))}` +
    (steadyOf(run) === undefined ? "" : `, steady state ${sig(gflopsAt(workload, steadyOf(run)))}`);
  const threads = (run) =>
    run.threads === undefined ? "" : `, ${run.threads} thread${run.threads === 1 ? "" : "s"}`;
  lines.push(
    "",
    `handgrad (engine ${own.engine}${threads(own)}): ${sig(own.seconds / own.epochs)} s per epoch cold; GFLOP/s of matrix products ${rates(own)}` +
      (numpy ? `; NumPy${threads(numpy.run)} ${rates(numpy.run)} by the same count.` : "."),
  );
  return lines.join("\n");
}

function targetsSection(results) {
  const lines = ["| Workload | Target | Measured | Met |", "| --- | --- | --: | --- |"];
  const tally = { met: 0, missed: 0, unmeasured: 0 };
  const judge = (ratio, target) => {
    const met = ratio >= target;
    tally[met ? "met" : "missed"]++;
    return met ? "yes" : "no";
  };
  for (const workload of WORKLOAD_NAMES) {
    const { own, js, numpy } = ratios(results, workload);
    if (js.length > 0) {
      const worst = js
        .map((x) => ({ peer: x.peer, ...versus(own, x.run) }))
        .reduce((a, b) => (b.ratio < a.ratio ? b : a));
      const basis = worst.basis === "steady" ? "steady state" : "cold (no steady-state figure)";
      lines.push(
        `| ${workload} | ≥ ${TARGETS.javascript}× every JavaScript peer, where reachable (lowest: ${worst.peer.label}) | ${sig(worst.ratio)}× ${basis} | ${judge(worst.ratio, TARGETS.javascript)} |`,
      );
    }
    const target = TARGETS.numpy[workload];
    const threads =
      numpy && own.threads !== undefined && numpy.run.threads !== undefined
        ? ` (handgrad ${own.threads}, NumPy ${numpy.run.threads})`
        : " (thread counts not recorded)";
    const label = `steady state ≥ \`${target}\`× NumPy${workload === "wide" ? ` at equal thread counts${threads}` : ""}`;
    if (!numpy) {
      tally.unmeasured++;
      lines.push(`| ${workload} | ${label} | not measured (no NumPy) | — |`);
    } else if (steadyOf(own) === undefined || steadyOf(numpy.run) === undefined) {
      tally.unmeasured++;
      lines.push(
        `| ${workload} | ${label} | not measured (cold only: ${sig(own.examplesPerSecond / numpy.run.examplesPerSecond)}×) | — |`,
      );
    } else if (workload === "wide" && own.threads !== numpy.run.threads) {
      tally.unmeasured++;
      lines.push(`| ${workload} | ${label} | not comparable | — |`);
    } else {
      const ratio = steadyOf(own) / steadyOf(numpy.run);
      lines.push(`| ${workload} | ${label} | ${sig(ratio)}× | ${judge(ratio, target)} |`);
    }
  }
  const total = tally.met + tally.missed + tally.unmeasured;
  const parts = [`${tally.met} of ${total} targets are met in this run`];
  if (tally.missed > 0) parts.push(`${tally.missed} missed (why is in the next section)`);
  if (tally.unmeasured > 0) parts.push(`${tally.unmeasured} not measured`);
  lines.push("", `${parts.join(", ")}.`);
  return lines.join("\n");
}

/** How far NumPy's final loss is from handgrad's: it starts from the same weights, takes the same batches. */
function agreementLine(results) {
  const gaps = WORKLOAD_NAMES.map((w) => {
    const { own, numpy } = ratios(results, w);
    if (!numpy) return undefined;
    return `${w} ${sig(Math.abs(own.finalLoss - numpy.run.finalLoss))}`;
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
              `on ${w} only the first ${s.examples} rows, ${s.epochs} epoch${s.epochs === 1 ? "" : "s"} (${results.quick ? "a quick smoke run" : "too slow for the whole run; it trains example by example, so its examples/s does not depend on N"})`,
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

/** The figure: examples/s of every peer on every workload, cold and steady state, log scale. */
export function figureSpec(results) {
  const values = results.runs.flatMap((run) => {
    const peer = results.peers.find((p) => p.id === run.peer);
    const group =
      run.peer === "handgrad" ? "handgrad" : run.peer === "numpy" ? "NumPy" : "JavaScript peer";
    const point = (measure, examplesPerSecond) => ({
      workload: run.workload,
      peer: peer.label,
      group,
      measure,
      examplesPerSecond,
    });
    return [
      point("cold", run.examplesPerSecond),
      ...(steadyOf(run) === undefined ? [] : [point("steady state (best)", steadyOf(run))]),
    ];
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
        shape: {
          field: "measure",
          type: "nominal",
          sort: ["cold", "steady state (best)"],
          title: null,
        },
      },
    },
    resolve: { scale: { y: "independent" } },
  };
}

/**
 * bench/notes.md with its figures filled in from the results and TARGETS, so that the prose
 * cannot drift from the tables:
 *   {{cold:WORKLOAD:PEER}}        handgrad ÷ that peer, cold: "`0.505`×"
 *   {{steady:WORKLOAD:PEER}}      handgrad ÷ that peer in steady state: "`1.02`×", or "not
 *                                 measured" where either has a cold figure only
 *   {{eps:WORKLOAD:PEER}}         that peer's cold examples/s; {{steady-eps:…}} its steady best
 *   {{target:numpy:WORKLOAD}}, {{target:javascript}}   a threshold of TARGETS: "`0.25`×"
 * PEER `fastest-js` is the fastest JavaScript peer by the same figure.
 */
export function fillNotes(text, results) {
  const measured = text.replace(
    /\{\{(cold|steady|eps|steady-eps):(\w+):([\w.-]+)\}\}/g,
    (whole, kind, workload, id) => {
      const { all, own, fastestJs, fastestSteadyJs } = ratios(results, workload);
      const cold = kind === "cold" || kind === "eps";
      const found =
        id === "fastest-js"
          ? cold
            ? fastestJs
            : fastestSteadyJs
          : all.find((x) => x.peer.id === id);
      if (found === undefined && cold) {
        // A peer skipped in this run (not installed; a quick run without the JavaScript peers)
        // is "not measured"; any other id is a mistake in the notes.
        const skipped = id === "fastest-js" || (results.skipped ?? []).some((s) => s.peer === id);
        if (skipped) return "not measured";
        throw new Error(`bench/notes.md: no measurement for ${whole}`);
      }
      const rate = cold ? found.run.examplesPerSecond : found && steadyOf(found.run);
      if (kind === "eps" || kind === "steady-eps") {
        return rate === undefined ? "not measured" : `\`${int(rate)}\``;
      }
      const mine = cold ? own.examplesPerSecond : steadyOf(own);
      return rate === undefined || mine === undefined ? "not measured" : `${sig(mine / rate)}×`;
    },
  );
  return measured.replace(/\{\{target:(numpy:(\w+)|javascript)\}\}/g, (whole, _, workload) => {
    const target = workload === undefined ? TARGETS.javascript : TARGETS.numpy[workload];
    if (target === undefined) throw new Error(`bench/notes.md: no target ${whole}`);
    return `${sig(target)}×`;
  });
}

/** What the doc says of how each figure is measured: cold, and steady state when recorded. */
function methodParagraph(results) {
  const common =
    "examples/s = N × epochs / training wall time: only training is timed (not data generation, loading or building the model); every peer also times the mean loss on all rows before the first and after the last epoch, which handgrad's `train()` always records (ml-matrix: the forward products of it), so that all do the same work. GFLOP/s counts the matrix products only: forward 2NDH + 2NH, backward 2NDH + 4NH per epoch; element-wise work is not counted. Peak RSS is the process's `maxRSS` (`process.resourceUsage()` in Node, `getrusage` in Python), data included. `handgrad ÷ peer` above 1 means handgrad is faster.";
  const cold = `**Cold** is the first training run of a fresh process, so it includes the start-up a short run pays: V8's JIT compilation and WebAssembly tier-up, first-touch memory, OpenBLAS starting its threads; the best of up to ${results.repeats} process${results.repeats === 1 ? "" : "es"}, stopping once ${results.budgetSeconds} s of training is spent (the table's runs column says how many).`;
  const steady =
    results.steadyRepeats === undefined
      ? "**Steady state** is the speed once warmed up, measured in the same process after the cold run; this results file was recorded before steady-state runs existed, so every peer has a cold figure only (marked fresh process only) until `npm run bench:peers` measures again."
      : `**Steady state** is measured in the same processes after their cold run, which warms them up: up to ${results.steadyRepeats} further run${results.steadyRepeats === 1 ? "" : "s"} in each (fewer once the ${results.budgetSeconds} s are spent, never none), each from the same seeded start (handgrad and NumPy check that every run ends with the same loss, bit for bit); its figures are the best and the median of all those runs. A peer without one has a cold figure only, marked fresh process only.`;
  return [common, "", cold, steady].join("\n");
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
    methodParagraph(results),
    "",
    ...(results.quick
      ? [
          "**A quick smoke run** (`node bench/peers.mjs --quick`): one process per peer, one steady-state run, the JavaScript peers on a few rows: not a measurement.",
          "",
        ]
      : []),
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
