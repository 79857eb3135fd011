/**
 * The training worker: owns the Session and trains in slices of about SLICE_MS, posting a
 * snapshot after a slice (the boundary grid's buffers transferred), so the page never waits.
 * Slices follow each other through a MessageChannel (setTimeout would be clamped to 4 ms),
 * which still lets the page's commands (pause, step, …) in between. At a set speed (steps per
 * second) each slice takes the steps that are due and the next waits for the next one.
 */
import { HandgradError } from "../../src/errors.js";
import { DivergenceError } from "../../src/train/index.js";
import type { Numbered, Reply } from "./lib/protocol.js";
import { Session, suggestClasses } from "./lib/session.js";

/** Milliseconds of training per slice. */
const SLICE_MS = 8;
/**
 * While running at full speed, a snapshot (the grid's forward pass, the histograms) is made
 * at most this often (ms): the page draws at most one per frame, and one made in between
 * would only delay the next command.
 */
const SNAPSHOT_MS = 20;

interface WorkerScope {
  postMessage(message: Reply, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<Numbered>) => void) | null;
}
const scope = self as unknown as WorkerScope;

let session: Session | undefined;
let running = false;
/** Records the page already has. */
let historySent = 0;
/** The last command handled (its seq). */
let seq = 0;
/** Steps per second while playing (Infinity: full speed). */
let stepsPerSecond = Infinity;
/** A paced run's start (performance.now()) and the steps taken since. */
let pace = { start: 0, steps: 0 };
/** The next slice is scheduled: a message on `tick` or a timer. */
let tickPending = false;
let timer: ReturnType<typeof setTimeout> | undefined;
let snapshotAt = -Infinity;
const tick = new MessageChannel();

function post(message: Reply, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

function sendPoints(): void {
  if (!session) return;
  historySent = 0;
  const points = session.points();
  post(points, [points.X.buffer, points.y.buffer, points.isTest.buffer]);
  sendSnapshot();
}

function sendSnapshot(): void {
  if (!session) return;
  snapshotAt = performance.now();
  const snapshot = session.snapshot(running, historySent, seq);
  historySent = snapshot.historyFrom + snapshot.history.length;
  const transfer: Transferable[] = [
    snapshot.params.W1.buffer,
    snapshot.params.W2.buffer,
    snapshot.histograms.counts.buffer,
    snapshot.histograms.z1.counts.buffer,
    snapshot.histograms.z1.lo.buffer,
    snapshot.histograms.z1.hi.buffer,
    snapshot.params.b1.buffer,
    snapshot.params.b2.buffer,
  ];
  if (snapshot.units) transfer.push(snapshot.units.values.buffer);
  if (snapshot.grid) transfer.push(snapshot.grid.rgba.buffer, snapshot.grid.probabilities.buffer);
  post(snapshot, transfer);
}

/**
 * Reports now what the library refuses in the settings with these data (a warm-up longer than
 * the run), rather than at the first step.
 */
function checkSettings(): void {
  try {
    session?.check();
  } catch (error) {
    if (!(error instanceof HandgradError)) throw error;
    post({ type: "error", where: "settings", message: message(error) });
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Schedules the next slice in `delay` ms (0: as soon as the page's commands allow). */
function schedule(delay = 0): void {
  if (tickPending || timer !== undefined) return;
  if (delay <= 0) {
    tickPending = true;
    tick.port2.postMessage(null);
  } else {
    timer = setTimeout(() => {
      timer = undefined;
      slice();
    }, delay);
  }
}

function unschedule(): void {
  if (timer !== undefined) clearTimeout(timer);
  timer = undefined;
}

/** One slice of training, then the snapshot; schedules the next while running. */
function slice(): void {
  if (!running || !session) return;
  const started = performance.now();
  const deadline = started + SLICE_MS;
  const paced = Number.isFinite(stepsPerSecond);
  const interval = 1000 / stepsPerSecond;
  // The steps due by now: one at the start, then one every `interval` ms (at most a second's
  // worth of catching up, so that a slow machine does not burst).
  let due = Infinity;
  if (paced) {
    if (Math.floor((started - pace.start) / interval) + 1 - pace.steps > stepsPerSecond)
      pace = { start: started, steps: 0 };
    due = Math.floor((started - pace.start) / interval) + 1 - pace.steps;
  }
  const before = session.steps;
  try {
    const current = session;
    running = current.run(() => current.steps - before >= due || performance.now() >= deadline);
  } catch (error) {
    running = false;
    post({
      type: "error",
      where: "train",
      message: message(error),
      ...(error instanceof DivergenceError ? { divergence: true } : {}),
    });
  }
  const took = session.steps - before;
  pace.steps += took;
  if (paced) {
    if (took > 0 || !running) sendSnapshot();
  } else if (!running || performance.now() - snapshotAt >= SNAPSHOT_MS) {
    sendSnapshot();
  }
  if (!running) return;
  if (!paced) schedule();
  else schedule(Math.max(1, pace.start + pace.steps * interval - performance.now()));
}
tick.port1.onmessage = () => {
  tickPending = false;
  slice();
};

/** Starts pacing from now (Play, or a new speed while playing). */
function restartPace(): void {
  pace = { start: performance.now(), steps: 0 };
}

scope.onmessage = ({ data: command }) => {
  seq = command.seq;
  try {
    switch (command.type) {
      case "configure":
        running = false;
        unschedule();
        session = new Session(command.settings);
        if (command.csv) session.loadCsv(command.csv.name, command.csv.text, command.csv.classes);
        sendPoints();
        checkSettings();
        return;
      case "play":
        if (!running) {
          running = true;
          restartPace();
          schedule();
        }
        return;
      case "speed":
        stepsPerSecond = command.stepsPerSecond > 0 ? command.stepsPerSecond : Infinity;
        if (running) {
          unschedule();
          restartPace();
          schedule();
        }
        return;
      case "pause":
        running = false;
        unschedule();
        sendSnapshot();
        return;
      case "step":
        running = false;
        unschedule();
        session?.step();
        sendSnapshot();
        return;
      case "reset":
        running = false;
        unschedule();
        session?.reset();
        historySent = 0;
        sendSnapshot();
        return;
      case "load-csv":
        running = false;
        unschedule();
        session?.loadCsv(command.name, command.text, command.classes);
        sendPoints();
        checkSettings();
        return;
      case "load-model":
        running = false;
        unschedule();
        session?.loadModel(command.name, command.text);
        sendPoints();
        return;
      case "export-model":
        if (session) post({ type: "model-text", text: session.modelText(command.params) });
        return;
      case "export-data":
        if (session)
          post({
            type: "data-csv",
            text: session.dataCsv(command.rows),
            ...(command.rows ? { rows: [...command.rows] } : {}),
          });
        return;
      case "walk":
        // The step-through freezes training: it shows one step on the model as it is now.
        if (running) {
          running = false;
          unschedule();
          sendSnapshot();
        }
        if (session) post(session.walk(command.rows));
        return;
      case "walk-check":
        if (session)
          post(session.walkCheck(command.rows, command.param, command.index, command.params));
        return;
      case "gradcheck":
        if (session) post(session.gradcheck());
        return;
      case "inspect":
        if (session) post(session.inspect(command.param, command.index));
        return;
      case "set-weight":
        session?.setWeight(command.param, command.index, command.value);
        sendSnapshot();
        return;
    }
  } catch (error) {
    const csv =
      command.type === "load-csv"
        ? command
        : command.type === "configure" && command.csv
          ? { ...command.csv }
          : undefined;
    const where = csv
      ? "csv"
      : command.type === "load-model"
        ? "model"
        : command.type === "gradcheck"
          ? "gradcheck"
          : command.type === "inspect" || command.type === "set-weight"
            ? "diagram"
            : command.type === "walk" || command.type === "walk-check"
              ? "walk"
              : (command.type === "export-data" && command.rows) ||
                  (command.type === "export-model" && command.params)
                ? "walk"
                : "train";
    if (!(error instanceof HandgradError) && where === "train") console.error(error);
    const suggested = csv && suggestClasses(csv.name, csv.text, csv.classes);
    post({
      type: "error",
      where,
      message: message(error),
      ...(suggested === undefined ? {} : { suggestedClasses: suggested }),
      ...(error instanceof DivergenceError ? { divergence: true } : {}),
    });
    try {
      sendSnapshot();
    } catch (again) {
      post({ type: "error", where: "train", message: message(again) });
    }
  }
};
