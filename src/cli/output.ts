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
 * Text a user gave (a path, a label) made safe to print on one line: control characters
 * (C0, DEL, C1), line and paragraph separators and the bidirectional-text controls (which
 * can make a terminal show text other than what is there) as escapes: \n, \u0000, \u202e.
 */
export function shown(text: string): string {
  return text.replace(UNPRINTABLE, (c) =>
    c < " " && JSON.stringify(c).length === 4
      ? JSON.stringify(c).slice(1, -1)
      : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

const UNPRINTABLE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * A word as a shell reads it back: bare when safe, else in single quotes, or, when it holds
 * control characters, as $'…' with escapes (bash, zsh, and POSIX sh since 2024), so that a
 * newline in a path does not break the printed line.
 */
export function shellWord(word: string): string {
  if (/^[\w.,/:=+@%-]+$/.test(word)) return word;
  // eslint-disable-next-line no-control-regex
  if (!/[\u0000-\u001f\u007f]/.test(word)) return `'${word.replace(/'/g, `'\\''`)}'`;
  const escaped = Array.from(word, (c) => {
    const code = c.charCodeAt(0);
    if (c === "\\" || c === "'") return `\\${c}`;
    if (code < 0x20 || code === 0x7f) return `\\x${code.toString(16).padStart(2, "0")}`;
    return c;
  }).join("");
  return `$'${escaped}'`;
}
