/**
 * `handgrad playground`: serves the built browser playground (dist-web/, made by `npm run
 * build`) on http://127.0.0.1:PORT/ until SIGINT or SIGTERM, then exits 0. Loopback only:
 * every asset is in the package, nothing is fetched from elsewhere.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { FileError, UsageError } from "../../errors.js";
import { booleanFlag, integerFlag, type Flags, type FlagSpecs } from "../flags.js";
import type { Output } from "../output.js";
import { LOOPBACK, startStaticServer, type StaticServer } from "../static-server.js";

export const DEFAULT_PORT = 8157;

/** The built page: dist-web/ at the package root (three levels above dist/cli/commands/). */
export const WEB_ROOT = fileURLToPath(new URL("../../../dist-web/", import.meta.url));

export const PLAYGROUND_FLAGS: FlagSpecs = {
  port: {
    kind: "string",
    value: "PORT",
    help: `the port on 127.0.0.1, 0 for any free one (default ${DEFAULT_PORT})`,
  },
  open: { kind: "boolean", help: "also open the page in the default browser" },
};

export interface PlaygroundOptions {
  /** The folder served (default: the package's dist-web/). */
  readonly webRoot?: string;
  /** Resolves when the server should stop (default: the first SIGINT or SIGTERM). */
  readonly stopped?: Promise<unknown>;
}

export async function playgroundCommand(
  flags: Flags,
  output: Output,
  options: PlaygroundOptions = {},
): Promise<number> {
  const port = integerFlag(flags, "port", DEFAULT_PORT, 0, 65535);
  const webRoot = options.webRoot ?? WEB_ROOT;
  if (!existsSync(join(webRoot, "index.html"))) {
    throw new FileError(
      `the playground is not built: ${join(webRoot, "index.html")} is missing (run npm run build)`,
    );
  }
  const server = await listen(webRoot, port);
  output.log(`handgrad playground: serving ${server.url} (Ctrl-C to stop)`);
  if (booleanFlag(flags, "open")) openInBrowser(server.url, output);
  await (options.stopped ?? nextSignal());
  await server.close();
  output.log("handgrad playground: stopped");
  return 0;
}

/** The server, or a UsageError saying why the port cannot be used. */
async function listen(webRoot: string, port: number): Promise<StaticServer> {
  try {
    return await startStaticServer(webRoot, port);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const where = `port ${port} on ${LOOPBACK}`;
    if (code === "EADDRINUSE") {
      throw new UsageError(`${where} is in use (choose another with --port, or --port 0)`);
    }
    if (code === "EACCES") {
      throw new UsageError(`${where} is not permitted (ports below 1024 need privileges)`);
    }
    throw error;
  }
}

/** Resolves on the first SIGINT or SIGTERM, which then no longer end the process by default. */
function nextSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const names = ["SIGINT", "SIGTERM"] as const;
    const onSignal = (signal: NodeJS.Signals) => {
      for (const name of names) process.off(name, onSignal);
      resolve(signal);
    };
    for (const name of names) process.on(name, onSignal);
  });
}

/** Starts the platform's opener on `url`; when it cannot, says so and carries on serving. */
function openInBrowser(url: string, output: Output): void {
  const [command, args] =
    process.platform === "darwin"
      ? ["open", [url]]
      : process.platform === "win32"
        ? ["cmd", ["/c", "start", '""', url]]
        : ["xdg-open", [url]];
  const warn = (why: string) =>
    output.log(`handgrad playground: warning: could not open a browser (${why}); open ${url}`);
  const child = spawn(command, args, { stdio: "ignore", detached: true });
  child.on("error", (error) => warn(`${command}: ${error.message}`));
  child.on("exit", (code) => {
    if (code !== 0 && code !== null) warn(`${command} exited with ${code}`);
  });
  child.unref();
}
