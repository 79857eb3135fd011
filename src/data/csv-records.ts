/**
 * Splits CSV text into records of cells (RFC 4180), one pass over the characters with no
 * regular expressions, so the time is linear in the length of the text.
 *
 *   - cells are separated by "," and records end in LF, CRLF or a lone CR;
 *   - a cell that starts with a quote (after optional spaces) is quoted: it may contain
 *     commas, line breaks and doubled quotes (""), and only spaces may follow its closing
 *     quote; a quote inside an unquoted cell is kept as an ordinary character;
 *   - a line of nothing but spaces and tabs is a blank record: zero cells.
 *
 * Cells are returned as written (unquoted, not trimmed); deciding what they mean is the
 * caller's job.
 */
import { DataError } from "../errors.js";

/** Where a cell is, for messages: e.g. `data.csv line 3, column "x2"`. */
export type CellLocator = (line: number, cellIndex: number) => string;

/** Called once per record with its cells and the line (1-based) it starts on. */
export type RecordHandler = (cells: string[], line: number) => void;

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;

/** `line N, cell C` (C 1-based): the locator used when the caller gives none. */
export const locateByIndex: CellLocator = (line, cellIndex) =>
  `line ${line}, cell ${cellIndex + 1}`;

/**
 * Calls `onRecord` for each record of `text` in order, numbering lines from `firstLine` (the
 * text may be a run of whole records cut from a longer file), and returns the line after the
 * last. Throws a DataError, located by `locate`, for a quoted cell that is never closed or
 * that has text after its closing quote.
 */
export function forEachCsvRecord(
  text: string,
  onRecord: RecordHandler,
  locate: CellLocator = locateByIndex,
  firstLine = 1,
): number {
  const n = text.length;
  let pos = 0;
  let line = firstLine;

  /** Moves past the line break at `pos` (if any) and counts it. */
  const skipLineBreak = (): void => {
    const c = text.charCodeAt(pos);
    if (c === CR) {
      pos += text.charCodeAt(pos + 1) === LF ? 2 : 1;
      line++;
    } else if (c === LF) {
      pos++;
      line++;
    }
  };

  while (pos < n) {
    const recordLine = line;
    let ahead = skipBlanks(text, pos);
    if (ahead === n || isLineBreak(text.charCodeAt(ahead))) {
      pos = ahead;
      skipLineBreak();
      onRecord([], recordLine);
      continue;
    }
    const cells: string[] = [];
    for (;;) {
      const cellIndex = cells.length;
      ahead = skipBlanks(text, pos);
      if (text.charCodeAt(ahead) === QUOTE) {
        // A quoted cell: copy the runs between quotes, turning each "" into one ".
        const cellLine = line;
        let value = "";
        let start = ahead + 1;
        for (;;) {
          const close = text.indexOf('"', start);
          if (close === -1) {
            throw new DataError(
              `${locate(cellLine, cellIndex)}: a quoted cell is never closed (the closing " is missing)`,
            );
          }
          line += countLineBreaks(text, start, close);
          value += text.slice(start, close);
          if (text.charCodeAt(close + 1) === QUOTE) {
            value += '"';
            start = close + 2;
          } else {
            pos = close + 1;
            break;
          }
        }
        pos = skipBlanks(text, pos);
        if (pos < n && text.charCodeAt(pos) !== COMMA && !isLineBreak(text.charCodeAt(pos))) {
          throw new DataError(
            `${locate(line, cellIndex)}: unexpected text after the closing quote of a quoted cell; ` +
              `write a quote inside a quoted cell as ""`,
          );
        }
        cells.push(value);
      } else {
        let end = pos;
        while (end < n) {
          const c = text.charCodeAt(end);
          if (c === COMMA || c === LF || c === CR) break;
          end++;
        }
        cells.push(text.slice(pos, end));
        pos = end;
      }
      if (pos < n && text.charCodeAt(pos) === COMMA) {
        pos++;
        continue;
      }
      skipLineBreak();
      break;
    }
    onRecord(cells, recordLine);
  }
  return line;
}

function isLineBreak(c: number): boolean {
  return c === LF || c === CR;
}

/** The first position at or after `pos` that is not a space or a tab. */
function skipBlanks(text: string, pos: number): number {
  let p = pos;
  for (let c = text.charCodeAt(p); c === SPACE || c === TAB; c = text.charCodeAt(++p));
  return p;
}

/** The line breaks (LF, CRLF or lone CR, each counting once) in text[start, end). */
function countLineBreaks(text: string, start: number, end: number): number {
  let count = 0;
  for (let p = start; p < end; p++) {
    const c = text.charCodeAt(p);
    if (c === LF) count++;
    else if (c === CR && text.charCodeAt(p + 1) !== LF) count++;
  }
  return count;
}
