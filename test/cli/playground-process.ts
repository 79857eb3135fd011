/**
 * `handgrad playground` as a child process, as a user starts it: waits for the line giving
 * its URL on stderr. Shared by the server tests and the browser tests (test/e2e/).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { bin, root } from "./run.js";

export interface PlaygroundProcess {
  readonly child: ChildProcess;
  /** http://127.0.0.1:PORT/ as printed by the command. */
  readonly url: string;
  /** Everything printed on stderr so far. */
  stderr(): string;
  /** Sends `signal` and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const URL_LINE = /serving (http:\/\/127\.0\.0\.1:\d+\/)/;

/** Starts `handgrad playground ARGS` and resolves once it serves (rejects if it exits first). */
export function startPlayground(
  args: readonly string[] = ["--port", "0"],
  env: NodeJS.ProcessEnv = process.env,
): Promise<PlaygroundProcess> {
  return startServing([bin, "playground", ...args], env);
}

/**
 * Starts `node ARGS` (a program that prints "serving http://127.0.0.1:PORT/…" on stderr, as
 * the playground and examples/browser/serve.mjs do) and resolves once it serves.
 */
export function startServing(
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<PlaygroundProcess> {
  const command = args.join(" ");
  const child = spawn(process.execPath, args, {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${command} printed no URL in 30 s; stderr:\n${stderr}`));
    }, 30_000);
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (text: string) => {
      stderr += text;
      const match = URL_LINE.exec(stderr);
      if (match?.[1] === undefined) return;
      clearTimeout(timer);
      resolve({
        child,
        url: match[1],
        stderr: () => stderr,
        stop: (signal = "SIGTERM") => {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        },
      });
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited with ${code} before serving; stderr:\n${stderr}`));
    });
  });
}
