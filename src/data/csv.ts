/**
 * CSV data sets: a header row of column names, then one row of numbers per example.
 *
 * Rules (every violation is a DataError naming the source, the line — 1-based, the header
 * is line 1, a record spanning lines is reported at its first line — the column and the
 * offending text, cut to 40 characters):
 *   - a UTF-8 byte-order mark is ignored; lines end in LF, CRLF or CR; cells may be quoted
 *     as in RFC 4180 (see csv-records.ts);
 *   - the header is the first line; every name is non-empty and unique (names are trimmed);
 *   - blank lines at the end are ignored; a blank line before a data row is an error (it
 *     usually means two files were joined or a row was lost, so it is not skipped silently);
 *   - every row has as many cells as the header;
 *   - every feature cell is a finite number in the strict grammar of decimal.ts;
 *   - the label column (the one named by `label`, else the last column) holds integers
 *     0..maxClasses−1, written in the same grammar ("1", "1.0" and "1e0" are all 1).
 */
import { DataError } from "../errors.js";
import { readUtf8File } from "../io/files.js";
import { matrix, type Matrix } from "../linalg/index.js";
import { forEachCsvRecord, type CellLocator } from "./csv-records.js";
import {
  checkMaxClasses,
  classList,
  isClassLabel,
  validateDataset,
  type Dataset,
  type FeatureTable,
} from "./dataset.js";
import { parseDecimal } from "./decimal.js";

export interface FeatureCsvOptions {
  /** The file name (or any description) that starts every error message. */
  readonly source?: string | undefined;
}

export interface LabelledCsvOptions extends FeatureCsvOptions {
  /** The header name of the label column (exact match); default: the last column. */
  readonly label?: string | undefined;
  /** Labels must be integers 0..maxClasses−1 (default 2: labels 0 and 1). */
  readonly maxClasses?: number | undefined;
}

/** The longest cell text quoted whole in an error message. */
const MAX_QUOTED_CHARACTERS = 40;

/** A labelled data set from CSV text: every column but the label column is a feature. */
export function parseLabelledCsv(text: string, options: LabelledCsvOptions = {}): Dataset {
  const maxClasses = checkMaxClasses(options.maxClasses);
  const table = parseTable(
    text,
    options.source,
    (names, at) => labelColumnOf(names, options.label, at),
    maxClasses,
  );
  const labelIndex = table.labelIndex as number;
  const dataset: Dataset = {
    X: table.X,
    y: matrix(table.X.rows, 1, table.labels),
    featureNames: table.names.filter((_, j) => j !== labelIndex),
    labelName: table.names[labelIndex] as string,
  };
  validateDataset(dataset, { maxClasses, source: options.source });
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
  const labelled = options.label !== undefined || headerWidth(text) === D + 1;
  const { X, y } = labelled
    ? parseLabelledCsv(text, options)
    : { ...parseFeatureCsv(text, options), y: undefined };
  if (X.cols !== D) {
    const what = labelled ? `${X.cols} feature columns and a label` : `${X.cols} columns`;
    throw new DataError(
      `${options.source ?? "the data"} has ${what}, but the model expects ${D} features (or ${D + 1} columns with a label)`,
    );
  }
  return y ? { X, y } : { X };
}

/** The number of cells in the first record (the header), without reading further. */
function headerWidth(text: string): number {
  const stop = new Error("header read");
  let width = 0;
  try {
    forEachCsvRecord(text, (cells) => {
      width = cells.length;
      throw stop;
    });
  } catch (error) {
    if (error !== stop) throw error;
  }
  return width;
}

/** A labelled data set from the CSV file at `path` (see parseLabelledCsv). */
export function loadCsv(path: string, options: Omit<LabelledCsvOptions, "source"> = {}): Dataset {
  return parseLabelledCsv(readUtf8File(path, DataError), { ...options, source: path });
}

/** Unlabelled rows from the CSV file at `path` (see parseFeatureCsv). */
export function loadFeatureCsv(path: string): FeatureTable {
  return parseFeatureCsv(readUtf8File(path, DataError), { source: path });
}

// ---------------------------------------------------------------------------------------

/** Where a table's label column is, given the header names (undefined: no label column). */
type LabelColumnChooser = (names: readonly string[], at: string) => number | undefined;

/** A parsed table: names of all columns, the features X (N×D) and the labels (N). */
interface Table {
  readonly names: string[];
  readonly labelIndex: number | undefined;
  readonly X: Matrix; // N×D
  readonly labels: Float64Array;
}

/** The shared tokenizer-and-validator behind both parsers. */
function parseTable(
  text: string,
  source: string | undefined,
  chooseLabel: LabelColumnChooser,
  maxClasses: number,
): Table {
  const prefix = source === undefined ? "" : `${source} `; // starts messages about a line
  const subject = source ?? "the data"; // starts messages about the whole text
  let names: string[] | undefined;
  let labelIndex: number | undefined;
  const features: number[] = [];
  const labels: number[] = [];
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
        if (!isClassLabel(value, maxClasses)) {
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

  forEachCsvRecord(
    text.charCodeAt(0) === 0xfeff ? text.slice(1) : text,
    (cells, line) => (names === undefined ? onHeader(cells, line) : onRow(cells, line, names)),
    locate,
  );

  if (names === undefined) throw new DataError(`${subject} is empty: expected a header row`);
  if (rows === 0) throw new DataError(`${subject} has no data rows (only a header)`);
  const D = names.length - (labelIndex === undefined ? 0 : 1);
  return {
    names,
    labelIndex,
    X: matrix(rows, D, Float64Array.from(features)),
    labels: Float64Array.from(labels),
  };
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
function labelColumnOf(names: readonly string[], label: string | undefined, at: string): number {
  if (names.length < 2) {
    throw new DataError(
      `${at} has ${names.length} column; a labelled data set needs feature columns and a label column`,
    );
  }
  if (label === undefined) return names.length - 1;
  const index = names.indexOf(label);
  if (index === -1) {
    throw new DataError(
      `${at} has no column ${quote(label)}; its columns are ${names.map(quote).join(", ")}`,
    );
  }
  return index;
}

/** `text` in double quotes with JSON escapes, cut to MAX_QUOTED_CHARACTERS characters. */
function quote(text: string): string {
  // 2 code units per character at most, so this slice holds the first 41 characters.
  const characters = Array.from(text.slice(0, 2 * MAX_QUOTED_CHARACTERS + 2));
  if (characters.length <= MAX_QUOTED_CHARACTERS) return JSON.stringify(text);
  const shown = JSON.stringify(characters.slice(0, MAX_QUOTED_CHARACTERS).join(""));
  return `${shown}… (${characterCount(text)} characters)`;
}

/** The characters (code points) of `text`: its UTF-16 units less the trailing surrogates. */
function characterCount(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0xdc00 || unit > 0xdfff) count++;
  }
  return count;
}
