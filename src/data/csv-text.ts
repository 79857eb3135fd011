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
 *   - the header is the first line; every name is non-empty and unique (names are trimmed);
 *   - blank lines at the end are ignored; a blank line before a data row is an error (it
 *     usually means two files were joined or a row was lost, so it is not skipped silently);
 *   - every row has as many cells as the header;
 *   - every feature cell is a finite number in the strict grammar of decimal.ts;
 *   - the label column (the one named by `label`, else the last column) holds integers
 *     0..maxClasses−1, written in the same grammar ("1", "1.0" and "1e0" are all 1).
 */
import { DataError } from "../errors.js";
import { quote, suggestion } from "../suggest.js";
import { matrix, type Matrix } from "../linalg/index.js";
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
}

/** How to read a labelled CSV (parseLabelledCsv, loadCsv): the label column and classes. */
export interface LabelledCsvOptions extends FeatureCsvOptions {
  /** The header name of the label column (exact match); default: the last column. */
  readonly label?: string | undefined;
  /** Labels must be integers 0..maxClasses−1 (default 2: labels 0 and 1). */
  readonly maxClasses?: number | undefined;
}

/** A labelled data set from CSV text: every column but the label column is a feature. */
export function parseLabelledCsv(text: string, options: LabelledCsvOptions = {}): Dataset {
  const maxClasses = checkMaxClasses(options.maxClasses);
  const table = parseTable(
    text,
    options.source,
    (names, at) => labelColumnOf(names, options.label, at),
    maxClasses,
  );
  return labelledDataset(table, maxClasses, options.source);
}

/** The data set of a table with a label column, validated. */
export function labelledDataset(
  table: Table,
  maxClasses: number,
  source: string | undefined,
): Dataset {
  const labelIndex = table.labelIndex as number;
  const dataset: Dataset = {
    X: table.X,
    y: matrix(table.X.rows, 1, table.labels),
    featureNames: table.names.filter((_, j) => j !== labelIndex),
    labelName: table.names[labelIndex] as string,
  };
  validateDataset(dataset, { maxClasses, source });
  return dataset;
}

/** Unlabelled rows from CSV text: every column is a feature. */
export function parseFeatureCsv(text: string, options: FeatureCsvOptions = {}): FeatureTable {
  const table = parseTable(text, options.source, () => undefined, 2);
  return { X: table.X, featureNames: table.names };
}

/**
 * Rows to predict with a model of D inputs: a file of D feature columns, or of D + 1 columns
 * one of which (`label`, else the last) is the label; labels are then returned too.
 */
export function parsePredictionCsv(
  text: string,
  D: number,
  options: LabelledCsvOptions = {},
): { X: Matrix; y?: Matrix } {
  const labelled = options.label !== undefined || headerWidth(text, options.source) === D + 1;
  const { X, y } = labelled
    ? parseLabelledCsv(text, options)
    : { ...parseFeatureCsv(text, options), y: undefined };
  assertPredictionWidth(X, D, labelled, options.source);
  return y ? { X, y } : { X };
}

export function assertPredictionWidth(
  X: Matrix,
  D: number,
  labelled: boolean,
  source: string | undefined,
): void {
  if (X.cols !== D) {
    const what = labelled ? `${X.cols} feature columns and a label` : `${X.cols} columns`;
    throw new DataError(
      `${source ?? "the data"} has ${what}, but the model expects ${D} features (or ${D + 1} columns with a label)`,
    );
  }
}

/** The number of cells in the first record (the header), without reading further. */
function headerWidth(text: string, source: string | undefined): number {
  const stop = new Error("header read");
  const prefix = source === undefined ? "" : `${source} `;
  let width = 0;
  try {
    forEachCsvRecord(
      text,
      (cells) => {
        width = cells.length;
        throw stop;
      },
      (line, cellIndex) => `${prefix}line ${line}, cell ${cellIndex + 1}`,
    );
  } catch (error) {
    if (error !== stop) throw error;
  }
  return width;
}
// ---------------------------------------------------------------------------------------

/** Where a table's label column is, given the header names (undefined: no label column). */
export type LabelColumnChooser = (names: readonly string[], at: string) => number | undefined;

/** A parsed table: names of all columns, the features X (N×D) and the labels (N). */
export interface Table {
  readonly names: string[];
  readonly labelIndex: number | undefined;
  readonly X: Matrix; // N×D
  readonly labels: Float64Array;
}

/** The shared tokenizer-and-validator behind both parsers, over text held whole. */
function parseTable(
  text: string,
  source: string | undefined,
  chooseLabel: LabelColumnChooser,
  maxClasses: number,
): Table {
  const builder = tableBuilder(source, chooseLabel, maxClasses);
  forEachCsvRecord(
    text.charCodeAt(0) === 0xfeff ? text.slice(1) : text,
    builder.onRecord,
    builder.locate,
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

/** A table builder; `expectedRows` sizes its arrays (they grow if more rows come). */
export function tableBuilder(
  source: string | undefined,
  chooseLabel: LabelColumnChooser,
  maxClasses: number,
  expectedRows = 0,
): TableBuilder {
  const prefix = source === undefined ? "" : `${source} `; // starts messages about a line
  const subject = source ?? "the data"; // starts messages about the whole text
  let names: string[] | undefined;
  let labelIndex: number | undefined;
  let features = new FloatArrayBuilder(0);
  let labels = new FloatArrayBuilder(0);
  let blankLine: number | undefined; // the first blank line not yet followed by a row
  let rows = 0;

  const locate: CellLocator = (line, cellIndex) => {
    const name = names?.[cellIndex];
    return `${prefix}line ${line}, ${name === undefined ? `cell ${cellIndex + 1}` : `column ${quote(name)}`}`;
  };

  const onHeader = (cells: string[], line: number): void => {
    if (cells.length === 0) {
      throw new DataError(
        `${prefix}line ${line} is blank: the first line must be the header (the column names)`,
      );
    }
    names = headerNames(cells, `${prefix}line ${line}`);
    labelIndex = chooseLabel(names, subject);
    features = new FloatArrayBuilder(
      expectedRows * (names.length - (labelIndex === undefined ? 0 : 1)),
    );
    labels = new FloatArrayBuilder(labelIndex === undefined ? 0 : expectedRows);
  };
  const onRow = (cells: string[], line: number, header: string[]): void => {
    if (cells.length === 0) {
      blankLine ??= line;
      return;
    }
    if (blankLine !== undefined) {
      throw new DataError(
        `${prefix}line ${blankLine} is blank; blank lines are allowed only at the end of the file`,
      );
    }
    if (cells.length !== header.length) {
      throw new DataError(
        `${prefix}line ${line} has ${cells.length} ${cells.length === 1 ? "cell" : "cells"} ` +
          `but the header has ${header.length} columns`,
      );
    }
    for (let j = 0; j < cells.length; j++) {
      const cell = cells[j] as string;
      const value = parseDecimal(cell);
      if (j === labelIndex) {
        if (!isClassLabel(value, maxClasses) || !denotesInteger(cell)) {
          throw new DataError(
            `${locate(line, j)}: the label ${quote(cell)} is not ${classList(maxClasses)}`,
          );
        }
        labels.push(value === 0 ? 0 : value); // −0 is stored as 0
      } else {
        if (Number.isNaN(value)) {
          throw new DataError(`${locate(line, j)}: ${quote(cell)} is not a number`);
        }
        if (!Number.isFinite(value)) {
          throw new DataError(
            `${locate(line, j)}: ${quote(cell)} is not a finite number (it overflows a double)`,
          );
        }
        features.push(value);
      }
    }
    rows++;
  };

  const onRecord: RecordHandler = (cells, line) =>
    names === undefined ? onHeader(cells, line) : onRow(cells, line, names);

  const finish = (): Table => {
    if (names === undefined) throw new DataError(`${subject} is empty: expected a header row`);
    if (rows === 0) throw new DataError(`${subject} has no data rows (only a header)`);
    const D = names.length - (labelIndex === undefined ? 0 : 1);
    return { names, labelIndex, X: matrix(rows, D, features.values()), labels: labels.values() };
  };
  return { onRecord, locate, finish };
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

/** The trimmed header names; a DataError for an empty or a repeated name. */
function headerNames(cells: readonly string[], at: string): string[] {
  const names = cells.map((cell) => cell.trim());
  const firstColumn = new Map<string, number>();
  names.forEach((name, j) => {
    if (name === "") {
      throw new DataError(
        `${at}, column ${j + 1}: the header cell is empty; every column needs a name`,
      );
    }
    const earlier = firstColumn.get(name);
    if (earlier !== undefined) {
      throw new DataError(
        `${at}: the column name ${quote(name)} appears twice (columns ${earlier + 1} and ${j + 1})`,
      );
    }
    firstColumn.set(name, j);
  });
  return names;
}

/** The label column: the one named `label`, else the last; at least one feature must remain. */
export function labelColumnOf(
  names: readonly string[],
  label: string | undefined,
  at: string,
): number {
  if (names.length < 2) {
    throw new DataError(
      `${at} has ${names.length} column; a labelled data set needs feature columns and a label column`,
    );
  }
  if (label === undefined) return names.length - 1;
  const index = names.indexOf(label);
  if (index === -1) {
    throw new DataError(
      `${at} has no column ${quote(label)}${suggestion(label, names, quote)}; its columns are ${names.map((n) => quote(n)).join(", ")}`,
    );
  }
  return index;
}
