/**
 * Command-line flags: a small strict parser (`--name value` or `--name=value`; booleans take
 * no value) and typed readers that turn a flag's text into a validated value or a
 * UsageError that names the flag.
 */
import { parseDecimal } from "../data/decimal.js";
import { UsageError } from "../errors.js";
import { didYouMean } from "../suggest.js";

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

/** The flags given, by name: strings for valued flags, true for booleans. */
export type Flags = ReadonlyMap<string, string | true>;

export function parseFlags(args: readonly string[], specs: FlagSpecs, command: string): Flags {
  const flags = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (!arg.startsWith("--")) {
      throw new UsageError(
        `unexpected argument ${JSON.stringify(arg)} for "${command}" (see handgrad ${command} --help)`,
      );
    }
    const equals = arg.indexOf("=");
    const name = arg.slice(2, equals === -1 ? undefined : equals);
    const spec = Object.hasOwn(specs, name) ? specs[name] : undefined;
    if (!spec)
      throw new UsageError(
        `unknown option --${name} for "${command}" (${didYouMean(name, Object.keys(specs), (n) => `--${n}`)}see handgrad ${command} --help)`,
      );
    if (flags.has(name)) throw new UsageError(`option --${name} is given more than once`);
    if (spec.kind === "boolean") {
      if (equals !== -1) throw new UsageError(`option --${name} takes no value`);
      flags.set(name, true);
      continue;
    }
    const value = equals !== -1 ? arg.slice(equals + 1) : args[++i];
    // "--epochs --save x" is a forgotten value, not the value "--save".
    if (value === undefined || (equals === -1 && value.startsWith("--"))) {
      throw new UsageError(`option --${name} needs a value`);
    }
    flags.set(name, value);
  }
  return flags;
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
    throw new UsageError(`--${name} must be a finite number, got "${text}"`);
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
  if (!valid(value)) throw new UsageError(`--${name} must be ${rule}, got ${text}`);
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

/** One of a fixed set of words, or the default. */
export function choiceFlag<T extends string>(
  flags: Flags,
  name: string,
  choices: readonly T[],
  fallback: T,
): T {
  const text = stringFlag(flags, name);
  if (text === undefined) return fallback;
  if (!(choices as readonly string[]).includes(text)) {
    throw new UsageError(`--${name} must be one of ${choices.join(", ")}, got "${text}"`);
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
    throw new UsageError(`--threads must be "auto" or an integer from 1 to ${max}, got "${text}"`);
  }
  return value;
}
