/**
 * What an experiment is: a seeded, deterministic measurement behind a claim in the docs.
 * It returns its tables (printed by `handgrad experiment NAME` and quoted in docs/), its
 * figures (Vega-Lite specs, rendered to SVG), and the key numbers the docs quote inline.
 * Every cell and number is already formatted text, so what the CLI prints, what the docs
 * quote and what the drift test compares are the same strings.
 */
import type { TopLevelSpec } from "vega-lite";

/** A table of formatted cells. */
export interface Table {
  /** Identifier within the experiment (docs quote it as `experiment:NAME:TABLE`). */
  readonly name: string;
  /** One line saying what the table shows. */
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** A figure: a Vega-Lite spec with its data inlined, rendered to `NAME-FIGURE.svg`. */
export interface Figure {
  readonly name: string;
  readonly title: string;
  readonly spec: TopLevelSpec;
}

export interface ExperimentResult {
  readonly tables: readonly Table[];
  readonly figures: readonly Figure[];
  /** The key numbers, by key, formatted as the docs quote them (`<!--n:NAME.key-->`). */
  readonly numbers: Readonly<Record<string, string>>;
}

export interface ExperimentOptions {
  /** Seeds every random choice of the experiment. */
  readonly seed: number;
}

export interface Experiment {
  /** The name on the command line: `handgrad experiment NAME`. */
  readonly name: string;
  /** One line for `--list`: the question the experiment answers. */
  readonly summary: string;
  readonly run: (options: ExperimentOptions) => ExperimentResult;
}
