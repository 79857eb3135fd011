/**
 * The command line for the tests: the built program (`node bin/handgrad.js …`) as a user runs
 * it, for the end-to-end tests, and main() in-process, for the tests of its behaviour.
 */
import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { main } from "../../src/cli/main.js";
import { jsonText, type Output } from "../../src/cli/output.js";

export const root = resolve(import.meta.dirname, "../..");
export const bin = join(root, "bin/handgrad.js");

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `handgrad ARGS` in the folder `cwd`: its exit code, stdout and stderr. */
export function handgrad(args: readonly string[], cwd: string = root): Run {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: "utf8",
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export interface MainRun {
  readonly code: number;
  /** The JSON documents printed on stdout, as their text. */
  readonly stdout: string[];
  /** The lines printed on stderr. */
  readonly stderr: string[];
}

/** `handgrad ARGS` in-process, through main() (no build needed): its exit code, stdout and stderr. */
export async function runMain(args: readonly string[]): Promise<MainRun> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const output: Output = {
    json: (value) => void stdout.push(jsonText(value)),
    log: (text) => void stderr.push(...text.split("\n")),
    interactive: false,
  };
  return { code: await main(args, output), stdout, stderr };
}
