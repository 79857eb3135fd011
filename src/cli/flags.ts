/**
 * Command-line flags, read by node:util parseArgs (`--name value` or `--name=value`; booleans
 * take no value), and typed readers that turn a flag's text into a validated value or a
 * UsageError that names the flag.
 *
 * parseArgs runs with strict: false and tokens: true, and parseFlags enforces strictness
 * itself on the tokens, in order, so that the first fault in the arguments is the one named,
 * in the project's words. strict: true cannot keep two behaviours of this command line:
 *   - a value that starts with one dash, `--seed -1` or `--bias-init -0.5`: strict parseArgs
 *     refuses it as "ambiguous" (ERR_PARSE_ARGS_INVALID_OPTION_VALUE), where a value of `-1`
 *     is a value that the flag's reader then judges ("--seed must be an integer …");
 *   - the option's name in the message: strict errors carry it only inside node's English
 *     text, which a UsageError must not show or parse.
 * parseArgs refuses repeated options in neither mode (the last would win), so the tokens are
 * needed for "given more than once" anyway. With strict: false, parseArgs throws no
 * ERR_PARSE_ARGS_* error at all: every fault below is found on the tokens. Only options of
 * Node 20.19 (the engines floor) are used: no allowNegative (`--no-shuffle` is a flag's name).
 *
 *   token                                  message
 *   positional `x`, short option `-x`      unexpected argument "x" for "CMD" (see …)
 *   option-terminator `--`                 unknown option -- for "CMD" (see …)
 *   option not in the specs                unknown option --NAME for "CMD" (did you mean …? see …)
 *   option seen before                     option --NAME is given more than once
 *   boolean with `=value`                  option --NAME takes no value
 *   string without a value, or with the    option --NAME needs a value
 *   next argument `--…` as its value
 */
import { parseArgs } from "node:util";
import { parseDecimal } from "../data/decimal.js";
import { UsageError } from "../errors.js";
import { didYouMean, quote, suggestion } from "../suggest.js";

/** A flag that takes a value (`--hidden 16`) or none (`--json`). */
export type FlagSpec =
  | {
      readonly kind: "string";
      /** The value's placeholder in --help: `H`, `FILE.csv`, `fast|plain`. */
      readonly value: string;
      /** One line for --help. */
      readonly help: string;
    }
  | { readonly kind: "boolean"; readonly help: string };

export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

/** The flags given, by name, in command-line order: strings for valued flags, true for booleans. */
export type Flags = ReadonlyMap<string, string | true>;

export function parseFlags(args: readonly string[], specs: FlagSpecs, command: string): Flags {
  const options = Object.fromEntries(
    Object.entries(specs).map(([name, spec]) => [name, { type: spec.kind }]),
  );
  const { tokens } = parseArgs({
    args: [...args],
    options,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const see = `see handgrad ${command} --help`;
  const flags = new Map<string, string | true>();
  for (const token of tokens) {
    // A positional, or a short option (`-x`, `-abc`: parseArgs splits it; name the argument).
    if (
      token.kind === "positional" ||
      (token.kind === "option" && !token.rawName.startsWith("--"))
    ) {
      throw new UsageError(
        `unexpected argument ${quote(args[token.index] ?? "")} for "${command}" (${see})`,
      );
    }
    const name = token.kind === "option" ? token.name : ""; // "--" ends the options: none here
    const spec = Object.hasOwn(specs, name) ? specs[name] : undefined;
    if (token.kind === "option-terminator" || !spec) {
      const hint = didYouMean(name, Object.keys(specs), (n) => `--${n}`);
      throw new UsageError(
        `unknown option ${quote(name, (n) => `--${n}`)} for "${command}" (${hint}${see})`,
      );
    }
    if (flags.has(name)) throw new UsageError(`option --${name} is given more than once`);
    if (spec.kind === "boolean") {
      if (token.inlineValue) throw new UsageError(`option --${name} takes no value`);
      flags.set(name, true);
      continue;
    }
    // "--epochs --save x" is a forgotten value, not the value "--save" (parseArgs takes it).
    const { value, inlineValue } = token;
    if (value === undefined || (!inlineValue && value.startsWith("--"))) {
      throw new UsageError(`option --${name} needs a value`);
    }
    flags.set(name, value);
  }
  return flags;
}

/**
 * The longest path a flag takes, in UTF-8 bytes: Linux's PATH_MAX (macOS's is 1024). No file
 * has a longer one, and an error that echoed it whole would flood the terminal.
 */
const MAX_PATH_BYTES = 4096;

/** The path a file flag names, or undefined when absent; one that no file can have is refused. */
export function pathFlag(flags: Flags, name: string): string | undefined {
  const path = stringFlag(flags, name);
  if (path !== undefined && Buffer.byteLength(path) > MAX_PATH_BYTES) {
    throw new UsageError(
      `--${name} is too long to be a file's path (more than ${MAX_PATH_BYTES} bytes): ${quote(path)}`,
    );
  }
  return path;
}

/** read() when the flag is given, else undefined (the reader's own default is then unused). */
export function optionalFlag<T>(flags: Flags, name: string, read: () => T): T | undefined {
  return flags.has(name) ? read() : undefined;
}

/** The text of a valued flag, or undefined when absent. */
export function stringFlag(flags: Flags, name: string): string | undefined {
  const value = flags.get(name);
  return value === true ? undefined : value;
}

export function booleanFlag(flags: Flags, name: string): boolean {
  return flags.get(name) === true;
}

/** A finite decimal number in the grammar of CSV cells (no hex, no "Infinity", no empty text). */
export function parseNumber(name: string, text: string): number {
  const value = parseDecimal(text);
  if (!Number.isFinite(value))
    throw new UsageError(`--${name} must be a finite number, got ${quote(text)}`);
  return value;
}

/** A number flag that must satisfy `valid` (described by `rule`), or the default. */
export function numberFlag(
  flags: Flags,
  name: string,
  fallback: number,
  valid: (x: number) => boolean,
  rule: string,
): number {
  const text = stringFlag(flags, name);
  if (text === undefined) return fallback;
  const value = parseNumber(name, text);
  if (!valid(value))
    throw new UsageError(`--${name} must be ${rule}, got ${quote(text, (t) => t)}`);
  return value;
}

/** An integer flag in [min, max], or the default. */
export function integerFlag(
  flags: Flags,
  name: string,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  return numberFlag(
    flags,
    name,
    fallback,
    (x) => Number.isInteger(x) && x >= min && x <= max,
    integerRule(min, max),
  );
}

function integerRule(min: number, max: number): string {
  if (max === Number.MAX_SAFE_INTEGER) return `an integer from ${min} to 2^53 − 1`;
  return `an integer from ${min} to ${max}`;
}

/**
 * One of a fixed set of words, or the default; a word that is not one of them gets the
 * closest as "did you mean" (case is ignored: `--engine Fast` suggests fast).
 */
export function choiceFlag<T extends string>(
  flags: Flags,
  name: string,
  choices: readonly T[],
  fallback: T,
): T {
  const text = stringFlag(flags, name);
  if (text === undefined) return fallback;
  if (!(choices as readonly string[]).includes(text)) {
    const hint = suggestion(text, choices, (word) => word);
    throw new UsageError(
      `--${name} must be one of ${choices.join(", ")}, got ${quote(text)}${hint}`,
    );
  }
  return text as T;
}

/** The help lines for a set of flags: `--name VALUE` (booleans: `--name`), then the help, aligned. */
export function flagHelp(specs: FlagSpecs): string {
  const entries = Object.entries(specs).map(([name, spec]) => ({
    usage: spec.kind === "string" ? `--${name} ${spec.value}` : `--${name}`,
    help: spec.help,
  }));
  // Width in code points, so "--lr η" lines up with ASCII placeholders.
  const width = Math.max(...entries.map((e) => Array.from(e.usage).length)) + 4;
  return entries
    .map(({ usage, help }) => `  ${usage}${" ".repeat(width - Array.from(usage).length)}${help}`)
    .join("\n");
}

/** --threads: "auto" (the default) or a thread count from 1 to `max`. */
export function threadsFlag(flags: Flags, max: number): number | "auto" {
  const text = stringFlag(flags, "threads");
  if (text === undefined || text === "auto") return "auto";
  const value = parseDecimal(text);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new UsageError(
      `--threads must be "auto" or an integer from 1 to ${max}, got ${quote(text)}`,
    );
  }
  return value;
}
