// Makes sure Debian's Chromium is at /usr/bin/chromium for the browser tests (test/e2e/),
// which `npm test` runs. Present: does nothing. Missing and running as root on a Debian-like
// system: installs the `chromium` package with apt-get. Otherwise: exits 1 with a message
// saying how to install it. Never downloads a browser from anywhere but the system's apt
// sources (no `playwright install`).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { CHROMIUM } from "./chromium.mjs";

function fail(why) {
  console.error(
    `ensure-chromium: ${why}\n` +
      `The browser tests need Debian's chromium at ${CHROMIUM}. Install it with\n` +
      `  apt-get update && apt-get install -y --no-install-recommends chromium\n` +
      `(as root), then run npm test again.`,
  );
  process.exit(1);
}

/** Runs `command args` with the terminal's output; true when it exits 0. */
function run(command, args) {
  console.error(`ensure-chromium: ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  if (result.error) fail(`${command} could not be started (${result.error.message})`);
  return result.status === 0;
}

if (!existsSync(CHROMIUM)) {
  if (process.platform !== "linux") fail(`${CHROMIUM} is missing and this is not Linux`);
  if (process.getuid?.() !== 0) fail(`${CHROMIUM} is missing and we are not root`);
  if (!existsSync("/usr/bin/apt-get")) fail(`${CHROMIUM} is missing and apt-get is not here`);
  if (!run("apt-get", ["update"])) fail("apt-get update failed");
  if (!run("apt-get", ["install", "-y", "--no-install-recommends", "chromium"])) {
    fail("apt-get install chromium failed");
  }
  if (!existsSync(CHROMIUM)) fail(`apt-get installed chromium but ${CHROMIUM} is still missing`);
  console.error(`ensure-chromium: installed ${CHROMIUM}`);
}
