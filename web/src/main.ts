/**
 * The page: controls → settings (kept in the URL) → commands to the training worker; the
 * worker's latest snapshot is drawn in requestAnimationFrame, so the page never waits on
 * training. window.__playgroundStats counts frames and steps for the end-to-end tests.
 */
import type {
  Command,
  GradcheckRow,
  HistoryPoint,
  PointsMessage,
  Reply,
  SnapshotMessage,
} from "./lib/protocol.js";
import { DEFAULT_NOISE, type ToyName } from "../../src/data/index.js";
import { naiveBce, stableBce } from "./lib/numerics.js";
import {
  clampSetting,
  consistent,
  decodeSettings,
  encodeSettings,
  MULTICLASS_SETS,
  type Settings,
} from "./lib/settings.js";
import { BoundaryView, drawCurves, drawHistograms, drawWeights } from "./views.js";

interface PlaygroundStats {
  /** Animation frames rendered. */
  frames: number;
  /** Gradient steps of the run (the latest snapshot's). */
  steps: number;
  /** Snapshots received from the worker, and boundary heat maps drawn. */
  snapshots: number;
  boundaryDraws: number;
  /** Milliseconds spent drawing, over all frames. */
  renderMs: number;
}
declare global {
  interface Window {
    __playgroundStats: PlaygroundStats;
  }
}
const stats: PlaygroundStats = { frames: 0, steps: 0, snapshots: 0, boundaryDraws: 0, renderMs: 0 };
/** The curves, weights and histograms are redrawn at most this often (ms); the boundary every frame. */
const VIEWS_INTERVAL_MS = 100;
let viewsDrawnAt = -Infinity;
let viewsDirty = false;
window.__playgroundStats = stats;

const byId = <T extends HTMLElement>(id: string): T => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`missing #${id}`);
  return element as T;
};
const controls = {
  dataset: byId<HTMLSelectElement>("dataset"),
  noise: byId<HTMLInputElement>("noise"),
  samples: byId<HTMLInputElement>("samples"),
  classes: byId<HTMLInputElement>("classes"),
  testFraction: byId<HTMLInputElement>("test-fraction"),
  hidden: byId<HTMLInputElement>("hidden"),
  activation: byId<HTMLSelectElement>("activation"),
  init: byId<HTMLSelectElement>("init"),
  learningRate: byId<HTMLInputElement>("learning-rate"),
  batchSize: byId<HTMLInputElement>("batch-size"),
  seed: byId<HTMLInputElement>("seed"),
};
const text = (id: string, value: string): void => {
  const element = byId(id);
  if (element.textContent !== value) element.textContent = value;
};

let settings: Settings = decodeSettings(location.search);
/** The user's CSV and its classes K (the Classes input; the URL's settings keep the toy data set's). */
let csv: { name: string; text: string; classes: number } | undefined;
let points: PointsMessage | undefined;
let latest: SnapshotMessage | undefined;
let dirty = false;
let records: HistoryPoint[] = [];
const boundary = new BoundaryView(byId<HTMLCanvasElement>("boundary"));

const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
const send = (command: Command): void => worker.postMessage(command);

function setState(state: "idle" | "training" | "paused"): void {
  document.body.dataset["state"] = state;
}

/** The controls show the settings. */
function showSettings(s: Settings): void {
  controls.dataset.value = s.dataset;
  controls.noise.value = String(s.noise);
  controls.samples.value = String(s.samples);
  controls.classes.value = String(s.classes);
  controls.testFraction.value = String(s.testFraction);
  controls.hidden.value = String(s.hidden);
  controls.activation.value = s.activation;
  controls.init.value = s.init;
  controls.learningRate.value = String(s.learningRate);
  controls.batchSize.value = String(s.batchSize);
  controls.seed.value = String(s.seed);
  text("noise-value", String(s.noise));
  text("samples-value", String(s.samples));
  text("test-fraction-value", String(s.testFraction));
}

/** The settings the controls hold (invalid text keeps the current value). */
function readSettings(): Settings {
  const query = new URLSearchParams(encodeSettings(settings));
  const set = (key: string, value: string): void => {
    if (value.trim() !== "") query.set(key, value);
  };
  set("data", controls.dataset.value);
  set("noise", controls.noise.value);
  set("n", controls.samples.value);
  set("k", controls.classes.value);
  set("test", controls.testFraction.value);
  set("h", controls.hidden.value);
  set("act", controls.activation.value);
  set("init", controls.init.value);
  set("lr", controls.learningRate.value);
  set("b", controls.batchSize.value);
  set("seed", controls.seed.value);
  return consistent(decodeSettings(query.toString()));
}

function applySettings(next: Settings): void {
  settings = next;
  showSettings(settings);
  const query = encodeSettings(settings);
  window.history.replaceState(null, "", `?${query}`);
  byId<HTMLAnchorElement>("share-link").href = `?${query}`;
  text("train-error", "");
  setState("idle");
  if (csv) controls.classes.value = String(csv.classes);
  send({ type: "configure", settings, ...(csv ? { csv } : {}) });
}

for (const [key, element] of Object.entries(controls)) {
  element.addEventListener("change", () => {
    if (key === "dataset") {
      csv = undefined; // choosing a toy data set leaves the CSV
      lastCsv = undefined;
      byId<HTMLInputElement>("csv-file").value = "";
      // each data set's own noise (as the CLI's default): blobs' classes are 4 apart, moons' 1
      controls.noise.value = String(
        DEFAULT_NOISE[controls.dataset.value as ToyName] ?? settings.noise,
      );
    }
    if (key === "classes" && lastCsv) {
      loadCsv(lastCsv); // the CSV again, with these classes (its labels may need them)
      return;
    }
    if (key === "classes" && !MULTICLASS_SETS.includes(settings.dataset)) return; // for a CSV to come
    applySettings(readSettings());
  });
}
for (const [id, output] of [
  ["noise", "noise-value"],
  ["samples", "samples-value"],
  ["test-fraction", "test-fraction-value"],
] as const) {
  byId<HTMLInputElement>(id).addEventListener("input", (event) => {
    text(output, (event.target as HTMLInputElement).value);
  });
}

byId("play").addEventListener("click", () => {
  setState("training");
  send({ type: "play" });
});
byId("pause").addEventListener("click", () => {
  // The page shows "paused" when the worker's last snapshot (running: false) is drawn, so the
  // counters on screen are final then, not one slice behind.
  send({ type: "pause" });
});
byId("step").addEventListener("click", () => {
  setState("paused");
  send({ type: "step" });
});
byId("reset").addEventListener("click", () => {
  setState("idle");
  text("train-error", "");
  send({ type: "reset" });
});

async function fileText(
  input: HTMLInputElement,
): Promise<{ name: string; text: string } | undefined> {
  const file = input.files?.[0];
  return file ? { name: file.name, text: await file.text() } : undefined;
}

byId<HTMLInputElement>("csv-file").addEventListener("change", async (event) => {
  const loaded = await fileText(event.target as HTMLInputElement);
  if (!loaded) return;
  lastCsv = loaded;
  loadCsv(loaded);
});
/** The CSV being loaded, and the last one chosen (loaded or refused). */
let pendingCsv: { name: string; text: string; classes: number } | undefined;
let lastCsv: { name: string; text: string } | undefined;

/** Asks the worker to load the CSV with the classes of the Classes input. */
function loadCsv(file: { name: string; text: string }): void {
  text("csv-error", "");
  setState("idle");
  pendingCsv = { ...file, classes: csvClasses() };
  send({ type: "load-csv", ...pendingCsv });
}

/** The classes the Classes input asks of a CSV (any K the input allows, whatever the toy set). */
function csvClasses(): number {
  return clampSetting("classes", Number(controls.classes.value)) ?? settings.classes;
}

byId<HTMLInputElement>("model-file").addEventListener("change", async (event) => {
  const loaded = await fileText(event.target as HTMLInputElement);
  if (!loaded) return;
  text("model-error", "");
  setState("idle");
  send({ type: "load-model", ...loaded });
});

function download(name: string, type: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
byId("export-model").addEventListener("click", () => send({ type: "export-model" }));
byId("export-data").addEventListener("click", () => send({ type: "export-data" }));
byId("run-gradcheck").addEventListener("click", () => {
  const result = byId("gradcheck-result");
  result.removeAttribute("data-status");
  result.textContent = "Checking…";
  send({ type: "gradcheck" });
});

function showGradcheck(reply: Extract<Reply, { type: "gradcheck" }>): void {
  const result = byId("gradcheck-result");
  const table = document.createElement("table");
  const head = table.createTHead().insertRow();
  for (const title of ["parameter", "rel. error", "max entry", "kinks", "checked"]) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = title;
    head.append(th);
  }
  const body = table.createTBody();
  const cell = (row: HTMLTableRowElement, value: string): void => {
    row.insertCell().textContent = value;
  };
  for (const r of reply.rows as GradcheckRow[]) {
    const row = body.insertRow();
    row.dataset["param"] = r.name;
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = r.name;
    row.append(th);
    cell(row, r.relError.toExponential(2));
    cell(row, r.maxEntryRelError.toExponential(2));
    cell(row, String(r.kinks));
    cell(row, `${r.checked}/${r.total}`);
  }
  const verdict = document.createElement("p");
  verdict.className = "verdict";
  verdict.textContent =
    `${reply.passed ? "Pass" : "Fail"}: every relative error ≤ ${reply.threshold} ` +
    `(central differences on ${reply.examples} training rows)`;
  if (!reply.passed)
    verdict.textContent = `Fail: some relative error > ${reply.threshold} or a parameter had only kinks`;
  result.replaceChildren(verdict, table);
  result.dataset["status"] = reply.passed ? "pass" : "fail";
}

worker.addEventListener("message", ({ data: reply }: MessageEvent<Reply>) => {
  switch (reply.type) {
    case "points":
      points = reply;
      if (pendingCsv && reply.source === pendingCsv.name) {
        csv = pendingCsv;
        pendingCsv = undefined;
      }
      showPoints(reply);
      return;
    case "snapshot":
      stats.snapshots++;
      if (reply.historyFrom === 0) records = [];
      records.push(...reply.history);
      latest = reply;
      dirty = true;
      return;
    case "error":
      if (reply.where === "csv") {
        pendingCsv = undefined;
        text("csv-error", reply.message);
      } else if (reply.where === "model") {
        text("model-error", reply.message);
      } else if (reply.where === "gradcheck") {
        const result = byId("gradcheck-result");
        result.dataset["status"] = "fail";
        result.textContent = reply.message;
      } else {
        text("train-error", reply.message);
        setState("paused");
      }
      return;
    case "model-text":
      download("handgrad-model.json", "application/json", reply.text);
      return;
    case "data-csv":
      download("handgrad-data.csv", "text/csv", reply.text);
      return;
    case "gradcheck":
      showGradcheck(reply);
      return;
  }
});

function showPoints(p: PointsMessage): void {
  const note = byId("boundary-note");
  const canvas = byId("boundary");
  if (p.D === 2) {
    note.hidden = true;
    canvas.hidden = false;
  } else {
    note.hidden = false;
    canvas.hidden = true;
    note.textContent = `${p.source} has ${p.D} features: the boundary is drawn for 2-D data only; the metrics and the other views still apply.`;
  }
  const rows = p.y.length;
  const tests = p.isTest.reduce((n, t) => n + t, 0);
  text(
    "data-source",
    `${csv || pendingCsv ? p.source : p.source + " (toy)"}: ${rows} rows (${rows - tests} train, ${tests} test), ` +
      `${p.D} features, ${p.classes} classes; training on ${p.backend === "webassembly" ? "WebAssembly SIMD" : "JavaScript (WebAssembly unavailable)"}`,
  );
  document.body.dataset["backend"] = p.backend;
  if (String(p.hidden) !== controls.hidden.value || p.activation !== controls.activation.value) {
    // An imported model sets the network.
    controls.hidden.value = String(p.hidden);
    controls.activation.value = p.activation;
  }
}

/** Draws the latest snapshot, once per frame at most. */
function render(now: number): void {
  stats.frames++;
  const started = performance.now();
  if (dirty && latest) {
    dirty = false;
    viewsDirty = true;
    const s = latest;
    stats.steps = s.steps;
    text("epoch", String(s.epoch));
    text("steps", String(s.steps));
    const last = records[records.length - 1];
    if (last) {
      text("train-accuracy", last.accuracy.toFixed(3));
      text("test-accuracy", last.testAccuracy.toFixed(3));
      text("train-loss", last.loss.toFixed(4));
      text("test-loss", last.testLoss.toFixed(4));
    }
    if (!s.running && document.body.dataset["state"] === "training") setState("paused");
    if (s.grid && points?.D === 2) {
      boundary.draw(s.grid.R, s.grid.rgba, points);
      stats.boundaryDraws++;
    }
  }
  if (viewsDirty && latest && now - viewsDrawnAt >= VIEWS_INTERVAL_MS) {
    viewsDirty = false;
    viewsDrawnAt = now;
    const s = latest;
    drawCurves(
      byId("loss-curve"),
      records,
      (h) => h.loss,
      (h) => h.testLoss,
    );
    drawCurves(
      byId("accuracy-curve"),
      records,
      (h) => h.accuracy,
      (h) => h.testAccuracy,
      [0, 1],
    );
    drawWeights(byId("weights"), s.params);
    drawHistograms(byId("histograms"), s.histograms);
    const dead = s.histograms.dead.reduce((n, d) => n + d, 0);
    const saturated = s.histograms.saturated.reduce((n, d) => n + d, 0);
    text(
      "unit-flags",
      `${s.params.H} units: ${dead} dead (never active, red), ${saturated} saturated (amber). ` +
        `Shared range [${s.histograms.lo.toPrecision(3)}, ${s.histograms.hi.toPrecision(3)}].`,
    );
  }
  stats.renderMs += performance.now() - started;
  requestAnimationFrame(render);
}

function showNumerics(): void {
  const z = Number(byId<HTMLInputElement>("logit").value);
  const y = Number(byId<HTMLSelectElement>("logit-label").value);
  text("naive-loss", Number.isFinite(z) ? String(naiveBce(z, y)) : "—");
  text("stable-loss", Number.isFinite(z) ? String(stableBce(z, y)) : "—");
}
byId("logit").addEventListener("input", showNumerics);
byId("logit-label").addEventListener("change", showNumerics);

showNumerics();
applySettings(settings);
requestAnimationFrame(render);
