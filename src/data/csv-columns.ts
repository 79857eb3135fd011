/**
 * The column plan of a CSV: from its header, which columns are the features (in the order the
 * network takes them), which is the label, which are ignored, and which are extra (columns a
 * saved model does not use). One function, planColumns, used by the text parser (csv-text.ts)
 * and the streamed file reader (io/csv-file.ts) alike.
 *
 *   ignored   the columns `ignore` names: never read, so they may hold anything (ids, dates)
 *             and their header cell may be empty (pandas' index);
 *   names     every other header cell is a name: non-empty and unique (trimmed); with a
 *             model's feature names, only the columns read need one (an unnamed or repeated
 *             column the model does not use is just an extra column);
 *   label     `label`, else, with a model's feature names, the column named `modelLabel` (the
 *             model's own label column) when the file has it and otherwise none: never a
 *             guess; without feature names, the last column not ignored (a saved model
 *             without names: the last of D + 1 columns, optional for predict);
 *   features  by name (`features`: a model's, in its order: any column order works, a missing
 *             one is refused naming it and a near name) or, without names, every column left
 *             in file order; with `featureCount` (a model without names) D columns by
 *             position, plus a label when there are D + 1;
 *   extra     with feature names: the columns left, listed in a note (they are not read).
 *
 * A column reference (ColumnRef) is a number (a 0-based index) or a string: `#N` is always
 * the 0-based index N; any other text is the column of that name, or, when no column has it
 * and it is written in digits ("0"), that 0-based index. Digits that name a column while the
 * index they write is another column get a note (data/ prints nothing: it is a warning).
 */
import { DataError } from "../errors.js";
import { quote, suggestion } from "../suggest.js";
import { parseDecimal } from "./decimal.js";

/** A column of a CSV: its header name, or its 0-based index. */
export type ColumnRef = string | number;

/** What planColumns needs to know beyond the header. */
export interface ColumnPlanOptions {
  /** The label column (default: see the header). */
  readonly label?: ColumnRef | undefined;
  /** Whether a label column must be there, may be (predict), or is not wanted. */
  readonly labelColumn: "required" | "optional" | "none";
  /** Columns never read (by name or index). */
  readonly ignore?: readonly ColumnRef[] | undefined;
  /** The feature names, in order, to find by name (a saved model's). */
  readonly features?: readonly string[] | undefined;
  /**
   * With `features`: the name of the model's label column (its file's "label"), the label
   * column when `label` is not given and the file has it; absent or missing, there is none.
   */
  readonly modelLabel?: string | undefined;
  /** Without names: the features a model takes, by position (a label when one more column is left). */
  readonly featureCount?: number | undefined;
}

/** Which column is what (indices into the header's cells). */
export interface ColumnPlan {
  /** Every header cell, trimmed. */
  readonly names: readonly string[];
  /** The header index of each feature, in the network's order. */
  readonly features: readonly number[];
  /** The header index of the label column; undefined when there is none. */
  readonly label: number | undefined;
  /** The columns ignored as asked. */
  readonly ignored: readonly number[];
  /** The columns neither features, label nor ignored (only with feature names). */
  readonly extra: readonly number[];
  /** Things to tell the user (a header that looks like data, extra columns), one line each. */
  readonly warnings: readonly string[];
}

/**
 * The plan of a header (its raw cells) by the rules in the file's header; a DataError naming
 * the fault. `at` locates the header (`data.csv line 1`); `subject` names the file.
 */
export function planColumns(
  cells: readonly string[],
  options: ColumnPlanOptions,
  at: string,
  subject: string,
): ColumnPlan {
  const names = cells.map((cell) => cell.trim());
  const warnings: string[] = [];
  const ignored = new Set<number>();
  for (const ref of options.ignore ?? []) {
    for (const j of resolveColumns(ref, names, subject, "--ignore", warnings)) ignored.add(j);
  }
  const kept = names.map((_, j) => j).filter((j) => !ignored.has(j));
  assertNamed(names, kept, at, options, warnings);
  const { label, missing } = labelColumn(names, kept, ignored, options, subject, warnings);
  let features: number[];
  let extra: number[] = [];
  if (options.features !== undefined) {
    features = namedFeatures(names, kept, label, ignored, options.features, subject);
    if (missing !== undefined && options.labelColumn === "required") {
      throw new DataError(`${subject}: no label column: ${missing}; give --label COL`); // after a missing feature
    }
    const used = new Set([...features, ...(label === undefined ? [] : [label])]);
    extra = kept.filter((j) => !used.has(j));
    if (missing !== undefined && extra.length > 0) {
      warnings.push(`note: no accuracy: ${missing}; give --label COL to score against a column`);
    }
    if (extra.length > 0) {
      warnings.push(
        `note: ${subject}: ${extra.length === 1 ? "1 column" : `${extra.length} columns`} the model does not use, not read: ` +
          `${extra.map((j) => columnName(names, j)).join(", ")}`,
      );
    }
  } else {
    features = kept.filter((j) => j !== label);
  }
  if (features.length === 0) {
    throw new DataError(
      `${subject} has no feature columns (${kept.length} ${kept.length === 1 ? "column" : "columns"} not ignored` +
        `${label === undefined ? "" : `, the label ${columnName(names, label)}`})`,
    );
  }
  if (features.every((j) => isNumber(names[j] as string))) {
    warnings.unshift(
      `warning: ${at} (the header) holds only numbers in its feature columns: if the file has no header row, its first row is being read as column names`,
    );
  }
  if (options.featureCount !== undefined && features.length !== options.featureCount) {
    const D = options.featureCount;
    const what =
      label === undefined
        ? `${features.length} columns`
        : `${features.length} feature columns and a label`;
    throw new DataError(
      `${subject} has ${what}, but the model expects ${D} features (or ${D + 1} columns with a label)`,
    );
  }
  return { names, features, label, ignored: [...ignored].sort((a, b) => a - b), extra, warnings };
}

/** A column for messages: `"x2"`, or `column 1 (index 0, unnamed)` for an empty header cell. */
export function columnName(names: readonly string[], j: number): string {
  const name = names[j] ?? "";
  return name === "" ? `column ${j + 1} (index ${j}, unnamed)` : quote(name);
}

/** A header cell that is a number (a headerless file's first row has only those). */
function isNumber(name: string): boolean {
  return name !== "" && Number.isFinite(parseDecimal(name));
}

/**
 * The columns `ref` names: `#N` the index N; else every column of that name, else the index
 * its digits write; else refused. Digits naming a column while their index is another get a note.
 */
function resolveColumns(
  ref: ColumnRef,
  names: readonly string[],
  subject: string,
  flag: string,
  warnings: string[],
): number[] {
  if (typeof ref !== "string") return [indexColumn(ref, String(ref), names, subject, flag)];
  const text = ref.trim();
  const hash = /^#(\d+)$/.exec(text);
  if (hash) return [indexColumn(Number(hash[1]), text, names, subject, flag)];
  const matches = names.flatMap((name, j) => (name === text && name !== "" ? [j] : []));
  const digits = /^\d+$/.test(text);
  if (matches.length > 0) {
    const n = Number(text);
    if (digits && n < names.length && !matches.includes(n)) {
      warnings.push(
        `note: ${flag} ${text} is the column named ${quote(text)} (index ${matches[0]}); for index ${n} write #${n}`,
      );
    }
    return matches;
  }
  if (digits) return [indexColumn(Number(text), text, names, subject, flag)];
  const named = names.filter((n) => n !== "");
  throw new DataError(
    `${subject} has no column ${quote(ref)}${suggestion(ref, named, quote)}; its columns are ${names
      .map((_, j) => columnName(names, j))
      .join(", ")}`,
  );
}

/** A 0-based index (written `text`), checked to be a column. */
function indexColumn(
  index: number,
  text: string,
  names: readonly string[],
  subject: string,
  flag: string,
): number {
  if (!Number.isSafeInteger(index) || index < 0 || index >= names.length) {
    throw new DataError(
      `${subject} has ${names.length} columns, numbered 0 to ${names.length - 1}: ${flag} ${text} is none of them`,
    );
  }
  return index;
}

/**
 * Every kept header cell that is read is a non-empty name used once among the kept columns.
 * With a model's feature names only those and the label's must be unambiguous: other columns
 * are not read, so they need no name.
 */
function assertNamed(
  names: readonly string[],
  kept: readonly number[],
  at: string,
  options: ColumnPlanOptions,
  notes: readonly string[],
): void {
  const read =
    options.features === undefined
      ? undefined
      : new Set([
          ...options.features,
          ...(options.modelLabel === undefined ? [] : [options.modelLabel]),
          ...(typeof options.label === "string" ? [options.label.trim()] : []),
        ]);
  const firstColumn = new Map<string, number>();
  for (const j of kept) {
    const name = names[j] as string;
    if (read !== undefined && !read.has(name)) continue;
    if (name === "") {
      // A note of how --ignore was read (digits that named another column) explains the error.
      const ignore = names.includes(String(j)) ? `'#${j}'` : String(j);
      throw new DataError(
        `${at}, column ${j + 1} (index ${j}): the header cell is empty; every column needs a name` +
          ` (an index column, as pandas writes? ignore it: --ignore ${ignore})` +
          notes.map((note) => `; ${note.replace(/^note: /, "")}`).join(""),
      );
    }
    const earlier = firstColumn.get(name);
    if (earlier !== undefined) {
      throw new DataError(
        `${at}: the column name ${quote(name)} appears twice (columns ${earlier + 1} and ${j + 1}, indices ${earlier} and ${j})` +
          (isNumber(name)
            ? "; if the file has no header row, add one (handgrad needs column names)"
            : ""),
      );
    }
    firstColumn.set(name, j);
  }
}

/**
 * The label column by the rules in the file's header (undefined: none). With a model's feature
 * names, `missing` says why there is none: planColumns refuses a required label column once
 * the features are found (so that a missing feature is named first), and for an optional one
 * notes it when the file has columns not read (one of them may be the labels).
 */
function labelColumn(
  names: readonly string[],
  kept: readonly number[],
  ignored: ReadonlySet<number>,
  options: ColumnPlanOptions,
  subject: string,
  warnings: string[],
): { label?: number; missing?: string } {
  if (options.labelColumn === "none") return {};
  if (options.label !== undefined) {
    const [j] = resolveColumns(options.label, names, subject, "--label", warnings) as [number];
    if (ignored.has(j)) {
      throw new DataError(
        `${subject}: the label column ${columnName(names, j)} is also ignored; drop it from --ignore`,
      );
    }
    if (options.features?.includes(names[j] as string)) {
      throw new DataError(
        `${subject}: the label column ${columnName(names, j)} is one of the model's features`,
      );
    }
    return { label: j };
  }
  if (options.features !== undefined) {
    const name = options.modelLabel;
    const j = name === undefined ? undefined : kept.find((k) => names[k] === name);
    if (j !== undefined) return { label: j };
    const why =
      name === undefined
        ? "the model file does not record its label column (handgrad does not guess one)"
        : names.some((n, k) => n === name && ignored.has(k))
          ? `the model's label column ${quote(name)} is ignored (--ignore)`
          : `${subject} has no column ${quote(name)}, the model's label column`;
    return { missing: why };
  }
  if (options.labelColumn === "required" && kept.length < 2) {
    throw new DataError(
      `${subject} has ${kept.length} ${kept.length === 1 ? "column" : "columns"}${ignored.size > 0 ? " not ignored" : ""}; ` +
        `a labelled data set needs feature columns and a label column`,
    );
  }
  const last = kept[kept.length - 1];
  if (last === undefined) return {};
  if (options.featureCount !== undefined && options.labelColumn === "optional") {
    return kept.length === options.featureCount + 1 ? { label: last } : {};
  }
  return { label: last };
}

/** The header index of each of the model's features, found by name; a missing one is refused. */
function namedFeatures(
  names: readonly string[],
  kept: readonly number[],
  label: number | undefined,
  ignored: ReadonlySet<number>,
  features: readonly string[],
  subject: string,
): number[] {
  const index = new Map<string, number>();
  for (const j of kept) {
    const name = names[j] as string;
    if (j !== label && name !== "" && !index.has(name)) index.set(name, j);
  }
  const missing = features.filter((name) => !index.has(name));
  if (missing.length > 0) {
    const first = missing[0] as string;
    if (names.some((name, j) => name === first && ignored.has(j))) {
      throw new DataError(
        `${subject}: the column ${quote(first)} is ignored (--ignore), but the model needs it: it is one of the model's features`,
      );
    }
    const candidates = [...index.keys()].filter((name) => !features.includes(name));
    const more =
      missing.length > 1
        ? ` (and ${missing.length - 1} more: ${missing
            .slice(1, 4)
            .map((n) => quote(n))
            .join(", ")}${missing.length > 4 ? ", …" : ""})`
        : "";
    throw new DataError(
      `${subject} has no column ${quote(first)}${suggestion(first, candidates, quote)}, a feature of the model${more}; ` +
        `the model takes ${features.length} features by name`,
    );
  }
  return features.map((name) => index.get(name) as number);
}

/** How a caller names the column names it checks, for modelColumnsProblem's messages. */
export interface ColumnNamesStyle {
  /** The name of "features" or "label", or of its j-th entry: `"features"[2]`, `features[2]`. */
  readonly key: (name: "features" | "label", j?: number) => string;
  /** Why D names: "D = 3, the rows of W1", "X has 3 columns". */
  readonly count: string;
  /** A value for messages. */
  readonly describe: (value: unknown) => string;
}

/**
 * The one rule for the column names a model records (the model file's "features" and
 * "label", a Classifier's fit options): what is wrong with them, or undefined. The features
 * are D names, each one a CSV header could hold (the readers trim header cells: a string,
 * trimmed, non-empty), all different; the label is such a name, not one of the features, and
 * only with them (without feature names the columns are taken by position, so the label
 * column would be read as a feature).
 */
export function modelColumnsProblem(
  features: unknown,
  label: unknown,
  D: number,
  style: ColumnNamesStyle,
): string | undefined {
  const { key, describe } = style;
  const isName = (name: unknown): name is string =>
    typeof name === "string" && name !== "" && name.trim() === name;
  const nameRule = "a column name (a non-empty string without spaces around it)";
  if (features !== undefined) {
    if (!Array.isArray(features) || features.length !== D)
      return `${key("features")} must be an array of ${D} names (${style.count}), got ${describe(features)}`;
    const seen = new Map<string, number>();
    for (let j = 0; j < features.length; j++) {
      const name: unknown = features[j];
      if (!isName(name)) return `${key("features", j)} must be ${nameRule}, got ${describe(name)}`;
      const before = seen.get(name);
      if (before !== undefined)
        return `${key("features", j)} ${JSON.stringify(name)} repeats ${key("features", before)}: names must differ`;
      seen.set(name, j);
    }
  }
  if (label === undefined) return undefined;
  if (!isName(label)) return `${key("label")} must be ${nameRule}, got ${describe(label)}`;
  if (features === undefined)
    return (
      `${key("label")} needs ${key("features")}: without feature names the columns are taken ` +
      `by position, and the label column ${JSON.stringify(label)} would be read as a feature`
    );
  const j = (features as string[]).indexOf(label);
  if (j >= 0)
    return `${key("label")} ${JSON.stringify(label)} is also ${key("features", j)}: a column is a feature or the label`;
  return undefined;
}
