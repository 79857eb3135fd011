/**
 * A static file server for the built playground (dist-web/), on the loopback interface only.
 *
 * Serves GET and HEAD (anything else: 405); "/" and any path ending in "/" serve that
 * folder's index.html (no folder listings); a path that decodes to a ".." segment, a NUL or
 * a backslash is refused (403); a file outside the root, a dot-file, a folder without the
 * slash, or a missing file is 404. Every response carries the cross-origin isolation headers
 * (so the page may use SharedArrayBuffer) and a Content-Security-Policy that lets the page
 * load only its own files: no CDN, no network beyond this server.
 */
import { readFile, realpath, stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, sep } from "node:path";

/** Only the loopback interface: the playground is never reachable from another machine. */
export const LOOPBACK = "127.0.0.1";

/** Content types by file extension; anything else is application/octet-stream. */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".wasm": "application/wasm",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".woff2": "font/woff2",
};

/**
 * Only this origin: scripts, workers (Vite may emit a worker as a blob: URL), styles, images
 * and fetches; WebAssembly compilation ('wasm-unsafe-eval') but no JavaScript eval.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** Headers on every response. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
  "Cross-Origin-Resource-Policy": "same-origin",
  "Content-Security-Policy": CONTENT_SECURITY_POLICY,
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Cache-Control": "no-cache",
};

export interface StaticServer {
  readonly server: Server;
  /** The port actually bound (the free one chosen when asked for port 0). */
  readonly port: number;
  /** http://127.0.0.1:PORT/ */
  readonly url: string;
  /** Stops listening and ends open connections. */
  close(): Promise<void>;
}

/**
 * Serves the files under `root` (an existing folder) on 127.0.0.1:`port` (0: a free port).
 * Rejects with the listen error (EADDRINUSE, EACCES…) when the port cannot be bound.
 */
export async function startStaticServer(root: string, port: number): Promise<StaticServer> {
  const base = await realpath(root);
  const server = createServer((request, response) => {
    respond(base, request, response).catch(() => {
      // A read failing after the checks (the file removed mid-request): nothing to show.
      if (!response.headersSent) send(response, 500, "internal error");
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, LOOPBACK, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    server,
    port: bound,
    url: `http://${LOOPBACK}:${bound}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function respond(base: string, request: IncomingMessage, response: ServerResponse) {
  if (request.method !== "GET" && request.method !== "HEAD") {
    response.setHeader("Allow", "GET, HEAD");
    return send(response, 405, "method not allowed");
  }
  const target = resolveTarget(base, request.url ?? "/");
  if (typeof target === "number") return send(response, target, STATUS_TEXT[target] ?? "");
  const file = await regularFileWithin(base, target);
  if (file === undefined) return send(response, 404, STATUS_TEXT[404] ?? "");
  const body = await readFile(file);
  response.writeHead(200, {
    ...SECURITY_HEADERS,
    "Content-Type": CONTENT_TYPES[extname(file).toLowerCase()] ?? "application/octet-stream",
    "Content-Length": body.length,
  });
  response.end(request.method === "HEAD" ? undefined : body);
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: "bad request",
  403: "forbidden",
  404: "not found",
};

/**
 * The file a request path names under `base`, or the status refusing it. The path is
 * percent-decoded once, so "%2e%2e/" is the ".." it spells and is refused like it.
 */
export function resolveTarget(base: string, requestUrl: string): string | number {
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(requestUrl, "http://localhost").pathname);
  } catch {
    return 400; // malformed percent-encoding
  }
  // Raw ".." never reaches here from new URL (it resolves dot segments); encoded ones do.
  const segments = pathname.split("/").slice(1);
  if (segments.some((s) => s === ".." || s.includes("\\") || s.includes("\0"))) return 403;
  if (segments.some((s) => s.startsWith("."))) return 404; // "." segments and dot-files
  if (segments[segments.length - 1] === "") segments[segments.length - 1] = "index.html";
  return join(base, ...segments);
}

/** `path` when it is a regular file whose real path (symbolic links followed) is under `base`. */
async function regularFileWithin(base: string, path: string): Promise<string | undefined> {
  try {
    const real = await realpath(path);
    if (!real.startsWith(base + sep)) return undefined;
    return (await stat(real)).isFile() ? real : undefined;
  } catch {
    return undefined; // missing, or unreadable
  }
}

function send(response: ServerResponse, status: number, text: string): void {
  const body = `${status} ${text}\n`;
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    "Content-Type": "text/plain; charset=utf-8",
    "Content-Length": Buffer.byteLength(body),
  });
  response.end(response.req.method === "HEAD" ? undefined : body);
}
