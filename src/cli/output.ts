/** Where a command writes: stdout carries only JSON; everything for people goes to stderr. */
export interface Output {
  /** A JSON document on stdout. */
  json(value: unknown): void;
  /** A line for people on stderr. */
  log(line: string): void;
  /** True when stderr is a terminal (progress bars are drawn only then). */
  readonly interactive: boolean;
}

export const processOutput: Output = {
  json: (value) => void process.stdout.write(`${jsonText(value)}\n`),
  log: (line) => void process.stderr.write(`${line}\n`),
  interactive: process.stderr.isTTY === true,
};

/** Pretty JSON; a non-finite number is a bug upstream (JSON would silently print null). */
export function jsonText(value: unknown): string {
  return JSON.stringify(
    value,
    (key, v: unknown) => {
      if (typeof v === "number" && !Number.isFinite(v)) {
        throw new Error(`internal: non-finite number ${v} at key "${key}" in JSON output`);
      }
      return v;
    },
    2,
  );
}

/**
 * Text a user gave (a path, a label) made safe to print on one line: control characters,
 * such as a newline in a file name, as escapes (\n, \u0000, \u007f).
 */
export function shown(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]/g, (c) =>
    c === "\u007f" ? "\\u007f" : JSON.stringify(c).slice(1, -1),
  );
}
