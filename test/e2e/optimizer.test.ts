/**
 * The playground's optimizer controls in headless Chromium (issue 13, item 5): choose adam, an
 * L2 penalty and a cosine schedule with warm-up, train the run to its end, open "Link to this
 * run" in a fresh page, train it again: the same numbers to the last bit (the full float64 in
 * each figure's data-value, and the exported model file), equal to the library's Session in
 * Node. A bad value shows the library's message beside its control and changes nothing; the
 * default run's link is the one it was before these controls existed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { ACTION_TIMEOUT, openPlayground, type Playground } from "./browser.js";
import { Session } from "../../web/src/lib/session.js";
import { decodeSettings, type Settings } from "../../web/src/lib/settings.js";

const RUN_TIMEOUT = 60_000;
/** The default run's query, as links made before the optimizer's controls have it. */
const DEFAULT_QUERY =
  "?data=moons&noise=0.1&n=400&k=2&test=0.3&h=16&act=tanh&init=xavier&lr=0.3&b=16&seed=0";

let pg: Playground;
let page: Page;
const contexts: BrowserContext[] = [];
const errors: string[] = [];

/** Types `value` into the input and commits it (the change event, as leaving the field does). */
async function enter(p: Page, selector: string, value: string): Promise<void> {
  await p.fill(selector, value);
  await p.dispatchEvent(selector, "change");
}

/** The figures a run shows: the rounded text and the full float64 behind each. */
async function figures(p: Page): Promise<Record<string, string | null>> {
  const out: Record<string, string | null> = {};
  for (const id of ["epoch", "steps", "train-accuracy", "test-accuracy"])
    out[id] = (await p.textContent(`#${id}`))?.trim() ?? null;
  for (const id of ["train-loss", "test-loss", "l2-penalty", "current-lr"]) {
    out[id] = (await p.textContent(`#${id}`))?.trim() ?? null;
    out[`${id} (full)`] = await p.getAttribute(`#${id}`, "data-value");
  }
  return out;
}

/** Plays the run to its end (it has a length) and waits for the page to say so. */
async function playToTheEnd(p: Page): Promise<void> {
  await p.click("#play");
  await expect
    .poll(() => p.textContent("#run-status"), { timeout: RUN_TIMEOUT, interval: 200 })
    .toMatch(/^Run complete/);
  await expect.poll(() => p.getAttribute("body", "data-state")).toBe("paused");
}

/** The model file the page exports now. */
async function exportedModel(p: Page): Promise<string> {
  const [file] = await Promise.all([p.waitForEvent("download"), p.click("#export-model")]);
  const stream = await file.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** A fresh browser context (no state shared with the first page) opened at `url`. */
async function freshPage(url: string): Promise<Page> {
  const context = await pg.browser.newContext({ acceptDownloads: true });
  context.setDefaultTimeout(ACTION_TIMEOUT);
  contexts.push(context);
  const p = await context.newPage();
  p.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
  p.on("console", (message) => {
    if (message.type() === "error") errors.push(`console: ${message.text()}`);
  });
  await p.goto(url, { waitUntil: "load" });
  return p;
}

/** What the library's Session in Node shows after the whole run of `settings`. */
function nodeRun(settings: Settings): { loss: number; testLoss: number; penalty: number } {
  const session = new Session(settings);
  session.run(() => false); // to the run's end
  const last = session.snapshot(false).history.at(-1)!;
  return { loss: last.loss, testLoss: last.testLoss, penalty: last.penalty };
}

beforeAll(async () => {
  pg = await openPlayground();
  page = pg.page;
}, 60_000);

afterAll(async () => {
  for (const context of contexts) await context.close();
  await pg?.close();
});

describe("the optimizer's controls in Chromium", () => {
  it("keep the default run's link as it was, and label every control", async () => {
    await expect.poll(() => page.getAttribute("#share-link", "href")).toBe(DEFAULT_QUERY);
    expect(new URL(page.url()).search).toBe(DEFAULT_QUERY);
    for (const id of ["optimizer", "schedule", "l2", "epochs", "warmup", "clip-norm"]) {
      const control = page.getByLabel(await page.locator(`label[for="${id}"]`).innerText(), {
        exact: true,
      });
      expect(await control.getAttribute("id"), id).toBe(id);
      expect(await control.isVisible(), id).toBe(true);
    }
    // sgd: no momentum or Adam fields; constant: no decay fields; no η_t and no penalty shown
    for (const id of ["momentum", "beta1", "decay-rate", "lr-min"])
      expect(await page.isVisible(`#${id}`), id).toBe(false);
    expect(await page.isVisible("#current-lr")).toBe(false);
    expect(await page.textContent("#train-loss-label")).toBe("Train loss");
  });

  it("show a bad value's message beside its control and keep the run as it was", async () => {
    await page.selectOption("#optimizer", "momentum");
    expect(await page.isVisible("#momentum")).toBe(true);
    expect(await page.isVisible("#beta1")).toBe(false);
    const momentumLink = `${DEFAULT_QUERY}&optimizer=momentum`;
    await expect.poll(() => page.getAttribute("#share-link", "href")).toBe(momentumLink);
    await enter(page, "#momentum", "1");
    await expect
      .poll(() => page.textContent("#momentum-error"))
      .toBe("momentum μ must be a number in [0, 1), got 1");
    expect(await page.getAttribute("#momentum", "aria-invalid")).toBe("true");
    expect(await page.getAttribute("#momentum-error", "role")).toBe("alert");
    expect(await page.getAttribute("#share-link", "href")).toBe(momentumLink); // not applied
    await enter(page, "#l2", "-1");
    await expect
      .poll(() => page.textContent("#l2-error"))
      .toBe("the L2 penalty λ must be a finite number ≥ 0, got -1");
    await pg.screenshot("10-optimizer-bad-values");
    // Fixed: the messages go and the settings apply.
    await enter(page, "#momentum", "0.5");
    await enter(page, "#l2", "0");
    await expect.poll(() => page.textContent("#momentum-error")).toBe("");
    expect(await page.getAttribute("#momentum", "aria-invalid")).toBeNull();
    await expect
      .poll(() => page.getAttribute("#share-link", "href"))
      .toBe(`${momentumLink}&momentum=0.5`);
    // A warm-up longer than the run: the worker's Trainer says so before Play.
    await enter(page, "#epochs", "2");
    await enter(page, "#warmup", "100");
    await expect
      .poll(() => page.textContent("#settings-error"))
      .toBe("the warm-up (100 steps) is longer than the run (36 steps)");
    await enter(page, "#warmup", "0");
    await expect.poll(() => page.textContent("#settings-error")).toBe("");
  });

  let link = "";
  let first: Record<string, string | null> = {};
  let firstModel = "";

  it(
    "train adam with an L2 penalty and a cosine schedule to the run's end",
    async () => {
      await page.selectOption("#optimizer", "adam");
      expect(await page.isVisible("#beta1")).toBe(true);
      expect(await page.isVisible("#momentum")).toBe(false);
      await enter(page, "#epochs", "");
      await enter(page, "#l2", "0.001");
      await page.selectOption("#schedule", "cosine");
      // a cosine schedule anneals over the run: it gets a length when it has none
      await expect.poll(() => page.inputValue("#epochs")).toBe("100");
      await enter(page, "#epochs", "4");
      await enter(page, "#warmup", "10");
      await enter(page, "#learning-rate", "0.05");
      await expect
        .poll(() => page.getAttribute("#share-link", "href"))
        .toBe(
          DEFAULT_QUERY.replace("lr=0.3", "lr=0.05") +
            "&optimizer=adam&l2=0.001&schedule=cosine&warmup=10&epochs=4",
        );
      expect(await page.textContent("#train-loss-label")).toBe("Train loss (with L2 penalty)");
      expect(await page.isVisible("#l2-penalty")).toBe(true);
      expect(await page.isVisible("#current-lr")).toBe(true);
      expect(await page.isVisible("#curves-l2-note")).toBe(true);
      await playToTheEnd(page);
      first = await figures(page);
      expect(first["steps"]).toBe("72"); // 4 epochs of ⌈280/16⌉ = 18 steps
      expect(first["epoch"]).toBe("4");
      expect(Number(first["l2-penalty (full)"])).toBeGreaterThan(0);
      // η of the last step: the cosine's end, near η_min = 0 but above it
      const lastRate = Number(first["current-lr (full)"]);
      expect(lastRate).toBeGreaterThan(0);
      expect(lastRate).toBeLessThan(0.05 / 100);
      firstModel = await exportedModel(page);
      link = new URL((await page.getAttribute("#share-link", "href"))!, page.url()).href;
      await pg.screenshot("11-optimizer-adam-cosine");

      // The library in Node, from the link's settings, to the same bits.
      const node = nodeRun(decodeSettings(new URL(link).search));
      expect(first["train-loss (full)"]).toBe(String(node.loss));
      expect(first["test-loss (full)"]).toBe(String(node.testLoss));
      expect(first["l2-penalty (full)"]).toBe(String(node.penalty));
    },
    RUN_TIMEOUT + 30_000,
  );

  it(
    "reproduce the run bit for bit from its link in a fresh page",
    async () => {
      const again = await freshPage(link);
      expect(await again.inputValue("#optimizer")).toBe("adam");
      expect(await again.inputValue("#l2")).toBe("0.001");
      expect(await again.inputValue("#schedule")).toBe("cosine");
      expect(await again.inputValue("#epochs")).toBe("4");
      expect(await again.inputValue("#warmup")).toBe("10");
      expect(await again.inputValue("#learning-rate")).toBe("0.05");
      expect(await again.inputValue("#beta1")).toBe("0.9");
      expect(await again.inputValue("#clip-norm")).toBe("");
      await playToTheEnd(again);
      expect(await figures(again)).toEqual(first);
      expect(await exportedModel(again)).toBe(firstModel);
      // Step after the end: the library's message, nothing breaks
      await again.click("#step");
      await expect
        .poll(() => again.textContent("#train-error"))
        .toBe("train: the run is complete (4 epochs)");
    },
    RUN_TIMEOUT + 30_000,
  );

  it("leave the default run's numbers as they were (the library's in Node)", async () => {
    const plain = await freshPage(new URL(DEFAULT_QUERY, page.url()).href);
    for (let i = 0; i < 18; i++) await plain.click("#step"); // one epoch: a new record
    await expect.poll(() => plain.textContent("#steps")).toBe("18");
    await expect.poll(() => plain.textContent("#epoch")).toBe("1");
    const session = new Session(decodeSettings(DEFAULT_QUERY));
    session.run(() => session.steps >= 18);
    const last = session.snapshot(false).history.at(-1)!;
    expect(await plain.getAttribute("#train-loss", "data-value")).toBe(String(last.loss));
    expect(await plain.getAttribute("#test-loss", "data-value")).toBe(String(last.testLoss));
    expect(await plain.textContent("#train-loss-label")).toBe("Train loss");
    expect(await plain.isVisible("#current-lr")).toBe(false);
  });

  it("threw nothing and logged no error", () => {
    expect([...pg.errors, ...errors]).toEqual([]);
  });
});
