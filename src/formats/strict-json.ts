/**
 * Reading JSON strictly: what JSON.parse lets pass silently, found and named; and the few
 * helpers the file formats share to say what is wrong (a missing key, a key path, a value),
 * each on one line. Browser-safe: the model format (and the playground) uses it.
 *
 * JSON.parse keeps the last of two equal keys in an object ({"W1": A, "W1": B} reads as
 * {"W1": B}), so a hand-edited or concatenated file can be misread without a word.
 * findDuplicateKey scans the text once, left to right, and reports the first key that repeats
 * a key of the same object, with its path and line. Keys compare as JSON.parse reads them,
 * after unescaping ("W1" and "W\u0031" are the same key); the same key in two different
 * objects ("mean" under two objects, "loss" in every history record) is not a duplicate.
 *
 * Written by hand rather than taken from a package: it must be exact about what a duplicate
 * is, run in the browser (no node:* imports), stay linear in the length of the text and use
 * no recursion (a file nested 100 000 deep must not overflow the stack), and it is short. It
 * is to be called only on text JSON.parse has accepted, so it does not validate: it only
 * tracks strings (keys or values), the open objects and arrays, commas and line breaks.
 * It costs about what JSON.parse does: on a 784×256 model file (4.5 MB) each takes ~30 ms.
 */

import type { FaultType } from "../errors.js";

/**
 * The value of the JSON text `text`, read strictly: not valid JSON or a duplicated key throws
 * a `Fault` (ModelFileError, DataError, …) whose one-line message starts with `source`, e.g.
 *   m.json line 7: duplicated key "W1" (JSON keeps only the last; remove one)
 */
export function parseJsonStrictly(text: string, source: string, Fault: FaultType): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Fault(`${source}: not valid JSON (${oneLineExcerpt((error as Error).message)})`);
  }
  const duplicate = findDuplicateKey(text);
  if (duplicate) {
    const { path, line } = duplicate;
    throw new Fault(
      `${source} line ${line}: duplicated key ${keyPathText(path)} (JSON keeps only the last; remove one)`,
    );
  }
  return value;
}

/**
 * JSON.parse's message, which quotes the text (with any control characters and line breaks
 * in it), as one line: those characters as \uXXXX escapes, cut to 160 characters.
 */
function oneLineExcerpt(message: string): string {
  const escaped = escapeControlCharacters(message);
  return escaped.length > 160 ? `${escaped.slice(0, 157)}...` : escaped;
}

/** A key that repeats a key of the same object. */
export interface DuplicateKey {
  /** The key as JSON.parse reads it. */
  readonly key: string;
  /** Where: the keys and array indices from the top down to the key itself. */
  readonly path: readonly (string | number)[];
  /** The 1-based line (counting "\n") of the second occurrence. */
  readonly line: number;
}

/**
 * One open object (`keys`: the keys seen so far; `key`: the current one) or array (`keys`
 * null; `index`: the current element). One shape for both keeps the loop fast.
 */
interface Frame {
  readonly keys: Set<string> | null;
  key: string;
  index: number;
}

const QUOTE = 0x22; // "
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const COMMA = 0x2c;

/**
 * The first duplicated key of the JSON text `text` (which JSON.parse accepts), or undefined.
 * One pass over the text, O(length) time; memory O(nesting depth + keys of the open objects).
 */
export function findDuplicateKey(text: string): DuplicateKey | undefined {
  const open: Frame[] = [];
  let expectKey = false; // the next string is a key: just after "{" or after "," in an object
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // below "[", only a quote, a comma and a line break matter (not digits, ".", "-", ":", " ")
    if (c < 0x5b && c !== QUOTE && c !== COMMA && c !== NEWLINE) continue;
    if (c === QUOTE) {
      const start = i + 1;
      let escaped = false;
      for (i = start; text.charCodeAt(i) !== QUOTE; i++) {
        if (text.charCodeAt(i) === BACKSLASH) {
          escaped = true;
          i++; // the escaped character, which may be a quote
        }
      }
      // i is now at the closing quote
      if (!expectKey) continue; // a string value
      expectKey = false;
      const frame = open[open.length - 1] as Frame;
      const keys = frame.keys as Set<string>;
      const raw = text.slice(start, i);
      const key = escaped ? (JSON.parse(`"${raw}"`) as string) : raw;
      frame.key = key;
      if (keys.has(key)) return { key, path: pathOf(open), line };
      keys.add(key);
    } else if (c === NEWLINE) line++;
    else if (c === 0x7b /* { */) {
      open.push({ keys: new Set(), key: "", index: 0 });
      expectKey = true;
    } else if (c === 0x5b /* [ */) {
      open.push({ keys: null, key: "", index: 0 });
      expectKey = false;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      open.pop();
      expectKey = false;
    } else if (c === COMMA) {
      const frame = open[open.length - 1] as Frame;
      if (frame.keys === null) frame.index++;
      else expectKey = true;
    }
    // anything else (":", whitespace, numbers, true, false, null) changes nothing
  }
  return undefined;
}

function pathOf(open: readonly Frame[]): (string | number)[] {
  return open.map((frame) => (frame.keys === null ? frame.index : frame.key));
}

/**
 * `object[key]`, or `fail("missing key \"data.source\"")` (the key's path, `parent` followed by
 * `key`) when `object` does not have the key as its own: never a message about `undefined`.
 */
export function requiredKey(
  object: Record<string, unknown>,
  key: string,
  fail: (what: string) => never,
  parent: readonly (string | number)[] = [],
): unknown {
  return Object.hasOwn(object, key)
    ? object[key]
    : fail(`missing key ${keyPathText([...parent, key])}`);
}

/** The longest key a path shows in full; longer keys are cut and end in "...". */
const MAX_KEY_CHARACTERS = 40;

/**
 * A key path as messages quote it, on one line: keys joined by ".", indices as [i], e.g.
 * "standardize.mean", "model.W1", "history[2].loss". Control characters and line or
 * paragraph separators in a key are written as \uXXXX; a key over 40 characters is cut.
 */
export function keyPathText(path: readonly (string | number)[]): string {
  let text = "";
  for (const step of path) {
    if (typeof step === "number") text += `[${step}]`;
    else text += (text === "" ? "" : ".") + keyText(step);
  }
  return `"${text}"`;
}

function keyText(key: string): string {
  const cut = key.length > MAX_KEY_CHARACTERS ? `${key.slice(0, MAX_KEY_CHARACTERS - 3)}...` : key;
  return escapeControlCharacters(cut.replace(/["\\]/g, "\\$&"));
}

/** `text` with control characters and line or paragraph separators as \uXXXX escapes. */
function escapeControlCharacters(text: string): string {
  let escaped = "";
  for (const c of text) {
    const code = c.charCodeAt(0);
    const control = code < 0x20 || code === 0x7f || code === 0x2028 || code === 0x2029;
    escaped += control ? `\\u${code.toString(16).padStart(4, "0")}` : c;
  }
  return escaped;
}

/** The longest description of a value quoted in a message. */
const MAX_DESCRIBED_CHARACTERS = 40;

/** `value` as a message quotes it: JSON, numbers as JavaScript prints them, cut to 40 characters. */
export function describeValue(value: unknown): string {
  const text = escapeControlCharacters(preview(value, MAX_DESCRIBED_CHARACTERS + 1));
  return text.length > MAX_DESCRIBED_CHARACTERS
    ? `${text.slice(0, MAX_DESCRIBED_CHARACTERS - 3)}...`
    : text;
}

/**
 * About the first `budget` characters of `value` as JSON, with numbers as JavaScript prints
 * them (JSON.stringify would turn 1e999 into null). Stops once the budget is spent, so the
 * recursion is at most `budget` levels deep however deeply the value nests (JSON.stringify
 * of [[[[…]]]] 100 000 deep overflows the stack).
 */
function preview(value: unknown, budget: number): string {
  if (budget <= 0) return "";
  if (typeof value === "number") return String(value);
  if (typeof value !== "object" || value === null) return JSON.stringify(value) ?? String(value);
  const isArray = Array.isArray(value);
  const entries: [string | undefined, unknown][] = isArray
    ? (value as unknown[]).map((v) => [undefined, v])
    : Object.entries(value);
  let text = isArray ? "[" : "{";
  for (const [i, [key, v]] of entries.entries()) {
    if (text.length >= budget) break;
    if (i > 0) text += ",";
    if (key !== undefined) text += `${JSON.stringify(key)}:`;
    text += preview(v, budget - text.length);
  }
  return text.length >= budget ? text : text + (isArray ? "]" : "}");
}
