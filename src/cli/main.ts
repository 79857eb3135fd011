/**
 * The `handgrad` command line. Thin: parses flags, calls the library, prints.
 * Exit codes: 0 success, 1 gradient check failed, 2 bad input or usage, 3 training
 * diverged, 70 an internal error (a bug: please report it), 130/143 train interrupted by
 * SIGINT/SIGTERM (its state checkpointed). `playground` serves until SIGINT/SIGTERM, then exits 0.
 */
import { readFileSync } from "node:fs";
import { HandgradError } from "../errors.js";
import { didYouMean, quote } from "../suggest.js";
import { benchCommand, BENCH_FLAGS } from "./commands/bench.js";
import { checkGradsCommand, CHECK_GRADS_FLAGS } from "./commands/check-grads.js";
import { demoCommand, DEMO_FLAGS } from "./commands/demo.js";
import { experimentCommand, EXPERIMENT_FLAGS } from "./commands/experiment.js";
import { explainCommand, EXPLAIN_FLAGS } from "./commands/explain.js";
import { gradCommand, GRAD_FLAGS } from "./commands/grad.js";
import { gradcheckCommand, GRADCHECK_FLAGS } from "./commands/gradcheck.js";
import { playgroundCommand, PLAYGROUND_FLAGS } from "./commands/playground.js";
import { predictCommand, PREDICT_FLAGS } from "./commands/predict.js";
import { trainCommand, TRAIN_FLAGS } from "./commands/train.js";
import { flagHelp, parseFlags, type Flags, type FlagSpecs } from "./flags.js";
import { processOutput, shown, type Output } from "./output.js";

interface Command {
  readonly summary: string;
  readonly flags: FlagSpecs;
  /** The command takes one word before its options (`handgrad experiment NAME`). */
  readonly positional?: string;
  readonly run: (flags: Flags, output: Output, word?: string) => number | Promise<number>;
}

const COMMANDS: Readonly<Record<string, Command>> = {
  demo: {
    summary: "train on two moons and check the gradients (no arguments needed)",
    flags: DEMO_FLAGS,
    run: demoCommand,
  },
  train: {
    summary: "train the network on a toy data set or a CSV file",
    flags: TRAIN_FLAGS,
    run: trainCommand,
  },
  gradcheck: {
    summary: "compare the analytic gradients with central differences",
    flags: GRADCHECK_FLAGS,
    run: gradcheckCommand,
  },
  grad: {
    summary: "print the loss and the gradients of a model on a data set",
    flags: GRAD_FLAGS,
    run: gradCommand,
  },
  explain: {
    summary: "a worked example: every step of forward, backward and the update, with its numbers",
    flags: EXPLAIN_FLAGS,
    run: explainCommand,
  },
  "check-grads": {
    summary: "compare your own gradients (--grads FILE, as grad prints them) with handgrad's",
    flags: CHECK_GRADS_FLAGS,
    run: checkGradsCommand,
  },
  predict: {
    summary: "probability and class of every row of a CSV file",
    flags: PREDICT_FLAGS,
    run: predictCommand,
  },
  experiment: {
    summary: "run an experiment behind the docs: print its table, write its figure (--list)",
    positional: "NAME",
    flags: EXPERIMENT_FLAGS,
    run: experimentCommand,
  },
  bench: {
    summary: "train a synthetic workload (toy, tab, wide) and report examples/s, GFLOP/s, memory",
    flags: BENCH_FLAGS,
    run: benchCommand,
  },
  playground: {
    summary: "serve the browser playground on http://127.0.0.1:8157/ (--port, --open)",
    flags: PLAYGROUND_FLAGS,
    run: (flags, output) => playgroundCommand(flags, output),
  },
};

export const EXIT_INTERNAL_ERROR = 70;

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length)) + 2;
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}${c.summary}`);
  return `usage: handgrad <command> [options]\n\ncommands:\n${lines.join("\n")}\n\nhandgrad <command> --help (or handgrad help <command>) lists a command's options;\nhandgrad --version prints the version.`;
}

/** The help of one command: its usage line, summary and options. */
function commandHelp(name: string, command: Command): string {
  const word = command.positional ? ` [${command.positional}]` : "";
  return `usage: handgrad ${name}${word} [options]\n${command.summary}\n\noptions:\n${flagHelp(command.flags)}`;
}

/** The package's version, read from its package.json (the one place it is written). */
function packageVersion(): string {
  // ../../package.json from both src/cli/ and dist/cli/.
  const text = readFileSync(new URL("../../package.json", import.meta.url), "utf8");
  return (JSON.parse(text) as { version: string }).version;
}

/** Runs the command line `args` (without "node handgrad") and returns the exit code. */
export async function main(
  args: readonly string[],
  output: Output = processOutput,
): Promise<number> {
  const [first, ...afterFirst] = args;
  const [topic, extra] = afterFirst;
  if (first === "--version" || first === "-V") {
    if (topic !== undefined) return unexpected(topic, first, output);
    output.log(packageVersion());
    return 0;
  }
  // help, --help and -h: alone, the general help; with a command (help COMMAND, --help
  // COMMAND), that command's; `help help` is the general help too.
  const helpWord = first === "help" || first === "--help" || first === "-h";
  if (helpWord && extra !== undefined) return unexpected(extra, first, output);
  const helpOf = helpWord && topic !== undefined && !topic.startsWith("-") ? topic : undefined;
  if (helpWord && (helpOf === undefined || helpOf === "help")) {
    output.log(usage());
    return 0;
  }
  const [name, ...rest] = helpOf === undefined ? args : [helpOf, "--help"];
  const command = name !== undefined && Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    const hint = name === undefined ? "" : didYouMean(name, Object.keys(COMMANDS));
    const what = name === undefined ? "no command given" : `unknown command ${printable(name)}`;
    output.log(
      `handgrad: ${what} (${hint}commands: ${Object.keys(COMMANDS).join(", ")}; see handgrad --help)`,
    );
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    output.log(commandHelp(name as string, command));
    return 0;
  }
  try {
    const word = command.positional && rest[0] !== undefined && !rest[0].startsWith("--");
    const flagArgs = word ? rest.slice(1) : rest;
    return await command.run(
      parseFlags(flagArgs, command.flags, name as string),
      output,
      word ? rest[0] : undefined,
    );
  } catch (error) {
    if (error instanceof HandgradError) {
      const bug = error.exitCode === EXIT_INTERNAL_ERROR ? " (a bug: please report it)" : "";
      // The message says what is wrong; the class name is for code, not for the user.
      output.log(`handgrad ${name}: ${shown(error.message)}${bug}`);
      return error.exitCode;
    }
    output.log(
      `handgrad ${name}: internal error (please report it):\n${(error as Error).stack ?? String(error)}`,
    );
    return EXIT_INTERNAL_ERROR;
  }
}

/** The one-line refusal of an argument that `word` (--version, help) does not take. */
function unexpected(argument: string, word: string, output: Output): number {
  output.log(
    `handgrad: unexpected argument ${printable(argument)} for ${word} (see handgrad --help)`,
  );
  return 2;
}

/** A word the user typed, quoted, escaped and cut to a readable length. */
function printable(word: string): string {
  return shown(quote(word));
}
