/**
 * `handgrad experiment NAME`: runs one experiment from its seed, prints its tables on stderr,
 * writes its figures as SVG files, and with --json prints tables and key numbers on stdout.
 * `handgrad experiment --list` names them all. Running one needs vega, vega-lite and
 * decimal.js, optional peer dependencies a library user does not install: without them the
 * command says what to install and exits 2 (the list and the check of a name work without).
 */
import { join } from "node:path";
import { FileError, UsageError } from "../../errors.js";
import { CATALOGUE, checkedExperimentName } from "../../experiments/catalogue.js";
import { assertNoCollisions, assertWritable, writeFileAtomic } from "../../io/index.js";
import { booleanFlag, pathFlag, type Flags, type FlagSpecs } from "../flags.js";
import { shown, type Output } from "../output.js";
import { fileRole, seedFlag } from "../setup.js";

export const EXPERIMENT_FLAGS: FlagSpecs = {
  list: { kind: "boolean", help: "list the experiments and what each measures" },
  seed: { kind: "string", value: "N", help: "seed of every random choice (0)" },
  figures: { kind: "string", value: "FOLDER", help: "folder the SVG figures are written to (.)" },
  json: { kind: "boolean", help: "print the tables and key numbers as JSON on stdout" },
};

/** The optional peer dependencies the experiments import (package.json's peerDependencies). */
export const EXPERIMENT_PACKAGES = ["vega", "vega-lite", "decimal.js"] as const;

/** What to run when they are missing: the versions the docs' figures are made with. */
export const EXPERIMENT_INSTALL = "npm install vega@6.2.0 vega-lite@6.4.1 decimal.js@10";

export async function experimentCommand(
  flags: Flags,
  output: Output,
  name: string | undefined,
): Promise<number> {
  // The list and the check of the name need only the catalogue, not the experiments' packages.
  if (booleanFlag(flags, "list")) {
    if (name !== undefined) throw new UsageError("give an experiment's name or --list, not both");
    const width = Math.max(...CATALOGUE.map((e) => e.name.length)) + 2;
    output.log(CATALOGUE.map((e) => `${e.name.padEnd(width)}${e.summary}`).join("\n"));
    if (booleanFlag(flags, "json"))
      output.json(CATALOGUE.map(({ name, summary }) => ({ name, summary })));
    return 0;
  }
  if (name === undefined) {
    throw new UsageError("name an experiment (handgrad experiment --list shows them)");
  }
  checkedExperimentName(name);
  const experiments = await loadExperiments();
  if (experiments === undefined) {
    output.log(
      `handgrad experiment: the experiments need vega, vega-lite and decimal.js, which are not installed: ${EXPERIMENT_INSTALL}`,
    );
    return 2;
  }
  const { experimentByName, figureFileName, renderSvg, tableText } = experiments;
  const experiment = experimentByName(name);
  const seed = seedFlag(flags);
  const folder = pathFlag(flags, "figures") ?? ".";
  assertFolderWritable(folder); // fail before the run, not after it
  const result = experiment.run({ seed });
  const files = result.figures.map((figure) => join(folder, figureFileName(name, figure)));
  assertNoCollisions(files.map((file) => fileRole("output", "a figure", file, "figure")).flat());
  for (const file of files) assertWritable(file);
  for (const [i, figure] of result.figures.entries()) {
    writeFileAtomic(files[i] as string, await renderSvg(figure.spec));
  }
  output.log(
    [
      `handgrad experiment ${name} --seed ${seed}: ${experiment.summary}`,
      ...result.tables.map((t) => `\n${tableText(t)}`),
      "",
      ...result.figures.map(
        (figure, i) => `figure: ${shown(files[i] as string)} (${figure.title})`,
      ),
    ].join("\n"),
  );
  if (booleanFlag(flags, "json")) {
    output.json({
      experiment: name,
      seed,
      tables: result.tables,
      numbers: result.numbers,
      figures: files,
    });
  }
  return 0;
}

/**
 * Throws a FileError naming the folder (not a figure the experiment may not even draw) when
 * no file can be created in it: a probe file is created and removed by assertWritable.
 */
function assertFolderWritable(folder: string): void {
  const probe = join(folder, "handgrad-figure-probe.svg");
  try {
    assertWritable(probe);
  } catch (error) {
    if (!(error instanceof FileError)) throw error;
    const prefix = `cannot write ${probe}: `;
    const reason = error.message.startsWith(prefix)
      ? error.message.slice(prefix.length)
      : error.message;
    throw new FileError(`cannot write figures to ${folder}: ${reason}`);
  }
}

/**
 * The experiments module, loaded on demand (Vega takes most of a second to load, which no
 * other command should pay), or undefined when one of EXPERIMENT_PACKAGES is not installed.
 */
async function loadExperiments(): Promise<typeof import("../../experiments/index.js") | undefined> {
  try {
    return await import("../../experiments/index.js");
  } catch (error) {
    if (isMissingPackage(error)) return undefined;
    throw error;
  }
}

/** Node's error for an import of one of EXPERIMENT_PACKAGES that is not installed. */
function isMissingPackage(error: unknown): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return (
    code === "ERR_MODULE_NOT_FOUND" &&
    typeof message === "string" &&
    EXPERIMENT_PACKAGES.some((name) => message.includes(`'${name}'`))
  );
}
