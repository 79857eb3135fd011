/**
 * The one CSV tokenizer (RFC 4180): a single state machine over UTF-16 code units, run for
 * both jobs CSV reading has.
 *
 *   - cells: the records of CSV text, each as its cells (csv-text.ts over text held whole,
 *     io/csv-file.ts over a file decoded a chunk at a time);
 *   - counting: the records of a file and the cells of its first, found in its raw bytes
 *     without decoding them (io/csv-file.ts's first pass). The bytes are given as a latin1
 *     string, one code unit per byte: every character the rules below depend on (, " CR LF
 *     space tab) is ASCII, and no byte of a multi-byte UTF-8 character is, so the machine
 *     finds the same records in the bytes as in the decoded text, and positions are bytes
 *     (every delimiter is ASCII too).
 *
 * The rules:
 *   - cells are separated by the delimiter ("," unless the options name ";", tab or "|": see
 *     csv-delimiter.ts) and records end in LF, CRLF or a lone CR;
 *   - a cell that starts with a quote (after optional spaces and tabs) is quoted: it may
 *     contain commas, line breaks and doubled quotes (""), and only spaces and tabs may follow
 *     its closing quote; a quote inside an unquoted cell is kept as an ordinary character;
 *   - a line of nothing but spaces and tabs is a blank record: zero cells (with the tab as
 *     the delimiter, tabs separate cells and only spaces are blank).
 * Cells are returned as written (unquoted, not trimmed); deciding what they mean is the
 * caller's job. When cells are wanted, a quoted cell never closed and text after a closing
 * quote are DataErrors; when only counting, they are read on as ordinary text (a first pass
 * refuses only what it can measure; the second pass names the fault).
 *
 * Input comes in pieces (`feed`), so a file is never held whole: the machine keeps its state,
 * the cells of the record it is in and the text of the cell it is in from one piece to the
 * next. Its one look-ahead is at a CR that ends a piece, which is left for the next piece
 * (an LF may follow it). The time is linear in the length of the input; no regular expressions.
 */
import { DataError, UsageError } from "../errors.js";

/** Where a cell is, for messages: e.g. `data.csv line 3, column "x2"`. */
export type CellLocator = (line: number, cellIndex: number) => string;

/** Called once per record with its cells and the line (1-based) it starts on. */
export type RecordHandler = (cells: string[], line: number) => void;

/** `line N, cell C` (C 1-based): the locator used when the caller gives none. */
export const locateByIndex: CellLocator = (line, cellIndex) =>
  `line ${line}, cell ${cellIndex + 1}`;

const QUOTE = 34;
const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;

// Where the machine is inside the current record:
/** At the start of a cell: only spaces and tabs so far. */
const CELL_START = 0;
/** Inside an unquoted cell. */
const UNQUOTED = 1;
/** Inside a quoted cell. */
const QUOTED = 2;
/** Just after a quote inside a quoted cell: its end, or the first of a doubled "". */
const QUOTE_IN_QUOTED = 3;
/** After the closing quote of a quoted cell and a space or tab: only more may follow. */
const AFTER_QUOTED = 4;

export interface CsvTokenizerOptions {
  /** Called with each record's cells; without it the tokenizer only counts (see above). */
  readonly onRecord?: RecordHandler | undefined;
  /** Locates the cell of a quoting error (default locateByIndex). */
  readonly locate?: CellLocator | undefined;
  /** The line of the first unit fed (default 1; a run of records cut from a longer file). */
  readonly firstLine?: number | undefined;
  /** The longest record in code units (bytes, when counting bytes); a DataError beyond it. */
  readonly maxRecordUnits?: number | undefined;
  /** The file name that starts the message of a record too long. */
  readonly source?: string | undefined;
  /** The cell delimiter, one of "," ";" "\t" "|" (default ","). */
  readonly delimiter?: string | undefined;
}

export class CsvTokenizer {
  /** Records ended so far, blank ones included. */
  records = 0;
  /** Records ended so far that are not blank. */
  nonBlankRecords = 0;
  /** The cells of the first record (0 when it is blank or not yet ended). */
  firstRecordCells = 0;
  /** The line (1-based) of the next unit: LF, CRLF and a lone CR each end one line. */
  line: number;

  private state = CELL_START as number;
  /** The line the current record starts on. */
  private recordLine: number;
  /** Units of the current record fed before the current piece. */
  private recordUnits = 0;
  /** Cells the current record has so far, the one being read included. */
  private cellCount = 1;
  /** The current record has a unit other than a space or a tab. */
  private nonBlank = false;
  /** The line of the opening quote of the quoted cell being read. */
  private quoteLine = 1;
  /** The cells of the current record that have ended (only when cells are wanted). */
  private cells: string[] = [];
  /** The text of the current cell from earlier pieces, or before its last quote. */
  private value = "";
  private readonly onRecord: RecordHandler | undefined;
  private readonly locate: CellLocator;
  private readonly maxRecordUnits: number;
  private readonly source: string;
  /** The delimiter's code unit. */
  private readonly delimiter: number;

  constructor(options: CsvTokenizerOptions = {}) {
    this.delimiter = delimiterCode(options.delimiter);
    this.onRecord = options.onRecord;
    this.locate = options.locate ?? locateByIndex;
    this.line = this.recordLine = options.firstLine ?? 1;
    this.maxRecordUnits = options.maxRecordUnits ?? Infinity;
    this.source = options.source ?? "the data";
  }

  /**
   * Counts `units` that belong to the current record but are not text (byte-order marks read
   * as bytes), so that its length is measured from the very start of the file.
   */
  skip(units: number): void {
    this.recordUnits += units;
  }

  /**
   * Reads text[start, end) on from where the last piece stopped and returns the end of what
   * it consumed: `end`, except that a CR at end − 1 is left unconsumed unless `atEnd` (an LF
   * may follow it in the next piece). With `atEnd`, a last record without a line break is
   * ended too. Throws a DataError for a record longer than maxRecordUnits and, when cells
   * are wanted, for a quoted cell never closed or text after a closing quote.
   */
  feed(text: string, start: number, end: number, atEnd: boolean): number {
    const keep = this.onRecord !== undefined; // cells are wanted
    const DELIMITER = this.delimiter; // a comma unless the options said otherwise
    let { state, cellCount, nonBlank, line, value } = this;
    let recordStart = start - this.recordUnits; // where the current record starts (may be < 0)
    let cellStart = start; // where the current cell's text in this piece starts
    let p = start;

    for (; p < end; p++) {
      const c = text.charCodeAt(p);
      if (c > QUOTE && c !== DELIMITER) {
        // The common case: a unit of a number or a name.
        if (state !== QUOTED) {
          if (state >= QUOTE_IN_QUOTED) this.afterClosingQuote(line, cellCount);
          state = UNQUOTED;
          nonBlank = true;
        }
        // The rest of the cell at the pace of three comparisons: in an unquoted cell only the
        // delimiter, CR and LF change the state; in a quoted cell only " CR and LF.
        let q = p + 1;
        if (state === UNQUOTED) {
          for (; q < end; q++) {
            const d = text.charCodeAt(q);
            if (d === DELIMITER || d === LF || d === CR) break;
          }
        } else {
          for (; q < end; q++) {
            const d = text.charCodeAt(q);
            if (d === QUOTE || d === LF || d === CR) break;
          }
        }
        p = q - 1;
      } else if (c === DELIMITER) {
        if (state !== QUOTED) {
          if (keep) this.cells.push(state <= UNQUOTED ? value + text.slice(cellStart, p) : value);
          value = "";
          cellStart = p + 1;
          cellCount++;
          state = CELL_START;
          nonBlank = true;
        }
      } else if (c === LF || c === CR) {
        if (c === CR && p === end - 1 && !atEnd) break; // an LF may follow in the next piece
        const breakEnd = c === CR && p + 1 < end && text.charCodeAt(p + 1) === LF ? p + 2 : p + 1;
        line++;
        if (state !== QUOTED) {
          this.checkRecordLength(breakEnd - recordStart);
          if (keep && nonBlank) {
            this.cells.push(state <= UNQUOTED ? value + text.slice(cellStart, p) : value);
          }
          this.endRecord(nonBlank, cellCount);
          state = CELL_START;
          cellCount = 1;
          nonBlank = false;
          value = "";
          this.recordLine = line;
          recordStart = cellStart = breakEnd;
        }
        p = breakEnd - 1;
      } else if (c === QUOTE) {
        if (state === CELL_START) {
          state = QUOTED;
          this.quoteLine = line;
          value = "";
          cellStart = p + 1;
        } else if (state === QUOTED) {
          if (keep) value += text.slice(cellStart, p);
          cellStart = p + 1;
          state = QUOTE_IN_QUOTED;
        } else if (state === QUOTE_IN_QUOTED) {
          state = QUOTED; // a doubled quote: the next slice starts with this one
        } else if (state === AFTER_QUOTED) {
          this.afterClosingQuote(line, cellCount);
          state = UNQUOTED;
        }
        nonBlank = true;
      } else if (c === SPACE || c === TAB) {
        if (state === QUOTE_IN_QUOTED) state = AFTER_QUOTED;
      } else if (state !== QUOTED) {
        // Another control character or "!": ordinary text.
        if (state >= QUOTE_IN_QUOTED) this.afterClosingQuote(line, cellCount);
        state = UNQUOTED;
        nonBlank = true;
      }
    }
    const recordUnits = p - recordStart;
    this.checkRecordLength(recordUnits);
    if (atEnd && p === end && recordUnits > 0) {
      if (keep && state === QUOTED) {
        throw new DataError(
          `${this.locate(this.quoteLine, cellCount - 1)}: a quoted cell is never closed (the closing " is missing)`,
        );
      }
      if (keep && nonBlank) {
        this.cells.push(state <= UNQUOTED ? value + text.slice(cellStart, p) : value);
      }
      this.endRecord(nonBlank, cellCount);
      state = CELL_START;
      cellCount = 1;
      nonBlank = false;
      value = "";
      this.recordUnits = 0;
    } else {
      this.recordUnits = recordUnits;
      // The current cell's text in this piece is kept for the next.
      if (keep && (state === QUOTED || state <= UNQUOTED)) value += text.slice(cellStart, p);
    }
    Object.assign(this, { state, cellCount, nonBlank, line, value });
    return p;
  }

  /** Hands on the record just ended (its cells are in this.cells) and counts it. */
  private endRecord(nonBlank: boolean, cellCount: number): void {
    if (this.onRecord !== undefined) {
      const cells = this.cells;
      this.cells = [];
      this.onRecord(nonBlank ? cells : [], this.recordLine);
    }
    if (this.records === 0 && nonBlank) this.firstRecordCells = cellCount;
    this.records++;
    if (nonBlank) this.nonBlankRecords++;
  }

  /**
   * Text after the closing quote of the quoted cell `cellCount` (1-based) on `line`: a
   * DataError when cells are wanted; when counting, ordinary text (the caller reads on).
   */
  private afterClosingQuote(line: number, cellCount: number): void {
    if (this.onRecord !== undefined) {
      throw new DataError(
        `${this.locate(line, cellCount - 1)}: unexpected text after the closing quote of a quoted cell; ` +
          `write a quote inside a quoted cell as ""`,
      );
    }
  }

  /** A DataError when the current record, `units` long so far, is over the limit. */
  private checkRecordLength(units: number): void {
    if (units > this.maxRecordUnits) {
      throw new DataError(
        `${this.source} line ${this.recordLine} starts a record longer than ${byteSize(this.maxRecordUnits)}, ` +
          `the longest handgrad reads (is a quoted cell left open?)`,
      );
    }
  }
}

/** The code unit of a delimiter: one of , ; tab | (default ","). */
function delimiterCode(delimiter: string | undefined): number {
  if (delimiter === undefined) return 44;
  if (!(CSV_DELIMITERS as readonly string[]).includes(delimiter))
    throw new UsageError(
      `the CSV delimiter must be one of ${CSV_DELIMITERS.map((d) => JSON.stringify(d)).join(", ")}, got ${JSON.stringify(delimiter)}`,
    );
  return delimiter.charCodeAt(0);
}

/** The cell delimiters a CSV may use: comma, semicolon, tab and vertical bar. */
export const CSV_DELIMITERS = [",", ";", "\t", "|"] as const;

/**
 * Calls `onRecord` for each record of `text` in order, numbering lines from `firstLine`, and
 * returns the line after the last: CsvTokenizer over text held whole.
 */
export function forEachCsvRecord(
  text: string,
  onRecord: RecordHandler,
  locate: CellLocator = locateByIndex,
  firstLine = 1,
  delimiter?: string,
): number {
  const tokenizer = new CsvTokenizer({ onRecord, locate, firstLine, delimiter });
  tokenizer.feed(text, 0, text.length, true);
  return tokenizer.line;
}

/** A byte count for messages: "16 MiB", "1.5 GiB", "300 bytes". */
export function byteSize(bytes: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}

/**
 * `text` as a cell of a comma-separated file this tokenizer reads back as `text`: quoted (with
 * quotes doubled) when it holds a delimiter, a quote or a line break, starts with a quote, or
 * has spaces or tabs at either end; else as it is.
 */
export function csvCell(text: string): string {
  const plain = !/[,;|\t"\r\n]/.test(text) && text.trim() === text && !text.startsWith('"');
  return plain ? text : `"${text.replace(/"/g, '""')}"`;
}
