/**
 * The cell delimiter of a CSV: one of "," ";" tab "|" (CSV_DELIMITERS), given by its
 * character or its name (delimiterByName: `--delimiter tab`), or detected from the text.
 *
 * The detection rule (detectDelimiter): each candidate tokenizes the start of the text, the
 * header and up to DETECTION_RECORDS records after it, with quotes respected (so a quoted cell
 * holding another candidate does not count for it). A candidate fits when it splits all of
 * those records into the same number of cells, more than one, without a quoting fault.
 *   - exactly one candidate fits: it is the delimiter;
 *   - none fits: "," (the file's own faults, such as a ragged row, are then reported as usual);
 *   - more than one fits: a DataError naming them and asking for the delimiter to be given.
 */
import { DataError, UsageError } from "../errors.js";
import { CSV_DELIMITERS, CsvTokenizer } from "./csv-tokenizer.js";

/** The records after the header that detection looks at. */
export const DETECTION_RECORDS = 5;

/** Each delimiter's name, in CSV_DELIMITERS' order. */
const NAMES: Readonly<Record<string, string>> = {
  ",": "comma",
  ";": "semicolon",
  "\t": "tab",
  "|": "pipe",
};

/** A delimiter for messages: `"," (comma)`, `tab`. */
export function delimiterName(delimiter: string): string {
  return delimiter === "\t" ? "tab" : `${JSON.stringify(delimiter)} (${NAMES[delimiter]})`;
}

/**
 * The delimiter `text` names: the character itself, or comma, semicolon, tab (also `\t`) or
 * pipe; a UsageError otherwise, starting with `what` (the option's name).
 */
export function delimiterByName(text: string, what = "the delimiter"): string {
  const name = text.trim().toLowerCase();
  for (const delimiter of CSV_DELIMITERS) {
    if (text === delimiter || name === NAMES[delimiter]) return delimiter;
  }
  if (name === "\\t") return "\t";
  throw new UsageError(
    `${what} must be one of ${CSV_DELIMITERS.map(delimiterName).join(", ")}, got ${JSON.stringify(text)}`,
  );
}

/**
 * The delimiter of the CSV text that starts with `text` (the whole text when `atEnd`, else a
 * prefix whose last record may be cut), by the rule in the header. `source` starts the message
 * of an ambiguous text.
 */
export function detectDelimiter(text: string, atEnd: boolean, source = "the data"): string {
  const fits = CSV_DELIMITERS.filter((delimiter) => splitsEvenly(text, atEnd, delimiter));
  if (fits.length === 0) return ",";
  if (fits.length === 1) return fits[0] as string;
  throw new DataError(
    `${source}: cannot tell the delimiter: ${fits.map(delimiterName).join(" and ")} each split the header and the first rows evenly; ` +
      `give it (--delimiter ${fits.map((d) => NAMES[d]).join(" or --delimiter ")})`,
  );
}

/** True when `delimiter` splits the first records of `text` into the same number (> 1) of cells. */
function splitsEvenly(text: string, atEnd: boolean, delimiter: string): boolean {
  const counts: number[] = [];
  const enough = new Error("enough records");
  const tokenizer = new CsvTokenizer({
    delimiter,
    onRecord: (cells) => {
      if (cells.length === 0) return; // a blank line
      counts.push(cells.length);
      if (counts.length > DETECTION_RECORDS) throw enough;
    },
  });
  try {
    tokenizer.feed(text, 0, text.length, atEnd);
  } catch (error) {
    if (error === enough) return counts.every((n) => n === counts[0]) && (counts[0] ?? 0) > 1;
    if (error instanceof DataError) return false; // a quoting fault under this delimiter
    throw error;
  }
  return counts.length > 0 && counts.every((n) => n === counts[0]) && (counts[0] as number) > 1;
}
