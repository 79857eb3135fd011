/**
 * Backprop, step by step (issue 15, part 2) and the diagram's edits (part 1) in headless
 * Chromium: the step-through's gradients equal `handgrad grad` on the page's exported model
 * and rows bit for bit (handgrad's own exp and log1p give the same bits in Chromium as in
 * Node; the counts are recorded in test-results/backprop-vs-cli.json); the keys and buttons
 * walk the steps with the equation announced; an entry highlights its sources; a gradient
 * entry is checked by central differences; the update is the run's optimizer's (adam with a
 * clip, momentum): the walk of the next batch equals, bit for bit, the model after the
 * Trainer's own Step; on a phone (390×844) no step scrolls the page sideways, wide matrices
 * scroll in their own (focusable) box and Next stays in reach; an edited weight changes the
 * boundary and the loss as `forward` says. Screenshots: test-results/screenshots/15-backprop-*.png.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Download, Page } from "playwright-core";
import { gatherRows, matrix } from "../../src/linalg/index.js";
import { lossAt } from "../../src/nn/index.js";
import { splitIndices } from "../../src/data/index.js";
import { streamSeed } from "../../src/rng.js";
import { handgrad } from "../cli/run.js";
import {
  ACTION_TIMEOUT,
  comparePngs,
  openPlayground,
  RESULTS,
  SCREENSHOTS,
  type Playground,
} from "./browser.js";

let pg: Playground;
const contexts: BrowserContext[] = [];
const work = mkdtempSync(join(tmpdir(), "handgrad-backprop-"));
const figures: Record<string, unknown> = {};

beforeAll(async () => {
  pg = await openPlayground("?h=3&seed=5&b=4");
  for (let i = 0; i < 100 && !/rows/.test((await pg.page.textContent("#data-source")) ?? ""); i++)
    await pg.page.waitForTimeout(100);
}, 60_000);

afterAll(async () => {
  writeFileSync(join(RESULTS, "backprop-vs-cli.json"), `${JSON.stringify(figures, null, 2)}\n`);
  for (const context of contexts) await context.close();
  await pg?.close();
  rmSync(work, { recursive: true, force: true });
});

const textOf = async (page: Page, selector: string): Promise<string> =>
  ((await page.textContent(selector)) ?? "").trim();
const stepsOf = (page: Page): Promise<number> =>
  page.evaluate(
    () => (window as unknown as { __playgroundStats: { steps: number } }).__playgroundStats.steps,
  );

async function saved(download: Download, name: string): Promise<string> {
  const path = join(work, name);
  await download.saveAs(path);
  return path;
}

/** The full-precision entries of the step-through's matrix `name`, row-major. */
function entries(page: Page, name: string): Promise<number[]> {
  return page.$$eval(`#walk-matrices td[data-name="${name}"]`, (cells) =>
    cells.map((c) => Number((c as HTMLElement).dataset["value"])),
  );
}

/** Goes to step `index` (from 0) with the → and ← keys. */
async function goTo(page: Page, index: number): Promise<void> {
  await page.locator("#walk-heading").click(); // focus out of any input
  for (let i = 0; i < 20; i++) {
    const at = Number(await page.getAttribute("#walk-equation", "data-step"));
    if (at === index) return;
    await page.keyboard.press(at < index ? "ArrowRight" : "ArrowLeft");
  }
  throw new Error(`could not reach step ${index}`);
}

describe("Step through backprop", () => {
  it("shows every gradient as `handgrad grad` computes it on the same model and rows", async () => {
    const { page } = pg;
    await page.click("#play");
    await page.waitForTimeout(300);
    await page.fill("#walk-rows", "3, 150, 17, 42, 8");
    await page.getByRole("button", { name: "Step through backprop" }).click();
    await expect.poll(() => page.isVisible("#walk")).toBe(true);
    // It froze training.
    await expect.poll(() => page.getAttribute("body", "data-state")).toBe("paused");
    const steps = await stepsOf(page);
    await page.waitForTimeout(300);
    expect(await stepsOf(page)).toBe(steps);
    await expect.poll(() => textOf(page, "#walk-batch")).toContain(`at the run's step ${steps}`);
    expect(await textOf(page, "#walk-batch")).toContain("row 150");

    const [modelFile, rowsFile] = await Promise.all([
      page.waitForEvent("download", (d) => d.suggestedFilename() === "handgrad-model.json"),
      page.waitForEvent("download", (d) => d.suggestedFilename() === "handgrad-rows.csv"),
      page.click("#walk-export"),
    ]);
    const model = await saved(modelFile, "model.json");
    const rows = await saved(rowsFile, "rows.csv");
    expect(readFileSync(rows, "utf8").trim().split("\n")).toHaveLength(6);
    const result = handgrad(["grad", "--model", model, "--data", rows, "--json"]);
    expect(result.code, result.stderr).toBe(0);
    const cli = JSON.parse(result.stdout) as {
      loss: number;
      grads: { W1: number[][]; b1: number[]; W2: number[][]; b2: number[] };
    };

    const seen: Record<string, number[]> = {};
    await goTo(page, 4); // L
    seen["L"] = await entries(page, "L");
    for (const [index, name] of [
      [6, "dW2"],
      [7, "db2"],
      [11, "dW1"],
      [12, "db1"],
    ] as const) {
      await goTo(page, index);
      seen[name] = await entries(page, name);
    }
    // The page runs the library's code in Chromium, the CLI in Node: σ and the loss use
    // handgrad's own exp and log1p, not Math.exp and Math.log1p (which differ between the two
    // engines in the last bit for some inputs: test/e2e/cross-engine.test.ts), so every entry
    // is the CLI's, bit for bit.
    const expected: Record<string, number[]> = {
      L: [cli.loss],
      dW1: cli.grads.W1.flat(),
      db1: cli.grads.b1,
      dW2: cli.grads.W2.flat(),
      db2: cli.grads.b2,
    };
    let identical = 0;
    let total = 0;
    for (const [name, want] of Object.entries(expected)) {
      const got = seen[name]!;
      expect(got, name).toHaveLength(want.length);
      got.forEach((g, i) => {
        total++;
        if (Object.is(g, want[i])) identical++;
        expect(Object.is(g, want[i]), `${name}[${i}]: ${g} vs the CLI's ${want[i]}`).toBe(true);
      });
    }
    figures["entries"] = total;
    figures["bitIdenticalToCli"] = identical;
    expect(identical).toBe(total);
    expect(seen["dW1"]).toHaveLength(2 * 3);
    // The update step shows the same gradients again, beside θ and θ − η ∂L/∂θ.
    await goTo(page, 13);
    expect(await entries(page, "dW1")).toEqual(seen["dW1"]);
  });

  it("walks 14 steps by keys and buttons, announcing each equation (screenshots 15-backprop-*)", async () => {
    const { page } = pg;
    await goTo(page, 0);
    expect(await page.getAttribute("#walk-equation", "aria-live")).toBe("polite");
    expect(await textOf(page, "#walk-position")).toBe("Step 1 of 14: forward pass");
    expect(await textOf(page, "#walk-equation")).toContain("z1 = X W1 + b1");
    expect(await page.isDisabled("#walk-prev")).toBe(true);
    const equations: string[] = [];
    for (let i = 0; i < 14; i++) {
      equations.push(await textOf(page, "#walk-equation pre.formula"));
      if (i === 0 || i === 4 || i === 10 || i === 13) {
        await page.locator("#walk").scrollIntoViewIfNeeded();
        await page.screenshot({ path: join(SCREENSHOTS, `15-backprop-step-${i + 1}.png`) });
      }
      if (i < 13) await page.click("#walk-next");
    }
    expect(await page.isDisabled("#walk-next")).toBe(true);
    expect(equations.map((e) => e.split(/\s{2,}/)[0])).toEqual([
      "z1 = X W1 + b1",
      "a1 = f(z1)",
      "z2 = a1 W2 + b2",
      "p",
      "L = (1/N) Σ_n ℓ(z2_n, y_n)",
      "δ2 = (p − y) / N",
      "∂L/∂W2 = a1ᵀ δ2",
      "∂L/∂b2 = 1_Nᵀ δ2",
      "∂L/∂a1 = δ2 W2ᵀ",
      "f′(z1)",
      "δ1 = (δ2 W2ᵀ) ⊙ f′(z1)",
      "∂L/∂W1 = Xᵀ δ1",
      "∂L/∂b1 = 1_Nᵀ δ1",
      "θ ← θ − η ∂L/∂θ",
    ]);
    await page.locator("#walk-heading").click();
    await page.keyboard.press("ArrowLeft");
    expect(await textOf(page, "#walk-position")).toBe("Step 13 of 14: backward pass");
  });

  it("highlights an entry and the entries it was computed from, and checks a gradient entry", async () => {
    const { page } = pg;
    await goTo(page, 0);
    // z1[1][2] ← row 1 of X, column 2 of W1, b1[2]
    await page.hover('#walk-matrices td[data-name="z1"][data-r="1"][data-c="2"]');
    const sources = await page.$$eval("#walk-matrices td.source", (cells) =>
      cells.map((c) => {
        const d = (c as HTMLElement).dataset;
        return `${d["name"]}[${d["r"]}][${d["c"]}]`;
      }),
    );
    expect(sources.sort()).toEqual(["W1[0][2]", "W1[1][2]", "X[1][0]", "X[1][1]", "b1[0][2]"]);
    expect(await textOf(page, "#walk-entry")).toContain("z1[1][2] = ");
    await page.screenshot({ path: join(SCREENSHOTS, "15-backprop-sources.png") });

    // The keyboard: focus a gradient entry of ∂L/∂W1, move with the arrows, check it.
    await goTo(page, 11);
    await page.focus('#walk-matrices td[data-name="dW1"][data-r="0"][data-c="0"]');
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowRight");
    expect(
      await page.evaluate(() => {
        const d = (document.activeElement as HTMLElement).dataset;
        return `${d["name"]}[${d["r"]}][${d["c"]}]`;
      }),
    ).toBe("dW1[1][1]");
    expect(await textOf(page, "#walk-position")).toBe("Step 12 of 14: backward pass"); // the arrows stayed in the matrix
    await page.click("#walk-check");
    const result = page.locator("#walk-check-result");
    await expect.poll(() => result.getAttribute("data-estimate")).not.toBeNull();
    const estimate = Number(await result.getAttribute("data-estimate"));
    const gradient = Number(await result.getAttribute("data-gradient"));
    expect(Math.abs(estimate - gradient)).toBeLessThanOrEqual(1e-7 * (Math.abs(gradient) + 1e-4));
    expect(await textOf(page, "#walk-check-result")).toContain("Central difference");
    await page.locator("#walk").scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, "15-backprop-check.png") });
  });

  it("takes rows clicked on the boundary, drawn, or the last batch", async () => {
    const { page } = pg;
    // Step once: the batch size is 4, so the last batch can be walked.
    await page.click("#step");
    await page.click("#walk-last");
    await expect.poll(() => textOf(page, "#walk-batch")).toMatch(/^The last batch of 4 rows/);
    await page.click("#walk-draw");
    await expect.poll(() => textOf(page, "#walk-batch")).toMatch(/^A batch drawn at random of 4/);
    // A click on a point: the canvas's nearest point joins the rows.
    await page.fill("#walk-rows", "");
    await page.locator("#boundary").scrollIntoViewIfNeeded();
    const box = (await page.locator("#boundary").boundingBox())!;
    let added = "";
    for (let i = 0; i < 400 && added === ""; i++) {
      // a grid over the plot until a click lands on a point
      await page.mouse.click(
        box.x + 50 + (i % 20) * ((box.width - 60) / 20),
        box.y + 10 + Math.floor(i / 20) * ((box.height - 50) / 20),
      );
      added = await page.inputValue("#walk-rows");
    }
    expect(added).toMatch(/^\d+$/);
    await page.getByRole("button", { name: "Step through backprop" }).click();
    await expect.poll(() => textOf(page, "#walk-batch")).toContain(`row ${added}`);
    // Nine rows are refused. A late reply to the walk above (or new points) may clear the
    // page's messages, so the rows are typed again until the refusal shows.
    await expect
      .poll(
        async () => {
          await page.fill("#walk-rows", "1, 2, 3, 4, 5, 6, 7, 8, 9");
          await page.getByRole("button", { name: "Step through backprop" }).click();
          return textOf(page, "#walk-error");
        },
        { timeout: 15_000 },
      )
      .toBe("at most 8 rows, got 9");
  });
});

/** A page in a fresh context of this size, opened at `query`, its data loaded. */
async function openAt(
  query: string,
  viewport = { width: 1280, height: 1000 },
  deviceScaleFactor = 1,
): Promise<Page> {
  const context = await pg.browser.newContext({
    viewport,
    deviceScaleFactor,
    acceptDownloads: true,
  });
  context.setDefaultTimeout(ACTION_TIMEOUT);
  contexts.push(context);
  const page = await context.newPage();
  page.on("pageerror", (error) => pg.errors.push(`pageerror: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") pg.errors.push(`console: ${message.text()}`);
  });
  await page.goto(`${pg.server.url}${query}`, { waitUntil: "load" });
  await expect.poll(() => textOf(page, "#data-source")).toMatch(/rows/);
  return page;
}

/** The model file the page exports now. */
async function exportedModel(
  page: Page,
  name: string,
): Promise<Record<string, number[][] | number[]>> {
  const [file] = await Promise.all([
    page.waitForEvent("download", (d) => d.suggestedFilename() === "handgrad-model.json"),
    page.click("#export-model"),
  ]);
  return JSON.parse(readFileSync(await saved(file, name), "utf8")) as Record<
    string,
    number[][] | number[]
  >;
}

describe("the update follows the run's optimizer (issue 15)", () => {
  const runs: [string, string, string[]][] = [
    [
      "adam with L2, a clip and a cosine schedule with warm-up",
      "?h=3&seed=5&b=4&optimizer=adam&l2=0.001&clip-norm=0.1&schedule=cosine&epochs=3&warmup=3",
      [
        "g = (c/‖g‖) ∂L_λ/∂θ if ‖g‖ > c, else ∂L_λ/∂θ", // λ = 0.001: the penalised loss L_λ
        "m ← β1 m + (1 − β1) g",
        "v ← β2 v + (1 − β2) g²",
        "m̂ = m / (1 − β1ᵗ), v̂ = v / (1 − β2ᵗ)",
        "θ ← θ − η m̂ / (√v̂ + ε)",
      ],
    ],
    [
      "momentum on a step schedule",
      "?h=3&seed=5&b=4&optimizer=momentum&momentum=0.8&schedule=step&decay-every=1&decay-rate=0.5",
      ["v ← μ v + ∂L/∂θ", "θ ← θ − η v"],
    ],
  ];
  for (const [name, query, equations] of runs) {
    it(`${name}: the walk of the next batch, then Step, give the same parameters bit for bit`, async () => {
      const page = await openAt(query);
      for (let i = 1; i <= 3; i++) {
        await page.click("#step");
        await expect.poll(() => stepsOf(page)).toBe(i);
      }
      await page.click("#walk-next-batch");
      await expect.poll(() => textOf(page, "#walk-batch")).toMatch(/^The next batch of 4 rows/);
      expect(await textOf(page, "#walk-batch")).toContain("its step 4");
      const steps = 13 + equations.length;
      await goTo(page, steps - 1);
      expect(await textOf(page, "#walk-position")).toBe(`Step ${steps} of ${steps}: the update`);
      const shown: string[] = [];
      for (let i = 13; i < steps; i++) {
        await goTo(page, i);
        shown.push((await textOf(page, "#walk-equation pre.formula")).split(/\s{2,}/)[0]!);
        if (name.startsWith("adam"))
          await page
            .locator("#walk")
            .screenshot({ path: join(SCREENSHOTS, `15-backprop-adam-${i + 1}.png`) });
      }
      expect(shown).toEqual(equations);
      const walked = {
        W1: await entries(page, "W1new"),
        b1: await entries(page, "b1new"),
        W2: await entries(page, "W2new"),
        b2: await entries(page, "b2new"),
      };
      expect(walked.W1).toHaveLength(2 * 3);
      await page.click("#step");
      await expect.poll(() => stepsOf(page)).toBe(4);
      const model = await exportedModel(page, `after-${name.split(" ")[0]}.json`);
      // The Trainer's own step (the fast stepper, WebAssembly) gives the walk's numbers (the
      // plain path), in the same JavaScript engine: equal to the last bit.
      expect((model["W1"] as number[][]).flat()).toEqual(walked.W1);
      expect(model["b1"]).toEqual(walked.b1);
      expect((model["W2"] as number[][]).flat()).toEqual(walked.W2);
      expect(model["b2"]).toEqual(walked.b2);
      // After the step the walk follows the next batch: the run's step 5.
      await expect.poll(() => textOf(page, "#walk-batch")).toContain("its step 5");
    });
  }
});

describe("the step-through on a phone (390×844)", () => {
  it("never scrolls the page sideways, at any step; wide matrices scroll in their own box (screenshot 15-backprop-phone)", async () => {
    const page = await openAt(
      "?seed=5&b=4&optimizer=adam&clip-norm=0.1",
      { width: 390, height: 844 },
      2,
    );
    await page.click("#step");
    await expect.poll(() => stepsOf(page)).toBe(1);
    await page.fill("#walk-rows", "3, 150, 17, 42, 8, 9, 10, 11");
    await page.getByRole("button", { name: "Step through backprop" }).click();
    await expect.poll(() => textOf(page, "#walk-position")).toBe("Step 1 of 18: forward pass");
    let scrolling = 0;
    for (let i = 0; i < 18; i++) {
      const layout = await page.evaluate(() => {
        const s = document.scrollingElement ?? document.documentElement;
        const boxes = [
          ...document.querySelectorAll<HTMLElement>(
            "#walk-matrices figure.matrix, #walk-equation pre",
          ),
        ];
        return {
          scrollWidth: s.scrollWidth,
          clientWidth: s.clientWidth,
          // Every box wider than itself is a Tab stop (the keyboard can scroll it).
          unreachable: boxes.filter((b) => b.scrollWidth > b.clientWidth && b.tabIndex < 0).length,
          scrolling: boxes.filter((b) => b.scrollWidth > b.clientWidth).length,
        };
      });
      expect(layout.scrollWidth, `step ${i + 1}`).toBeLessThanOrEqual(layout.clientWidth);
      expect(layout.clientWidth).toBe(390);
      expect(layout.unreachable, `step ${i + 1}`).toBe(0);
      scrolling += layout.scrolling;
      // Next stays on screen (sticky) at the bottom of a long step, and takes the tap.
      await page.$eval("#walk-matrices > :last-child", (e) => e.scrollIntoView({ block: "end" }));
      const next = (await page.locator("#walk-next").boundingBox())!;
      expect(next.x).toBeGreaterThanOrEqual(0);
      expect(next.x + next.width).toBeLessThanOrEqual(390);
      if (i === 0) {
        await page.locator("#walk").scrollIntoViewIfNeeded();
        await page.screenshot({ path: join(SCREENSHOTS, "15-backprop-phone.png") });
      }
      if (i === 16)
        await page.screenshot({ path: join(SCREENSHOTS, "15-backprop-phone-adam.png") });
      if (i < 17) {
        expect(next.y).toBeGreaterThanOrEqual(0);
        expect(next.y + next.height).toBeLessThanOrEqual(844);
        await page.mouse.click(next.x + next.width / 2, next.y + next.height / 2);
        await expect
          .poll(() => page.getAttribute("#walk-equation", "data-step"))
          .toBe(String(i + 1));
      }
    }
    expect(scrolling).toBeGreaterThan(0); // H = 16: z1 (8×16) and the others are wider than the phone
    // The keyboard scrolls a wide matrix: its entries, by the arrow keys.
    await goTo(page, 0);
    const first = page.locator('#walk-matrices td[data-name="z1"][data-r="0"][data-c="0"]');
    await first.focus();
    for (let c = 0; c < 15; c++) await page.keyboard.press("ArrowRight");
    const scrolled = await page.$eval(
      '#walk-matrices td[data-name="z1"][data-r="0"][data-c="15"]',
      (td) => ({
        focused: document.activeElement === td,
        scrollLeft: td.closest("figure")!.scrollLeft,
      }),
    );
    expect(scrolled.focused).toBe(true);
    expect(scrolled.scrollLeft).toBeGreaterThan(0);
  }, 90_000);
});

describe("an edited weight (issue 15, part 1)", () => {
  it("changes the boundary and the loss as forward says; biases are editable too", async () => {
    const { page } = pg;
    await page.fill("#walk-rows", "");
    const before = await page.locator("#boundary").screenshot();
    const edge = page.locator('svg.diagram .edge[data-param="W2"][data-index="1"]');
    await edge.focus();
    const numbers = page.locator("#edge-numbers");
    await expect.poll(() => numbers.getAttribute("data-batch")).toBe("last");
    expect(await numbers.textContent()).toMatch(
      /on the last batch \(the 4 rows of step \d+: data rows/,
    );
    await page.fill("#weight-value", "-4");
    await page.click("#set-weight");
    await expect.poll(() => numbers.getAttribute("data-value")).toBe("-4");
    await page.waitForTimeout(300);
    const after = await page.locator("#boundary").screenshot();
    expect((await comparePngs(pg.browser, before, after)).changedShare).toBeGreaterThan(0.01);

    // The loss the page shows at the edited weights is forward's on the training rows.
    const [modelFile, dataFile] = await Promise.all([
      page.waitForEvent("download", (d) => d.suggestedFilename() === "handgrad-model.json"),
      page.waitForEvent("download", (d) => d.suggestedFilename() === "handgrad-data.csv"),
      page.click("#export-model").then(() => page.click("#export-data")),
    ]);
    const model = JSON.parse(readFileSync(await saved(modelFile, "edited.json"), "utf8")) as {
      W1: number[][];
      b1: number[];
      W2: number[][];
      b2: number[];
    };
    expect(model.W2[1]![0]).toBe(-4);
    const lines = readFileSync(await saved(dataFile, "data.csv"), "utf8")
      .trim()
      .split("\n")
      .slice(1);
    const values = lines.map((l) => l.split(",").map(Number));
    const N = values.length;
    const X = matrix(N, 2, Float64Array.from(values.flatMap((v) => [v[0]!, v[1]!])));
    const y = matrix(N, 1, Float64Array.from(values.map((v) => v[2]!)));
    const testFraction = 0.3; // the page's default
    const m = Math.min(N - 1, Math.max(1, Math.round(N * testFraction)));
    const { train } = splitIndices(N, m / N, streamSeed(5, "split"));
    const params = {
      W1: matrix(2, 3, Float64Array.from(model.W1.flat())),
      b1: matrix(1, 3, Float64Array.from(model.b1)),
      W2: matrix(3, 1, Float64Array.from(model.W2.flat())),
      b2: matrix(1, 1, Float64Array.from(model.b2)),
    };
    const expected = lossAt(params, gatherRows(X, train), gatherRows(y, train), "tanh");
    // The same code as forward's, in Chromium: the same bits as in Node (handgrad's own exp and
    // log1p, test/e2e/cross-engine.test.ts).
    await expect
      .poll(async () => Number(await numbers.getAttribute("data-train-loss")))
      .toBe(expected);

    // The step-through shows the new weight too (W2 at step 1).
    await page.fill("#walk-rows", "0, 1");
    await page.getByRole("button", { name: "Step through backprop" }).click();
    await goTo(page, 2);
    await expect.poll(() => entries(page, "W2")).toEqual(model.W2.flat());

    // A unit: its bias can be set, and its pre-activation histogram shows.
    await page.focus('svg.diagram .unit[data-unit="0"]');
    await expect.poll(() => textOf(page, "#unit-detail")).toMatch(/pre-activation z1/);
    await page.fill("#weight-value", "0.75");
    await page.click("#set-weight");
    await expect.poll(() => numbers.getAttribute("data-value")).toBe("0.75");
    await page.locator("#diagram").scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, "15-unit-preactivation.png") });
    // An output's bias.
    await page.focus('svg.diagram .output-node[data-output="0"]');
    await expect.poll(() => textOf(page, "#edge-numbers")).toMatch(/^b2 of p: b = /);
    await page.fill("#weight-value", "0.5");
    await page.click("#set-weight");
    await expect.poll(() => numbers.getAttribute("data-value")).toBe("0.5");
  });

  it("threw nothing and logged no error", () => {
    expect(pg.errors).toEqual([]);
    expect(pg.foreignRequests).toEqual([]);
    writeFileSync(join(work, "done"), "");
  });
});
