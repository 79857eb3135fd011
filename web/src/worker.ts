/**
 * The training worker: owns the Session and trains in slices of about SLICE_MS, posting a
 * snapshot after each (the boundary grid's buffers transferred), so the page never waits.
 * Slices follow each other through a MessageChannel (setTimeout would be clamped to 4 ms),
 * which still lets the page's commands (pause, step, …) in between.
 */
import { HandgradError } from "../../src/errors.js";
import type { Command, Reply } from "./lib/protocol.js";
import { Session } from "./lib/session.js";

/** Milliseconds of training per slice. */
const SLICE_MS = 8;

interface WorkerScope {
  postMessage(message: Reply, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<Command>) => void) | null;
}
const scope = self as unknown as WorkerScope;

let session: Session | undefined;
let running = false;
/** Records the page already has. */
let historySent = 0;
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
  const snapshot = session.snapshot(running, historySent);
  historySent = snapshot.historyFrom + snapshot.history.length;
  const transfer: Transferable[] = [
    snapshot.params.W1.buffer,
    snapshot.params.W2.buffer,
    snapshot.histograms.counts.buffer,
  ];
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

/** One slice of training, then the snapshot; schedules the next while running. */
function slice(): void {
  if (!running || !session) return;
  const deadline = performance.now() + SLICE_MS;
  try {
    running = session.run(() => performance.now() >= deadline);
  } catch (error) {
    running = false;
    post({ type: "error", where: "train", message: message(error) });
  }
  sendSnapshot();
  if (running) tick.port2.postMessage(null);
}
tick.port1.onmessage = slice;

scope.onmessage = ({ data: command }) => {
  try {
    switch (command.type) {
      case "configure":
        running = false;
        session = new Session(command.settings);
        if (command.csv) session.loadCsv(command.csv.name, command.csv.text, command.csv.classes);
        sendPoints();
        checkSettings();
        return;
      case "play":
        if (!running) {
          running = true;
          tick.port2.postMessage(null);
        }
        return;
      case "pause":
        running = false;
        sendSnapshot();
        return;
      case "step":
        running = false;
        session?.step();
        sendSnapshot();
        return;
      case "reset":
        running = false;
        session?.reset();
        historySent = 0;
        sendSnapshot();
        return;
      case "load-csv":
        running = false;
        session?.loadCsv(command.name, command.text, command.classes);
        sendPoints();
        checkSettings();
        return;
      case "load-model":
        running = false;
        session?.loadModel(command.name, command.text);
        sendPoints();
        return;
      case "export-model":
        if (session) post({ type: "model-text", text: session.modelText() });
        return;
      case "export-data":
        if (session) post({ type: "data-csv", text: session.dataCsv() });
        return;
      case "gradcheck":
        if (session) post(session.gradcheck());
        return;
    }
  } catch (error) {
    const where =
      command.type === "load-csv" || (command.type === "configure" && command.csv)
        ? "csv"
        : command.type === "load-model"
          ? "model"
          : command.type === "gradcheck"
            ? "gradcheck"
            : "train";
    if (!(error instanceof HandgradError) && where === "train") console.error(error);
    post({ type: "error", where, message: message(error) });
    try {
      sendSnapshot();
    } catch (again) {
      post({ type: "error", where: "train", message: message(again) });
    }
  }
};
