/**
 * Figures: a Vega-Lite spec compiled to Vega and rendered to SVG headlessly (no canvas: Vega
 * estimates text widths), so the same spec gives the same SVG text on every machine.
 */
import { parse, View } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import type { Figure } from "./experiment.js";

/** Defaults every figure shares: a white background and a readable size. */
const BASE_CONFIG = {
  background: "white",
  font: "sans-serif",
  view: { continuousWidth: 360, continuousHeight: 240 },
  axis: { labelFontSize: 11, titleFontSize: 12 },
  legend: { labelFontSize: 11, titleFontSize: 12 },
} as const;

/** The SVG text of a Vega-Lite spec. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const withConfig = {
    ...spec,
    config: { ...BASE_CONFIG, ...(spec.config ?? {}) },
  } as TopLevelSpec;
  const view = new View(parse(compile(withConfig).spec), { renderer: "none" });
  try {
    const svg = await view.toSVG();
    return `${svg}\n`;
  } finally {
    view.finalize();
  }
}

/** The file name a figure of experiment `experiment` is written to. */
export function figureFileName(experiment: string, figure: Figure): string {
  return `${experiment}-${figure.name}.svg`;
}
