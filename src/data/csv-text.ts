/**
 * CSV data sets from text held whole: a header row of column names, then one row of numbers
 * per example. No file access, so a browser can use it; io/csv-file.ts streams files through the same
 * table builder.
 *
 * Rules (every violation is a DataError naming the source, the line — 1-based, the header
 * is line 1, a record spanning lines is reported at its first line — the column and the
 * offending text, cut to 40 characters):
 *   - a UTF-8 byte-order mark is ignored; lines end in LF, CRLF or CR; cells may be quoted
 *     as in RFC 4180 (see csv-tokenizer.ts);
 *   - the delimiter is given (`delimiter`) or detected (csv-delimiter.ts);
 *   - the header is the first line; which column is what (features, label, ignored, extra)
 *     is csv-columns.ts's plan: names are trimmed, non-empty and unique unless ignored;
 *   - blank lines at the end are ignored; a blank line before a data row is an error (it
 *     usually means two files were joined or a row was lost, so it is not skipped silently);
 *   - every row has as many cells as the header;
 *   - every feature cell is a finite number in the strict grammar of decimal.ts; ignored and
 *     extra cells are not read;
 *   - the label column holds labels (classes.ts: a cell in the same grammar is a number, so
 *     "1", "1.0" and "1e0" are one class; anything else a string). The classes are, in this
 *     order of precedence: the ones given (`classes`, a model's); the integers
 *     0..maxClasses−1 (`maxClasses`: labels must be those integers as written); else found
 *     from the labels: 0 and 1 when every label is 0 or 1, otherwise the distinct labels
 *     sorted (numbers before strings; with two, `positive` names class 1). More than
 *     MAX_CLASSES distinct labels, or more than 2 with fewer than two rows a class on
 *     average, is refused: such a column looks like a continuous target (numbers) or an id
 *     or free text (strings), not classes. Numbers mixed with text, and labels that differ
 *     only in case, are read (each a class) with a warning.
 */
import { DataError, UsageError } from "../errors.js";
import { assertKnownKeys, quote } from "../suggest.js";
import { describeValue, matrix, type Matrix } from "../linalg/index.js";
import {
  assertClassesLearnable,
  caseList,
  caseVariants,
  classesOf,
  classIndexer,
  compareLabels,
  labelList,
  labelKey,
  labelOfCell,
  MAX_CLASSES,
  withPositive,
  type ClassLabel,
} from "./classes.js";
import {
  columnName,
  planColumns,
  type ColumnPlan,
  type ColumnPlanOptions,
  type ColumnRef,
} from "./csv-columns.js";
import { delimiterByName, detectDelimiter } from "./csv-delimiter.js";
import { forEachCsvRecord, type CellLocator, type RecordHandler } from "./csv-tokenizer.js";
import {
  checkMaxClasses,
  classList,
  isClassLabel,
  validateDataset,
  type Dataset,
  type FeatureTable,
} from "./dataset.js";
import { denotesInteger, parseDecimal } from "./decimal.js";

/** How to read a CSV of features (parseFeatureCsv, loadFeatureCsv). */
export interface FeatureCsvOptions {
  /** The file name (or any description) that starts every error message. */
  readonly source?: string | undefined;
  /**
   * The cell delimiter: "," ";" "\t" or "|", or its name (comma, semicolon, tab, pipe);
   * default: detected from the header and the first rows (see csv-delimiter.ts).
   */
  readonly delimiter?: string | undefined;
  /**
   * Columns never read, by header name or 0-based index: ids, dates, pandas' unnamed index
   * column (whose empty header cell is allowed only when it is ignored).
   */
  readonly ignore?: readonly ColumnRef[] | undefined;
}

/** How to read a labelled CSV (parseLabelledCsv, loadCsv): the columns and the classes. */
export interface LabelledCsvOptions extends FeatureCsvOptions {
  /** The label column: a header name (exact match) or a 0-based index; default: the last column. */
  readonly label?: ColumnRef | undefined;
  /**
   * Labels must be the integers 0..maxClasses−1, as written (`--classes K`): the classes are
   * those K, even when one is absent. Default: the classes are found from the labels.
   */
  readonly maxClasses?: number | undefined;
  /** The classes the labels must be among, in class-index order (a saved model's). */
  readonly classes?: readonly ClassLabel[] | undefined;
  /** With two classes found from the labels, the positive one (class 1); default: the second in sorted order. */
  readonly positive?: ClassLabel | undefined;
  /**
   * The feature columns by header name, in this order (a saved model's features): any column
   * order works, a missing one is refused, and columns left over are not read (a warning
   * lists them). Default: every column but the label and the ignored ones, in file order.
   */
  readonly features?: readonly string[] | undefined;
  /**
   * With `features`: the name of the saved model's label column (its file's "label"). The
   * label column is `label` if given, else the column of this name when the file has it,
   * else none (a labelled read is refused, asking for `label`); never the last column.
   */
  readonly modelLabel?: string | undefined;
}

/** What the CSV readers return beside the data. */
export interface CsvReport {
  /** The cell delimiter used: given, or detected. */
  readonly delimiter: string;
  /**
   * Lines for the user, each complete (data/ prints nothing; the CLI puts them on stderr):
   * a header of numbers only, columns a model does not use, labels not used.
   */
  readonly warnings: readonly string[];
}

/** A labelled data set from a CSV: y holds class indices, `classes` their labels. */
export interface LabelledCsv extends Dataset, CsvReport {
  /** The labels of the classes, in class-index order: a y of k means classes[k]. */
  readonly classes: readonly ClassLabel[];
}

/** Unlabelled rows from a CSV. */
export interface FeatureCsv extends FeatureTable, CsvReport {}

/** Rows to predict, and their class indices when the file has a label column the model's classes cover. */
export interface PredictionCsv extends FeatureCsv {
  /** The class indices of the rows (N×1), when there is a usable label column. */
  readonly y?: Matrix;
  /** The label column's name, when there is one. */
  readonly labelName?: string;
}

/** The keys of FeatureCsvOptions, and of LabelledCsvOptions: any other is refused. */
export const FEATURE_CSV_KEYS: readonly (keyof FeatureCsvOptions)[] = [
  "source",
  "delimiter",
  "ignore",
];
/** The keys of LabelledCsvOptions (see FEATURE_CSV_KEYS). */
export const LABELLED_CSV_KEYS: readonly (keyof LabelledCsvOptions)[] = [
  ...FEATURE_CSV_KEYS,
  "label",
  "maxClasses",
  "classes",
  "positive",
  "features",
  "modelLabel",
];

/**
 * The one check of a CSV reader's options (the text parsers' and io/csv-file.ts's): an
 * object (or undefined), with only the `known` keys, each value of its type — `source`,
 * `delimiter` and `modelLabel` strings, `label` a string or a number, `ignore` an array of
 * strings and numbers, `features` an array of strings, `positive` a string or a finite
 * number. Anything else is a UsageError starting with `op` (a string `ignore` would
 * otherwise be read as the list of its characters).
 */
export function assertCsvOptions(options: unknown, known: readonly string[], op: string): void {
  if (options === undefined) return;
  if (typeof options !== "object" || options === null || Array.isArray(options))
    throw new UsageError(`${op}: options must be an object, got ${describeValue(options)}`);
  assertKnownKeys(options, known, op);
  const o = options as Record<string, unknown>;
  const isString = (v: unknown) => typeof v === "string";
  const isRef = (v: unknown) => typeof v === "string" || typeof v === "number";
  const checks: readonly [string, (v: unknown) => boolean, string][] = [
    ["source", isString, "a string"],
    ["delimiter", isString, 'a string (",", ";", "\\t", "|" or its name)'],
    ["modelLabel", isString, "a string (a column name)"],
    ["label", isRef, "a column name (a string) or a 0-based index (a number)"],
    [
      "ignore",
      (v) => Array.isArray(v) && v.every(isRef),
      "an array of column names (strings) and 0-based indices (numbers)",
    ],
    [
      "features",
      (v) => Array.isArray(v) && v.every(isString),
      "an array of column names (strings)",
    ],
    [
      "positive",
      (v) => isString(v) || (typeof v === "number" && Number.isFinite(v)),
      "a class label (a string or a finite number)",
    ],
  ];
  for (const [key, valid, rule] of checks) {
    const value = o[key];
    if (value !== undefined && !valid(value))
      throw new UsageError(`${op}: ${key} must be ${rule}, got ${describeValue(value)}`);
  }
}

/** A labelled data set from CSV text (see the header for the rules). */
export function parseLabelledCsv(text: string, options: LabelledCsvOptions = {}): LabelledCsv {
  assertCsvOptions(options, LABELLED_CSV_KEYS, "parseLabelledCsv");
  const table = parseTable(text, tableOptions("labelled", options, text));
  return labelledResult(table, options.source);
}

/** Unlabelled rows from CSV text: every column not ignored is a feature. */
export function parseFeatureCsv(text: string, options: FeatureCsvOptions = {}): FeatureCsv {
  assertCsvOptions(options, FEATURE_CSV_KEYS, "parseFeatureCsv");
  return featureResult(parseTable(text, tableOptions("features", options, text)));
}

/**
 * Rows to predict with a model of D inputs. With `features` (the model's names) the columns
 * are found by name and a label column is optional (`label`, else the column named
 * `modelLabel` when the file has it; else none, with a note saying why); without, by position: D feature columns, or D + 1 one of which (`label`,
 * else the last) is the label. Labels outside the classes (`classes`, else 0..maxClasses−1,
 * default 0 and 1) are not refused: y is then absent and a warning says why.
 */
export function parsePredictionCsv(
  text: string,
  D: number,
  options: LabelledCsvOptions = {},
): PredictionCsv {
  assertCsvOptions(options, LABELLED_CSV_KEYS, "parsePredictionCsv");
  return predictionResult(parseTable(text, tableOptions("prediction", options, text, D)));
}

// ---------------------------------------------------------------------------------------
// The pieces io/csv-file.ts streams a file through.

/** What a read is for: a labelled data set, features only, or rows to predict. */
export type CsvKind = "labelled" | "features" | "prediction";

/** How labels become class indices. */
export type LabelRule =
  /** The integers 0..K−1, as written. */
  | { readonly kind: "integers"; readonly K: number; readonly unknown: "refuse" | "drop" }
  /** Among these classes. */
  | {
      readonly kind: "classes";
      readonly classes: readonly ClassLabel[];
      readonly unknown: "refuse" | "drop";
    }
  /** Found from the labels. */
  | { readonly kind: "discover"; readonly positive: ClassLabel | undefined }
  /** No label column. */
  | { readonly kind: "none" };

/** Everything the table builder needs to know. */
export interface TableOptions {
  readonly source: string | undefined;
  readonly delimiter: string;
  readonly columns: ColumnPlanOptions;
  readonly labels: LabelRule;
}

/** The longest start of a text that delimiter detection looks at. */
const DETECTION_UNITS = 64 * 1024;

/**
 * The table options of a read of `kind` with these options; `start` is the start of the text
 * (for detecting the delimiter when none is given; `atEnd` when it is the whole text).
 */
export function tableOptions(
  kind: CsvKind,
  options: LabelledCsvOptions,
  start: string,
  D?: number,
  atEnd = start.length <= DETECTION_UNITS,
): TableOptions {
  const text = start.charCodeAt(0) === 0xfeff ? start.slice(1) : start;
  const delimiter =
    options.delimiter === undefined
      ? detectDelimiter(text.slice(0, DETECTION_UNITS), atEnd, options.source ?? "the data")
      : delimiterByName(options.delimiter);
  const ignore = options.ignore;
  if (kind === "features") {
    return {
      source: options.source,
      delimiter,
      columns: { labelColumn: "none", ignore },
      labels: { kind: "none" },
    };
  }
  const columns: ColumnPlanOptions = {
    label: options.label,
    labelColumn: kind === "labelled" ? "required" : "optional",
    ignore,
    features: options.features,
    modelLabel: options.modelLabel,
    featureCount: kind === "prediction" && options.features === undefined ? D : undefined,
  };
  return { source: options.source, delimiter, columns, labels: labelRule(kind, options) };
}

/** The label rule of the options (see the header's order of precedence). */
function labelRule(kind: CsvKind, options: LabelledCsvOptions): LabelRule {
  const unknown = kind === "prediction" ? "drop" : "refuse";
  const fixed = options.classes !== undefined || options.maxClasses !== undefined;
  if (options.positive !== undefined && (fixed || kind === "prediction"))
    throw new UsageError(
      "positive applies to classes found from the labels, not to given classes or maxClasses",
    );
  if (options.classes !== undefined) {
    if (!Array.isArray(options.classes) || options.classes.length < 2)
      throw new UsageError("classes must be an array of at least two labels");
    return { kind: "classes", classes: options.classes, unknown };
  }
  if (options.maxClasses !== undefined || kind === "prediction")
    return { kind: "integers", K: checkMaxClasses(options.maxClasses), unknown };
  return { kind: "discover", positive: options.positive };
}

/** A parsed table: its column plan, the features X (N×D) and the class indices of the labels. */
export interface Table {
  readonly plan: ColumnPlan;
  readonly X: Matrix; // N×D
  /** The class index of each row; undefined without a label column, or when labels were dropped. */
  readonly labels: Float64Array | undefined;
  /** The classes, in class-index order, when there are labels. */
  readonly classes: readonly ClassLabel[] | undefined;
  readonly delimiter: string;
  readonly warnings: readonly string[];
}

/** A labelled table as a data set, validated. */
export function labelledResult(table: Table, source: string | undefined): LabelledCsv {
  const { plan } = table;
  const classes = table.classes as readonly ClassLabel[];
  const dataset: Dataset = {
    X: table.X,
    y: matrix(table.X.rows, 1, table.labels),
    featureNames: plan.features.map((j) => plan.names[j] as string),
    labelName: plan.names[plan.label as number] as string,
  };
  validateDataset(dataset, { maxClasses: Math.max(2, classes.length), source });
  return { ...dataset, classes, delimiter: table.delimiter, warnings: table.warnings };
}

/** A table of features only. */
export function featureResult(table: Table): FeatureCsv {
  const { plan } = table;
  return {
    X: table.X,
    featureNames: plan.features.map((j) => plan.names[j] as string),
    delimiter: table.delimiter,
    warnings: table.warnings,
  };
}

/** A table of rows to predict, with their labels when there are usable ones. */
export function predictionResult(table: Table): PredictionCsv {
  const { plan, labels } = table;
  return {
    ...featureResult(table),
    ...(labels ? { y: matrix(table.X.rows, 1, labels) } : {}),
    ...(plan.label === undefined ? {} : { labelName: plan.names[plan.label] as string }),
  };
}

/** The tokenizer-and-validator behind the parsers, over text held whole. */
function parseTable(text: string, options: TableOptions): Table {
  const builder = tableBuilder(options);
  forEachCsvRecord(
    text.charCodeAt(0) === 0xfeff ? text.slice(1) : text,
    builder.onRecord,
    builder.locate,
    1,
    options.delimiter,
  );
  return builder.finish();
}

/** Validates records as they come (header first) and collects them into a table. */
interface TableBuilder {
  readonly onRecord: RecordHandler;
  readonly locate: CellLocator;
  /** The table; a DataError when there was no header or no data row. */
  finish(): Table;
}

/** A cell's role in a row: a feature's position (≥ 0), the label, or not read. */
const LABEL = -2;
const SKIPPED = -1;

/** A table builder; `expectedRows` sizes its arrays (they grow if more rows come). */
export function tableBuilder(options: TableOptions, expectedRows = 0): TableBuilder {
  const { source } = options;
  const prefix = source === undefined ? "" : `${source} `; // starts messages about a line
  const subject = source ?? "the data"; // starts messages about the whole text
  let plan: ColumnPlan | undefined;
  let roles = new Int32Array(0);
  let row = new Float64Array(0);
  let features = new FloatArrayBuilder(0);
  let labels = new FloatArrayBuilder(0);
  let blankLine: number | undefined; // the first blank line not yet followed by a row
  let rows = 0;

  const locate: CellLocator = (line, cellIndex) => {
    const name = plan?.names[cellIndex];
    return `${prefix}line ${line}, ${name === undefined ? `cell ${cellIndex + 1}` : name === "" ? `column ${cellIndex + 1} (index ${cellIndex})` : `column ${quote(name)}`}`;
  };
  const labelReader = labelCellReader(options.labels, locate, subject);

  const onHeader = (cells: string[], line: number): void => {
    if (cells.length === 0) {
      throw new DataError(
        `${prefix}line ${line} is blank: the first line must be the header (the column names)`,
      );
    }
    plan = planColumns(cells, options.columns, `${prefix}line ${line}`, subject);
    labelReader.name(columnName(plan.names, plan.label ?? 0));
    roles = new Int32Array(cells.length).fill(SKIPPED);
    plan.features.forEach((j, f) => (roles[j] = f));
    if (plan.label !== undefined) roles[plan.label] = LABEL;
    row = new Float64Array(plan.features.length);
    features = new FloatArrayBuilder(expectedRows * plan.features.length);
    labels = new FloatArrayBuilder(plan.label === undefined ? 0 : expectedRows);
  };
  const onRow = (cells: string[], line: number, width: number): void => {
    if (cells.length === 0) {
      blankLine ??= line;
      return;
    }
    if (blankLine !== undefined) {
      throw new DataError(
        `${prefix}line ${blankLine} is blank; blank lines are allowed only at the end of the file`,
      );
    }
    if (cells.length !== width) {
      throw new DataError(
        `${prefix}line ${line} has ${cells.length} ${cells.length === 1 ? "cell" : "cells"} ` +
          `but the header has ${width} columns`,
      );
    }
    for (let j = 0; j < cells.length; j++) {
      const role = roles[j] as number;
      if (role === SKIPPED) continue;
      const cell = cells[j] as string;
      if (role === LABEL) {
        const k = labelReader.read(cell, line, j);
        if (k !== undefined) labels.push(k);
        continue;
      }
      const value = parseDecimal(cell);
      if (Number.isNaN(value)) {
        throw new DataError(`${locate(line, j)}: ${quote(cell)} is not a number`);
      }
      if (!Number.isFinite(value)) {
        throw new DataError(
          `${locate(line, j)}: ${quote(cell)} is not a finite number (it overflows a double)`,
        );
      }
      row[role] = value;
    }
    for (let f = 0; f < row.length; f++) features.push(row[f] as number);
    rows++;
  };

  const onRecord: RecordHandler = (cells, line) =>
    plan === undefined ? onHeader(cells, line) : onRow(cells, line, plan.names.length);

  const finish = (): Table => {
    if (plan === undefined) throw new DataError(`${subject} is empty: expected a header row`);
    if (rows === 0) throw new DataError(`${subject} has no data rows (only a header)`);
    const X = matrix(rows, plan.features.length, features.values());
    const warnings = [...plan.warnings];
    if (plan.label === undefined) {
      return {
        plan,
        X,
        labels: undefined,
        classes: undefined,
        delimiter: options.delimiter,
        warnings,
      };
    }
    const { warnings: labelWarnings = [], ...found } = labelReader.finish(labels.values(), rows);
    warnings.push(...labelWarnings);
    return { plan, X, ...found, delimiter: options.delimiter, warnings };
  };
  return { onRecord, locate, finish };
}

/** Reads label cells into class indices by a LabelRule (see the header). */
interface LabelCellReader {
  /** Sets the label column's name for messages. */
  name(column: string): void;
  /** The class index of a label cell; undefined once labels are dropped. */
  read(cell: string, line: number, j: number): number | undefined;
  /**
   * The labels' class indices and classes (undefined when dropped, with a warning saying why),
   * and warnings about labels that may not be what was meant (numbers mixed with text, labels
   * differing only in case).
   */
  finish(
    labels: Float64Array,
    rows: number,
  ): {
    labels: Float64Array | undefined;
    classes: readonly ClassLabel[] | undefined;
    warnings?: readonly string[];
  };
}

function labelCellReader(rule: LabelRule, locate: CellLocator, subject: string): LabelCellReader {
  let column = "";
  let dropped: string | undefined; // why the labels are not used
  const refuseOrDrop = (unknown: "refuse" | "drop", message: string): undefined => {
    if (unknown === "refuse") throw new DataError(message);
    dropped ??= message;
    return undefined;
  };
  const keep = (
    labels: Float64Array,
    classes: readonly ClassLabel[],
  ): ReturnType<LabelCellReader["finish"]> =>
    dropped === undefined
      ? { labels, classes }
      : {
          labels: undefined,
          classes: undefined,
          warnings: [`note: ${dropped}; the labels are not used`],
        };

  if (rule.kind === "integers") {
    const { K, unknown } = rule;
    return {
      name: (c) => (column = c),
      read(cell, line, j) {
        if (dropped !== undefined) return undefined;
        const value = parseDecimal(cell);
        if (!isClassLabel(value, K) || !denotesInteger(cell)) {
          return refuseOrDrop(
            unknown,
            `${locate(line, j)}: the label ${quote(cell)} is not ${classList(K)}`,
          );
        }
        return value === 0 ? 0 : value; // −0 is stored as 0
      },
      finish: (labels) =>
        keep(
          labels,
          Array.from({ length: K }, (_, k) => k),
        ),
    };
  }
  if (rule.kind === "classes") {
    const { classes, unknown } = rule;
    const indexOf = classIndexer(classes);
    return {
      name: (c) => (column = c),
      read(cell, line, j) {
        if (dropped !== undefined) return undefined;
        const label = labelOfCell(cell);
        const k = typeof label === "object" ? -1 : indexOf(label);
        if (k < 0) {
          return refuseOrDrop(
            unknown,
            `${locate(line, j)}: the label ${quote(cell)} is not one of the model's classes (${labelList(classes)})`,
          );
        }
        return k;
      },
      finish: (labels) => keep(labels, classes),
    };
  }
  if (rule.kind === "none") {
    return {
      name: () => undefined,
      read: () => undefined,
      finish: () => ({ labels: undefined, classes: undefined }),
    };
  }
  // Found from the labels: each new label gets the next slot; finish sorts them into classes.
  const slots: ClassLabel[] = [];
  const slotOf = new Map<string, number>();
  let rowsRead = 0;
  return {
    name: (c) => (column = c),
    read(cell, line, j) {
      const label = labelOfCell(cell);
      if (typeof label === "object") {
        throw new DataError(`${locate(line, j)}: the label ${quote(cell)} ${label.fault}`);
      }
      if (typeof label === "number" && Number.isInteger(label) && !denotesInteger(cell)) {
        throw new DataError(
          `${locate(line, j)}: the label ${quote(cell)} only rounds to the number ${label}; write the class as it is`,
        );
      }
      const key = labelKey(label);
      let slot = slotOf.get(key);
      if (slot === undefined) {
        if (slots.length === MAX_CLASSES) {
          // Refused as soon as there are too many, not after the whole file (by the one check).
          const seen = [...slots, label].sort(compareLabels);
          assertClassesLearnable(
            seen,
            rowsRead + 1,
            { op: locate(line, j), what: `column ${column}` },
            true,
          );
        }
        slot = slots.length;
        slots.push(label);
        slotOf.set(key, slot);
      }
      rowsRead++;
      return slot;
    },
    finish(labels, rows) {
      const from = { op: subject, what: `column ${column}` };
      const zeroOne = slots.every((c) => c === 0 || c === 1);
      const sorted = zeroOne ? [0, 1] : classesOf(slots, undefined, from);
      assertClassesLearnable(sorted, rows, from, true);
      const classes =
        rule.positive === undefined ? sorted : withPositive(sorted, rule.positive, from);
      const indexOf = classIndexer(classes);
      const classOfSlot = slots.map(indexOf);
      for (let i = 0; i < labels.length; i++)
        labels[i] = classOfSlot[labels[i] as number] as number;
      return { labels, classes, warnings: labelWarnings(sorted, `column ${column}`, subject) };
    },
  };
}

/**
 * Warnings about classes found from labels that may not be what was meant: numbers mixed
 * with text (`NA` cells in a 0/1 column), and labels that differ only in case (Yes, yes).
 */
function labelWarnings(classes: readonly ClassLabel[], what: string, subject: string): string[] {
  const warnings: string[] = [];
  const texts = classes.filter((c): c is string => typeof c === "string");
  if (texts.length > 0 && texts.length < classes.length) {
    warnings.push(
      `warning: ${subject}: ${what} mixes numbers and text (${labelList(texts.slice(0, 3))}${texts.length > 3 ? ", …" : ""}): ` +
        `each is a class of its own, ${classes.length} in all; if the text marks missing values, remove those rows`,
    );
  }
  const clashes = caseVariants(classes);
  if (clashes.length > 0) {
    warnings.push(
      `warning: ${subject}: ${what} has labels that differ only in case (${caseList(clashes)}): ` +
        "each is a class of its own; write each label one way if they mean the same",
    );
  }
  return warnings;
}

/** A Float64Array filled by push: sized up front when the count is known, else doubled. */
class FloatArrayBuilder {
  private data: Float64Array;
  private length = 0;

  constructor(capacity: number) {
    this.data = new Float64Array(capacity);
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const larger = new Float64Array(Math.max(16, 2 * this.data.length));
      larger.set(this.data);
      this.data = larger;
    }
    this.data[this.length++] = value;
  }

  /** The values pushed (the array itself when it is exactly full, so no copy). */
  values(): Float64Array {
    return this.length === this.data.length ? this.data : this.data.slice(0, this.length);
  }
}
