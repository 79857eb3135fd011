// Where the browser tests and scripts find Debian's Chromium, and the flags they launch it
// with: one list for test/e2e/browser.ts, scripts/ensure-chromium.mjs and
// scripts/bench-relaxed-simd.mjs. Constants only (importing it does nothing).

/** Debian's chromium package puts the browser here. */
export const CHROMIUM = "/usr/bin/chromium";

/**
 * Flags that work as root on a closed network. playwright-core adds --headless and a fresh
 * temporary --user-data-dir itself (it refuses one in `args`).
 */
export const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
