/**
 * CSV data files, streamed (moved here from data/csv.ts: reading files is io's job, and data/
 * stays pure): the same result and the same errors as parsing the text whole (data/csv-text.ts,
 * whose rules apply), with memory bounded by the numbers read. A first pass counts the records
 * and checks the bytes are UTF-8; a second decodes the file a chunk at a time and hands whole
 * records to the table builder. Both passes use data/'s one CSV tokenizer.
 */
import {
  assertCsvOptions,
  byteSize,
  CsvTokenizer,
  FEATURE_CSV_KEYS,
  featureResult,
  LABELLED_CSV_KEYS,
  labelledResult,
  predictionResult,
  tableBuilder,
  tableOptions,
  type CsvKind,
  type FeatureCsv,
  type FeatureCsvOptions,
  type LabelledCsv,
  type LabelledCsvOptions,
  type PredictionCsv,
  type Table,
  type TableOptions,
} from "../data/index.js";
import { DataError } from "../errors.js";
import { readFileInChunks, Utf8FileDecoder, utf8CharacterBoundary } from "./files.js";

/** The most numbers (rows × columns, labels included) a CSV file may hold: 1 GiB of float64. */
export const MAX_CSV_VALUES = 2 ** 27;
/** The longest record (usually one line) of a CSV file, in bytes. */
export const MAX_CSV_RECORD_BYTES = 16 * 1024 * 1024;
/** The bytes read from a CSV file at a time. */
export const CSV_CHUNK_BYTES = 1024 * 1024;
/** The bytes at the start of a CSV file that delimiter detection looks at. */
const DETECTION_BYTES = 64 * 1024;

/**
 * How a CSV file is streamed: in chunks, with bounded memory, refusing before reading on a
 * file whose numbers would not fit. Tests shrink these to exercise the limits.
 */
export interface CsvFileLimits {
  /** The most numbers the file may hold (rows × columns, labels included). */
  readonly maxValues?: number | undefined;
  /** The longest record, in bytes. */
  readonly maxRecordBytes?: number | undefined;
  /** The bytes read at a time. */
  readonly chunkBytes?: number | undefined;
  /**
   * Called after the first pass with the data rows and the header's cells, before the second
   * pass allocates anything for them: a caller may refuse a file too large for what it does.
   */
  readonly onCensus?: ((rows: number, columns: number) => void) | undefined;
}

/**
 * A labelled data set from the CSV file at `path` (see parseLabelledCsv: the same result and
 * the same errors), streamed: a first pass counts the rows, so that the features are read
 * straight into a float64 array of the right size; memory is that array plus a constant.
 */
export function loadCsv(
  path: string,
  options: Omit<LabelledCsvOptions, "source"> & CsvFileLimits = {},
): LabelledCsv {
  assertCsvOptions(options, LABELLED_FILE_KEYS, "loadCsv");
  return labelledResult(readCsvFile(path, "labelled", options), path);
}

/** Unlabelled rows from the CSV file at `path` (see parseFeatureCsv), streamed like loadCsv. */
export function loadFeatureCsv(
  path: string,
  options: Omit<FeatureCsvOptions, "source"> & CsvFileLimits = {},
): FeatureCsv {
  assertCsvOptions(options, FEATURE_FILE_KEYS, "loadFeatureCsv");
  return featureResult(readCsvFile(path, "features", options));
}

/** Rows to predict from the CSV file at `path` (see parsePredictionCsv), streamed like loadCsv. */
export function loadPredictionCsv(
  path: string,
  D: number,
  options: Omit<LabelledCsvOptions, "source"> & CsvFileLimits = {},
): PredictionCsv {
  assertCsvOptions(options, LABELLED_FILE_KEYS, "loadPredictionCsv");
  return predictionResult(readCsvFile(path, "prediction", options, D));
}

/** The keys of CsvFileLimits. */
const LIMIT_KEYS: readonly (keyof CsvFileLimits)[] = [
  "maxValues",
  "maxRecordBytes",
  "chunkBytes",
  "onCensus",
];
/** The keys the file readers take: the text readers' but "source" (the path), and the limits. */
const FEATURE_FILE_KEYS = [...FEATURE_CSV_KEYS.filter((k) => k !== "source"), ...LIMIT_KEYS];
const LABELLED_FILE_KEYS = [...LABELLED_CSV_KEYS.filter((k) => k !== "source"), ...LIMIT_KEYS];

/** The table of a CSV file: its delimiter found, its records counted, then read. */
function readCsvFile(
  path: string,
  kind: CsvKind,
  options: Omit<LabelledCsvOptions, "source"> & CsvFileLimits,
  D?: number,
): Table {
  const start = options.delimiter === undefined ? fileStart(path) : { text: "", atEnd: true };
  const table = tableOptions(kind, { ...options, source: path }, start.text, D, start.atEnd);
  const census = countCsvFile(path, table.delimiter, options);
  return readRecords(path, census, table, options);
}

/**
 * The text of the first DETECTION_BYTES bytes of the file, and whether that is the whole file;
 * no text when they are not UTF-8 (the first pass then names the invalid byte).
 */
function fileStart(path: string): { text: string; atEnd: boolean } {
  let start = { text: "", atEnd: true };
  const enough = new Error("enough bytes");
  try {
    readFileInChunks(path, DataError, DETECTION_BYTES, (buffer, filled, atEnd) => {
      if (filled < DETECTION_BYTES && !atEnd) return 0; // wait for more bytes
      const bytes = buffer.subarray(0, Math.min(filled, DETECTION_BYTES));
      const whole = atEnd && filled <= DETECTION_BYTES;
      try {
        const decoder = new TextDecoder("utf-8", { fatal: true });
        start = { text: decoder.decode(bytes, { stream: !whole }), atEnd: whole };
      } catch {
        // Not UTF-8: no detection (a comma); the first pass names the invalid byte.
      }
      throw enough;
    });
  } catch (error) {
    if (error !== enough) throw error;
  }
  return start;
}

/** What a first pass over a CSV file finds: its data rows and the cells of its header. */
interface CsvCensus {
  /** The non-blank records after the header: the data rows of a valid file. */
  readonly rows: number;
  readonly headerCells: number;
}

/**
 * Counts the records of the CSV file at `path` and checks that it is UTF-8, without decoding
 * or keeping it (the tokenizer reads the bytes as latin1, one code unit per byte); a DataError
 * for an invalid byte, or as soon as the count shows that its numbers would exceed maxValues,
 * or a record maxRecordBytes.
 */
function countCsvFile(path: string, delimiter: string, limits: CsvFileLimits): CsvCensus {
  const maxValues = limits.maxValues ?? MAX_CSV_VALUES;
  const tokenizer = new CsvTokenizer({
    maxRecordUnits: limits.maxRecordBytes ?? MAX_CSV_RECORD_BYTES,
    source: path,
    delimiter,
  });
  const rowsOf = (t: CsvTokenizer): number => Math.max(0, t.nonBlankRecords - 1);
  const utf8 = new Utf8FileDecoder(path, DataError);
  let scanned = 0; // bytes of the buffer already tokenized (a character not yet whole)
  let atStart = true; // the byte-order marks that may start the file are not yet passed
  readFileInChunks(
    path,
    DataError,
    limits.chunkBytes ?? CSV_CHUNK_BYTES,
    (buffer, filled, atEnd) => {
      if (atStart) {
        const marks = leadingByteOrderMarks(buffer, filled, atEnd);
        if (marks === undefined) return 0; // not yet known: wait for more bytes
        atStart = false;
        tokenizer.skip(marks);
        scanned = marks;
      }
      const units = Buffer.from(buffer.buffer, buffer.byteOffset, filled).toString("latin1");
      const consumed = tokenizer.feed(units, scanned, filled, atEnd);
      const checked = atEnd ? filled : utf8CharacterBoundary(buffer, consumed);
      utf8.check(buffer.subarray(0, checked)); // not UTF-8: refused before any parsing
      scanned = consumed - checked;
      const rows = rowsOf(tokenizer);
      if (rows * tokenizer.firstRecordCells > maxValues) {
        throw new DataError(
          `${path} holds more than ${maxValues} numbers (${tokenizer.firstRecordCells} columns × ${rows} rows ` +
            `by line ${tokenizer.line}), the most handgrad reads (${byteSize(8 * maxValues)} of float64); use fewer rows`,
        );
      }
      return checked;
    },
  );
  const census = { rows: rowsOf(tokenizer), headerCells: tokenizer.firstRecordCells };
  limits.onCensus?.(census.rows, census.headerCells);
  return census;
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/**
 * The bytes of the byte-order marks that start bytes[0, filled): up to two (the decoder drops
 * one and the text parser another), 0 when there are none or only part of one (a part is
 * ordinary text, and not UTF-8); undefined while every byte so far may begin a mark.
 */
function leadingByteOrderMarks(
  bytes: Uint8Array,
  filled: number,
  atEnd: boolean,
): number | undefined {
  let matched = 0;
  while (matched < 6 && matched < filled && bytes[matched] === UTF8_BOM[matched % 3]) matched++;
  if (matched === filled && matched < 6 && !atEnd) return undefined;
  return matched % 3 === 0 ? matched : 0;
}

/**
 * The second pass: decodes the CSV file at `path` a chunk at a time and feeds the text to the
 * tokenizer, whose records fill a table sized by the census.
 */
function readRecords(
  path: string,
  census: CsvCensus,
  options: TableOptions,
  limits: CsvFileLimits,
): Table {
  const builder = tableBuilder(options, census.rows);
  const tokenizer = new CsvTokenizer({
    onRecord: builder.onRecord,
    locate: builder.locate,
    delimiter: options.delimiter,
  });
  const decoder = new Utf8FileDecoder(path, DataError);
  let carried = ""; // a CR the tokenizer left at the end of the last text (an LF may follow)
  let atStart = true; // no text seen yet: a second byte-order mark may follow the first
  readFileInChunks(
    path,
    DataError,
    limits.chunkBytes ?? CSV_CHUNK_BYTES,
    (buffer, filled, atEnd) => {
      const end = atEnd ? filled : utf8CharacterBoundary(buffer, filled);
      if (end <= 0 && !atEnd) return 0;
      let text = decoder.decode(buffer.subarray(0, end), atEnd);
      if (atStart && text !== "") {
        atStart = false;
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      }
      text = carried + text;
      carried = text.slice(tokenizer.feed(text, 0, text.length, atEnd));
      return end;
    },
  );
  return builder.finish();
}
