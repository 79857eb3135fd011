/**
 * `handgrad playground`'s static server: what it serves, with which headers, and what it
 * refuses. In process against a fixture folder, then the command as a child process against
 * the built dist-web/ (npm test builds it first).
 */
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  playgroundCommand,
  PLAYGROUND_FLAGS,
  WEB_ROOT,
} from "../../src/cli/commands/playground.js";
import { parseFlags } from "../../src/cli/flags.js";
import { startStaticServer, type StaticServer } from "../../src/cli/static-server.js";
import { FileError } from "../../src/errors.js";
import { startPlayground } from "./playground-process.js";
import { handgrad } from "./run.js";

/** A raw request (no URL normalisation by a client): status, headers and body. */
function get(
  url: string,
  path: string,
  method = "GET",
): Promise<{
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on("error", reject);
    req.end();
  });
}

// The fixture: root/ holds the served files; secret.txt sits next to it and must never be served.
const top = mkdtempSync(join(tmpdir(), "handgrad-playground-"));
const root = join(top, "root");
const FILES: Readonly<Record<string, readonly [Buffer | string, string]>> = {
  "index.html": ["<!doctype html><h1>handgrad playground</h1>", "text/html; charset=utf-8"],
  "assets/app-1a2b.js": ["export const x = 1;\n", "text/javascript; charset=utf-8"],
  "assets/style.css": ["h1 { color: red }\n", "text/css; charset=utf-8"],
  "assets/icon.svg": ["<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml"],
  "assets/plot.png": [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), "image/png"],
  "assets/kernels.wasm": [Buffer.from([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0]), "application/wasm"],
  "data/model.json": ['{"format":"handgrad-model"}', "application/json; charset=utf-8"],
  "data/moons.csv": ["x1,x2,label\n0,1,0\n", "text/csv; charset=utf-8"],
  "data/blob.bin": [Buffer.from([1, 2, 3]), "application/octet-stream"],
  "docs/index.html": ["<p>docs</p>", "text/html; charset=utf-8"],
};
const SECRET = "the secret outside the served folder";

let server: StaticServer;

beforeAll(async () => {
  for (const [path, [content]] of Object.entries(FILES)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  mkdirSync(join(root, "empty"));
  writeFileSync(join(root, ".env"), SECRET);
  writeFileSync(join(top, "secret.txt"), SECRET);
  symlinkSync(join(top, "secret.txt"), join(root, "link.txt"));
  server = await startStaticServer(root, 0);
});

afterAll(async () => {
  await server?.close();
  rmSync(top, { recursive: true, force: true });
});

describe("playground static server", () => {
  it("listens on 127.0.0.1 only, on the free port it was given 0 for", () => {
    const address = server.server.address() as AddressInfo;
    expect(address.address).toBe("127.0.0.1");
    expect(address.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${address.port}/`);
  });

  it("serves every file byte for byte with its content type", async () => {
    for (const [path, [content, type]] of Object.entries(FILES)) {
      const r = await get(server.url, `/${path}`);
      expect(r.status, path).toBe(200);
      expect(r.headers["content-type"], path).toBe(type);
      expect(r.body.equals(Buffer.from(content)), path).toBe(true);
      expect(Number(r.headers["content-length"]), path).toBe(Buffer.from(content).length);
    }
  });

  it("serves index.html for / and for a folder's path with its slash", async () => {
    expect((await get(server.url, "/")).body.toString()).toBe(FILES["index.html"]?.[0]);
    expect((await get(server.url, "/?seed=3&hidden=8")).body.toString()).toBe(
      FILES["index.html"]?.[0],
    );
    expect((await get(server.url, "/docs/")).body.toString()).toBe("<p>docs</p>");
  });

  it("sends cross-origin isolation and a self-only content security policy", async () => {
    for (const path of ["/", "/assets/app-1a2b.js", "/missing"]) {
      const { headers } = await get(server.url, path);
      expect(headers["cross-origin-opener-policy"], path).toBe("same-origin");
      expect(headers["cross-origin-embedder-policy"], path).toBe("require-corp");
      expect(headers["x-content-type-options"], path).toBe("nosniff");
      const csp = String(headers["content-security-policy"]);
      const directives = new Map(
        csp.split(";").map((d) => {
          const [name, ...sources] = d.trim().split(/\s+/);
          return [name, sources] as const;
        }),
      );
      expect(directives.get("default-src"), csp).toEqual(["'self'"]);
      expect(directives.get("script-src"), csp).toEqual(["'self'", "'wasm-unsafe-eval'"]);
      // Nothing from another host, and no JavaScript eval or inline script anywhere.
      expect(csp).not.toMatch(/https?:|\*|'unsafe-eval'|'unsafe-inline'/);
    }
  });

  it("answers HEAD with the headers of GET and no body", async () => {
    const r = await get(server.url, "/assets/app-1a2b.js", "HEAD");
    expect(r.status).toBe(200);
    expect(r.headers["content-length"]).toBe(String(FILES["assets/app-1a2b.js"]?.[0].length));
    expect(r.body.length).toBe(0);
  });

  it("refuses other methods with 405 and an Allow header", async () => {
    for (const method of ["POST", "PUT", "DELETE", "OPTIONS"]) {
      const r = await get(server.url, "/", method);
      expect(r.status, method).toBe(405);
      expect(r.headers.allow, method).toBe("GET, HEAD");
    }
  });

  it("lists no folder and serves no missing file, dot-file or link out of the folder", async () => {
    for (const path of [
      "/empty/",
      "/empty",
      "/assets/",
      "/assets",
      "/nope.js",
      "/.env",
      "/link.txt",
    ]) {
      const r = await get(server.url, path);
      expect(r.status, path).toBe(404);
      expect(r.body.toString(), path).not.toContain(SECRET);
      expect(r.body.toString(), path).not.toContain("app-1a2b.js");
    }
  });

  it("never serves a file outside its folder, however the path is encoded", async () => {
    const attempts = [
      "/../secret.txt",
      "/assets/../../secret.txt",
      "/%2e%2e/secret.txt",
      "/..%2fsecret.txt",
      "/%2e%2e%2fsecret.txt",
      "/assets/%2e%2e%2f%2e%2e%2fsecret.txt",
      "/..%5csecret.txt",
      "/%252e%252e%252fsecret.txt",
      "/index.html%00.js",
      "//" + join(top, "secret.txt"),
    ];
    for (const path of attempts) {
      const r = await get(server.url, path);
      expect([400, 403, 404], path).toContain(r.status);
      expect(r.body.toString(), path).not.toContain(SECRET);
    }
    // An encoded ".." that the URL parser leaves as part of a segment is refused outright.
    expect((await get(server.url, "/..%2fsecret.txt")).status).toBe(403);
    expect((await get(server.url, "/..%5csecret.txt")).status).toBe(403);
  });

  it("answers malformed percent-encoding with 400", async () => {
    expect((await get(server.url, "/%E0%A4%A")).status).toBe(400);
  });

  it("rejects a port in use with EADDRINUSE", async () => {
    await expect(startStaticServer(root, server.port)).rejects.toMatchObject({
      code: "EADDRINUSE",
    });
  });
});

describe("handgrad playground", () => {
  it("says to run npm run build when the page is not built (exit 2)", async () => {
    const empty = mkdtempSync(join(tmpdir(), "handgrad-no-web-"));
    try {
      const run = playgroundCommand(
        parseFlags(["--port", "0"], PLAYGROUND_FLAGS, "playground"),
        silent,
        {
          webRoot: empty,
          stopped: Promise.resolve(),
        },
      );
      await expect(run).rejects.toThrow(FileError);
      await expect(run).rejects.toThrow(/index\.html is missing \(run npm run build\)/);
      await expect(run).rejects.toMatchObject({ exitCode: 2 });
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it("serves the folder it is given until stopped, then resolves 0", async () => {
    const lines: string[] = [];
    let stop = () => {};
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const run = playgroundCommand(
      parseFlags(["--port", "0"], PLAYGROUND_FLAGS, "playground"),
      { ...silent, log: (line) => lines.push(line) },
      { webRoot: root, stopped },
    );
    await expect.poll(() => lines.join("\n")).toMatch(/serving http:\/\/127\.0\.0\.1:\d+\//);
    const url = /(http:\S+)/.exec(lines[0] ?? "")?.[1] ?? "";
    expect((await get(url, "/assets/style.css")).body.toString()).toBe("h1 { color: red }\n");
    stop();
    await expect(run).resolves.toBe(0);
    await expect(get(url, "/")).rejects.toMatchObject({ code: "ECONNREFUSED" });
  });

  it("serves the built dist-web/ and exits 0 on SIGINT and on SIGTERM", async () => {
    const index = readFileSync(join(WEB_ROOT, "index.html"), "utf8");
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      const p = await startPlayground(["--port", "0"]);
      const r = await get(p.url, "/");
      expect(r.status).toBe(200);
      expect(r.body.toString()).toBe(index);
      // Every script and stylesheet the page names is served from this server.
      const assets = [...index.matchAll(/(?:src|href)="\.?\/?([^"]+\.(?:js|css))"/g)];
      expect(assets.length).toBeGreaterThan(0);
      for (const [, asset] of assets) {
        expect((await get(p.url, `/${asset}`)).status, asset).toBe(200);
      }
      expect(await p.stop(signal), signal).toBe(0);
      expect(p.stderr()).toMatch(/stopped/);
    }
  });

  it("ships dist-web/ in the package, built by npm run build with Vite", () => {
    const pkg = JSON.parse(readFileSync(join(WEB_ROOT, "../package.json"), "utf8"));
    expect(pkg.files).toContain("dist-web");
    expect(pkg.scripts.build).toMatch(/npm run build:web$/);
    expect(pkg.scripts["build:web"]).toBe("vite build --config web/vite.config.ts");
    expect(pkg.devDependencies["playwright-core"]).toMatch(/^\d+\.\d+\.\d+$/); // pinned
  });

  it.each([
    [["--port", "70000"], /--port must be an integer from 0 to 65535, got 70000/],
    [["--port", "-1"], /--port must be an integer from 0 to 65535, got -1/],
    [["--port", "80.5"], /--port must be an integer from 0 to 65535/],
    [["--port", "http"], /--port must be a finite number, got "http"/],
    [["--port"], /option --port needs a value/],
    [["--host", "0.0.0.0"], /unknown option --host/],
    [["--open=yes"], /option --open takes no value/],
  ])("refuses %j with exit 2", (args, message) => {
    const r = handgrad(["playground", ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it("refuses a port in use with exit 2 and says so", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const r = handgrad(["playground", "--port", String(port)]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`port ${port} on 127.0.0.1 is in use`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it.runIf(process.platform === "linux")("--open runs xdg-open on the URL", async () => {
    const bin = mkdtempSync(join(tmpdir(), "handgrad-opener-"));
    const opened = join(bin, "opened.txt");
    writeFileSync(join(bin, "xdg-open"), `#!/bin/sh\nprintf '%s' "$1" > '${opened}'\n`);
    chmodSync(join(bin, "xdg-open"), 0o755);
    try {
      const p = await startPlayground(["--port", "0", "--open"], { ...process.env, PATH: bin });
      await expect.poll(() => readText(opened)).toBe(p.url);
      expect(await p.stop()).toBe(0);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });

  it.runIf(process.platform === "linux")("--open only warns when there is no opener", async () => {
    const empty = mkdtempSync(join(tmpdir(), "handgrad-no-opener-"));
    try {
      const p = await startPlayground(["--port", "0", "--open"], { ...process.env, PATH: empty });
      await expect.poll(() => p.stderr()).toMatch(/warning: could not open a browser/);
      expect((await get(p.url, "/")).status).toBe(200); // still serving
      expect(await p.stop()).toBe(0);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

const silent = { json: () => {}, log: () => {}, interactive: false };

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}
