/**
 * What a hostile review of the playground found (issue 15), each fixed and checked here in
 * headless Chromium:
 * - Pause followed by a command that leaves the run alone (hovering an edge, opening the
 *   step-through) left the page saying "Training…" with Play pressed.
 * - The numerics panel read an empty or unreadable logit (1e400 is Infinity in float64, which
 *   a number input reports as an empty value) as z = 0 and showed ln 2 for both losses.
 * - The network's and data's number fields moved a value into range (H = 0 → 1, η = 100 →
 *   10) without a word.
 * - The step-through stayed at step 0's numbers during Play, saying "paused", and exported the
 *   moved model; it left λ out of its entry lines and L's sources; its export hint left out the
 *   `--l2` that `grad` needs; its X was standardised without saying so; its labels read like
 *   entries of another matrix; on a phone an equation's shapes ran off its box.
 * - An imported model trained with the page's settings without saying so.
 * - The diagram gave relu's kink and a step below float spacing a bare "relative gap 1"; its
 *   link dropped weights set by hand silently, and a divergence they caused blamed η; sigmoid
 *   units' maps were one colour; a 1 px edge could hardly be hovered.
 * Each test is checked against independent truth: `handgrad grad` on the exported files, the
 * model file's mean and std, the entries shown, the sprite's pixels.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { handgrad } from "../cli/run.js";
import { openPageAt, openPlayground, type Playground } from "./browser.js";

let pg: Playground;
const contexts: BrowserContext[] = [];
const errors: string[] = [];
const work = mkdtempSync(join(tmpdir(), "handgrad-review-"));

const openAt = (query: string, viewport = { width: 1280, height: 800 }): Promise<Page> =>
  openPageAt(pg, query, { contexts, errors }, { viewport });

const textOf = async (page: Page, selector: string): Promise<string> =>
  ((await page.textContent(selector)) ?? "").trim();
const stepsOf = (page: Page): Promise<number> =>
  page.evaluate(
    () => (window as unknown as { __playgroundStats: { steps: number } }).__playgroundStats.steps,
  );

beforeAll(async () => {
  pg = await openPlayground();
}, 60_000);

afterAll(async () => {
  for (const context of contexts) await context.close();
  await pg?.close();
  rmSync(work, { recursive: true, force: true });
});

/** The full-precision entries of the step-through's matrix `name`, row-major. */
const entries = (page: Page, name: string): Promise<number[]> =>
  page.$$eval(`#walk-matrices td[data-name="${name}"]`, (cells) =>
    cells.map((c) => Number((c as HTMLElement).dataset["value"])),
  );

/** Clicks "Export model and rows" and saves both files under `tag`: their paths. */
async function exportWalk(page: Page, tag: string): Promise<{ model: string; rows: string }> {
  const [model, rows] = await Promise.all([
    page.waitForEvent("download", (d) => d.suggestedFilename() === "handgrad-model.json"),
    page.waitForEvent("download", (d) => d.suggestedFilename() === "handgrad-rows.csv"),
    page.click("#walk-export"),
  ]);
  const paths = { model: join(work, `${tag}-model.json`), rows: join(work, `${tag}-rows.csv`) };
  await model.saveAs(paths.model);
  await rows.saveAs(paths.rows);
  return paths;
}

/** Goes to step `index` (from 0) of the step-through with its buttons. */
async function walkTo(page: Page, index: number): Promise<void> {
  for (let i = 0; i < 30; i++) {
    const at = Number(await page.getAttribute("#walk-equation", "data-step"));
    if (at === index) return;
    await page.click(at < index ? "#walk-next" : "#walk-prev");
  }
  throw new Error(`could not reach step ${index}`);
}

describe("the review's findings stay fixed", () => {
  it("says Paused after Pause while an edge is selected or the step-through is open", async () => {
    // Both re-ask the worker after every snapshot (the edge's ∂L/∂w, the walk's numbers):
    // such a question after Pause's snapshot must not make the page wait for another.
    for (const before of ["select an edge", "open the step-through"]) {
      const page = await openAt("?h=4");
      if (before === "select an edge") {
        await page.locator('svg.diagram .edge[data-param="W2"]').first().focus();
        await expect.poll(() => page.getAttribute("#edge-numbers", "data-gradient")).not.toBeNull();
      } else {
        await page.getByRole("button", { name: "Step through backprop" }).click();
      }
      await page.click("#play");
      await expect.poll(() => stepsOf(page)).toBeGreaterThan(20);
      await page.click("#pause");
      await expect.poll(() => page.getAttribute("body", "data-state")).toBe("paused");
      await page.waitForTimeout(500); // the worker's answers to the questions arrive
      expect(await page.getAttribute("body", "data-state"), before).toBe("paused");
      expect(await page.getAttribute("#play", "aria-pressed"), before).toBe("false");
      expect(await page.getAttribute("#pause", "aria-pressed"), before).toBe("true");
      const steps = await stepsOf(page);
      await expect.poll(() => textOf(page, "#run-state")).toBe(`Paused at step ${steps}`);
    }
  });

  it("shows no loss, and says why, for an empty or unreadable logit", async () => {
    const page = await openAt("");
    const logit = page.locator("#logit");
    await page.selectOption("#logit-label", "1");
    await logit.fill("2");
    // y = 1: the loss is log(1 + e^{−z})
    await expect
      .poll(async () => Number(await textOf(page, "#stable-loss")))
      .toBeCloseTo(Math.log(1 + Math.exp(-2)), 14);
    expect(await textOf(page, "#logit-error")).toBe("");
    for (const typed of ["", "1e400", "-1e400"]) {
      await logit.fill(typed);
      await expect.poll(() => textOf(page, "#stable-loss")).toBe("—");
      expect(await textOf(page, "#naive-loss"), typed).toBe("—");
      expect(await textOf(page, "#logit-error"), typed).toMatch(/finite logit/);
    }
    await logit.fill("-3");
    await expect.poll(() => textOf(page, "#logit-error")).toBe("");
    expect(Number(await textOf(page, "#stable-loss"))).toBeCloseTo(Math.log(1 + Math.exp(3)), 13);
  });

  it("says which typed values it moved into range, and to what", async () => {
    const page = await openAt("");
    await page.fill("#hidden", "0");
    await page.dispatchEvent("#hidden", "change");
    await expect
      .poll(() => textOf(page, "#settings-note"))
      .toMatch(/Hidden units H: 0 is outside 1 to 256; using 1/);
    expect(await page.inputValue("#hidden")).toBe("1");
    await page.fill("#learning-rate", "100");
    await page.dispatchEvent("#learning-rate", "change");
    await expect
      .poll(() => textOf(page, "#settings-note"))
      .toMatch(/Learning rate η: 100 is outside 0\.0001 to 10; using 10/);
    await page.fill("#hidden", "3");
    await page.dispatchEvent("#hidden", "change");
    await expect.poll(() => textOf(page, "#settings-note")).toBe("");
  });

  it("marks the step-through stale while training runs, and exports the model it shows", async () => {
    const page = await openAt("?h=4");
    await page.fill("#walk-rows", "1, 2, 3");
    await page.getByRole("button", { name: "Step through backprop" }).click();
    await expect.poll(() => textOf(page, "#walk-status")).toMatch(/^Training is paused at step 0/);
    const W1 = await entries(page, "W1");
    await page.click("#play");
    await expect.poll(() => stepsOf(page)).toBeGreaterThan(50);
    expect(await page.getAttribute("#walk", "data-stale")).toBe("true");
    expect(await textOf(page, "#walk-status")).toMatch(
      /^Training is running: these are the numbers at step 0, which the run has moved past/,
    );
    // The export while training is of the model the walk shows, not of the moving run.
    const exported = await exportWalk(page, "stale");
    const model = JSON.parse(readFileSync(exported.model, "utf8")) as { W1: number[][] };
    expect(model.W1.flat()).toEqual(W1);
    await page.click("#pause");
    await expect.poll(() => page.getAttribute("#walk", "data-stale")).toBe("false");
    const steps = await stepsOf(page);
    expect(await textOf(page, "#walk-status")).toBe(
      `Training is paused at step ${steps}: these are the numbers of the run's model now.`,
    );
    expect(await textOf(page, "#walk-batch")).toContain(`at the run's step ${steps}`);
    expect(await entries(page, "W1")).not.toEqual(W1);
  });

  it("shows the `handgrad grad` command with --l2 that gives the walk's loss, and what an import trains with", async () => {
    const page = await openAt("?act=relu&l2=0.01");
    await page.fill("#walk-rows", "3, 17, 42, 100");
    await page.getByRole("button", { name: "Step through backprop" }).click();
    await expect
      .poll(() => textOf(page, "#walk-command code"))
      .toBe("handgrad grad --model handgrad-model.json --data handgrad-rows.csv --l2 0.01");
    await walkTo(page, 4);
    const [L] = await entries(page, "L");
    const files = await exportWalk(page, "l2");
    const command = (await textOf(page, "#walk-command code")).split(" ").slice(1);
    const args = command.map((a) =>
      a === "handgrad-model.json" ? files.model : a === "handgrad-rows.csv" ? files.rows : a,
    );
    const shown = handgrad(args);
    expect(shown.code, shown.stderr).toBe(0);
    const loss = (JSON.parse(shown.stdout) as { loss: number }).loss;
    expect(Math.abs(loss - L!)).toBeLessThanOrEqual(1e-13 * Math.abs(L!));
    // Without --l2, grad leaves the penalty out (the model's training.l2 is not read).
    const bare = handgrad(["grad", "--model", files.model, "--data", files.rows]);
    expect((JSON.parse(bare.stdout) as { loss: number }).loss).toBeLessThan(L! - 1e-3);

    // The page trains an imported model with its own λ and η, and says so.
    const other = await openAt("?act=relu");
    await other.setInputFiles("#model-file", files.model);
    await expect
      .poll(() => textOf(other, "#model-source"))
      .toContain("Training from l2-model.json");
    expect(await textOf(other, "#model-source")).toMatch(
      /records training with λ 0\.01; the page trains it with its own settings, λ 0\./,
    );
  });

  it("writes the L2 penalty into the step-through: L_λ with every weight, ∂L_λ/∂W with its λ W term", async () => {
    const page = await openAt("?act=relu&l2=0.01");
    await page.fill("#walk-rows", "3, 17, 42, 100");
    await page.getByRole("button", { name: "Step through backprop" }).click();
    await walkTo(page, 4);
    expect(await textOf(page, "#walk-matrices figure.computed figcaption")).toBe("L_λ  1×1");
    await page.hover('#walk-matrices td[data-name="L"]');
    const weights = await page.$$eval(
      '#walk-matrices td.source[data-name="W1"], #walk-matrices td.source[data-name="W2"]',
      (cells) => cells.length,
    );
    expect(weights).toBe(2 * 16 + 16); // every entry of W1 (2×16) and W2 (16×1)

    await walkTo(page, 6);
    expect(await textOf(page, "#walk-equation pre.entry")).toBe(
      "∂L_λ/∂W2_j = Σ_n δ2_n a1_{nj} + λ W2_j = (a1ᵀ δ2)_j + λ W2_j   (λ = 0.01)",
    );
    expect(await textOf(page, "#walk-matrices figure.computed figcaption")).toBe("∂L_λ/∂W2  16×1");
    await page.hover('#walk-matrices td[data-name="dW2"][data-r="3"][data-c="0"]');
    const said = await textOf(page, "#walk-entry");
    // Its two parts, against the entries shown: Σ_n a1_{n3} δ2_n, and λ W2_3.
    const [a1, dz2, W2] = await Promise.all(["a1", "dz2", "W2"].map((n) => entries(page, n)));
    const rows = dz2!.reduce((sum, d, n) => sum + a1![n * 16 + 3]! * d, 0);
    const penalty = 0.01 * W2![3]!;
    const match =
      /= (\S+) from the rows ([+−]) (\S+) from the penalty \(λ W2\[3\]\[0\] = 0\.01 × (\S+)\)/.exec(
        said,
      );
    expect(match, said).not.toBeNull();
    const [, fromRows, sign, fromPenalty, w] = match!;
    expect(Number(fromRows)).toBeCloseTo(rows, 3);
    expect((sign === "−" ? -1 : 1) * Number(fromPenalty)).toBeCloseTo(penalty, 5);
    expect(Number(w)).toBeCloseTo(W2![3]!, 3);
    expect(said).toMatch(/, computed from 4 entries of a1, 4 entries of δ2, W2\[3\]\[0\]\.$/);

    // Entries are named by their matrix's own symbol and indices.
    await walkTo(page, 8);
    await page.hover('#walk-matrices td[data-name="da1"][data-r="1"][data-c="7"]');
    expect(await textOf(page, "#walk-entry")).toMatch(
      /^∂L\/∂a1\[1\]\[7\] = \S+, computed from δ2\[1\]\[0\], W2\[7\]\[0\]\.$/,
    );
    await walkTo(page, 13);
    await page.hover('#walk-matrices td[data-name="W2new"][data-r="5"][data-c="0"]');
    expect(await textOf(page, "#walk-entry")).toMatch(/^W2\[5\]\[0\] after the step = /);
    expect(await textOf(page, "#walk")).not.toContain("`");
  });

  it("says the step-through's X is standardised for a CSV, and grad on its export gives its loss", async () => {
    const csv = join(work, "raw.csv");
    const lines = ["size,weight,label"];
    for (let i = 0; i < 40; i++) lines.push(`${100 + 3.7 * i},${(i * 37) % 23},${i % 2}`);
    writeFileSync(csv, `${lines.join("\n")}\n`);
    const page = await openAt("?h=4");
    await page.setInputFiles("#csv-file", csv);
    await expect.poll(() => textOf(page, "#data-source")).toMatch(/^raw\.csv: 40 rows/);
    await page.fill("#walk-rows", "0, 5, 9");
    await page.getByRole("button", { name: "Step through backprop" }).click();
    await expect
      .poll(() => textOf(page, "#walk-batch"))
      .toContain("X is standardised, (x − mean)/std");
    expect(await textOf(page, "#walk-matrices figure.matrix figcaption")).toBe(
      "X standardised: (x − mean)/std  3×2",
    );
    const X = await entries(page, "X");
    const files = await exportWalk(page, "csv");
    const model = JSON.parse(readFileSync(files.model, "utf8")) as {
      standardize: { mean: number[]; std: number[] };
    };
    const { mean, std } = model.standardize;
    [0, 5, 9].forEach((row, n) => {
      const raw = [100 + 3.7 * row, (row * 37) % 23];
      for (let d = 0; d < 2; d++)
        expect(X[n * 2 + d]).toBeCloseTo((raw[d]! - mean[d]!) / std[d]!, 12);
    });
    await walkTo(page, 4);
    const [L] = await entries(page, "L");
    const command = (await textOf(page, "#walk-command code")).split(" ").slice(1);
    const run = handgrad(
      command.map((a) =>
        a === "handgrad-model.json" ? files.model : a === "handgrad-rows.csv" ? files.rows : a,
      ),
    );
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { loss: number }).loss).toBeCloseTo(L!, 13);
  });

  it("says why the diagram shows no central difference at relu's kink, or below float spacing", async () => {
    const page = await openAt("?act=relu&h=4");
    const set = async (value: string): Promise<void> => {
      await page.fill("#weight-value", value);
      await page.click("#set-weight");
    };
    // h1's bias and both input weights 0: its z1 is 0 on every row, at relu's kink.
    await page.focus('svg.diagram rect.unit[data-unit="0"]');
    await set("0");
    await page.focus('svg.diagram .edge[data-param="W1"][data-index="0"]');
    await set("0");
    await page.focus('svg.diagram .edge[data-param="W1"][data-index="4"]');
    await set("0");
    const numbers = page.locator("#edge-numbers");
    await expect
      .poll(() => numbers.textContent())
      .toMatch(
        /^W1 x2 → h1: w = 0\.00000; ∂L\/∂w = 0\.00000 by backprop; no central difference: w ± ε crosses the activation's kink at 0/,
      );
    expect(await numbers.getAttribute("class")).toBe("warning");
    expect(await numbers.getAttribute("data-estimate")).toBe("NaN");
    // A weight far from the kink is differenced as before.
    await page.focus('svg.diagram .edge[data-param="W2"][data-index="1"]');
    await expect
      .poll(() => numbers.textContent())
      .toMatch(/by central differences \(ε = 0\.00001\), relative gap/);
    expect(await numbers.getAttribute("class")).toBeNull();
    await set("1e300");
    await expect
      .poll(() => numbers.textContent())
      .toContain(
        "no central difference: ε = 0.00001 is below the spacing of float64 numbers at w = 1e+300 (w ± ε rounds to w)",
      );
  });

  it("says the link cannot carry a weight set by hand, and names it when it makes the run diverge", async () => {
    const page = await openAt("?b=8");
    await page.focus('svg.diagram .edge[data-param="W2"][data-index="0"]');
    await page.fill("#weight-value", "5");
    await page.click("#set-weight");
    await expect
      .poll(() => textOf(page, "#link-scope"))
      .toBe(
        "It cannot carry the weight you set (W2 h1 → p = 5 at step 0): it reproduces the seed's run, not this one. Export the model (Model file) to keep this network.",
      );
    expect(await page.isVisible("#link-scope")).toBe(true);

    const diverging = await openAt("");
    await diverging.click("#step");
    await expect.poll(() => stepsOf(diverging)).toBe(1);
    await diverging.focus('svg.diagram .edge[data-param="W2"][data-index="0"]');
    await diverging.fill("#weight-value", "1e6");
    await diverging.click("#set-weight");
    await expect
      .poll(() => textOf(diverging, "#link-scope"))
      .toContain("W2 h1 → p = 1000000 at step 1");
    await diverging.click("#play");
    await expect
      .poll(() => textOf(diverging, "#train-error"), { timeout: 20_000 })
      .toContain(
        "You set W2 h1 → p to 1000000 at step 1: that is the likely cause, not the learning rate.",
      );
    const said = await textOf(diverging, "#train-error");
    expect(said).not.toContain("try a lower learning rate");
    // The run went back to its start, which undid the edit: the message says to what value, as the diagram shows it.
    const again = /W2 h1 → p is (\S+) again\./.exec(said);
    expect(again, said).not.toBeNull();
    await expect.poll(() => diverging.getAttribute("#edge-numbers", "data-value")).toBe(again![1]);
    await expect.poll(() => diverging.isVisible("#link-scope")).toBe(false);
  });

  it("colours sigmoid units' maps on σ's range, says the scales, and why D ≠ 2 leaves the boxes empty", async () => {
    const page = await openAt("?act=sigmoid&h=4");
    const legend = page.locator("#diagram-legend");
    await expect
      .poll(() => legend.textContent())
      .toContain("a = σ(z1): 0 blue, 0.5 white, 1 orange");
    expect(await legend.textContent()).toContain(
      "W1's edges scaled to W1's largest |w| and W2's to W2's",
    );
    // The maps' pixels (the sprite every unit's box shows a part of): both ends of the scale.
    const hues = await page.evaluate(async () => {
      const href = document.querySelector("svg.diagram image")!.getAttribute("href")!;
      const image = new Image();
      image.src = href;
      await image.decode();
      const canvas = new OffscreenCanvas(image.width, image.height);
      const ctx = canvas.getContext("2d")!;
      ctx.drawImage(image, 0, 0);
      const d = ctx.getImageData(0, 0, image.width, image.height).data;
      const count = { blue: 0, orange: 0 };
      for (let i = 0; i < d.length; i += 4) {
        if (d[i + 2]! > d[i]! + 20) count.blue++;
        else if (d[i]! > d[i + 2]! + 20) count.orange++;
      }
      return count;
    });
    expect(hues.blue, JSON.stringify(hues)).toBeGreaterThan(0);
    expect(hues.orange, JSON.stringify(hues)).toBeGreaterThan(0);

    const csv = join(work, "three.csv");
    writeFileSync(csv, "a,b,c,label\n0,1,2,0\n1,0,2,1\n2,2,0,0\n1,1,1,1\n");
    await page.setInputFiles("#csv-file", csv);
    await expect
      .poll(() => legend.textContent())
      .toContain("which takes 2 inputs: these data have 3 features, so the boxes are empty");
  });

  it("on a phone puts an equation's shapes on their own lines; rings and the unit histogram are explained", async () => {
    const page = await openAt("?h=64&b=1", { width: 390, height: 844 });
    await page.click("#step");
    await expect.poll(() => textOf(page, "#batch-loss")).toMatch(/\(1 row\)$/);
    await page.click("#walk-last");
    await expect.poll(() => textOf(page, "#walk-batch")).toMatch(/^The last batch of 1 row \(/);
    await expect.poll(() => page.getAttribute("#walk-equation", "data-step")).toBe("0");
    const boxes = await page.$$eval("#walk-equation pre.formula:not(.entry) span", (spans) =>
      spans.map((span) => {
        const r = span.getBoundingClientRect();
        const box = span.parentElement!.getBoundingClientRect();
        return {
          kind: span.className,
          top: r.top,
          right: r.right,
          inside: r.right <= box.right + 0.5,
        };
      }),
    );
    // "z1 = X W1 + b1", then "(N×D)(D×H) + (1×H)   → N×H" and "(1×2)(2×64) + (1×64) → 1×64"
    const parts = boxes.filter((b) => b.kind !== "gap");
    expect(parts.map((b) => b.kind)).toEqual(["lead", "part", "part"]);
    expect(
      parts.every((b) => b.inside),
      JSON.stringify(boxes),
    ).toBe(true);
    expect(parts[1]!.top).toBeGreaterThan(parts[0]!.top);
    expect(parts[2]!.top).toBeGreaterThan(parts[1]!.top);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(390);
    // The rings on the boundary have a legend.
    const row = await page.inputValue("#walk-rows");
    await expect
      .poll(() => textOf(page, "#boundary-rings"))
      .toBe(
        `Ringed: the step-through's row (data row ${row}); click a point to add or take out its row.`,
      );
    // A unit's z1 histogram has ticks inside its range.
    await page.focus('svg.diagram rect.unit[data-unit="2"]');
    const canvas = page.locator("#unit-histogram");
    await expect.poll(() => canvas.getAttribute("data-x-ticks")).not.toBeNull();
    const detail = await textOf(page, "#unit-detail");
    const [, lo, hi] = /from (\S+) to (\S+?)(?: \(|:)/.exec(detail)!;
    const ticks = (await canvas.getAttribute("data-x-ticks"))!.split(" ").map(Number);
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    for (const t of ticks) {
      expect(t).toBeGreaterThanOrEqual(Number(lo) - 5e-3 * Math.abs(Number(lo)));
      expect(t).toBeLessThanOrEqual(Number(hi) + 5e-3 * Math.abs(Number(hi)));
    }
    expect((await canvas.getAttribute("data-y-ticks"))!.split(" ")[0]).toBe("0");
  });

  it("selects a thin edge hovered 3 px off its line (an 8 px hit area)", async () => {
    const page = await openAt("");
    await expect.poll(() => page.locator("svg.diagram .edge").count()).toBe(2 * 16 + 16);
    const thinnest = await page.$$eval("svg.diagram .edge", (lines) =>
      lines
        .map((l) => ({
          param: l.getAttribute("data-param")!,
          index: Number(l.getAttribute("data-index")),
          width: Number(l.getAttribute("stroke-width")),
          from: [Number(l.getAttribute("x1")), Number(l.getAttribute("y1"))],
          to: [Number(l.getAttribute("x2")), Number(l.getAttribute("y2"))],
        }))
        .sort((a, b) => a.width - b.width)
        .slice(0, 3),
    );
    await page.locator("svg.diagram").scrollIntoViewIfNeeded();
    const box = (await page.locator("svg.diagram").boundingBox())!;
    for (const e of thinnest) {
      expect(e.width).toBeLessThan(1.5);
      const [dx, dy] = [e.to[0]! - e.from[0]!, e.to[1]! - e.from[1]!];
      const length = Math.hypot(dx, dy);
      // Points 3 px along the normal from the line; where other edges cross it, theirs may be on top.
      const points = Array.from({ length: 13 }, (_, i) => {
        const t = 0.2 + (0.6 * i) / 12;
        return [
          box.x + e.from[0]! + t * dx - (3 * dy) / length,
          box.y + e.from[1]! + t * dy + (3 * dx) / length,
        ] as const;
      });
      const hits = await page.evaluate(
        ([points, param, index]) =>
          points.filter(([x, y]) => {
            const at = document.elementFromPoint(x, y);
            return (
              at?.getAttribute("data-param") === param &&
              at.getAttribute("data-index") === String(index)
            );
          }),
        [points, e.param, e.index] as const,
      );
      expect(hits.length, `${e.param}[${e.index}]`).toBeGreaterThan(0);
      await page.mouse.move(hits[0]![0], hits[0]![1]);
      await expect
        .poll(() => page.locator("svg.diagram .edge.selected").getAttribute("data-index"))
        .toBe(String(e.index));
      expect(await page.locator("svg.diagram .edge.selected").getAttribute("data-param")).toBe(
        e.param,
      );
    }
  });

  it("threw nothing and logged no error", () => {
    expect(errors).toEqual([]);
    expect(pg.errors).toEqual([]);
  });
});
