/**
 * The browser harness for the playground's end-to-end tests: `handgrad playground --port 0`
 * as a child process (serving the dist-web/ that `npm test` has built), Debian's Chromium
 * driven by playwright-core (no browser download), one page, and everything closed after.
 * It records what the page must never do: throw, log an error (a CSP violation is one), or
 * request anything but its own server.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { expect } from "vitest";
import { startPlayground, type PlaygroundProcess } from "../cli/playground-process.js";
import { root } from "../cli/run.js";
import { CHROMIUM, CHROMIUM_FLAGS } from "../../scripts/chromium.mjs";

export { CHROMIUM, CHROMIUM_FLAGS };

/** How long a click or a wait for an element may take before the test fails (ms). */
export const ACTION_TIMEOUT = 10_000;

export const RESULTS = join(root, "test-results");
export const SCREENSHOTS = join(RESULTS, "screenshots");

/**
 * Counts, in the page, the animation frames (requestAnimationFrame callbacks) and the frames
 * in which the #boundary canvas was drawn into (drawImage or putImageData on its context).
 * Installed before the page's own scripts run; read with `frameCounts(page)`.
 */
const FRAME_COUNTER = `(() => {
  const counts = { frames: 0, boundaryFrames: 0, lastBoundaryFrame: -1 };
  Object.defineProperty(window, "__e2eFrames", { value: counts });
  const tick = () => { counts.frames++; requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  const proto = CanvasRenderingContext2D.prototype;
  for (const name of ["drawImage", "putImageData"]) {
    const original = proto[name];
    proto[name] = function (...args) {
      if (this.canvas && this.canvas.id === "boundary" && counts.lastBoundaryFrame !== counts.frames) {
        counts.lastBoundaryFrame = counts.frames;
        counts.boundaryFrames++;
      }
      return original.apply(this, args);
    };
  }
})();`;

export interface FrameCounts {
  readonly frames: number;
  readonly boundaryFrames: number;
  /** performance.now() in the page, ms. */
  readonly at: number;
}

export function frameCounts(page: Page): Promise<FrameCounts> {
  return page.evaluate(() => {
    const c = (window as unknown as { __e2eFrames: { frames: number; boundaryFrames: number } })
      .__e2eFrames;
    return { frames: c.frames, boundaryFrames: c.boundaryFrames, at: performance.now() };
  });
}

export interface Playground {
  readonly server: PlaygroundProcess;
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  /** Uncaught exceptions and console errors of the page, in order. */
  readonly errors: string[];
  /** Requests to anything but the playground's own server (data: and blob: excepted). */
  readonly foreignRequests: string[];
  /** Saves a full-page screenshot as test-results/screenshots/NAME.png; returns its path. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

/** Serves the playground, opens it (with `query`, e.g. "?seed=1") and waits for its load. */
export async function openPlayground(query = ""): Promise<Playground> {
  return openServed(await startPlayground(["--port", "0"]), query);
}

/**
 * Opens `path` (relative to the server's URL) of a served page in Chromium and waits for its
 * load; closing the result stops `server` too (also when opening fails).
 */
export async function openServed(server: PlaygroundProcess, path: string): Promise<Playground> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [...CHROMIUM_FLAGS],
    });
    const context = await browser.newContext({
      acceptDownloads: true,
      viewport: { width: 1280, height: 1000 },
    });
    context.setDefaultTimeout(ACTION_TIMEOUT);
    await context.addInitScript({ content: FRAME_COUNTER });
    const page = await context.newPage();
    const errors: string[] = [];
    const foreignRequests: string[] = [];
    page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(`console: ${message.text()}`);
    });
    page.on("request", (request) => {
      const url = request.url();
      if (!url.startsWith(server.url) && !/^(data|blob):/.test(url)) foreignRequests.push(url);
    });
    await page.goto(`${server.url}${path}`, { waitUntil: "load" });
    const opened = browser;
    return {
      server,
      browser: opened,
      context,
      page,
      errors,
      foreignRequests,
      screenshot: async (name) => {
        const path = join(SCREENSHOTS, `${name}.png`);
        await page.screenshot({ path, fullPage: true });
        return path;
      },
      close: async () => {
        await opened.close();
        await server.stop();
      },
    };
  } catch (error) {
    await browser?.close();
    await server.stop();
    throw error;
  }
}

export interface PngComparison {
  /** The share of pixels whose colour differs (1 when the sizes differ). */
  readonly changedShare: number;
  /** Distinct colours in each image (1: a blank canvas). */
  readonly colours: readonly [number, number];
}

/**
 * Compares two PNG images pixel by pixel, decoded by the browser on a blank page (no CSP
 * there, and no PNG decoder needed in Node).
 */
export async function comparePngs(browser: Browser, a: Buffer, b: Buffer): Promise<PngComparison> {
  const page = await browser.newPage();
  try {
    return await page.evaluate(
      async ([first, second]) => {
        const decode = async (base64: string) => {
          const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
          const bitmap = await createImageBitmap(new Blob([bytes], { type: "image/png" }));
          const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
          const ctx = canvas.getContext("2d");
          if (!ctx) throw new Error("no 2-D context");
          ctx.drawImage(bitmap, 0, 0);
          return ctx.getImageData(0, 0, bitmap.width, bitmap.height);
        };
        const rgb = (d: Uint8ClampedArray, i: number) =>
          ((d[i] ?? 0) << 16) | ((d[i + 1] ?? 0) << 8) | (d[i + 2] ?? 0);
        const colours = (image: ImageData) => {
          const seen = new Set<number>();
          for (let i = 0; i < image.data.length; i += 4) seen.add(rgb(image.data, i));
          return seen.size;
        };
        const [p, q] = [await decode(first), await decode(second)];
        const counts: [number, number] = [colours(p), colours(q)];
        if (p.width !== q.width || p.height !== q.height)
          return { changedShare: 1, colours: counts };
        let changed = 0;
        for (let i = 0; i < p.data.length; i += 4) {
          if (rgb(p.data, i) !== rgb(q.data, i)) changed++;
        }
        return { changedShare: changed / (p.width * p.height), colours: counts };
      },
      [a.toString("base64"), b.toString("base64")] as const,
    );
  } finally {
    await page.close();
  }
}

/** Where openPageAt keeps what it opened and what the pages reported. */
export interface PageLog {
  /** Every context opened, for the test file to close after its tests. */
  readonly contexts: BrowserContext[];
  /** Each page's uncaught errors and console errors, as "pageerror: …" / "console: …". */
  readonly errors: string[];
}

/**
 * A playground page at `query` in a fresh context (this size, device-pixel ratio and download
 * permission), its errors recorded in `log`, once it shows its data ("… rows").
 */
export async function openPageAt(
  pg: Playground,
  query: string,
  log: PageLog,
  {
    viewport = { width: 1280, height: 800 },
    deviceScaleFactor = 1,
    acceptDownloads = true,
  }: {
    viewport?: { width: number; height: number };
    deviceScaleFactor?: number;
    acceptDownloads?: boolean;
  } = {},
): Promise<Page> {
  const context = await pg.browser.newContext({ viewport, deviceScaleFactor, acceptDownloads });
  context.setDefaultTimeout(ACTION_TIMEOUT);
  log.contexts.push(context);
  const page = await context.newPage();
  page.on("pageerror", (error) => log.errors.push(`pageerror: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") log.errors.push(`console: ${message.text()}`);
  });
  await page.goto(`${pg.server.url}${query}`, { waitUntil: "load" });
  await expect.poll(() => page.textContent("#data-source")).toMatch(/rows/);
  return page;
}
