/**
 * examples/browser in headless Chromium, served as its README says (node
 * examples/browser/serve.mjs): the page loads the ES module build (dist/browser.js) in a real
 * browser, where a node:* import would fail; it fits the breast-cancer Classifier with
 * fitAsync and shows progress each epoch; the page stays responsive while it fits (its timer
 * keeps firing, and this test's round trips into the page come back); Abort stops a long fit;
 * and the model it offers for download is, byte for byte, the model the synchronous fit gives
 * in the same page, and the model Node's Classifier gives with the same seed: the same file,
 * byte for byte (the sigmoid head and Rng's normal draws use handgrad's own exp, log1p, log,
 * sinpi and cospi, not Math.exp, Math.log, Math.sin and Math.cos, whose last bits V8 in Node
 * 20 and in Chromium 156 round differently: test/e2e/cross-engine.test.ts).
 * The tests share one page and run in order. Needs the build (`npm run build`).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseLabelledCsv, splitDataset } from "../../src/data/index.js";
import { toRows } from "../../src/linalg/index.js";
import { Classifier } from "../../src/model/index.js";
import { startServing } from "../cli/playground-process.js";
import { root } from "../cli/run.js";
import { openServed, type Playground } from "./browser.js";

const FIT_TIMEOUT = 60_000;

let pg: Playground;
let page: Page;

beforeAll(async () => {
  const server = await startServing([join(root, "examples/browser/serve.mjs"), "0"]);
  pg = await openServed(server, "examples/browser/");
  page = pg.page;
  await page.waitForSelector("#fit:not([disabled])"); // the CSV is fetched and parsed
}, 60_000);
afterAll(async () => {
  await pg?.close();
});

/** Node's Classifier on the page's data, split and seed: its model file, accuracy, predictions. */
function nodeFit(
  epochs: number,
  seed: number,
): { text: string; accuracy: number; heldOut: number[][]; predicted: unknown[] } {
  const data = parseLabelledCsv(readFileSync(join(root, "data/breast_cancer.csv"), "utf8"), {
    source: "breast_cancer.csv",
  });
  const { train, validation: test } = splitDataset(data, 0.25, seed);
  const labels = (y: Float64Array) => Array.from(y, (v) => (v === 1 ? "malignant" : "benign"));
  const clf = new Classifier({ seed, epochs }).fit(toRows(train.X), labels(train.y.data), {
    features: data.featureNames,
  });
  const heldOut = toRows(test.X);
  return {
    text: clf.toModelText(),
    accuracy: clf.score(heldOut, labels(test.y.data)),
    heldOut,
    predicted: clf.predict(heldOut),
  };
}

const text = async (selector: string): Promise<string> =>
  ((await page.textContent(selector)) ?? "").trim();

describe("examples/browser", () => {
  it("loads the browser build and the data: 569 rows, 30 features", async () => {
    expect(await text("#status")).toBe("569 rows, 30 features: press Fit");
  });

  it(
    "fits with fitAsync, progress each epoch, the page responsive, and the accuracy and model file Node's Classifier gives, byte for byte",
    async () => {
      await page.fill("#epochs", "200");
      await page.fill("#seed", "0");
      await page.click("#fit");
      await page.waitForFunction(
        () => /^fitted/.test(document.getElementById("status")?.textContent ?? ""),
        undefined,
        { timeout: FIT_TIMEOUT },
      );
      const status = await text("#status");
      expect(status).toMatch(/^fitted: 200 epochs in \d+\.\d\d s$/);
      console.log(`examples/browser: ${status}, the timer fired ${await text("#ticks")} times`);
      expect(await text("#epoch")).toBe("epoch 200 of 200");
      expect(await page.getAttribute("#progress", "max")).toBe("200");
      const node = nodeFit(200, 0);
      expect(Number(await text("#accuracy"))).toBe(node.accuracy);
      expect(node.accuracy).toBeGreaterThan(0.93); // what the Node examples accept
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.click("#download"),
      ]);
      const downloaded = readFileSync(await download.path(), "utf8");
      // In the page, fitAsync is fit: the same bits (the same code, the same engine).
      // (a string: vitest would rewrite an import() written in a function)
      const synchronous = await page.evaluate<string>(`(async () => {
        const h = await import("/dist/browser.js");
        const text = await (await fetch("/data/breast_cancer.csv")).text();
        const data = h.parseLabelledCsv(text, { source: "breast_cancer.csv" });
        const { train } = h.splitDataset(data, 0.25, 0);
        const labels = Array.from(train.y.data, (v) => (v === 1 ? "malignant" : "benign"));
        const clf = new h.Classifier({ seed: 0, epochs: 200 });
        clf.fit(h.toRows(train.X), labels, { features: data.featureNames });
        return clf.toModelText();
      })()`);
      expect(downloaded).toBe(synchronous);
      // Against Node: the same model file, byte for byte, so the same predictions everywhere.
      expect(downloaded).toBe(node.text);
      expect(Classifier.fromJSON(downloaded).predict(node.heldOut)).toEqual(node.predicted);
    },
    FIT_TIMEOUT + 30_000,
  );

  it(
    "stays responsive during a long fit, and Abort stops it, leaving the Classifier unfitted",
    async () => {
      await page.fill("#epochs", "1000000");
      await page.click("#fit");
      await page.waitForFunction(() =>
        /epoch (\d{2,})/.test(document.getElementById("epoch")?.textContent ?? ""),
      );
      // Round trips into the page while it fits: each needs the main thread free.
      const epochs: number[] = [];
      let slowest = 0;
      for (let k = 0; k < 10; k++) {
        const sent = performance.now();
        epochs.push(Number(/\d+/.exec(await text("#epoch"))?.[0]));
        slowest = Math.max(slowest, performance.now() - sent);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      console.log(`examples/browser: slowest round trip during fitAsync ${slowest.toFixed(0)} ms`);
      expect(slowest).toBeLessThan(1000);
      expect(epochs.at(-1)).toBeGreaterThan(epochs[0] as number); // progress is shown as it goes
      const ticks = Number(await text("#ticks"));
      expect(ticks).toBeGreaterThanOrEqual(10);
      expect(await page.isDisabled("#fit")).toBe(true);
      await page.click("#abort");
      await page.waitForFunction(() =>
        /^aborted/.test(document.getElementById("status")?.textContent ?? ""),
      );
      const status = await text("#status");
      expect(status).toMatch(
        /^aborted at epoch \d+ of 1000000: the Classifier is left as it was \(not fitted: true\)$/,
      );
      const stoppedAt = await text("#epoch");
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await text("#epoch")).toBe(stoppedAt); // no epoch after the abort
      expect(Number(/\d+/.exec(stoppedAt)?.[0])).toBeLessThan(1000000);
      expect(await page.isDisabled("#fit")).toBe(false);
      expect(await page.isDisabled("#abort")).toBe(true);
    },
    FIT_TIMEOUT,
  );

  it("threw nothing, logged no error and asked nothing of any other server", () => {
    expect(pg.errors).toEqual([]);
    expect(pg.foreignRequests).toEqual([]);
  });
});
