/** Human-readable reports: the gradient-check table and training summaries. */
import type { GradientCheckReport } from "../check/index.js";
import { PARAM_NAMES } from "../nn/index.js";
import type { EpochRecord } from "../train/index.js";

/** A number to 4 significant digits, shortest form, exponent below 1e-3 ("0.01696", "1e-5"). */
export function sci(x: number): string {
  const rounded = Number(x.toPrecision(4));
  return rounded !== 0 && Math.abs(rounded) < 1e-3 ? rounded.toExponential() : String(rounded);
}

/** A number to 12 significant digits, exponent without "+" ("1e199", "0.03"), as a flag value. */
export function readableNumber(x: number): string {
  return String(Number(x.toPrecision(12))).replace("e+", "e");
}

export function percent(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

/** Rows of cells as an aligned plain-text table. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => (r[j] ?? "").length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, j) => c.padEnd(widths[j] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}

/** The per-parameter gradient-check table and the verdict. */
export function gradientCheckText(report: GradientCheckReport): string {
  const rows = PARAM_NAMES.map((name) => {
    const r = report.params[name];
    return [
      name,
      String(r.total),
      String(r.checked),
      String(r.kinks),
      sci(r.relError),
      sci(r.maxEntryRelError),
    ];
  });
  const { maxRelError, threshold, eps, unchecked } = report;
  const verdict = report.passed
    ? `passed: max relError ${sci(maxRelError)} ≤ threshold ${sci(threshold)} (eps ${sci(eps)})`
    : unchecked.length > 0
      ? `FAILED: every checked entry of ${unchecked.join(", ")} crossed a kink, so nothing was compared (eps ${sci(eps)}); use a smaller eps`
      : `FAILED: max relError ${sci(maxRelError)} > threshold ${sci(threshold)} (eps ${sci(eps)})`;
  return `${table(["param", "entries", "checked", "kinks", "relError", "maxEntryRelError"], rows)}\n${verdict}`;
}

/**
 * "loss 0.693 → 0.0412, train accuracy 99.0%, validation accuracy 98.8%"; with an L2 penalty,
 * the losses include it, and the text says so: "loss 0.7 → 0.05 (including the L2 penalty 0.01)".
 */
export function trainingOutcomeText(first: EpochRecord, last: EpochRecord): string {
  const parts = [
    `loss ${sci(first.loss)} → ${sci(last.loss)}` +
      (last.penalty === undefined ? "" : ` (including the L2 penalty ${sci(last.penalty)})`),
    `train accuracy ${percent(last.accuracy)}`,
  ];
  if (last.validationAccuracy !== undefined && last.validationLoss !== undefined) {
    parts.push(
      `validation loss ${sci(last.validationLoss)}, validation accuracy ${percent(last.validationAccuracy)}`,
    );
  }
  return parts.join(", ");
}
