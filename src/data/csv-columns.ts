/**
 * The column plan of a CSV: from its header, which columns are the features (in the order the
 * network takes them), which is the label, which are ignored, and which are extra (columns a
 * saved model does not use). One function, planColumns, used by the text parser (csv-text.ts)
 * and the streamed file reader (io/csv-file.ts) alike.
 *
 *   ignored   the columns `ignore` names (by name or 0-based index): never read, so they may
 *             hold anything (ids, dates) and their header cell may be empty (pandas' index);
 *   names     every other header cell is a name: non-empty and unique (trimmed);
 *   label     `label` (a name or a 0-based index), else the last column not ignored; with a
 *             model's feature names, that last column is the label only when it is not one of
 *             them, and a label column may be optional (predict);
 *   features  by name (`features`: a model's, in its order: any column order works, a missing
 *             one is refused naming it and a near name) or, without names, every column left
 *             in file order; with `featureCount` (a model without names) D columns by
 *             position, plus a label when there are D + 1;
 *   extra     with feature names: the columns left, listed in a warning (they are not read).
 *
 * A column reference (ColumnRef) is a number (a 0-based index) or a string: the column of
 * that name, or, when no column has it, a 0-based index written in digits ("0").
 */
import { DataError } from "../errors.js";
import { quote, suggestion } from "../suggest.js";
import { parseDecimal } from "./decimal.js";

/** A column of a CSV: its header name, or its 0-based index. */
export type ColumnRef = string | number;

/** What planColumns needs to know beyond the header. */
export interface ColumnPlanOptions {
  /** The label column (default: the last column, see the header). */
  readonly label?: ColumnRef | undefined;
  /** Whether a label column must be there, may be (predict), or is not wanted. */
  readonly labelColumn: "required" | "optional" | "none";
  /** Columns never read (by name or index). */
  readonly ignore?: readonly ColumnRef[] | undefined;
  /** The feature names, in order, to find by name (a saved model's). */
  readonly features?: readonly string[] | undefined;
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
  const ignored = new Set<number>();
  for (const ref of options.ignore ?? []) {
    for (const j of resolveColumns(ref, names, subject, "--ignore")) ignored.add(j);
  }
  const kept = names.map((_, j) => j).filter((j) => !ignored.has(j));
  assertNamed(names, kept, at);
  const warnings: string[] = [];
  if (names.every((name) => name !== "" && Number.isFinite(parseDecimal(name)))) {
    warnings.push(
      `warning: ${at} (the header) holds only numbers: if the file has no header row, its first row is being read as column names`,
    );
  }
  const label = labelColumn(names, kept, ignored, options, subject);
  let features: number[];
  let extra: number[] = [];
  if (options.features !== undefined) {
    features = namedFeatures(names, kept, label, options.features, subject);
    const used = new Set([...features, ...(label === undefined ? [] : [label])]);
    extra = kept.filter((j) => !used.has(j));
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

/** A column for messages: `"x2"`, or `column 1 (unnamed)` for an empty header cell. */
export function columnName(names: readonly string[], j: number): string {
  const name = names[j] ?? "";
  return name === "" ? `column ${j + 1} (unnamed)` : quote(name);
}

/** The columns `ref` names: every column of that name, else the index it writes; else refused. */
function resolveColumns(
  ref: ColumnRef,
  names: readonly string[],
  subject: string,
  flag: string,
): number[] {
  if (typeof ref === "string") {
    const matches = names.flatMap((name, j) => (name === ref.trim() && name !== "" ? [j] : []));
    if (matches.length > 0) return matches;
    if (/^\d+$/.test(ref.trim())) return [indexColumn(Number(ref.trim()), names, subject, flag)];
    const named = names.filter((n) => n !== "");
    throw new DataError(
      `${subject} has no column ${quote(ref)}${suggestion(ref, named, quote)}; its columns are ${names
        .map((_, j) => columnName(names, j))
        .join(", ")}`,
    );
  }
  return [indexColumn(ref, names, subject, flag)];
}

/** A 0-based index, checked to be a column. */
function indexColumn(
  index: number,
  names: readonly string[],
  subject: string,
  flag: string,
): number {
  if (!Number.isSafeInteger(index) || index < 0 || index >= names.length) {
    throw new DataError(
      `${subject} has ${names.length} columns, numbered 0 to ${names.length - 1}: ${flag} ${String(index)} is none of them`,
    );
  }
  return index;
}

/** Every kept header cell is a non-empty name used once among the kept columns. */
function assertNamed(names: readonly string[], kept: readonly number[], at: string): void {
  const firstColumn = new Map<string, number>();
  for (const j of kept) {
    const name = names[j] as string;
    if (name === "") {
      throw new DataError(
        `${at}, column ${j + 1}: the header cell is empty; every column needs a name` +
          ` (an index column, as pandas writes? ignore it: --ignore ${j})`,
      );
    }
    const earlier = firstColumn.get(name);
    if (earlier !== undefined) {
      throw new DataError(
        `${at}: the column name ${quote(name)} appears twice (columns ${earlier + 1} and ${j + 1})`,
      );
    }
    firstColumn.set(name, j);
  }
}

/** The label column by the rules in the file's header, or undefined when there is none. */
function labelColumn(
  names: readonly string[],
  kept: readonly number[],
  ignored: ReadonlySet<number>,
  options: ColumnPlanOptions,
  subject: string,
): number | undefined {
  if (options.labelColumn === "none") return undefined;
  if (options.label !== undefined) {
    const [j] = resolveColumns(options.label, names, subject, "--label") as [number];
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
    return j;
  }
  if (options.labelColumn === "required" && kept.length < 2) {
    throw new DataError(
      `${subject} has ${kept.length} ${kept.length === 1 ? "column" : "columns"}${ignored.size > 0 ? " not ignored" : ""}; ` +
        `a labelled data set needs feature columns and a label column`,
    );
  }
  const last = kept[kept.length - 1];
  if (last === undefined) return undefined;
  if (options.features !== undefined) {
    if (!options.features.includes(names[last] as string)) return last;
    if (options.labelColumn === "required") {
      throw new DataError(
        `${subject}: no label column: the last column, ${columnName(names, last)}, is one of the model's features; give --label COL`,
      );
    }
    return undefined;
  }
  if (options.featureCount !== undefined && options.labelColumn === "optional") {
    return kept.length === options.featureCount + 1 ? last : undefined;
  }
  return last;
}

/** The header index of each of the model's features, found by name; a missing one is refused. */
function namedFeatures(
  names: readonly string[],
  kept: readonly number[],
  label: number | undefined,
  features: readonly string[],
  subject: string,
): number[] {
  const index = new Map(kept.filter((j) => j !== label).map((j) => [names[j] as string, j]));
  const missing = features.filter((name) => !index.has(name));
  if (missing.length > 0) {
    const first = missing[0] as string;
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
