/**
 * The API reference (docs/api/, TypeDoc Markdown from the doc comments of src/index.ts's
 * names) is what `npm run docs:api` makes now: regenerated into a temporary folder with the
 * same typedoc.json, it matches docs/api/ file for file and byte for byte, and TypeDoc finds
 * no exported name, member or referenced type without a doc comment.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { Application, Logger, LogLevel, TSConfigReader, TypeDocReader } from "typedoc";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const committed = join(root, "docs/api");

/** A TypeDoc logger that keeps its warnings and errors instead of printing them. */
class RecordingLogger extends Logger {
  readonly messages: string[] = [];
  override log(message: string, level: LogLevel): void {
    super.log(message, level);
    if (level >= LogLevel.Warn) this.messages.push(message);
  }
}

/** Every file under `dir`, as paths relative to it, sorted. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

describe("API reference (docs/api)", () => {
  let out: string;
  let logger: RecordingLogger;

  beforeAll(async () => {
    // Inside the repository (a git-ignored folder), so that Prettier formats the pages with
    // the repository's .prettierrc.json, as it does for docs/api.
    mkdirSync(join(root, ".vitest-tmp"), { recursive: true });
    out = mkdtempSync(join(root, ".vitest-tmp", "api-"));
    const app = await Application.bootstrapWithPlugins(
      { options: join(root, "typedoc.json"), out, logLevel: "Warn" },
      [new TypeDocReader(), new TSConfigReader()],
    );
    logger = new RecordingLogger();
    app.logger = logger;
    const project = await app.convert();
    if (project) {
      app.validate(project);
      await app.generateOutputs(project);
    }
  }, 60_000);

  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it("documents every exported name and every type it refers to (TypeDoc: no warning, no error)", () => {
    expect(logger.messages).toEqual([]);
    expect(logger.hasErrors() || logger.hasWarnings()).toBe(false);
  });

  it("is up to date with the doc comments: run npm run docs:api", () => {
    const made = filesUnder(out);
    expect(made, "run npm run docs:api").toEqual(filesUnder(committed));
    // Every function of the entry has its page, and the index links it.
    const index = readFileSync(join(out, "README.md"), "utf8");
    for (const name of ["forward", "backward", "gradientCheck", "train", "softplus"]) {
      expect(made, name).toContain(join("functions", `${name}.md`));
      expect(index, name).toContain(`(functions/${name}.md)`);
    }
    const stale = made.filter(
      (file) =>
        readFileSync(join(out, file), "utf8") !== readFileSync(join(committed, file), "utf8"),
    );
    expect(stale, "run npm run docs:api").toEqual([]);
  });
});
