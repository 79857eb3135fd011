// The page's program: fetch the CSV, parse it, split it, fit a Classifier with fitAsync
// (progress each epoch, an Abort button), then show the held-out accuracy and offer the model
// file. It loads the ES module build of the package straight from dist/; with a bundler
// (Vite, webpack, esbuild) write `from "handgrad"`: the "browser" condition of the package's
// exports picks the same file, which reaches no node:* module.
import { Classifier, parseLabelledCsv, splitDataset, toRows } from "../../dist/browser.js";

const $ = (id) => document.getElementById(id);
const text = await (await fetch("../../data/breast_cancer.csv")).text();
const data = parseLabelledCsv(text, { source: "breast_cancer.csv" }); // 569 × 30, 1 = malignant
const labels = (set) => Array.from(set.y.data, (v) => (v === 1 ? "malignant" : "benign"));
$("status").textContent = `${data.X.rows} rows, ${data.X.cols} features: press Fit`;
$("fit").disabled = false;

let controller;
$("abort").addEventListener("click", () => controller?.abort());
$("fit").addEventListener("click", async () => {
  const [epochs, seed] = [Number($("epochs").value), Number($("seed").value)];
  const { train, validation: test } = splitDataset(data, 0.25, seed); // 427 to fit, 142 held out
  const clf = new Classifier({ seed, epochs });
  controller = new AbortController();
  [$("fit").disabled, $("abort").disabled, $("download").hidden] = [true, false, true];
  [$("progress").max, $("accuracy").textContent] = [epochs, "–"];
  $("status").textContent = "fitting…";
  // A timer that keeps firing while the Classifier trains: the page is not blocked.
  let [ticks, gap, last] = [0, 0, performance.now()];
  const timer = setInterval(() => {
    const now = performance.now();
    [ticks, gap, last] = [ticks + 1, Math.max(gap, now - last), now];
    [$("ticks").value, $("gap").value] = [String(ticks), gap.toFixed(0)];
  }, 10);
  const started = performance.now();
  try {
    await clf.fitAsync(toRows(train.X), labels(train), {
      features: data.featureNames,
      signal: controller.signal,
      onEpoch: ({ epoch, loss }) => {
        $("progress").value = epoch;
        $("epoch").textContent = `epoch ${epoch} of ${epochs}`;
        $("loss").value = loss.toPrecision(4);
      },
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    $("status").textContent = `fitted: ${epochs} epochs in ${seconds} s`;
    $("accuracy").value = String(clf.score(toRows(test.X), labels(test)));
    // save() needs Node's file system; in a page the model file is text (toModelText) to
    // download, store or send, and Classifier.fromJSON(text) reads it back.
    const file = new Blob([clf.toModelText()], { type: "application/json" });
    [$("download").href, $("download").hidden] = [URL.createObjectURL(file), false];
  } catch (error) {
    const aborted = error instanceof DOMException && error.name === "AbortError";
    $("status").textContent = aborted
      ? `aborted at ${$("epoch").textContent}: the Classifier is left as it was (not fitted: ${!clf.isFitted})`
      : `error: ${error.message}`;
  } finally {
    clearInterval(timer);
    [$("fit").disabled, $("abort").disabled] = [false, true];
  }
});
