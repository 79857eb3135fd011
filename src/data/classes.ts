/**
 * Class labels: the one mapping from labels as they appear in data (strings or numbers) to the
 * class indices 0..K−1 the network is trained on, used by the Classifier (labels in arrays),
 * the CSV readers (labels in cells) and the model file (its "classes").
 *
 *   classes  = the distinct labels, sorted: numbers numerically, then strings by code unit;
 *              with two classes and a positive label, the other one first (−0 is the label
 *              0, here as in a CSV cell: one class, written 0)
 *   index    = a label's position in classes (class 1 of two is the positive one, p = σ(z2))
 *
 * Two labels are one class when they have the same text (labelKey): a CSV cell cannot tell the
 * number 1 from the string "1", so no list of classes may hold both. A CSV cell is a number
 * when it matches the strict decimal grammar (decimal.ts: "1", "1.0" and "1e0" are the number
 * 1), else a string, trimmed (labelOfCell).
 *
 * Pure and browser-safe.
 */
import { DataError, UsageError } from "../errors.js";
import { parseDecimal } from "./decimal.js";

/** A class label as it appeared in the data: a string or a finite number. */
export type ClassLabel = string | number;

/** The most classes a data set may have (and `--classes` accept). */
export const MAX_CLASSES = 1000;

/**
 * The text a label is compared by: two labels with the same text (1 and "1") would be one
 * value in a CSV file, so a model may not hold both.
 */
export function labelKey(label: ClassLabel): string {
  return typeof label === "string" ? label : String(label); // String(-0) is "0"
}

/** A label as a class holds it: −0 is 0 (one class, as in a CSV cell); anything else as given. */
export function normalLabel(label: ClassLabel): ClassLabel {
  return label === 0 ? 0 : label;
}

/** The order of classes: numbers numerically, before strings by code unit. */
export function compareLabels(a: ClassLabel, b: ClassLabel): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "number") return -1;
  if (typeof b === "number") return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Where labels come from, for messages: `fit: … in y`, `data.csv: … in column "y"`. */
export interface LabelSource {
  /** What starts every message: the operation or the file. */
  readonly op: string;
  /** The labels' name: "y", `column "diagnosis"`. */
  readonly what: string;
}

/**
 * The distinct labels, sorted (see the header); with two and `positive`, the other first. One
 * class only, two labels with the same text, or a `positive` that is not one of two classes,
 * is refused.
 */
export function classesOf(
  labels: ArrayLike<ClassLabel>,
  positive: ClassLabel | undefined,
  from: LabelSource,
): ClassLabel[] {
  const byText = new Map<string, ClassLabel>();
  for (let i = 0; i < labels.length; i++) {
    const label = normalLabel(labels[i] as ClassLabel);
    const text = labelKey(label);
    const seen = byText.get(text);
    if (seen === undefined) byText.set(text, label);
    else if (typeof seen !== typeof label)
      throw new DataError(
        `${from.op}: ${from.what} holds both ${JSON.stringify(seen)} and ${JSON.stringify(label)}, a number and a string with the same text; use one kind`,
      );
  }
  const classes = [...byText.values()].sort(compareLabels);
  if (classes.length < 2)
    throw new DataError(
      `${from.op}: every label in ${from.what} is ${JSON.stringify(classes[0])}: a classifier needs at least two classes`,
    );
  return positive === undefined ? classes : withPositive(classes, positive, from);
}

/** Two classes ordered so that `positive` is class 1; refused unless it is one of exactly two. */
export function withPositive(
  classes: readonly ClassLabel[],
  positive: ClassLabel,
  from: LabelSource,
): ClassLabel[] {
  if (classes.length !== 2)
    throw new UsageError(
      `${from.op}: positive applies to two classes, but ${from.what} has ${classes.length}`,
    );
  const k = classes.findIndex((c) => labelKey(c) === labelKey(positive));
  if (k < 0)
    throw new DataError(
      `${from.op}: positive ${JSON.stringify(positive)} is not a label in ${from.what} (${labelList(classes)})`,
    );
  const [first, second] = classes.map(normalLabel) as [ClassLabel, ClassLabel];
  return k === 1 ? [first, second] : [second, first];
}

/** A label's class index in `classes`, or −1 when it is none of them (by text and kind). */
export function classIndexer(classes: readonly ClassLabel[]): (label: ClassLabel) => number {
  const index = new Map(classes.map((c, k) => [labelKey(c), k]));
  return (label) => {
    const k = index.get(labelKey(label));
    return k === undefined || typeof classes[k] !== typeof label ? -1 : k;
  };
}

/**
 * Each label's index in `classes`; a label not among them is refused, naming it as
 * `name(i)` (default `y[i]`).
 */
export function labelIndices(
  labels: ArrayLike<ClassLabel>,
  classes: readonly ClassLabel[],
  op: string,
  name: (i: number) => string = (i) => `y[${i}]`,
): Float64Array {
  const indexOf = classIndexer(classes);
  const out = new Float64Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i] as ClassLabel;
    const k = indexOf(label);
    if (k < 0)
      throw new DataError(
        `${op}: ${name(i)} is ${JSON.stringify(label)}, not one of the model's classes (${labelList(classes)})`,
      );
    out[i] = k;
  }
  return out;
}

/** The labels for a message: `"B", "M"`, `0, 1`. */
export function labelList(classes: readonly ClassLabel[]): string {
  return classes.map((c) => JSON.stringify(c)).join(", ");
}

/**
 * The label a CSV cell holds: a number when the cell matches the decimal grammar (−0 read as
 * 0), else the cell's text, trimmed. An empty cell, or a number that overflows a double, is
 * no label: the text of the fault is returned as a DataError's message tail instead.
 */
export function labelOfCell(cell: string): ClassLabel | { readonly fault: string } {
  const value = parseDecimal(cell);
  if (!Number.isNaN(value)) {
    if (!Number.isFinite(value)) return { fault: "is not a finite number (it overflows a double)" };
    return normalLabel(value);
  }
  const text = cell.trim();
  return text === "" ? { fault: "is empty: every row needs a label" } : text;
}

/** The labels 0..K−1: the classes of integer labels (the toy sets, `--classes K`). */
export function integerClasses(K: number): number[] {
  return Array.from({ length: K }, (_, k) => k);
}

/**
 * The fewest rows a class must have on average when there are more than two classes: fewer,
 * and the labels look like an id, free text or a continuous target, not classes.
 */
export const MIN_ROWS_PER_CLASS = 2;

/**
 * The one check that labels are classes, run on the classes found from the labels by the CSV
 * readers and by the Classifier's fit: at most MAX_CLASSES, and with more than two, at least
 * MIN_ROWS_PER_CLASS rows a class on average. Refused otherwise (a DataError), saying what
 * the labels look like (a continuous target, or an id or free text), naming labels that
 * differ only in case, and, for a CSV (`csv`: the CLI's words), what to do: --ignore the
 * column or name the label column, or --classes K when the labels are the integers 0..K−1.
 */
export function assertClassesLearnable(
  classes: readonly ClassLabel[],
  rows: number,
  from: LabelSource,
  csv = false,
): void {
  const K = classes.length;
  if (K <= MAX_CLASSES && (K <= 2 || MIN_ROWS_PER_CLASS * K <= rows)) return;
  const shown = K <= 3 ? labelList(classes) : `${labelList(classes.slice(0, 3))}, …`;
  const text = classes.some((label) => typeof label === "string");
  const integers = !text && classes.every((label, k) => label === k);
  const cases = caseVariants(classes);
  const looks = text
    ? `it looks like an id or free text, not classes${cases.length > 0 ? ` (labels that differ only in case: ${caseList(cases)}; write each label one way if they mean the same)` : ""}${csv ? "; --ignore it, or name the label column with --label" : ""}`
    : `it looks like a continuous target (a number to predict), not classes${csv && integers ? `; if these are ${K} classes, say so with --classes ${K}` : ""}`;
  const need =
    K > MAX_CLASSES
      ? `handgrad classifies into at most ${MAX_CLASSES} classes`
      : `a class needs rows to learn from (at least ${MIN_ROWS_PER_CLASS} a class on average)`;
  throw new DataError(
    `${from.op}: ${from.what} has ${K} different labels in ${rows} rows (${shown}): ${looks}; ${need}`,
  );
}

/** The groups of string labels that differ only in case (["Yes", "yes"], …), in label order. */
export function caseVariants(classes: readonly ClassLabel[]): string[][] {
  const byCase = new Map<string, string[]>();
  for (const label of classes) {
    if (typeof label !== "string") continue;
    const key = label.toLowerCase();
    byCase.set(key, [...(byCase.get(key) ?? []), label]);
  }
  return [...byCase.values()].filter((group) => group.length > 1);
}

/** Case-variant groups for a message: `"No", "no"; "YES", "Yes", "yes"` (three at most). */
export function caseList(groups: readonly (readonly string[])[]): string {
  const shown = groups.slice(0, 3).map((group) => labelList(group));
  return `${shown.join("; ")}${groups.length > 3 ? "; …" : ""}`;
}
