/**
 * Sizes are checked before work: each command that allocates per row or per hidden unit
 * estimates its peak memory from the shape (train/memory.ts) as soon as the shape is known (a
 * toy set's before it is generated, a CSV file's after the pass that counts its rows and before
 * the pass that reads them) and refuses, with exit 2 and one line, a run that cannot fit:
 *
 *   memory     the estimate must stay within USABLE_FRACTION of the machine's memory, the
 *              smaller of os.totalmem() and the cgroup limit (process.constrainedMemory(),
 *              which reads /sys/fs/cgroup/memory.max, or memory.limit_in_bytes under cgroup
 *              v1). The other 20% is for the operating system and other processes and for
 *              the estimate's error: measured peaks came within −13% to +17% of it
 *              (README, "Inputs accepted", "Sizes").
 *   one array  at most MAX_FLOAT64_ARRAY_LENGTH values: beyond it Node throws "Invalid typed
 *              array length" (measured on Node 20.20; test/cli/sizes.test.ts checks it on the
 *              Node that runs the tests).
 *
 * WebAssembly's limit needs no refusal: the fast engine's backend (linalg/fastest.ts) falls
 * back to the JavaScript backend, bit-identical, where its buffers would pass the kernels'
 * 2 GiB memory, so only the arrays' own limit applies.
 */
import { constants as bufferConstants } from "node:buffer";
import { totalmem } from "node:os";
import { UsageError } from "../errors.js";
import {
  engineThreads,
  gradientCheckMemory,
  gradientMemory,
  predictionMemory,
  trainingMemory,
  type DataShape,
  type MemoryEstimate,
  type OptimizerName,
  type SizeKnob,
  type TrainEngine,
} from "../train/index.js";
import type { Model } from "../formats/index.js";
import type { ThreadsOption } from "../linalg/index.js";
import { DEFAULT_HIDDEN, type DataChoice, type NetworkChoice } from "./setup.js";

/** The longest Float64Array this Node allocates: 2³² values (measured on Node 20.20). */
export const MAX_FLOAT64_ARRAY_LENGTH = 2 ** 32;
/** The share of the machine's memory a run may plan to use. */
export const USABLE_FRACTION = 0.8;

/** What the machine and the runtime allow. */
export interface SizeLimits {
  /** The machine's memory (or the cgroup's limit), in bytes. */
  readonly memoryBytes: number;
  /** Where memoryBytes comes from, for messages: "this machine's", "the cgroup limit of". */
  readonly memorySource: string;
  readonly maxArrayLength: number;
  /** The longest string (characters): buffer.constants.MAX_STRING_LENGTH. */
  readonly maxTextLength: number;
}

/** The limits of this process: os.totalmem(), the cgroup limit if lower, the array limit. */
export function processLimits(): SizeLimits {
  const total = totalmem();
  const constrained = process.constrainedMemory?.() ?? 0;
  const cgroup = constrained > 0 && constrained < total;
  return {
    memoryBytes: cgroup ? constrained : total,
    memorySource: cgroup ? "the memory limit (cgroup) of" : "this machine's",
    maxArrayLength: MAX_FLOAT64_ARRAY_LENGTH,
    maxTextLength: bufferConstants.MAX_STRING_LENGTH,
  };
}

/** How a user lowers each size in this command (e.g. rows: "--samples"), where they can. */
export type SizeAdvice = Readonly<Partial<Record<SizeKnob, string>>>;

/**
 * A UsageError (exit 2), with one line saying how much is needed, how much there is and what
 * to lower, unless the estimate fits the limits.
 */
export function assertFits(
  estimate: MemoryEstimate,
  advice: SizeAdvice,
  limits: SizeLimits = processLimits(),
): void {
  const top = estimate.terms[0];
  if (top === undefined) return;
  const lower = adviceFor(top.lower, advice);
  if (estimate.largestArray > limits.maxArrayLength) {
    throw new UsageError(
      `this run needs a float64 array of ${count(estimate.largestArray)} values (${top.what}: ${top.size}), ` +
        `more than the ${count(limits.maxArrayLength)} Node allows in one array${lower}`,
    );
  }
  if (estimate.longestText > limits.maxTextLength) {
    const text = estimate.terms.find((t) => t.what === "the JSON output") ?? top;
    throw new UsageError(
      `this run's output would be a text of up to ${count(estimate.longestText)} characters (${text.what}: ${text.size}), ` +
        `more than the ${count(limits.maxTextLength)} Node allows in one string${adviceFor(text.lower, advice)}`,
    );
  }
  const usable = USABLE_FRACTION * limits.memoryBytes;
  if (estimate.bytes > usable) {
    throw new UsageError(
      `this run needs about ${gigabytes(estimate.bytes)} (${top.what}: ${top.size}), more than ` +
        `${Math.round(USABLE_FRACTION * 100)}% of ${limits.memorySource} ${gigabytes(limits.memoryBytes)}${lower}`,
    );
  }
}

/** "; lower --hidden or --samples" from the knobs of the largest term that the command has. */
function adviceFor(knobs: readonly SizeKnob[], advice: SizeAdvice): string {
  const ways = knobs.flatMap((k) => advice[k] ?? []).slice(0, 2);
  if (ways.length === 0) return "";
  // "lower --samples or --hidden"; a way that is not a number says itself ("leave out --json").
  return `; ${ways.map((w, i) => (i === 0 && !w.startsWith("leave out") ? `lower ${w}` : w)).join(" or ")}`;
}

/** The shape a command learns from its data: rows, features, and classes when known. */
export interface DataSize {
  readonly rows: number;
  readonly features: number;
  /** The classes the labels name (2 for binary labels). */
  readonly classes: number;
}

/** Called by loadData with the data's size before the rows are generated or read. */
export type SizeCheck = (size: DataSize) => void;

/** The network side of a shape: from a saved model, or the flags of a fresh one. */
export interface NetworkSize {
  readonly hidden: number;
  /** The saved model's outputs K; undefined for a fresh model (then K follows the classes). */
  readonly outputs?: number;
  readonly softmax: boolean;
  readonly standardize: boolean;
  /** The validation fraction (train only). */
  readonly validation?: number;
}

/** K: the saved model's, else the classes for softmax (or more than 2 classes), else 1. */
function outputsOf(network: NetworkSize, classes: number): number {
  return network.outputs ?? (network.softmax || classes > 2 ? classes : 1);
}

function dataShape(size: DataSize, network: NetworkSize): DataShape {
  const validationRows =
    network.validation === undefined ? 0 : Math.round(size.rows * network.validation);
  return {
    rows: size.rows,
    features: size.features,
    outputs: outputsOf(network, size.classes),
    hidden: network.hidden,
    validationRows,
    standardize: network.standardize,
  };
}

/** The options of a training loop that its memory depends on. */
export interface TrainingLoop {
  readonly batchSize: number | "full";
  readonly engine: TrainEngine;
  readonly threads: ThreadsOption;
  readonly epochs?: number;
  readonly json?: boolean;
  /** The update rule: its moments are kept beside the parameters. */
  readonly optimizer?: OptimizerName;
  /** Early stopping keeps the best epoch's parameters. */
  readonly earlyStopping?: boolean;
}

/** The check `handgrad train` (and demo) makes: trainingMemory of the run the flags describe. */
export function trainingSizeCheck(
  network: NetworkSize,
  loop: TrainingLoop,
  advice: SizeAdvice,
): SizeCheck {
  return (size) => {
    const shape = dataShape(size, network);
    const N = shape.rows - (shape.validationRows ?? 0);
    if (N < 1) return; // splitting refuses it, with its own message
    const batchSize = loop.batchSize === "full" ? N : Math.min(loop.batchSize, N);
    const threads =
      loop.engine === "plain"
        ? 1
        : engineThreads(N, batchSize, shape.features, shape.hidden, shape.outputs, loop.threads);
    const { engine, epochs, json, optimizer, earlyStopping } = loop;
    assertFits(
      trainingMemory({
        ...shape,
        batchSize,
        engine,
        threads,
        ...(epochs === undefined ? {} : { epochs }),
        ...(json === undefined ? {} : { json }),
        ...(optimizer === undefined ? {} : { optimizer }),
        ...(earlyStopping === undefined ? {} : { earlyStopping }),
      }),
      advice,
    );
  };
}

/** The check of `handgrad gradcheck` or `grad` (one forward and backward pass, or more). */
export function commandSizeCheck(
  command: "gradcheck" | "grad",
  network: NetworkSize,
  advice: SizeAdvice,
): SizeCheck {
  const memory = { gradcheck: gradientCheckMemory, grad: gradientMemory };
  return (size) => assertFits(memory[command](dataShape(size, network)), advice);
}

/**
 * The network's size as the flags give it (a fresh model) or a saved model has it, and what
 * a user can lower in this command.
 */
export function networkSize(
  choice: DataChoice,
  network: NetworkChoice,
  saved: Model | undefined,
): { network: NetworkSize; advice: SizeAdvice } {
  const advice: SizeAdvice = {
    rows: choice.file === undefined ? "--samples" : `the rows of ${choice.file}`,
    ...(saved ? {} : { hidden: "--hidden" }),
    ...(saved || choice.classes === undefined ? {} : { classes: "--classes" }),
    batch: "--batch-size",
    threads: "--threads",
    epochs: "--epochs",
    json: "leave out --json",
  };
  const size: NetworkSize = {
    hidden: saved?.params.W1.cols ?? network.hidden ?? DEFAULT_HIDDEN,
    ...(saved ? { outputs: saved.params.W2.cols } : {}),
    softmax: network.output === "softmax",
    standardize: choice.standardize || saved?.standardizer !== undefined,
    ...(choice.validation === undefined ? {} : { validation: choice.validation }),
  };
  return { network: size, advice };
}

/** trainingSizeCheck for the data and network the flags choose (`saved`: a model to continue). */
export function trainingCheck(
  choice: DataChoice,
  network: NetworkChoice,
  saved: Model | undefined,
  loop: TrainingLoop,
): SizeCheck {
  const size = networkSize(choice, network, saved);
  return trainingSizeCheck(size.network, loop, size.advice);
}

/** commandSizeCheck for the data and network the flags choose (`saved`: the model file's). */
export function commandCheck(
  command: "gradcheck" | "grad",
  choice: DataChoice,
  network: NetworkChoice,
  saved: Model | undefined,
): SizeCheck {
  const size = networkSize(choice, network, saved);
  return commandSizeCheck(command, size.network, size.advice);
}

/**
 * The check of `handgrad predict` on a CSV file of `rows` data rows: the model's forward pass
 * and the JSON output (and the --out file's text, with `csvOut`).
 */
export function predictionCheck(
  model: Model,
  file: string,
  csvOut: boolean,
): (rows: number) => void {
  const { W1, W2 } = model.params;
  return (rows) =>
    assertFits(
      predictionMemory(
        {
          rows,
          features: W1.rows,
          hidden: W1.cols,
          outputs: W2.cols,
          standardize: model.standardizer !== undefined,
        },
        csvOut,
      ),
      { rows: `the rows of ${file}` },
    );
}

/** 2.5e10 bytes as "23.3 GiB" (binary units, as byteSize elsewhere). */
function gigabytes(bytes: number): string {
  const gib = bytes / 2 ** 30;
  return gib >= 1 ? `${gib.toFixed(1)} GiB` : `${gib.toPrecision(2)} GiB`;
}

/** 4294967296 as "4 294 967 296". */
function count(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, " ");
}
