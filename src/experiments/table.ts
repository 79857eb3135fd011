/** Tables as aligned plain text (the CLI) and as Markdown (docs/). */
import type { Table } from "./experiment.js";

/** The table as aligned columns, its title above. */
export function tableText(table: Table): string {
  const { columns, rows } = table;
  const widths = columns.map((c, j) => Math.max(c.length, ...rows.map((r) => (r[j] ?? "").length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, j) => cell.padEnd(widths[j] ?? 0))
      .join("  ")
      .trimEnd();
  return [`${table.title}`, line(columns), ...rows.map(line)].join("\n");
}

/** The table as a Markdown table (cells with "|" escaped). */
export function tableMarkdown(table: Table): string {
  const cell = (text: string): string => text.replace(/\|/g, "\\|");
  const line = (cells: readonly string[]): string => `| ${cells.map(cell).join(" | ")} |`;
  return [line(table.columns), line(table.columns.map(() => "---")), ...table.rows.map(line)].join(
    "\n",
  );
}
