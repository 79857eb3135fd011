/**
 * Keeping docs/ and the experiments in step. A doc quotes an experiment in three ways:
 *
 *   inline number   <!--n:NAME.KEY-->36.74<!--/n-->               result.numbers[KEY]
 *   table           <!-- table:NAME.TABLE:start --> … <!-- table:NAME.TABLE:end -->
 *   figure          ![title](figures/NAME-FIGURE.svg)              written by `npm run docs`
 *
 * `syncDoc` rewrites the quotes from fresh results (`npm run docs`); `docDrift` lists every
 * quote that differs from them (the test suite fails on any).
 */
import type { ExperimentResult, Table } from "./experiment.js";
import { tableMarkdown } from "./table.js";

export type Results = ReadonlyMap<string, ExperimentResult>;

const NUMBER = /<!--n:([\w-]+)\.([\w.-]+)-->([\s\S]*?)<!--\/n-->/g;
const TABLE = /<!-- table:([\w-]+)\.([\w-]+):start -->([\s\S]*?)<!-- table:\1\.\2:end -->/g;
const FIGURE = /!\[[^\]]*\]\(figures\/([\w.-]+\.svg)\)/g;

/** The names of the experiments a doc quotes (numbers and tables). */
export function quotedExperiments(text: string): Set<string> {
  const names = new Set<string>();
  for (const m of text.matchAll(NUMBER)) names.add(m[1] as string);
  for (const m of text.matchAll(TABLE)) names.add(m[1] as string);
  return names;
}

/** The figure files (under docs/figures/) a doc embeds. */
export function embeddedFigures(text: string): string[] {
  return [...text.matchAll(FIGURE)].map((m) => m[1] as string);
}

/** The text with every quoted number and table replaced by its value in `results`. */
export function syncDoc(text: string, results: Results): string {
  return text
    .replace(NUMBER, (_, name: string, key: string) => {
      return `<!--n:${name}.${key}-->${numberOf(results, name, key)}<!--/n-->`;
    })
    .replace(TABLE, (_, name: string, table: string) => {
      const markdown = tableMarkdown(tableOf(results, name, table));
      return `<!-- table:${name}.${table}:start -->\n\n${markdown}\n\n<!-- table:${name}.${table}:end -->`;
    });
}

/** One line per quote that differs from `results` (empty when the doc is in step). */
export function docDrift(text: string, results: Results): string[] {
  const drift: string[] = [];
  // A line that starts with "<!--" begins an HTML block in Markdown and breaks the paragraph.
  text.split("\n").forEach((line, i) => {
    if (line.startsWith("<!--n:")) {
      drift.push(
        `line ${i + 1} starts with a quote, which breaks its paragraph: join it to the line above`,
      );
    }
  });
  for (const m of text.matchAll(NUMBER)) {
    const [, name, key, quoted] = m as unknown as [string, string, string, string];
    const value = numberOf(results, name, key);
    if (quoted !== value)
      drift.push(`${name}.${key}: the doc says ${quoted}, the experiment ${value}`);
  }
  for (const m of text.matchAll(TABLE)) {
    const [, name, table, quoted] = m as unknown as [string, string, string, string];
    const value = tableMarkdown(tableOf(results, name, table));
    if (unpadded(quoted.trim()) !== unpadded(value)) {
      drift.push(`table ${name}.${table} differs from the experiment's:\n${value}`);
    }
  }
  return drift;
}

function numberOf(results: Results, name: string, key: string): string {
  const numbers = resultOf(results, name).numbers;
  const value = Object.hasOwn(numbers, key) ? numbers[key] : undefined;
  if (value === undefined) {
    throw new Error(
      `experiment ${name} has no number "${key}" (it has: ${Object.keys(numbers).join(", ")})`,
    );
  }
  return value;
}

function tableOf(results: Results, name: string, table: string): Table {
  const tables = resultOf(results, name).tables;
  const found = tables.find((t) => t.name === table);
  if (!found) {
    throw new Error(
      `experiment ${name} has no table "${table}" (it has: ${tables.map((t) => t.name).join(", ")})`,
    );
  }
  return found;
}

function resultOf(results: Results, name: string): ExperimentResult {
  const result = results.get(name);
  if (!result)
    throw new Error(`the docs quote experiment "${name}", which was not run or does not exist`);
  return result;
}

/** Markdown table text without the padding the formatter adds. */
function unpadded(text: string): string {
  return text.replace(/ {2,}/g, " ").replace(/-{3,}/g, "---");
}

/**
 * Numbers with a fraction or an exponent ("36.04", "1e-15", "3e-16") written into the prose by
 * hand, outside quotes, code, tables, links and headings: each should be a quote of an
 * experiment. Version and section numbers ("version 1.2", "section 3.6", "§8.1") are allowed, and a
 * constant of the code or a cited fact goes in a code span (`0.01`).
 */
export function unquotedNumbers(text: string): string[] {
  const prose = text
    .replace(/```[\s\S]*?```/g, "")
    .replace(TABLE, "")
    .replace(NUMBER, "")
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/`[^`]*`/g, "")
    .replace(/!\[[^\]]*\]\([^)]*\)/g, "")
    .replace(/\]\([^)]*\)/g, "]")
    .replace(/^#.*$/gm, "")
    .replace(/\b(?:version|versions|section|sections)\s+\d+(?:\.\d+)+/gi, "")
    .replace(/§\s*\d+(?:\.\d+)*/g, "");
  return [...prose.matchAll(/(?<![\w.])\d+(?:\.\d+)?(?:e[+−-]?\d+)|(?<![\w.])\d+\.\d+/g)].map(
    (m) => m[0],
  );
}
