/**
 * The playground's speed with 400 and 50 000 rows (issue 15, part 4): animation frames per
 * second while training and the time from a click on Pause to the page saying "paused".
 * Measured and written to test-results/playground-performance.json as figures, never asserted
 * (the machine is shared; the figures are noisy). What is asserted is what could be wrong
 * whatever the speed: the run trains, and Pause stops it.
 */
import { mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { frameCounts, openPlayground, RESULTS, type Playground } from "./browser.js";

const OUT = join(RESULTS, "playground-performance.json");
/** How long frames are counted while training (ms). */
const MEASURE_MS = 3000;
/** Pauses measured per data size (the median is reported, and every one). */
const PAUSES = 3;

let pg: Playground;
let page: Page;
const work = mkdtempSync(join(tmpdir(), "handgrad-perf-"));
const figures: Record<string, unknown> = {};

/** Two interleaved half circles (moons) of `rows` rows, from a fixed linear congruential generator. */
function moonsCsv(rows: number): string {
  let state = 12345;
  const uniform = (): number => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
  const lines = ["x1,x2,label"];
  for (let i = 0; i < rows; i++) {
    const label = i % 2;
    const t = Math.PI * uniform();
    const noise = (): number => (uniform() - 0.5) * 0.3;
    const x1 = label === 0 ? Math.cos(t) : 1 - Math.cos(t);
    const x2 = label === 0 ? Math.sin(t) : 0.5 - Math.sin(t);
    lines.push(`${(x1 + noise()).toFixed(5)},${(x2 + noise()).toFixed(5)},${label}`);
  }
  return `${lines.join("\n")}\n`;
}

const state = (): Promise<string | null> => page.getAttribute("body", "data-state");
const steps = (): Promise<number> =>
  page.evaluate(
    () => (window as unknown as { __playgroundStats: { steps: number } }).__playgroundStats.steps,
  );

/** What the page records for the Pause latency (performance.now() times, ms). */
interface PerfLog {
  /** The click events' timeStamp: when the input arrived, before any wait for the main thread. */
  pauseClicks: number[];
  /** Each change of body[data-state], with the time it was seen. */
  states: { state: string; at: number }[];
}

/** Records Pause's clicks and the page's state changes (see PerfLog). */
async function installLog(): Promise<void> {
  await page.evaluate(() => {
    const log: PerfLog = { pauseClicks: [], states: [] };
    (window as unknown as { __perfLog: PerfLog }).__perfLog = log;
    document
      .getElementById("pause")
      ?.addEventListener("click", (event) => log.pauseClicks.push(event.timeStamp), {
        capture: true,
      });
    new MutationObserver(() => {
      log.states.push({ state: document.body.dataset["state"] ?? "", at: performance.now() });
    }).observe(document.body, { attributes: true, attributeFilter: ["data-state"] });
  });
}

/**
 * Clicks Play, counts frames for MEASURE_MS, then clicks Pause PAUSES times (playing again in
 * between) and times each: from the click event's timeStamp (when the input arrived) to the
 * moment the page's data-state became "paused".
 */
async function measure(label: string): Promise<Record<string, unknown>> {
  await page.click("#play");
  await expect.poll(state).toBe("training");
  await page.waitForTimeout(500); // past the first slices
  const steps0 = await steps();
  const f0 = await frameCounts(page);
  await page.waitForTimeout(MEASURE_MS);
  const f1 = await frameCounts(page);
  const steps1 = await steps();
  const seconds = (f1.at - f0.at) / 1000;
  const latencies: number[] = [];
  for (let i = 0; i < PAUSES; i++) {
    if (i > 0) {
      await page.click("#play");
      await expect.poll(state).toBe("training");
      await page.waitForTimeout(700);
    }
    await page.click("#pause");
    await expect.poll(state, { timeout: 30_000, interval: 20 }).toBe("paused");
    latencies.push(
      await page.evaluate(() => {
        const log = (window as unknown as { __perfLog: PerfLog }).__perfLog;
        const clicked = log.pauseClicks.at(-1) ?? NaN;
        const paused = log.states.find((s) => s.state === "paused" && s.at >= clicked);
        return (paused?.at ?? NaN) - clicked;
      }),
    );
  }
  // Paused means paused.
  const pausedSteps = await steps();
  await page.waitForTimeout(300);
  expect(await steps()).toBe(pausedSteps);
  expect(steps1).toBeGreaterThan(steps0);
  const sorted = [...latencies].sort((a, b) => a - b);
  const result = {
    framesPerSecond: round((f1.frames - f0.frames) / seconds),
    boundaryFramesPerSecond: round((f1.boundaryFrames - f0.boundaryFrames) / seconds),
    stepsPerSecond: round((steps1 - steps0) / seconds),
    pauseLatencyMs: round(sorted[Math.floor(sorted.length / 2)]!),
    pauseLatenciesMs: latencies.map((l) => round(l)),
  };
  await pg.screenshot(`perf-${label}`);
  return result;
}

beforeAll(async () => {
  pg = await openPlayground();
  page = pg.page;
  await installLog();
}, 60_000);

afterAll(async () => {
  const previous = existsSync(OUT) ? (JSON.parse(readFileSync(OUT, "utf8")) as object) : {};
  const label = process.env["PLAYGROUND_PERF_LABEL"] ?? "current";
  writeFileSync(
    OUT,
    `${JSON.stringify({ ...previous, [label]: { chromium: pg?.browser.version(), cores: (await import("node:os")).cpus().length, ...figures } }, null, 2)}\n`,
  );
  await pg?.close();
  rmSync(work, { recursive: true, force: true });
});

describe("playground speed (figures in test-results/playground-performance.json)", () => {
  it("400 rows (moons): frames/s while training and Pause latency", async () => {
    figures["rows400"] = await measure("400");
  }, 90_000);

  it("50 000 rows (a CSV): frames/s while training and Pause latency", async () => {
    const path = join(work, "moons-50000.csv");
    writeFileSync(path, moonsCsv(50_000));
    await page.setInputFiles("#csv-file", path);
    await expect
      .poll(async () => (await page.textContent("#data-source")) ?? "", { timeout: 60_000 })
      .toContain("50000 rows");
    figures["rows50000"] = await measure("50000");
  }, 180_000);
});

function round(x: number): number {
  return Number(x.toFixed(1));
}
