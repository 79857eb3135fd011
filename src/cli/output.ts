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
  json: (value) => void process.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
  log: (line) => void process.stderr.write(`${line}\n`),
  interactive: process.stderr.isTTY === true,
};
