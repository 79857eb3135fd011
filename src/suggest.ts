/**
 * "Did you mean": the known word closest to a mistyped one, for error messages. Closeness is
 * the optimal-string-alignment distance (Damerau–Levenshtein without repeated edits of one
 * substring): the fewest insertions, deletions, substitutions and swaps of two neighbouring
 * characters. A suggestion is made only when the typo is small next to the word: at most 2
 * edits and at most a third of the longer word's length (so "x" never suggests "y", "mons"
 * suggests "moons", and "spirals" never suggests "circles").
 *
 * And the refusal of an options object's unknown keys (assertKnownKeys), with the known key
 * closest to a typo or the one a common alias means (`lr` → learningRate).
 *
 * And the one cut of a user's text in messages (quote): a CSV cell, a column name, a flag's
 * value, an argument, quoted whole up to 40 characters, else cut there with its length.
 */

import { UsageError } from "./errors.js";

/** The fewest single-character insertions, deletions, substitutions or neighbour swaps from a to b. */
export function editDistance(a: string, b: string): number {
  const A = Array.from(a); // code points, so a typo in "η" is one edit
  const B = Array.from(b);
  const width = B.length + 1;
  // d[i·width + j]: the distance between the first i characters of a and the first j of b.
  const d = new Array<number>((A.length + 1) * width).fill(0);
  const at = (i: number, j: number): number => d[i * width + j]!;
  for (let i = 0; i <= A.length; i++) d[i * width] = i;
  for (let j = 0; j <= B.length; j++) d[j] = j;
  for (let i = 1; i <= A.length; i++) {
    for (let j = 1; j <= B.length; j++) {
      const cost = A[i - 1] === B[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && A[i - 1] === B[j - 2] && A[i - 2] === B[j - 1]) {
        best = Math.min(best, at(i - 2, j - 2) + 1); // a swap of two neighbours
      }
      d[i * width + j] = best;
    }
  }
  return at(A.length, B.length);
}

/** The most edits a typo of a word may hold for it still to be suggested. */
function allowedEdits(typed: string, known: string): number {
  const length = Math.max(Array.from(typed).length, Array.from(known).length);
  return Math.min(2, Math.floor(length / 3));
}

/**
 * The known word closest to `typed` when the typo is small (see the header), else undefined.
 * Case is ignored when measuring ("Moons" suggests "moons"); ties go to the earlier word.
 */
export function closest(typed: string, known: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const word of known) {
    if (word === typed) continue;
    const distance = editDistance(typed.toLowerCase(), word.toLowerCase());
    if (distance <= allowedEdits(typed, word) && distance < bestDistance) {
      best = word;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * "did you mean X? " (X the closest known word, shown by `show`; with a trailing space, to
 * open a parenthesis that goes on: `(did you mean --epochs? see …)`), or "" when none is close.
 */
export function didYouMean(
  typed: string,
  known: Iterable<string>,
  show: (word: string) => string = (word) => word,
): string {
  const word = closest(typed, known);
  return word === undefined ? "" : `did you mean ${show(word)}? `;
}

/** ` (did you mean "X"?)` for the closest known word (quoted by `show`), or "" when none is close. */
export function suggestion(
  typed: string,
  known: Iterable<string>,
  show: (word: string) => string = (word) => JSON.stringify(word),
): string {
  const word = closest(typed, known);
  return word === undefined ? "" : ` (did you mean ${show(word)}?)`;
}

/** The longest text a message quotes whole (a cell, a column name, a flag's value). */
const MAX_QUOTED_CHARACTERS = 40;

/**
 * `text` in double quotes with JSON escapes (or as `show` writes it), cut to its first
 * MAX_QUOTED_CHARACTERS characters when longer: `"abcd…" (100000 characters)`.
 */
export function quote(text: string, show: (text: string) => string = JSON.stringify): string {
  // 2 code units per character at most, so this slice holds the first 41 characters.
  const characters = Array.from(text.slice(0, 2 * MAX_QUOTED_CHARACTERS + 2));
  if (characters.length <= MAX_QUOTED_CHARACTERS) return show(text);
  const shown = show(characters.slice(0, MAX_QUOTED_CHARACTERS).join(""));
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

/**
 * Throws a UsageError for the first key of `options` not in `known`: `${op}: unknown option
 * "feature" (did you mean "features"?; known: …)`. `aliases` maps other names a user may type
 * (`lr`, the CLI's flag) to the key they mean; otherwise the closest known key is suggested.
 * Nothing is checked when `options` is not an object (the caller refuses that itself).
 */
export function assertKnownKeys(
  options: unknown,
  known: readonly string[],
  op: string,
  aliases: Readonly<Record<string, string>> = {},
): void {
  if (typeof options !== "object" || options === null) return;
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const meant = Object.hasOwn(aliases, key) ? aliases[key] : closest(key, known);
    const hint = meant === undefined ? "" : `did you mean ${JSON.stringify(meant)}? `;
    throw new UsageError(`${op}: unknown option ${quote(key)} (${hint}known: ${known.join(", ")})`);
  }
}
