/**
 * The built package as a user installs it: its entry point and its declared types, its
 * manifest, and the packed tarball installed into an empty project (offline: the package has
 * no runtime dependency to download), then imported, required and run there.
 */
import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CATALOGUE } from "../../src/experiments/catalogue.js";
import { EXPERIMENT_INSTALL, EXPERIMENT_PACKAGES } from "../../src/cli/commands/experiment.js";
import { runMain } from "./run.js";

const root = resolve(import.meta.dirname, "../..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

describe("package entry", () => {
  const required = [
    "sigmoid",
    "logSigmoid",
    "softplus",
    "bceWithLogits",
    "initParams",
    "forward",
    "backward",
    "gradientCheck",
    "train",
    "makeDataset",
    "loadCsv",
    "saveModel",
    "loadModel",
  ];

  it("exports the public API as functions, with type declarations and doc comments", async () => {
    const entry = join(root, pkg.exports["."].import);
    const api = await import(pathToFileURL(entry).href);
    for (const name of required) expect(typeof api[name], name).toBe("function");
    expect(api.isFinite).toBeUndefined(); // no generic names shadowing globals
    expect(existsSync(join(root, pkg.exports["."].types))).toBe(true);
    const declarations = readFileSync(join(root, "dist/check/gradcheck.d.ts"), "utf8");
    expect(declarations).toMatch(/\/\*\*[\s\S]*?\*\/\s*export declare function gradientCheck/);
  });

  it("exports at most 70 runtime names, and the README's Library section lists exactly those", async () => {
    const api = await import(pathToFileURL(join(root, pkg.exports["."].import)).href);
    const names = Object.keys(api);
    expect(names.length).toBeLessThanOrEqual(70);
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const library = /^## Library\n([\s\S]*?)^## /m.exec(readme)?.[1] ?? "";
    const exported =
      /Exported by name \(the whole runtime API, (\d+) names\):\s*([\s\S]*?)\n\n/.exec(library);
    expect(Number(exported?.[1])).toBe(names.length);
    const byName = exported?.[2] ?? "";
    // The parenthesis names kernels that live only under the linalg namespace (`linalg.map`).
    const listed = byName.replace(/\(the rest of the kernels[\s\S]*?\)/, "");
    const promised = [...listed.matchAll(/`([A-Za-z]\w*)`/g), ...library.matchAll(/`(\w+Error)`/g)]
      .map((m) => m[1] as string)
      .concat(["outputHeadFor", "sigmoidHead", "softmaxHead"]);
    expect(promised.length).toBeGreaterThan(30);
    for (const name of promised) expect(names, name).toContain(name);
    // …and the other way: the list is the whole runtime API, each name there once.
    const listedNames = [...listed.matchAll(/`([A-Za-z]\w*)`/g)].map((m) => m[1] as string);
    expect(new Set(listedNames).size).toBe(listedNames.length);
    expect([...listedNames, "linalg"].sort()).toEqual([...names].sort());
    for (const [, space, name] of byName.matchAll(/`(\w+)\.(\w+)`/g))
      expect(typeof api[space as string]?.[name as string], `${space}.${name}`).toBe("function");
  });

  it("declares the handgrad bin", () => {
    expect(pkg.bin.handgrad).toBe("./bin/handgrad.js");
    expect(existsSync(join(root, pkg.bin.handgrad))).toBe(true);
  });
});

describe("package manifest", () => {
  it("has no runtime dependency: the experiments' packages are optional peers (and dev dependencies here)", () => {
    expect(pkg.dependencies).toBeUndefined();
    for (const name of EXPERIMENT_PACKAGES) {
      expect(pkg.peerDependencies[name], name).toMatch(/^\^\d+\.\d+\.\d+$/);
      expect(pkg.peerDependenciesMeta[name], name).toEqual({ optional: true });
      expect(pkg.devDependencies[name], name).toBeDefined();
    }
    expect(Object.keys(pkg.peerDependencies).sort()).toEqual([...EXPERIMENT_PACKAGES].sort());
  });

  it("suggests installing the versions the docs are made with, within the peer ranges", () => {
    const suggested = [...EXPERIMENT_INSTALL.matchAll(/(\S+)@(\S+)/g)].map(([, name, version]) => ({
      name: name as string,
      version: version as string,
    }));
    expect(suggested.map((s) => s.name).sort()).toEqual([...EXPERIMENT_PACKAGES].sort());
    for (const { name, version } of suggested) {
      const pinned = (pkg.devDependencies[name] as string).replace(/^[\^~]/, "");
      expect(pinned.startsWith(version), name).toBe(true);
      const major = (pkg.peerDependencies[name] as string).slice(1).split(".")[0];
      expect(version.split(".")[0], name).toBe(major);
    }
  });

  it("requires Node 20.19 (require of an ES module), exports import, require and a browser entry, names its repository", () => {
    expect(pkg.engines.node).toBe(">=20.19");
    expect(pkg.exports["./package.json"]).toBe("./package.json");
    const browser = { types: "./dist/browser.d.ts", default: "./dist/browser.js" };
    expect(pkg.exports["."]).toEqual({
      browser,
      types: "./dist/index.d.ts",
      import: "./dist/index.js",
      require: "./dist/index.js",
    });
    // "browser" first: a bundler building for the web stops at the first condition it knows
    expect(Object.keys(pkg.exports["."])[0]).toBe("browser");
    expect(pkg.exports["./browser"]).toEqual(browser);
    expect(pkg.repository.url).toMatch(/^git\+https:\/\//);
    expect(pkg.homepage).toMatch(/^https:\/\//);
  });
});

describe("handgrad --version and handgrad help COMMAND", () => {
  it("--version and -V print the version in package.json", async () => {
    for (const flag of ["--version", "-V"]) {
      expect(await runMain([flag])).toEqual({ code: 0, stderr: [pkg.version], stdout: [] });
    }
  });

  it("help COMMAND prints exactly what COMMAND --help prints, for every command", async () => {
    const usage = await runMain(["--help"]);
    const commands = [...usage.stderr.join("\n").matchAll(/^ {2}(\S+) {2,}/gm)].map(
      (m) => m[1] as string,
    );
    expect(commands).toContain("experiment");
    for (const command of commands) {
      const help = await runMain(["help", command]);
      expect(help.code, command).toBe(0);
      expect(help.stderr[0], command).toMatch(new RegExp(`^usage: handgrad ${command}`));
      expect(help).toEqual(await runMain([command, "--help"]));
    }
    expect(await runMain(["help"])).toEqual(usage);
  });

  it("--help COMMAND and -h COMMAND print that command's help, as COMMAND --help does", async () => {
    for (const command of ["train", "predict", "experiment"]) {
      const help = await runMain([command, "--help"]);
      expect(help.stderr[0]).toMatch(new RegExp(`^usage: handgrad ${command}`));
      expect(await runMain(["--help", command]), command).toEqual(help);
      expect(await runMain(["-h", command]), command).toEqual(help);
    }
  });

  it("help help prints the general help", async () => {
    const usage = await runMain(["--help"]);
    expect(usage.code).toBe(0);
    expect(await runMain(["help", "help"])).toEqual(usage);
    expect(await runMain(["--help", "help"])).toEqual(usage);
  });

  it("--version, -V and help refuse an argument they do not take, in one line, exit 2", async () => {
    for (const args of [
      ["--version", "extra"],
      ["-V", "extra"],
      ["help", "train", "extra"],
      ["--help", "train", "extra"],
    ]) {
      const r = await runMain(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stdout).toEqual([]);
      expect(r.stderr).toEqual([
        `handgrad: unexpected argument "extra" for ${args[0]} (see handgrad --help)`,
      ]);
    }
  });

  it("help of an unknown command exits 2 with one line", async () => {
    const r = await runMain(["help", "nonsense"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toHaveLength(1);
    expect(r.stderr[0]).toMatch(/unknown command "nonsense"/);
    expect(r.stdout).toEqual([]);
  });
});

describe("the packed tarball, installed into an empty project", () => {
  let work: string;
  let project: string;
  let installed: string;
  /** npm and node without the npm_* settings of the `npm test` that runs these tests. */
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith("npm_")),
  );
  const exec = (command: string, args: string[], cwd: string) => {
    const r = spawnSync(command, args, { cwd, env, encoding: "utf8", timeout: 60_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  beforeAll(() => {
    // `npm test` has built dist/ and dist-web/: pack them as they are (no prepare, no rebuild).
    expect(existsSync(join(root, "dist/index.js")), "run npm run build first").toBe(true);
    work = mkdtempSync(join(tmpdir(), "handgrad-install-"));
    const pack = exec(
      "npm",
      ["pack", "--ignore-scripts", "--json", "--pack-destination", work],
      root,
    );
    expect(pack.code, pack.stderr).toBe(0);
    const tarball = join(work, (JSON.parse(pack.stdout) as { filename: string }[])[0]!.filename);
    project = join(work, "project");
    installed = join(project, "node_modules/handgrad");
    mkdirSync(project);
    writeFileSync(
      join(project, "package.json"),
      JSON.stringify({ name: "consumer", version: "1.0.0", private: true, type: "commonjs" }),
    );
    // Offline: nothing is downloaded, so the package must need nothing but itself.
    const install = exec(
      "npm",
      ["install", "--offline", "--ignore-scripts", "--no-audit", "--no-fund", tarball],
      project,
    );
    expect(install.code, install.stderr).toBe(0);
  }, 120_000);
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("installs one package of about a megabyte: no vega, vega-lite, d3, yargs or decimal.js", () => {
    const lock = JSON.parse(readFileSync(join(project, "package-lock.json"), "utf8"));
    const packages = Object.keys(lock.packages).filter((key) => key !== "");
    expect(packages).toEqual(["node_modules/handgrad"]);
    const names = readdirSync(join(project, "node_modules")).filter((n) => !n.startsWith("."));
    expect(names).toEqual(["handgrad"]);
    const bytes = files(join(project, "node_modules")).reduce(
      (sum, f) => sum + statSync(f).size,
      0,
    );
    console.log(
      `a library user installs ${packages.length} package, ${(bytes / 1e6).toFixed(2)} MB`,
    );
    expect(bytes).toBeLessThan(3e6);
  });

  it("ships no source map, or none that points at a file it does not ship", () => {
    const shipped = files(installed);
    expect(shipped.some((f) => relative(installed, f).startsWith("src/"))).toBe(false);
    for (const file of shipped.filter((f) => f.endsWith(".map"))) {
      const map = JSON.parse(readFileSync(file, "utf8")) as {
        sources: string[];
        sourceRoot?: string;
      };
      for (const source of map.sources) {
        const path = resolve(dirname(file), map.sourceRoot ?? "", source);
        expect(existsSync(path), `${relative(installed, file)} → ${source}`).toBe(true);
      }
    }
    for (const file of shipped.filter((f) => f.endsWith(".js"))) {
      const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(file, "utf8"))?.[1];
      if (url !== undefined && !url.startsWith("data:")) {
        expect(existsSync(resolve(dirname(file), url)), relative(installed, file)).toBe(true);
      }
    }
  });

  it('import("handgrad") and require("handgrad") give the same names, and they work', () => {
    const names = "console.log(JSON.stringify([Object.keys(m).sort(), m.sigmoid(0)]))";
    const imported = exec(
      process.execPath,
      ["--input-type=module", "-e", `const m = await import("handgrad"); ${names}`],
      project,
    );
    const required = exec(
      process.execPath,
      ["-e", `const m = require("handgrad"); ${names}`],
      project,
    );
    expect(imported.code, imported.stderr).toBe(0);
    expect(required.code, required.stderr).toBe(0);
    const [keys, half] = JSON.parse(imported.stdout) as [string[], number];
    expect(JSON.parse(required.stdout)).toEqual([keys, half]);
    expect(half).toBe(0.5);
    for (const name of ["forward", "backward", "train", "gradientCheck", "loadModel"]) {
      expect(keys, name).toContain(name);
    }
  });

  it('require("handgrad/package.json") gives the installed version (tools read it)', () => {
    const read = exec(
      process.execPath,
      ["-e", 'console.log(require("handgrad/package.json").version)'],
      project,
    );
    expect(read.code, read.stderr).toBe(0);
    expect(read.stdout.trim()).toBe(pkg.version);
  });

  it("npx handgrad --version prints the version; experiment says what to install and exits 2", () => {
    const version = exec("npx", ["handgrad", "--version"], project);
    expect(version.code, version.stderr).toBe(0);
    expect(version.stderr.trim()).toBe(pkg.version);
    const experiment = exec("npx", ["handgrad", "experiment", "stability"], project);
    expect(experiment.code).toBe(2);
    expect(experiment.stdout).toBe("");
    expect(experiment.stderr.trim()).toBe(
      `handgrad experiment: the experiments need vega, vega-lite and decimal.js, which are not installed: ${EXPERIMENT_INSTALL}`,
    );
  });

  it("experiment --list and the check of a name work without the experiments' packages", () => {
    const list = exec("npx", ["handgrad", "experiment", "--list"], project);
    expect(list.code, list.stderr).toBe(0);
    for (const { name } of CATALOGUE) expect(list.stderr).toMatch(new RegExp(`^${name} `, "m"));
    const typo = exec("npx", ["handgrad", "experiment", "stabilty"], project);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/unknown experiment "stabilty" \(did you mean "stability"\?/);
  });
});

/** Every file under `folder`, recursively. */
function files(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}
