/** Runs the built command line (`node bin/handgrad.js …`) as a user would, for the end-to-end tests. */
import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";

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
