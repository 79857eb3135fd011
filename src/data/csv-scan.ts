/**
 * Where CSV records end, found in the raw bytes of a file without decoding them: the rules of
 * csv-records.ts depend only on the ASCII bytes , " CR LF space and tab, and no byte of a
 * multi-byte UTF-8 character is ASCII. A file is scanned chunk by chunk, so that it can be
 * counted and cut into runs of whole records without ever being held whole in memory.
 */
import { DataError } from "../errors.js";

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const UTF8_BOM = [0xef, 0xbb, 0xbf];

// Where the scanner is inside the current record:
/** At the start of a cell: only spaces and tabs so far. */
const CELL_START = 0;
/** Inside an unquoted cell, or after the closing quote of a quoted one. */
const UNQUOTED = 1;
/** Inside a quoted cell. */
const QUOTED = 2;
/** Just after a quote inside a quoted cell: its end, or the first of a doubled "". */
const QUOTE_IN_QUOTED = 3;

export interface CsvScanLimits {
  /** The longest record, in bytes, before the scan refuses the file. */
  readonly maxRecordBytes: number;
}

export class CsvRecordScanner {
  /** Records ended so far, blank ones included. */
  records = 0;
  /** Records ended so far that are not blank (a blank record holds only spaces and tabs). */
  nonBlankRecords = 0;
  /** The cells of the first record (0 when it is blank or not yet ended). */
  firstRecordCells = 0;
  /** The line (1-based) of the next byte: LF, CRLF and a lone CR each end one line. */
  line = 1;

  private state = CELL_START as number;
  /** Bytes of byte-order marks read at the very start (−1: past them). */
  private leadingBomBytes = 0;
  private recordLine = 1;
  private recordBytes = 0;
  private recordCells = 1;
  private recordNonBlank = false;

  constructor(
    private readonly source: string,
    private readonly limits: CsvScanLimits,
  ) {}

  /**
   * Scans bytes[start, end) on from where the last call stopped and returns the end of what
   * it consumed with `lastRecordEnd`, the position just after the last record that ended in
   * it (−1: none). A CR at end − 1 is left unconsumed unless `atEnd` (an LF may follow it in
   * the next chunk); at the end, a last record without a line break is ended too. Throws a
   * DataError for a record longer than maxRecordBytes.
   */
  scan(bytes: Uint8Array, start: number, end: number, atEnd: boolean): ScanResult {
    let { state, recordCells, recordNonBlank, line } = this;
    let recordStart = start - this.recordBytes; // where the current record starts (may be < 0)
    let lastRecordEnd = -1;
    let p = start;
    // Up to two byte-order marks at the start are not text: the decoder drops one and the
    // tokenizer another. A partial mark is ordinary text (and not UTF-8).
    for (; this.leadingBomBytes >= 0 && p < end; p++) {
      if (this.leadingBomBytes < 6 && bytes[p] === UTF8_BOM[this.leadingBomBytes % 3]) {
        this.leadingBomBytes++;
        continue;
      }
      if (this.leadingBomBytes % 3 !== 0) {
        state = UNQUOTED;
        recordNonBlank = true;
      }
      this.leadingBomBytes = -1;
      break;
    }
    for (; p < end; p++) {
      const c = bytes[p] as number;
      if (c > COMMA || (c > QUOTE && c !== COMMA)) {
        // The common case: a byte of a number or a name.
        if (state !== QUOTED) state = UNQUOTED;
        recordNonBlank = true;
      } else if (c === LF || c === CR) {
        if (c === CR && p === end - 1 && !atEnd) break; // an LF may follow in the next chunk
        const breakEnd = c === CR && bytes[p + 1] === LF ? p + 2 : p + 1;
        line++;
        p = breakEnd - 1;
        if (state !== QUOTED) {
          this.checkRecordLength(p + 1 - recordStart);
          this.endRecord(recordCells, recordNonBlank);
          this.recordLine = line;
          state = CELL_START;
          recordStart = breakEnd;
          recordCells = 1;
          recordNonBlank = false;
          lastRecordEnd = breakEnd;
        }
      } else if (c === QUOTE) {
        if (state === CELL_START) state = QUOTED;
        else if (state === QUOTED) state = QUOTE_IN_QUOTED;
        else if (state === QUOTE_IN_QUOTED) state = QUOTED;
        recordNonBlank = true;
      } else if (c === COMMA) {
        if (state !== QUOTED) {
          recordCells++;
          state = CELL_START;
        }
        recordNonBlank = true;
      } else if (c !== SPACE && c !== TAB) {
        // Another control character or punctuation: ordinary text.
        if (state !== QUOTED) state = UNQUOTED;
        recordNonBlank = true;
      } else if (state === QUOTE_IN_QUOTED) {
        state = UNQUOTED; // blanks after a closing quote
      }
    }
    let recordBytes = p - recordStart;
    this.checkRecordLength(recordBytes);
    if (atEnd && p === end && recordBytes > 0) {
      this.endRecord(recordCells, recordNonBlank);
      recordBytes = 0;
      lastRecordEnd = end;
    }
    Object.assign(this, { state, recordBytes, recordCells, recordNonBlank, line });
    return { consumed: p, lastRecordEnd };
  }

  /** A DataError when the current record, `bytes` long so far, is over the limit. */
  private checkRecordLength(bytes: number): void {
    if (bytes > this.limits.maxRecordBytes) {
      throw new DataError(
        `${this.source} line ${this.recordLine} starts a record longer than ${byteSize(this.limits.maxRecordBytes)}, ` +
          `the longest handgrad reads (is a quoted cell left open?)`,
      );
    }
  }

  private endRecord(cells: number, nonBlank: boolean): void {
    if (this.records === 0 && nonBlank) this.firstRecordCells = cells;
    this.records++;
    if (nonBlank) this.nonBlankRecords++;
  }
}

export interface ScanResult {
  /** Bytes before this position are scanned. */
  readonly consumed: number;
  /** The position just after the last record that ended in this scan; −1: none ended. */
  readonly lastRecordEnd: number;
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
