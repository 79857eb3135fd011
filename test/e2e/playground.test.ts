/**
 * The playground in headless Chromium (issue 6, part 3), against the page's DOM contract:
 * train on moons to test accuracy ≥ 0.95 and see the boundary change, the CLI's message for
 * a bad CSV cell, a model export that `handgrad predict` accepts and an import that goes on
 * training, a passing gradient check; screenshots of each state in test-results/screenshots/
 * and the frame and step rates measured while training in test-results/playground-metrics.json
 * (recorded, never asserted). The tests share one page and run in order.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { handgrad, root } from "../cli/run.js";
import { comparePngs, frameCounts, openPlayground, RESULTS, type Playground } from "./browser.js";

const TRAIN_TIMEOUT = 90_000;
const CONTROLS = [
  "dataset",
  "noise",
  "samples",
  "hidden",
  "activation",
  "init",
  "learning-rate",
  "batch-size",
  "seed",
  "classes",
  "csv-file",
  "model-file",
  "optimizer",
  "momentum",
  "beta1",
  "beta2",
  "adam-eps",
  "l2",
  "schedule",
  "decay-rate",
  "decay-every",
  "lr-min",
  "epochs",
  "warmup",
  "clip-norm",
];
const BUTTONS = ["play", "pause", "step", "reset", "export-model", "export-data", "run-gradcheck"];

let pg: Playground;
let page: Page;
const work = mkdtempSync(join(tmpdir(), "handgrad-e2e-"));
const metrics: Record<string, unknown> = {};

/** The number shown in `selector` ("0.965" → 0.965; NaN when empty). */
async function numberIn(selector: string): Promise<number> {
  const text = (await page.textContent(selector))?.trim() ?? "";
  return text === "" ? NaN : Number(text.replace(/[^0-9.eE+-]/g, ""));
}

async function state(): Promise<string | null> {
  return page.getAttribute("body", "data-state");
}

/** Saves the file the click on `button` downloads; returns its path. */
async function download(button: string, name: string): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent("download"), page.click(button)]);
  const path = join(work, name);
  await file.saveAs(path);
  return path;
}

beforeAll(async () => {
  pg = await openPlayground();
  page = pg.page;
}, 60_000);

afterAll(async () => {
  writeFileSync(join(RESULTS, "playground-metrics.json"), `${JSON.stringify(metrics, null, 2)}\n`);
  await pg?.close();
  rmSync(work, { recursive: true, force: true });
});

describe("playground in Chromium", () => {
  it("loads with its title, idle state and a label for every control", async () => {
    expect(await page.textContent("h1")).toContain("handgrad playground");
    expect(await state()).toBe("idle");
    for (const id of CONTROLS) {
      const label = page.locator(`label[for="${id}"]`);
      expect(await label.count(), `label for #${id}`).toBe(1);
      expect((await label.textContent())?.trim(), `label for #${id}`).not.toBe("");
    }
    for (const id of BUTTONS) {
      const button = page.locator(`button#${id}`);
      expect(await button.count(), `#${id}`).toBe(1);
      expect((await button.textContent())?.trim(), `#${id}`).not.toBe("");
    }
    const datasets = await page.$$eval("select#dataset option", (os) =>
      os.map((o) => (o as HTMLOptionElement).value),
    );
    expect(datasets).toEqual(
      expect.arrayContaining(["moons", "circles", "xor", "spirals", "blobs"]),
    );
    expect(await page.getAttribute("input#csv-file", "type")).toBe("file");
    expect(await page.getAttribute("input#model-file", "type")).toBe("file");
    // Keyboard-operable: Tab reaches the play button (a focusable element, not a div).
    await page.focus("#dataset");
    let reached = false;
    for (let i = 0; i < 60 && !reached; i++) {
      await page.keyboard.press("Tab");
      reached = await page.evaluate(() => document.activeElement?.id === "play");
    }
    expect(reached, "Tab from #dataset reaches #play").toBe(true);
    // Cross-origin isolated by the server's headers, so SharedArrayBuffer exists.
    expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
    await pg.screenshot("01-loaded");
  });

  it(
    "trains on moons to test accuracy ≥ 0.95, redrawing the boundary, and pauses",
    async () => {
      await page.selectOption("#dataset", "moons");
      const boundary = page.locator("canvas#boundary");
      // The first frame: the data (and the untrained boundary) drawn before any training.
      const colours = async () => {
        const png = await boundary.screenshot();
        return (await comparePngs(pg.browser, png, png)).colours[0];
      };
      await expect.poll(colours, { timeout: 10_000 }).toBeGreaterThan(1);
      const firstFrame = await boundary.screenshot();

      const playedAt = Date.now();
      await page.click("#play");
      await expect.poll(state).toBe("training");

      // Rates over 2 s of training: recorded, not asserted (a shared CI machine varies).
      const steps0 = await numberIn("#steps");
      const frames0 = await frameCounts(page);
      await page.waitForTimeout(2000);
      const steps1 = await numberIn("#steps");
      const frames1 = await frameCounts(page);
      const seconds = (frames1.at - frames0.at) / 1000;
      Object.assign(metrics, {
        chromium: pg.browser.version(),
        measuredSeconds: round(seconds, 3),
        animationFramesPerSecond: round((frames1.frames - frames0.frames) / seconds, 1),
        boundaryFramesPerSecond: round(
          (frames1.boundaryFrames - frames0.boundaryFrames) / seconds,
          1,
        ),
        stepsPerSecond: round((steps1 - steps0) / seconds, 1),
        canvas: await boundary.evaluate((c) => ({
          width: (c as HTMLCanvasElement).width,
          height: (c as HTMLCanvasElement).height,
        })),
        playgroundStats: await page.evaluate(
          () => (window as unknown as { __playgroundStats?: unknown }).__playgroundStats ?? null,
        ),
      });
      await pg.screenshot("02-training");

      await expect
        .poll(() => numberIn("#test-accuracy"), { timeout: TRAIN_TIMEOUT, interval: 250 })
        .toBeGreaterThanOrEqual(0.95);
      metrics.secondsToTestAccuracy95 = round((Date.now() - playedAt) / 1000, 1);
      await page.click("#pause");
      await expect.poll(state).toBe("paused");
      metrics.epochsAtPause = await numberIn("#epoch");
      metrics.stepsAtPause = await numberIn("#steps");
      expect(await numberIn("#train-accuracy")).toBeGreaterThan(0.9);

      // Paused means paused: no step is taken in half a second.
      const pausedSteps = await numberIn("#steps");
      expect(pausedSteps).toBeGreaterThan(0);
      await page.waitForTimeout(500);
      expect(await numberIn("#steps")).toBe(pausedSteps);

      const trained = await boundary.screenshot();
      const { changedShare } = await comparePngs(pg.browser, firstFrame, trained);
      metrics.boundaryChangedShare = round(changedShare, 4);
      expect(changedShare, "share of boundary pixels changed by training").toBeGreaterThan(0.05);
      await pg.screenshot("03-trained-moons");

      // Step while paused: one more step, still paused.
      await page.click("#step");
      await expect.poll(() => numberIn("#steps")).toBeGreaterThan(pausedSteps);
      expect(await state()).toBe("paused");
    },
    TRAIN_TIMEOUT + 30_000,
  );

  let modelPath = "";
  let trainedTestAccuracy = NaN;

  it("exports a model in the CLI's format that handgrad predict accepts", async () => {
    trainedTestAccuracy = await numberIn("#test-accuracy");
    modelPath = await download("#export-model", "playground-model.json");
    const model = JSON.parse(readFileSync(modelPath, "utf8"));
    // The same format as `handgrad train --save`: the same keys, the same shapes for D = 2.
    const cli = join(work, "cli-model.json");
    const saved = handgrad(["train", "--dataset", "moons", "--epochs", "1", "--save", cli]);
    expect(saved.code, saved.stderr).toBe(0);
    const reference = JSON.parse(readFileSync(cli, "utf8"));
    for (const key of Object.keys(reference)) expect(model, key).toHaveProperty(key);
    expect(model.format).toBe(reference.format);
    expect(model.version).toBe(reference.version);
    expect(model.W1).toHaveLength(2); // D×H
    const H = model.W1[0].length;
    expect(model.b1).toHaveLength(H);
    expect(model.W2).toHaveLength(H);

    // Points without labels: one probability and one class per row.
    const points = Array.from({ length: 25 }, (_, i) => [(i % 5) - 2, Math.floor(i / 5) - 2]);
    const grid = join(work, "points.csv");
    writeFileSync(grid, `x1,x2\n${points.map((p) => p.join(",")).join("\n")}\n`);
    const r = handgrad(["predict", "--model", modelPath, "--data", grid]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.rows).toBe(points.length);
    expect(out.classes).toHaveLength(points.length);
    for (const c of out.classes) expect([0, 1]).toContain(c);

    // The exported data with its labels: the exported model classifies it as it did on the page.
    const dataPath = await download("#export-data", "playground-data.csv");
    const lines = readFileSync(dataPath, "utf8").trim().split(/\r?\n/);
    expect(lines.length - 1).toBeGreaterThan(0);
    const labelled = handgrad(["predict", "--model", modelPath, "--data", dataPath]);
    expect(labelled.code, labelled.stderr).toBe(0);
    const scored = JSON.parse(labelled.stdout);
    expect(scored.rows).toBe(lines.length - 1);
    metrics.exportedModelAccuracyOnExportedData = scored.accuracy;
    expect(scored.accuracy).toBeGreaterThanOrEqual(0.9);
  });

  it("imports the exported model and goes on training from it", async () => {
    await page.click("#reset");
    await expect.poll(() => numberIn("#steps")).toBe(0);
    await page.setInputFiles("#model-file", modelPath);
    await page.click("#step");
    await expect.poll(() => numberIn("#steps")).toBeGreaterThan(0);
    expect((await page.textContent("#model-error"))?.trim() ?? "").toBe("");
    // One step from a random start does not reach this; from the trained model it does.
    await expect.poll(() => numberIn("#test-accuracy")).toBeGreaterThanOrEqual(0.9);
    metrics.testAccuracyAfterImport = await numberIn("#test-accuracy");
    metrics.testAccuracyAtExport = trainedTestAccuracy;
  });

  it("runs the gradient check and shows a passing table of relative errors", async () => {
    await page.click("#run-gradcheck");
    const result = page.locator("#gradcheck-result");
    await expect.poll(() => result.getAttribute("data-status"), { timeout: 30_000 }).not.toBeNull();
    expect(await result.getAttribute("data-status")).toBe("pass");
    const table = await result.locator("table").innerText();
    for (const name of ["W1", "b1", "W2", "b2"]) expect(table).toContain(name);
    const errors = [...table.matchAll(/\d(?:\.\d+)?e-\d+/g)].map((m) => Number(m[0]));
    expect(errors.length).toBeGreaterThanOrEqual(4);
    for (const e of errors) expect(e).toBeLessThan(1e-4);
    await result.scrollIntoViewIfNeeded();
    await pg.screenshot("04-gradcheck");
  });

  it("shows the CLI's message for a CSV with a bad cell", async () => {
    const dir = mkdtempSync(join(work, "csv-"));
    writeFileSync(join(dir, "bad.csv"), "x1,x2,label\n0.1,0.2,0\n0.3,abc,1\n0.5,0.6,0\n");
    // The CLI's own message for the same file is the truth.
    const cli = handgrad(["train", "--data", "bad.csv"], dir);
    expect(cli.code).toBe(2);
    const message = /^handgrad train: bad\.csv (.*)$/m.exec(cli.stderr)?.[1];
    expect(message).toBe('line 3, column "x2": "abc" is not a number');
    await page.setInputFiles("#csv-file", join(dir, "bad.csv"));
    await expect.poll(async () => (await page.textContent("#csv-error")) ?? "").toContain(message);
    expect(await page.getAttribute("#csv-error", "role")).toBe("alert");
    await page.locator("#csv-error").scrollIntoViewIfNeeded();
    await pg.screenshot("05-csv-error");
  });

  it("threw nothing, logged no error, and fetched nothing but its own files", () => {
    expect(pg.errors).toEqual([]);
    expect(pg.foreignRequests).toEqual([]);
  });
});

describe("the built bundle", () => {
  it("is all in dist-web/ and its size is recorded", () => {
    const dist = join(root, "dist-web");
    const files = readdirSync(dist, { recursive: true, withFileTypes: true }).filter((f) =>
      f.isFile(),
    );
    // Bytes of the files ending in `ext`, as stored and gzipped (as a server may send them).
    const size = (ext: string, pack: (b: Buffer) => number) =>
      files
        .filter((f) => f.name.endsWith(ext))
        .reduce((sum, f) => sum + pack(readFileSync(join(f.parentPath, f.name))), 0);
    const bytes = (ext: string) => size(ext, (b) => b.length);
    const gzipped = (ext: string) => size(ext, (b) => gzipSync(b, { level: 9 }).length);
    metrics.bundleBytes = {
      total: bytes(""),
      js: bytes(".js"),
      css: bytes(".css"),
      html: bytes(".html"),
      gzipTotal: gzipped(""),
      files: files.map((f) => join(f.parentPath, f.name).slice(dist.length + 1)).sort(),
    };
    const html = readFileSync(join(dist, "index.html"), "utf8");
    expect(html).not.toMatch(/(?:src|href)="(?:https?:)?\/\//); // no CDN
    expect(bytes(".js")).toBeGreaterThan(0);
  });
});

function round(x: number, digits: number): number {
  return Number(x.toFixed(digits));
}
