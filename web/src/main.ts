/**
 * The page: controls → settings (kept in the URL) → commands to the training worker; the
 * worker's latest snapshot is drawn in requestAnimationFrame, so the page never waits on
 * training. window.__playgroundStats counts frames and steps for the end-to-end tests.
 */
import type {
  Command,
  GradcheckRow,
  HistoryPoint,
  Numbered,
  PointsMessage,
  Reply,
  SnapshotMessage,
} from "./lib/protocol.js";
import { classColour } from "./lib/colour.js";
import { DEFAULT_NOISE, type ToyName } from "../../src/data/index.js";
import { naiveBce, stableBce } from "./lib/numerics.js";
import { differenceCaveat, entryName, plural } from "./lib/words.js";
import {
  clampSetting,
  consistent,
  decodeSettings,
  encodeSettings,
  MULTICLASS_SETS,
  parseTrainingText,
  queryKey,
  readLink,
  SPEED_KEY,
  SPEEDS,
  speedText,
  TRAINING_KEYS,
  trainingProblems,
  usedTrainingKeys,
  type Settings,
  type TrainingKey,
} from "./lib/settings.js";
import type { OptimizerName, ScheduleName } from "../../src/train/index.js";
import {
  BoundaryView,
  drawCurves,
  drawHistograms,
  drawUnitHistogram,
  drawWeights,
} from "./views.js";
import { NetworkDiagram, type Selection } from "./diagram.js";
import { BackpropWalk } from "./backprop.js";
import { MAX_WALK_ROWS, parseRows, WALK_FILES } from "./lib/walk.js";

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
  /** The epoch and the step within it of the latest snapshot (0 before the first step). */
  stepInEpoch: number;
}
declare global {
  interface Window {
    __playgroundStats: PlaygroundStats;
  }
}
const stats: PlaygroundStats = {
  frames: 0,
  steps: 0,
  snapshots: 0,
  boundaryDraws: 0,
  renderMs: 0,
  stepInEpoch: 0,
};
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
  optimizer: byId<HTMLSelectElement>("optimizer"),
  schedule: byId<HTMLSelectElement>("schedule"),
};
/** The optimizer's numeric settings, each with its inline message (#ID-error). */
const trainingControls: Record<TrainingKey, HTMLInputElement> = {
  momentum: byId("momentum"),
  beta1: byId("beta1"),
  beta2: byId("beta2"),
  adamEps: byId("adam-eps"),
  l2: byId("l2"),
  decayRate: byId("decay-rate"),
  decayEvery: byId("decay-every"),
  lrMin: byId("lr-min"),
  epochs: byId("epochs"),
  warmup: byId("warmup"),
  clipNorm: byId("clip-norm"),
};
/** Each update rule and schedule in one line (the help under its select). */
const OPTIMIZER_HELP: Record<OptimizerName, string> = {
  sgd: "θ ← θ − η g",
  momentum: "v ← μ v + g,  θ ← θ − η v",
  nesterov: "v ← μ v + g,  θ ← θ − η (g + μ v)",
  adam: "m ← β1 m + (1 − β1) g,  v ← β2 v + (1 − β2) g²,  θ ← θ − η m̂ / (√v̂ + ε)",
};
const SCHEDULE_HELP: Record<ScheduleName, string> = {
  constant: "η at every step",
  step: "η · γ^⌊epoch / E⌋",
  cosine: "from η down to η_min along half a cosine, over the run's steps",
};
const text = (id: string, value: string): void => {
  const element = byId(id);
  if (element.textContent !== value) element.textContent = value;
};
/** Shows a number rounded, with its full float64 value in data-value (and the tooltip). */
const shown = (id: string, value: number, rounded: string): void => {
  text(id, rounded);
  const element = byId(id);
  const full = String(value);
  if (element.dataset["value"] !== full) {
    element.dataset["value"] = full;
    element.title = full;
  }
};

const link = readLink(location.search);
let settings: Settings = link.settings;
showRefused(link.refused);
/** The user's CSV and its classes K (the Classes input; the URL's settings keep the toy data set's). */
let csv: { name: string; text: string; classes: number } | undefined;
let points: PointsMessage | undefined;
let latest: SnapshotMessage | undefined;
let dirty = false;
let records: HistoryPoint[] = [];
const boundary = new BoundaryView(byId<HTMLCanvasElement>("boundary"));

const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
/** The last command's number, and that of the last one that started or stopped the run. */
let seq = 0;
let runSeq = 0;
/**
 * The commands that start, stop or replace the run; the worker answers each with a snapshot
 * (Play with its first). A walk stops a running run (and then sends one). The others (speed,
 * exports, inspect, checks, a walk while stopped) leave the run as it is and send no
 * snapshot, so they must not make the page wait for one: a Pause followed by a hover would
 * otherwise leave it saying "Training…" (found in a review).
 */
const RUN_COMMANDS: ReadonlySet<Command["type"]> = new Set([
  "configure",
  "play",
  "pause",
  "step",
  "reset",
  "load-csv",
  "load-model",
  "set-weight",
]);
const send = (command: Command): void => {
  seq++;
  const stopsRun = command.type === "walk" && latest?.running === true; // as last reported
  if (RUN_COMMANDS.has(command.type) || stopsRun) runSeq = seq;
  worker.postMessage({ ...command, seq } satisfies Numbered);
};

type RunState = "idle" | "training" | "paused";
const STATE_TEXT: Record<RunState, string> = {
  idle: "Idle: at step 0",
  training: "Training…",
  paused: "Paused",
};
/** The run's state: body[data-state], Play and Pause's aria-pressed, and the state's words. */
function setState(state: RunState): void {
  document.body.dataset["state"] = state;
  byId("play").setAttribute("aria-pressed", String(state === "training"));
  byId("pause").setAttribute("aria-pressed", String(state === "paused"));
  text("run-state", state === "paused" ? `Paused at step ${stats.steps}` : STATE_TEXT[state]);
  walk.setRun(state === "training", stats.steps);
}

/** A link's refused values, listed above the page (none: the notice is hidden). */
function showRefused(refused: readonly string[]): void {
  const notice = byId("link-notice");
  notice.hidden = refused.length === 0;
  if (refused.length === 0) return;
  const list = document.createElement("ul");
  for (const line of refused) {
    const item = document.createElement("li");
    item.textContent = line;
    list.append(item);
  }
  notice.replaceChildren(
    `This link asked for ${refused.length === 1 ? "a value" : "values"} the page cannot use:`,
    list,
  );
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
  controls.optimizer.value = s.optimizer;
  controls.schedule.value = s.schedule;
  for (const key of TRAINING_KEYS) {
    const value = s[key];
    // blank: no clipping, no length
    trainingControls[key].value =
      value === null || (key === "clipNorm" && value === 0) ? "" : String(value);
  }
  showTrainingFields();
}

/** Shows the fields of the chosen optimizer and schedule (hides the others), and their help. */
function showTrainingFields(): void {
  const optimizer = controls.optimizer.value as OptimizerName;
  const schedule = controls.schedule.value as ScheduleName;
  const used = usedTrainingKeys(optimizer, schedule);
  for (const key of TRAINING_KEYS) {
    const field = trainingControls[key].closest<HTMLElement>(".field");
    if (field) field.hidden = !used.includes(key);
  }
  text("optimizer-help", OPTIMIZER_HELP[optimizer] ?? "");
  text("schedule-help", SCHEDULE_HELP[schedule] ?? "");
}

/**
 * The optimizer's settings as typed, checked by the library: the settings (the others as
 * `base` has them), or a message per control that is wrong. Hidden fields do not count.
 */
function readTraining(
  base: Settings,
): { settings: Settings; problems?: never } | { problems: Partial<Record<TrainingKey, string>> } {
  const optimizer = controls.optimizer.value as OptimizerName;
  const schedule = controls.schedule.value as ScheduleName;
  const problems: Partial<Record<TrainingKey, string>> = {};
  const values: Partial<Record<TrainingKey, number | null>> = {};
  for (const key of usedTrainingKeys(optimizer, schedule)) {
    const input = trainingControls[key];
    const parsed = input.validity.badInput
      ? { problem: "not a number" }
      : parseTrainingText(key, input.value);
    if ("problem" in parsed) problems[key] = parsed.problem;
    else values[key] = parsed.value;
  }
  // null only where blank means "none" (the epochs)
  const settings = consistent({ ...base, optimizer, schedule, ...values } as Settings);
  for (const [key, problem] of Object.entries(trainingProblems(settings)))
    problems[key as TrainingKey] ??= problem;
  return Object.keys(problems).length > 0 ? { problems } : { settings };
}

/** Each control's inline message (empty when fine), and aria-invalid on the wrong ones. */
function showProblems(problems: Partial<Record<TrainingKey, string>>): void {
  for (const key of TRAINING_KEYS) {
    const input = trainingControls[key];
    const problem = problems[key];
    text(`${input.id}-error`, problem ?? "");
    if (problem) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  }
}

/**
 * The settings the controls hold (invalid text in the network's and data's fields keeps the
 * current value; the optimizer's are checked, see readTraining), and a line for each value
 * that did not become the setting as typed (H = 0 → 1: "Hidden units H: 0 is outside 1 to
 * 256; using 1"), in the words readLink uses for a link: a value is never changed silently.
 */
function readSettings(): ReturnType<typeof readTraining> & { adjusted: string[] } {
  const query = new URLSearchParams(encodeSettings(settings));
  const typed: [string, HTMLInputElement | HTMLSelectElement][] = [
    ["noise", controls.noise],
    ["n", controls.samples],
    ...(csv ? [] : ([["k", controls.classes]] as [string, HTMLInputElement][])),
    ["test", controls.testFraction],
    ["h", controls.hidden],
    ["act", controls.activation],
    ["init", controls.init],
    ["lr", controls.learningRate],
    ["b", controls.batchSize],
    ["seed", controls.seed],
  ];
  if (controls.dataset.value !== CSV_OPTION) query.set("data", controls.dataset.value);
  const labels = new Map<string, string>();
  for (const [key, control] of typed) {
    if (control.value.trim() === "") continue;
    query.set(key, control.value);
    labels.set(
      key,
      document.querySelector(`label[for="${control.id}"]`)?.textContent?.trim() ?? key,
    );
  }
  const { refused } = readLink(query.toString());
  const adjusted = refused.flatMap((line) => {
    const at = line.indexOf("=");
    const label = labels.get(line.slice(0, at));
    return label === undefined ? [] : [`${label}: ${line.slice(at + 1).replace(": ", " is ")}`];
  });
  return { ...readTraining(consistent(decodeSettings(query.toString()))), adjusted };
}

function applySettings(next: Settings): void {
  settings = next;
  showProblems({});
  text("settings-error", "");
  text("settings-note", "");
  showSettings(settings);
  model = undefined;
  showSource();
  clearResults();
  setState("idle");
  showLossLabels(settings);
  send({ type: "configure", settings, ...(csv ? { csv } : {}) });
}

/** The value of the data-set selector's option for a loaded CSV. */
const CSV_OPTION = "csv";

/**
 * What is loaded, everywhere it shows: the data-set selector (an option naming the CSV), the
 * noise and samples sliders (not a CSV's), Classes K (the CSV's; fixed at 2 for the data sets
 * with two), the URL and "Link to this run", and what the link cannot carry.
 */
function showSource(): void {
  let option = controls.dataset.querySelector<HTMLOptionElement>(`option[value="${CSV_OPTION}"]`);
  if (csv) {
    if (!option) {
      option = document.createElement("option");
      option.value = CSV_OPTION;
      controls.dataset.append(option);
    }
    option.textContent = `CSV: ${csv.name}`;
    controls.dataset.value = CSV_OPTION;
    controls.classes.value = String(csv.classes);
    text("noise-value", "— (not a CSV's)");
    text("samples-value", points ? `${points.y.length} (the CSV's rows)` : "the CSV's rows");
  } else {
    option?.remove();
    controls.dataset.value = settings.dataset;
    text("noise-value", String(settings.noise));
    text("samples-value", String(settings.samples));
  }
  controls.noise.disabled = csv !== undefined;
  controls.samples.disabled = csv !== undefined;
  const twoClasses = !MULTICLASS_SETS.includes(settings.dataset);
  controls.classes.disabled = twoClasses && !csv && !lastCsv;
  text(
    "classes-help",
    csv
      ? `The CSV's labels are read as 0..${csv.classes - 1}; K ≥ 3 trains a softmax head.`
      : twoClasses && !lastCsv
        ? `${settings.dataset} has two classes (a sigmoid head). Spirals, blobs or a CSV take K ≥ 3.`
        : "K ≥ 3 (spirals, blobs, or a CSV) trains a softmax head.",
  );
  writeLink();
}

/** The URL and "Link to this run": the settings, with what is loaded (a CSV, a model) named. */
function writeLink(): void {
  const query = new URLSearchParams(encodeSettings(settings));
  if (csv) {
    query.set(queryKey("dataset"), CSV_OPTION);
    query.delete(queryKey("noise"));
    query.delete(queryKey("samples"));
    query.set(queryKey("classes"), String(csv.classes));
  }
  const speed = speedText(SPEEDS[Number(speedInput.value)] ?? Infinity);
  if (speed !== undefined) query.set(SPEED_KEY, speed); // the pace, not the run: after the run's settings
  const href = `?${query.toString()}`;
  if (location.search !== href) window.history.replaceState(null, "", href);
  byId<HTMLAnchorElement>("share-link").href = href;
  const scope = [
    csv && `The link holds the settings, not ${csv.name}: whoever opens it loads the file again.`,
    model &&
      `It starts from the seed's weights, not from the imported model ${model} (export the model to share it).`,
    editsText(latest),
  ].filter(Boolean);
  byId("link-scope").hidden = scope.length === 0;
  text("link-scope", scope.join(" "));
}

/**
 * What "Link to this run" cannot carry of the weights set by hand (the diagram's Set w), in
 * words; undefined when none is in the run.
 */
function editsText(s: SnapshotMessage | undefined): string | undefined {
  const edits = s?.edits ?? [];
  if (!s || edits.length === 0) return undefined;
  const shown = edits
    .slice(-3)
    .map((e) => `${entryName(e.param, e.index, s.params)} = ${e.value} at step ${e.steps}`);
  return (
    `It cannot carry the ${edits.length === 1 ? "weight" : `${edits.length} weights`} you set (${edits.length > 3 ? "…, " : ""}${shown.join(", ")}): ` +
    "it reproduces the seed's run, not this one. Export the model (Model file) to keep this network."
  );
}
/** The edits the link's note was written for. */
let editsLinked = "";

/** The results of an earlier model or data: the gradient check, and every error shown. */
function clearResults(): void {
  const result = byId("gradcheck-result");
  result.replaceChildren();
  result.removeAttribute("data-status");
  for (const id of ["csv-error", "model-error", "train-error", "settings-error"]) {
    byId(id).replaceChildren();
  }
  byId("train-error").classList.remove("divergence");
  delete document.body.dataset["diverged"];
  // The step-through and the diagram's selection were of the earlier network.
  walk.close();
  markRows([]);
  byId("walk-error").replaceChildren();
  selection = undefined;
  diagram.mark(undefined);
  const detail = byId("diagram-detail");
  detail.replaceChildren();
  delete detail.dataset["selected"];
}

/** What the loss display includes (the L2 penalty), and whether η_t is shown. */
function showLossLabels(s: Settings): void {
  const penalised = s.l2 > 0;
  text("train-loss-label", penalised ? "Train loss (with L2 penalty)" : "Train loss");
  byId("l2-penalty-label").hidden = !penalised;
  byId("l2-penalty").hidden = !penalised;
  byId("curves-l2-note").hidden = !penalised;
  const scheduled = s.schedule !== "constant" || s.warmup > 0;
  byId("current-lr-label").hidden = !scheduled;
  byId("current-lr").hidden = !scheduled;
}

/** Applies the controls' settings, or shows what is wrong with them (the run goes on as it was). */
function applyControls(): void {
  const read = readSettings();
  if (read.problems) showProblems(read.problems);
  else applySettings(read.settings);
  text("settings-note", read.adjusted.join(" "));
}

for (const [key, element] of [...Object.entries(controls), ...Object.entries(trainingControls)] as [
  string,
  HTMLElement,
][]) {
  element.addEventListener("change", () => {
    if (key === "dataset") {
      if (controls.dataset.value === CSV_OPTION) return; // the CSV loaded, chosen again
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
    showRefused([]); // the page's own settings from now on
    if (key === "optimizer" || key === "schedule") showTrainingFields();
    applyControls();
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

/** The speed control: one of SPEEDS (the link's, at first), sent to the worker and kept in the link. */
const speedInput = byId<HTMLInputElement>("speed");
speedInput.max = String(SPEEDS.length - 1);
speedInput.value = String(SPEEDS.indexOf(link.speed));
function sendSpeed(): void {
  const stepsPerSecond = SPEEDS[Number(speedInput.value)] ?? Infinity;
  const words =
    stepsPerSecond === Infinity ? "full speed" : `${plural(stepsPerSecond, "step")} per second`;
  text("speed-value", words);
  speedInput.setAttribute("aria-valuetext", words);
  send({ type: "speed", stepsPerSecond });
  writeLink();
}
speedInput.addEventListener("input", sendSpeed);

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
  clearResults();
  send({ type: "reset" });
});

/**
 * The chosen file's name and text; the input is emptied after, so that choosing the same file
 * again (after editing it, say) is a change too.
 */
async function fileText(
  input: HTMLInputElement,
): Promise<{ name: string; text: string } | undefined> {
  const file = input.files?.[0];
  if (!file) return undefined;
  try {
    return { name: file.name, text: await file.text() };
  } finally {
    input.value = "";
  }
}

byId<HTMLInputElement>("csv-file").addEventListener("change", async (event) => {
  const loaded = await fileText(event.target as HTMLInputElement);
  if (!loaded) return;
  lastCsv = loaded;
  loadCsv(loaded);
});
/** The imported model's file name, while training starts from it. */
let model: string | undefined;
/** The CSV being loaded, and the last one chosen (loaded or refused). */
let pendingCsv: { name: string; text: string; classes: number } | undefined;
let lastCsv: { name: string; text: string } | undefined;

/**
 * A load stops the run: "paused" until the worker's snapshot says where the run is (step 0 of
 * the new data or model; where it was, after a refused file).
 */
function stopShowing(): void {
  if (document.body.dataset["state"] === "training") setState("paused");
}

/** Asks the worker to load the CSV with the classes of the Classes input. */
function loadCsv(file: { name: string; text: string }): void {
  byId("csv-error").replaceChildren();
  text("settings-error", "");
  showSource(); // Classes K is the CSV's to set now
  stopShowing();
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
  byId("model-error").replaceChildren();
  stopShowing();
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
  for (const title of ["parameter", "rel. error", "worst entry", "kinks", "checked"]) {
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
  const worst = Math.max(...reply.rows.map((r) => r.relError));
  const over = reply.rows.filter((r) => !(r.relError <= reply.threshold)).map((r) => r.name);
  const unchecked = reply.rows.filter((r) => r.checked === 0 && r.total > 0).map((r) => r.name);
  verdict.textContent = reply.passed
    ? `Pass: each parameter's rel. error is ≤ ${reply.threshold} (the largest, ` +
      `${worst.toExponential(2)}), from central differences on ${reply.examples} training rows at step ${stats.steps}.`
    : `Fail: ${[
        over.length > 0 && `rel. error above ${reply.threshold} for ${over.join(", ")}`,
        unchecked.length > 0 && `only kinks for ${unchecked.join(", ")}`,
      ]
        .filter(Boolean)
        .join(
          "; ",
        )} (central differences on ${reply.examples} training rows at step ${stats.steps}).`;
  const note = document.createElement("p");
  note.className = "note";
  note.textContent =
    "rel. error = ‖g − ĝ‖ / (‖g‖ + ‖ĝ‖) over a parameter's checked entries (g: backprop's " +
    "gradient, ĝ: the central difference); the verdict tests this column. “Worst entry” is " +
    "the largest |g − ĝ| / (|g| + |ĝ|) of one entry: not tested, since an entry whose " +
    "gradient is near 0 has a large relative error from rounding alone.";
  result.replaceChildren(verdict, table, note);
  result.dataset["status"] = reply.passed ? "pass" : "fail";
}

worker.addEventListener("message", ({ data: reply }: MessageEvent<Reply>) => {
  switch (reply.type) {
    case "points":
      points = reply;
      if (pendingCsv && reply.source === pendingCsv.name && reply.model === undefined) {
        csv = pendingCsv;
        pendingCsv = undefined;
      }
      clearResults();
      showPoints(reply);
      return;
    case "snapshot":
      stats.snapshots++;
      if (reply.historyFrom === 0) records = [];
      records.push(...reply.history);
      latest = reply;
      dirty = true;
      if (JSON.stringify(reply.edits ?? []) !== editsLinked) {
        editsLinked = JSON.stringify(reply.edits ?? []);
        writeLink();
      }
      // The model moved (Step, a set weight): the step-through shows it on the same rows.
      if (walk.open && !reply.running && reply.seq >= runSeq && walkedAt !== reply.steps) {
        walkedAt = reply.steps;
        send({ type: "walk", rows: walk.followsNextBatch ? "next" : walk.rows });
      }
      return;
    case "error":
      if (reply.where === "csv") {
        pendingCsv = undefined;
        showCsvError(reply.message, reply.suggestedClasses);
      } else if (reply.where === "model") {
        text("model-error", reply.message);
      } else if (reply.where === "settings") {
        text("settings-error", reply.message);
      } else if (reply.where === "walk") {
        text("walk-error", reply.message);
      } else if (reply.where === "diagram") {
        const error = document.getElementById("diagram-error");
        if (error) error.textContent = reply.message;
      } else if (reply.where === "gradcheck") {
        const result = byId("gradcheck-result");
        result.dataset["status"] = "fail";
        result.textContent = reply.message;
      } else {
        const error = byId("train-error");
        error.classList.toggle("divergence", reply.divergence === true);
        if (reply.divergence) {
          document.body.dataset["diverged"] = "true";
          error.textContent = `⚠ Training diverged and was stopped. ${reply.message}`;
        } else {
          error.textContent = reply.message;
        }
        // The snapshot the worker sends after it says the run stopped (see render).
      }
      return;
    case "model-text":
      download(WALK_FILES.model, "application/json", reply.text);
      return;
    case "data-csv":
      download(reply.rows ? WALK_FILES.rows : "handgrad-data.csv", "text/csv", reply.text);
      return;
    case "walk":
      // startWalk cleared the error when it asked; a reply that comes after a newer refusal
      // (typed rows, say) leaves that refusal and the rows being typed alone.
      walk.show(reply);
      walk.setRun(document.body.dataset["state"] === "training", latest?.steps ?? reply.steps);
      if (byId("walk-error").textContent === "") walkRows.value = reply.rows.join(", ");
      markRows(reply.rows);
      if (latest) dirty = true; // the rings on the boundary
      return;
    case "walk-check":
      walk.showCheck(reply);
      return;
    case "gradcheck":
      showGradcheck(reply);
      return;
    case "inspect":
      showInspected(reply);
      return;
  }
});

/** The CSV's refusal, with a button that reads it again with the classes its labels need. */
function showCsvError(message: string, suggested: number | undefined): void {
  const error = byId("csv-error");
  error.replaceChildren(message);
  if (suggested === undefined || !lastCsv) return;
  const file = lastCsv;
  const hint = document.createElement("p");
  hint.append(`Its labels go up to ${suggested - 1}: set Classes K to ${suggested}. `);
  const button = document.createElement("button");
  button.type = "button";
  button.id = "use-suggested-classes";
  button.textContent = `Read it with K = ${suggested}`;
  button.addEventListener("click", () => {
    controls.classes.value = String(suggested);
    loadCsv(file);
  });
  hint.append(button);
  error.append(hint);
  showSource();
}

/** Rings the data rows `rows` on the boundary (the step-through's), and says so under it. */
function markRows(rows: readonly number[]): void {
  boundary.marked = rows;
  const note = byId("boundary-rings");
  note.hidden = rows.length === 0;
  const ring = document.createElement("span");
  ring.className = "ring";
  note.replaceChildren(
    ring,
    ` Ringed: the step-through's ${rows.length === 1 ? "row" : "rows"} (data ${rows.length === 1 ? "row" : "rows"} ${rows.join(", ")}); click a point to add or take out its row.`,
  );
}

/** One legend entry per class: its colour and its label. */
function showLegend(classes: number): void {
  const legend = byId("boundary-legend");
  if (legend.childElementCount === classes) return;
  legend.replaceChildren(
    ...Array.from({ length: classes }, (_, k) => {
      const item = document.createElement("li");
      const dot = document.createElement("span");
      dot.className = "dot";
      const [r, g, b] = classColour(k);
      dot.style.background = `rgb(${r} ${g} ${b})`;
      item.append(dot, `class ${k}`);
      return item;
    }),
  );
}

function showPoints(p: PointsMessage): void {
  const note = byId("boundary-note");
  const canvas = byId("boundary");
  if (p.D === 2) {
    note.hidden = true;
    canvas.hidden = false;
  } else {
    note.hidden = false;
    canvas.hidden = true;
    note.textContent = `${p.source} has ${plural(p.D, "feature")}: the boundary is drawn for 2-D data only; the metrics and the other views still apply.`;
  }
  const rows = p.y.length;
  const tests = p.isTest.reduce((n, t) => n + t, 0);
  text(
    "data-source",
    `${csv || pendingCsv ? p.source : p.source + " (toy)"}: ${plural(rows, "row")} (${rows - tests} train, ${tests} test), ` +
      `${plural(p.D, "feature")}, ${p.classes} classes; training on ${p.backend === "webassembly" ? "WebAssembly SIMD" : "JavaScript (WebAssembly unavailable)"}`,
  );
  document.body.dataset["backend"] = p.backend;
  showLegend(Math.max(2, p.classes));
  if (p.model !== undefined) {
    // An imported model sets the network: the controls, the settings and the link say so.
    model = p.model;
    settings = {
      ...settings,
      hidden: clampSetting("hidden", p.hidden) ?? settings.hidden,
      activation: p.activation as Settings["activation"],
    };
    showSettings(settings);
    text(
      "model-source",
      `Training from ${p.model}: H = ${p.hidden}, ${p.activation}, ${p.classes} classes. ${importedTraining(p)}`,
    );
  } else {
    model = undefined;
    text("model-source", "");
  }
  showSource();
}

/**
 * What an imported model trains with: the page's settings, not those its file records (a file
 * is a starting point; the run's settings are the page's and its link's, and a file does not
 * hold the optimizer's state or the schedule's place to go on from). Names those that differ.
 */
function importedTraining(p: PointsMessage): string {
  const differ = p.recorded ?? [];
  if (!p.records) return "Its file records no training settings: it trains with the page's.";
  if (differ.length === 0)
    return "It trains with the settings its file records (the page's are the same).";
  const list = (side: "file" | "page"): string =>
    differ.map((d) => `${d.name} ${d[side]}`).join(", ");
  return (
    `Its file records training with ${list("file")}; the page trains it with its own settings, ${list("page")}. ` +
    "To train with the file's, set them first, then import the file again (a change of settings starts over from the seed's weights)."
  );
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
    stats.stepInEpoch = s.lastStep?.stepInEpoch ?? 0;
    text("epoch", String(s.epoch));
    text("steps", String(s.steps));
    const step = s.lastStep;
    text(
      "epoch-step",
      step
        ? `step ${step.stepInEpoch} of ${step.stepsPerEpoch} in epoch ${step.epoch}`
        : s.steps === 0
          ? "— (no step yet)"
          : "—",
    );
    if (step)
      shown(
        "batch-loss",
        step.batchLoss,
        `${step.batchLoss.toFixed(4)} (${plural(step.batchRows, "row")})`,
      );
    else shown("batch-loss", NaN, "—");
    const last = records[records.length - 1];
    if (last) {
      text("train-accuracy", last.accuracy.toFixed(3));
      text("test-accuracy", last.testAccuracy.toFixed(3));
      shown("train-loss", last.loss, last.loss.toFixed(4));
      shown("test-loss", last.testLoss, last.testLoss.toFixed(4));
      shown("l2-penalty", last.penalty, last.penalty.toPrecision(4));
    }
    if (s.learningRate === undefined) shown("current-lr", NaN, "— (no step yet)");
    else shown("current-lr", s.learningRate, s.learningRate.toPrecision(4));
    text("run-status", s.complete ? `Run complete: ${plural(s.epoch, "epoch")}.` : "");
    // The worker's state after the last command that starts, stops or replaces the run (a
    // snapshot made before it, still on its way, says nothing about it).
    if (s.seq >= runSeq) {
      const truth: RunState = s.running ? "training" : s.steps === 0 ? "idle" : "paused";
      if (document.body.dataset["state"] !== truth) setState(truth);
      else if (truth === "paused") text("run-state", `Paused at step ${s.steps}`);
    }
    if (s.grid && points?.D === 2) {
      boundary.draw(s.grid.R, s.grid.rgba, points);
      stats.boundaryDraws++;
    }
  }
  if (viewsDirty && latest && now - viewsDrawnAt >= VIEWS_INTERVAL_MS) {
    viewsDirty = false;
    viewsDrawnAt = now;
    drawViews(latest);
  }
  stats.renderMs += performance.now() - started;
  requestAnimationFrame(render);
}

/** The curves, weights and histograms, and the text alternative of every plot. */
function drawViews(s: SnapshotMessage): void {
  drawCurves(
    byId("loss-curve"),
    records,
    (h) => h.loss,
    (h) => h.testLoss,
    { title: "Loss (log scale)", yTitle: "cross-entropy", log: true },
  );
  drawCurves(
    byId("accuracy-curve"),
    records,
    (h) => h.accuracy,
    (h) => h.testAccuracy,
    { title: "Accuracy", yTitle: "accuracy", range: [0, 1] },
  );
  drawWeights(byId("weights"), s.params);
  diagram.update(s);
  showSelection(s);
  drawHistograms(byId("histograms"), s.histograms);
  const dead = s.histograms.dead.reduce((n, d) => n + d, 0);
  const saturated = s.histograms.saturated.reduce((n, d) => n + d, 0);
  const rows =
    s.histograms.rows < s.histograms.trainRows
      ? `${s.histograms.rows} of the ${plural(s.histograms.trainRows, "training row")}`
      : `the ${plural(s.histograms.rows, "training row")}`;
  text(
    "unit-flags",
    `${plural(s.params.H, "unit")}, over ${rows}: ${dead} dead (never active, red), ${saturated} saturated (amber). ` +
      `Shared range [${s.histograms.lo.toPrecision(3)}, ${s.histograms.hi.toPrecision(3)}].`,
  );
  const last = records[records.length - 1];
  if (last) {
    const best = records.reduce(
      (b, h) => (Number.isFinite(h.testLoss) && h.testLoss < b.testLoss ? h : b),
      last,
    );
    text(
      "loss-summary",
      `Loss at epoch ${last.epoch}: train ${last.loss.toPrecision(4)}, test ${last.testLoss.toPrecision(4)}; ` +
        `lowest test loss ${best.testLoss.toPrecision(4)} at epoch ${best.epoch}.`,
    );
    text(
      "accuracy-summary",
      `Accuracy at epoch ${last.epoch}: train ${last.accuracy.toFixed(3)}, test ${last.testAccuracy.toFixed(3)}.`,
    );
  }
  const maxAbs = (a: Float64Array): string =>
    a.reduce((m, v) => Math.max(m, Math.abs(v)), 0).toPrecision(3);
  const { D, H, K } = s.params;
  text(
    "weights-summary",
    `W1 is ${D}×${H} (largest |w| ${maxAbs(s.params.W1)}); W2 is ${H}×${K} (largest |w| ${maxAbs(s.params.W2)}).`,
  );
  text("boundary-summary", boundarySummary(s));
}

/** The network diagram, what is selected in it, and when its numbers were last asked for. */
const diagram = new NetworkDiagram(byId("diagram"), byId("diagram-legend"), (next) => {
  const same = selection !== undefined && JSON.stringify(selection) === JSON.stringify(next);
  if (same) return;
  selection = next;
  inspectedAt = -1;
  diagram.mark(selection);
  if (latest) showSelection(latest);
});
let selection: Selection | undefined;
/** The step at which the selected edge's numbers were asked for (-1: not yet). */
let inspectedAt = -1;

/** The parameter entry a selection edits: a weight (edge), b1_j (unit) or b2_k (output). */
function targetOf(
  sel: Selection,
  p: SnapshotMessage["params"],
): { param: "W1" | "W2" | "b1" | "b2"; index: number; name: string } {
  const [param, index] =
    sel.kind === "edge"
      ? [sel.param, sel.index]
      : sel.kind === "unit"
        ? (["b1", sel.unit] as const)
        : (["b2", sel.output] as const);
  return { param, index, name: entryName(param, index, p) };
}

/**
 * The selection's details: its parameter (a weight, or a unit's or an output's bias) with
 * ∂L/∂θ (the numbers come from the worker, asked for again when the run has moved) and a
 * field to set it; for a unit, also its state and the histogram of its pre-activation z1.
 */
function showSelection(s: SnapshotMessage): void {
  const detail = byId("diagram-detail");
  if (!selection) return;
  const p = s.params;
  const { param, index, name } = targetOf(selection, p);
  const key = selection.kind === "unit" ? `unit:${index}` : `${param}:${index}`;
  const symbol = param.startsWith("W") ? "w" : "b";
  if (detail.dataset["selected"] !== key) {
    detail.dataset["selected"] = key;
    const heading = document.createElement("p");
    heading.id = "edge-numbers";
    const form = document.createElement("form");
    form.className = "set-weight";
    form.innerHTML =
      `<label for="weight-value">Set ${symbol} to</label> <input id="weight-value" type="number" step="any" /> ` +
      `<button id="set-weight" type="submit">Set ${symbol}</button> <span id="diagram-error" class="error" role="alert"></span>`;
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const input = byId<HTMLInputElement>("weight-value");
      const value = input.value.trim() === "" ? NaN : Number(input.value);
      if (!Number.isFinite(value)) {
        text("diagram-error", "enter a number");
        return;
      }
      text("diagram-error", "");
      if (selection && latest) {
        const target = targetOf(selection, latest.params);
        inspectedAt = -1;
        walkedAt = -1; // the step-through shows the new value too
        send({ type: "set-weight", param: target.param, index: target.index, value });
      }
    });
    const parts: HTMLElement[] = [heading, form];
    if (selection.kind === "unit") {
      const line = document.createElement("p");
      line.id = "unit-detail";
      const canvas = document.createElement("canvas");
      canvas.id = "unit-histogram";
      canvas.setAttribute("role", "img");
      canvas.setAttribute("aria-label", `histogram of unit h${index + 1}'s pre-activation z1`);
      canvas.setAttribute("aria-describedby", "unit-detail");
      parts.unshift(line, canvas);
    }
    detail.replaceChildren(...parts);
    text("edge-numbers", `${name}: ${symbol} = ${p[param][index]!.toPrecision(6)}`);
  }
  if (inspectedAt !== s.steps) {
    inspectedAt = s.steps;
    send({ type: "inspect", param, index });
  }
  if (selection.kind !== "unit") return;
  const j = index;
  const h = s.histograms;
  const z = h.z1;
  const state = h.dead[j]
    ? "dead: z1 ≤ 0 on every row, so f′(z1) = 0 and no gradient reaches its weights"
    : h.saturated[j]
      ? "saturated: |z1| large on most rows, so f′(z1) is near 0 and it learns slowly"
      : "active";
  text(
    "unit-detail",
    `Hidden unit h${j + 1}: ${state}. Its pre-activation z1 = x·W1[:, ${j}] + b1 over ${h.rows} ` +
      `training rows, from ${z.lo[j]!.toPrecision(3)} to ${z.hi[j]!.toPrecision(3)}` +
      `${z.lo[j]! < 0 && z.hi[j]! > 0 ? " (the line marks z1 = 0)" : ""}:`,
  );
  drawUnitHistogram(byId<HTMLCanvasElement>("unit-histogram"), h, j);
}

/** The selected edge's numbers, when the worker's answer is about it. */
function showInspected(r: Extract<Reply, { type: "inspect" }>): void {
  const target = selection && latest && targetOf(selection, latest.params);
  if (!target || target.param !== r.param || target.index !== r.index) return;
  const name = target.name;
  const gap =
    Math.abs(r.gradient - r.estimate) / (Math.abs(r.gradient) + Math.abs(r.estimate) || 1);
  const symbol = r.param.startsWith("W") ? "w" : "b";
  const caveat = differenceCaveat(r, symbol, r.value);
  const rows =
    r.batch === "last"
      ? `on the last batch (the ${plural(r.rows, "row")} of step ${r.steps}${r.dataRows ? `: data rows ${r.dataRows.join(", ")}` : ""})`
      : `on the first ${plural(r.rows, "training row")} (no step taken yet, so no batch)`;
  text(
    "edge-numbers",
    `${name}: ${symbol} = ${r.value.toPrecision(6)}; ∂${latest && latest.l2 > 0 ? "L_λ" : "L"}/∂${symbol} = ${r.gradient.toPrecision(6)} by backprop` +
      (caveat === undefined
        ? `, ${r.estimate.toPrecision(6)} by central differences (ε = ${r.eps}), relative gap ${gap.toExponential(1)}; `
        : `; no central difference: ${caveat}; `) +
      `${rows}. Training loss at these weights: ${r.trainLoss.toPrecision(6)}.`,
  );
  byId("edge-numbers").classList.toggle("warning", caveat !== undefined);
  const numbers = byId("edge-numbers");
  numbers.dataset["value"] = String(r.value);
  numbers.dataset["gradient"] = String(r.gradient);
  numbers.dataset["estimate"] = String(r.estimate);
  numbers.dataset["batch"] = r.batch;
  numbers.dataset["trainLoss"] = String(r.trainLoss);
}

/** The boundary in words: the share of the plotted area each class is predicted on. */
function boundarySummary(s: SnapshotMessage): string {
  if (!points || points.D !== 2 || !s.grid) return "";
  const { probabilities, R } = s.grid;
  const C = probabilities.length / (R * R);
  const areas = new Array<number>(C).fill(0);
  for (let i = 0; i < R * R; i++) {
    let best = 0;
    for (let k = 1; k < C; k++)
      if (probabilities[i * C + k]! > probabilities[i * C + best]!) best = k;
    areas[best]!++;
  }
  const shares = areas.map((a, k) => `class ${k} on ${Math.round((100 * a) / (R * R))}%`);
  const N = points.y.length;
  const drawn = boundary.drawnOf(points);
  const sample =
    drawn === undefined || drawn.n === N
      ? `All ${N} points are drawn.`
      : `Showing ${drawn.n} of the ${N} points: a seeded random sample that keeps each class's share ` +
        `(${drawn.classes.map((n, k) => `class ${k}: ${n}`).join(", ")}).`;
  return `At step ${s.steps} the network predicts ${shares.join(", ")} of the plotted area. ${sample}`;
}

/**
 * Both losses at the typed logit. An empty field, or one the browser cannot read as a finite
 * float64 (1e400 rounds to Infinity: a number input then reports an empty value, which
 * Number() would read as 0), shows no loss and says why.
 */
function showNumerics(): void {
  const input = byId<HTMLInputElement>("logit");
  const y = Number(byId<HTMLSelectElement>("logit-label").value);
  const z = input.value.trim() === "" ? NaN : Number(input.value);
  const readable = Number.isFinite(z) && !input.validity.badInput;
  text("naive-loss", readable ? String(naiveBce(z, y)) : "—");
  text("stable-loss", readable ? String(stableBce(z, y)) : "—");
  text(
    "logit-error",
    readable
      ? ""
      : "Type a finite logit z (beyond ±1.8e308 a number rounds to Infinity in float64; the loss is defined for finite z).",
  );
}
byId("logit").addEventListener("input", showNumerics);
byId("logit-label").addEventListener("change", showNumerics);

/** A new size (a window resized, a phone turned): every canvas is drawn again at it. */
new ResizeObserver(() => {
  if (latest) dirty = true;
  viewsDrawnAt = -Infinity;
}).observe(document.querySelector("main")!);

/** Backprop, step by step: the rows chosen, the walk shown, and the step it was made at. */
const walk = new BackpropWalk(
  {
    panel: byId("walk"),
    equation: byId("walk-equation"),
    position: byId("walk-position"),
    matrices: byId("walk-matrices"),
    entry: byId("walk-entry"),
    check: byId<HTMLButtonElement>("walk-check"),
    checkResult: byId("walk-check-result"),
    rows: byId("walk-batch"),
    status: byId("walk-status"),
    command: byId("walk-command"),
    prev: byId<HTMLButtonElement>("walk-prev"),
    next: byId<HTMLButtonElement>("walk-next"),
  },
  (param, index) => {
    const params = walk.params;
    if (params) send({ type: "walk-check", rows: walk.rows, param, index, params });
  },
);
let walkedAt = -1;
let draws = 0;
const walkRows = byId<HTMLInputElement>("walk-rows");

/** Walks the rows typed in the field (or says what is wrong with them). */
function walkTyped(): void {
  if (!points) return;
  const read = parseRows(walkRows.value, points.y.length);
  if (read.problem !== undefined) {
    text("walk-error", read.problem);
    return;
  }
  startWalk(read.rows);
}
function startWalk(rows: readonly number[] | "last" | "next" | { draw: number }): void {
  text("walk-error", "");
  walkedAt = latest?.steps ?? -1;
  send({ type: "walk", rows });
}
byId("step-through").addEventListener("click", () => {
  if (walkRows.value.trim() !== "") walkTyped();
  else if (latest?.lastStep && latest.lastStep.batchRows <= MAX_WALK_ROWS) startWalk("last");
  else startWalk({ draw: draws++ });
});
byId("walk-draw").addEventListener("click", () => startWalk({ draw: draws++ }));
byId("walk-last").addEventListener("click", () => startWalk("last"));
byId("walk-next-batch").addEventListener("click", () => startWalk("next"));
walkRows.addEventListener("keydown", (event) => {
  if (event.key === "Enter") walkTyped();
});
/** The model as the step-through shows it (not as the run may have moved it since), and its rows. */
byId("walk-export").addEventListener("click", () => {
  const params = walk.params;
  if (!params) return;
  send({ type: "export-model", params });
  send({ type: "export-data", rows: walk.rows });
});
/** ← and → step through backprop, unless an input, a matrix or the diagram has the keys. */
document.addEventListener("keydown", (event) => {
  if (!walk.open || (event.key !== "ArrowLeft" && event.key !== "ArrowRight")) return;
  if (event.altKey || event.ctrlKey || event.metaKey) return;
  const target = event.target as Element;
  if (target.closest("input, select, textarea, svg, td")) return;
  event.preventDefault();
  walk.go(event.key === "ArrowRight" ? 1 : -1);
});
/** A click on a point adds its row to the step-through's rows (or takes it out). */
byId("boundary").addEventListener("click", (event) => {
  if (!points) return;
  const row = boundary.rowAt(event.clientX, event.clientY, points);
  if (row === undefined) return;
  const read = parseRows(walkRows.value, points.y.length);
  const rows = read.problem === undefined ? read.rows : [];
  const at = rows.indexOf(row);
  if (at >= 0) rows.splice(at, 1);
  else if (rows.length < MAX_WALK_ROWS) rows.push(row);
  else {
    text("walk-error", `at most ${MAX_WALK_ROWS} rows: click a chosen point to take it out first`);
    return;
  }
  walkRows.value = rows.join(", ");
  markRows(rows);
  if (latest) dirty = true;
  if (walk.open && rows.length > 0) startWalk(rows);
});

showNumerics();
applySettings(settings);
sendSpeed();
requestAnimationFrame(render);
