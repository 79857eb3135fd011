/**
 * The network diagram (issue 15, part 1): inputs → hidden units → outputs as SVG, each hidden
 * unit with its own small map of a = f(z1) over the input plane (2-D data; coloured on a scale
 * fitted to f's range, which the legend states), each edge coloured by its weight's sign and
 * sized by its magnitude (W1's and W2's each against their own largest |w|). Hovering or focusing (Tab) an edge or a
 * unit selects it: the page then shows the weight, ∂L/∂w by backprop and by central
 * differences, and lets the weight be set; a unit shows its histogram and dead or saturated
 * state. Drawn up to MAX_INPUTS inputs and MAX_UNITS hidden units, readable at any width down
 * to a phone's (see unitLayout: units ≥ 28 px, labels clear of each other, edges ≥ 1 px);
 * beyond, a summary: the units' states in a strip of cells and the weights' distributions.
 */
import { activationScale, divergingColour } from "./lib/colour.js";
import { binCounts } from "./lib/histogram.js";
import { edgeName, plural } from "./lib/words.js";
import type { HistogramView, ParamsView, SnapshotMessage } from "./lib/protocol.js";

const SVG = "http://www.w3.org/2000/svg";
export const MAX_INPUTS = 16;
export const MAX_UNITS = 64;
/** Hidden units per column of the diagram (more when the width holds fewer columns). */
const UNITS_PER_COLUMN = 16;
/** Space between two units of a column (their label sits in it) and between two columns (px). */
const UNIT_GAP = 16;
const COLUMN_GAP = 16;
/** Room for the edges between the inputs and the first column, and the last column and the outputs. */
const EDGE_ROOM = 56;

/** Where the diagram puts its nodes at this width (CSS px). */
export interface UnitLayout {
  /** A unit's side, the units per column and the columns. */
  readonly size: number;
  readonly perColumn: number;
  readonly columns: number;
  readonly height: number;
  /** The inputs' and outputs' centres, the first column's left edge, the units' top margin. */
  readonly xIn: number;
  readonly xOut: number;
  readonly xHidden: number;
  readonly top: number;
}

/**
 * The layout of H units between the inputs and K outputs in `width` px: columns of
 * UNITS_PER_COLUMN, or as many as fit between the edges' room on both sides (then more per
 * column); units 36 px square up to 8 per column, else 28; centred between inputs and outputs.
 */
export function unitLayout(H: number, K: number, width: number): UnitLayout {
  const xIn = 40; // room for the input labels ("x16") on the left
  const xOut = width - (K === 1 ? 32 : 62); // and for "p" or "class 7" on the right
  const room = xOut - xIn - 2 * EDGE_ROOM;
  const fits = (size: number): number =>
    Math.max(1, Math.floor((room + COLUMN_GAP) / (size + COLUMN_GAP)));
  let columns = Math.min(Math.ceil(H / UNITS_PER_COLUMN), fits(28));
  let perColumn = Math.ceil(H / columns);
  const size = perColumn <= 8 ? 36 : 28;
  columns = Math.min(columns, fits(size));
  perColumn = Math.ceil(H / columns);
  columns = Math.ceil(H / perColumn);
  const unitsHeight = perColumn * (size + UNIT_GAP) - UNIT_GAP;
  const height = Math.max(unitsHeight + 28, 48 * K, 96);
  const spread = columns * size + (columns - 1) * COLUMN_GAP;
  return {
    size,
    perColumn,
    columns,
    height,
    xIn,
    xOut,
    xHidden: Math.max(xIn + EDGE_ROOM, (xIn + xOut - spread) / 2),
    top: (height - 28 - unitsHeight) / 2,
  };
}

/**
 * An edge's stroke width from t = |w| / max|w| of its matrix: at least 1 px (never a
 * sub-pixel hairline), up to 4.5 px, and up to 3 px when there are more than 100 edges, so
 * that the strong ones do not cover the rest.
 */
export function edgeWidth(t: number, edges: number): number {
  return 1 + (edges > 100 ? 2 : 3.5) * t;
}

/** What is selected: an edge (an entry of W1 or W2), a hidden unit (b1) or an output (b2). */
export type Selection =
  | { readonly kind: "edge"; readonly param: "W1" | "W2"; readonly index: number }
  | { readonly kind: "unit"; readonly unit: number }
  | { readonly kind: "output"; readonly output: number };

const rgb = ([r, g, b]: readonly [number, number, number]): string =>
  `rgb(${Math.round(r)} ${Math.round(g)} ${Math.round(b)})`;

function svg<K extends keyof SVGElementTagNameMap>(
  name: K,
  attributes: Record<string, string | number>,
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  return element;
}

export class NetworkDiagram {
  private shape = "";
  private svgRoot: SVGSVGElement | undefined;
  private edges: { param: "W1" | "W2"; index: number; line: SVGLineElement }[] = [];
  private units: SVGRectElement[] = [];
  private outputs: SVGCircleElement[] = [];
  private images: SVGImageElement[] = [];
  private readonly sprite = document.createElement("canvas");
  /** The summary shown instead beyond MAX_UNITS units or MAX_INPUTS inputs. */
  private summary: DiagramSummary | undefined;

  /**
   * `legend` says how the units' maps and the edges are coloured (or why the units have no
   * map); `onSelect` is told what the pointer or the focus selects.
   */
  constructor(
    private readonly container: HTMLElement,
    private readonly legend: HTMLElement,
    private readonly onSelect: (selection: Selection) => void,
  ) {}

  /** Draws the snapshot (the structure again only when the shape or the width changed). */
  update(s: SnapshotMessage): void {
    const { D, H, K } = s.params;
    const width = Math.max(300, Math.floor(this.container.getBoundingClientRect().width));
    this.legend.hidden = D > MAX_INPUTS || H > MAX_UNITS; // the summary says what it shows
    if (D > MAX_INPUTS || H > MAX_UNITS) {
      const shape = `summary ${D} ${H} ${K} ${width}`;
      if (this.shape !== shape) {
        this.shape = shape;
        this.svgRoot = undefined;
        this.summary = new DiagramSummary(this.container, s.params, width);
      }
      this.summary?.paint(s);
      return;
    }
    this.summary = undefined;
    const shape = `${D} ${H} ${K} ${width}`;
    if (this.shape !== shape) this.build(s.params, width);
    this.shape = shape;
    this.paint(s);
  }

  /**
   * The SVG of this shape: edges first (under the units), then inputs, units, outputs. The
   * hidden units stand in columns of at most UNITS_PER_COLUMN (more per column when the width
   * holds fewer columns; see unitLayout), each unit at least 28 px square (a hit area ≥ 24
   * px), UNIT_GAP apart so that its label fits above it without touching the unit above.
   */
  private build(p: ParamsView, width: number): void {
    const { D, H, K } = p;
    const layout = unitLayout(H, K, width);
    const { size, perColumn, height, xIn, xOut } = layout;
    const y = (i: number, n: number): number => 12 + ((i + 0.5) * (height - 24)) / n;
    const unitAt = (j: number): { x: number; y: number } => {
      const c = Math.floor(j / perColumn);
      return {
        x: layout.xHidden + c * (size + COLUMN_GAP),
        y: layout.top + 14 + (j % perColumn) * (size + UNIT_GAP),
      };
    };
    const root = svg("svg", {
      width,
      height,
      viewBox: `0 0 ${width} ${height}`,
      role: "group",
      "aria-label": "network diagram",
      class: "diagram",
    });
    this.edges = [];
    this.units = [];
    this.outputs = [];
    this.images = [];
    const hits: SVGLineElement[] = [];
    const edgeLine = (
      param: "W1" | "W2",
      index: number,
      from: [number, number],
      to: [number, number],
    ): void => {
      const line = svg("line", {
        x1: from[0],
        y1: from[1],
        x2: to[0],
        y2: to[1],
        tabindex: -1,
        class: "edge",
        "data-param": param,
        "data-index": index,
      });
      root.append(line);
      this.edges.push({ param, index, line });
      // A wider, invisible copy above the edges takes the pointer: a 1 px edge is hard to hit.
      hits.push(
        svg("line", {
          x1: from[0],
          y1: from[1],
          x2: to[0],
          y2: to[1],
          class: "edge-hit",
          "data-param": param,
          "data-index": index,
        }),
      );
    };
    for (let i = 0; i < D; i++) {
      for (let j = 0; j < H; j++) {
        const u = unitAt(j);
        edgeLine("W1", i * H + j, [xIn + 12, y(i, D)], [u.x, u.y + size / 2]);
      }
    }
    for (let j = 0; j < H; j++) {
      for (let k = 0; k < K; k++) {
        const u = unitAt(j);
        edgeLine("W2", j * K + k, [u.x + size, u.y + size / 2], [xOut - 12, y(k, K)]);
      }
    }
    root.append(...hits);
    const label = (x: number, yy: number, text: string, anchor = "middle"): void => {
      const t = svg("text", { x, y: yy, "text-anchor": anchor, class: "diagram-label" });
      t.textContent = text;
      root.append(t);
    };
    for (let i = 0; i < D; i++) {
      root.append(svg("circle", { cx: xIn, cy: y(i, D), r: 12, class: "node" }));
      label(xIn - 16, y(i, D) + 4, `x${i + 1}`, "end");
    }
    for (let k = 0; k < K; k++) {
      const node = svg("circle", {
        cx: xOut,
        cy: y(k, K),
        r: 12,
        class: "node output-node",
        tabindex: 0,
        "data-output": k,
      });
      root.append(node);
      this.outputs.push(node);
      label(xOut + 16, y(k, K) + 4, K === 1 ? "p" : `class ${k}`, "start");
    }
    for (let j = 0; j < H; j++) {
      const u = unitAt(j);
      const frame = svg("svg", {
        x: u.x,
        y: u.y,
        width: size,
        height: size,
        preserveAspectRatio: "none",
      });
      const image = svg("image", { x: 0, y: 0, width: size, height: size });
      frame.append(image);
      this.images.push(image);
      const box = svg("rect", {
        x: u.x,
        y: u.y,
        width: size,
        height: size,
        tabindex: 0,
        class: "unit",
        "data-unit": j,
      });
      root.append(frame, box);
      this.units.push(box);
      label(u.x + size / 2, u.y - 3, `h${j + 1}`);
    }
    const select = (event: Event): void => {
      const target = event.target as SVGElement;
      const param = target.getAttribute("data-param");
      const unit = target.getAttribute("data-unit");
      const output = target.getAttribute("data-output");
      if (param === "W1" || param === "W2")
        this.onSelect({ kind: "edge", param, index: Number(target.getAttribute("data-index")) });
      else if (unit !== null) this.onSelect({ kind: "unit", unit: Number(unit) });
      else if (output !== null) this.onSelect({ kind: "output", output: Number(output) });
    };
    root.addEventListener("pointerover", select);
    root.addEventListener("focusin", select);
    root.addEventListener("keydown", (event) => this.move(event, D, H, K));
    this.svgRoot = root;
    this.container.replaceChildren(root);
  }

  /** Colours and widths of the edges, the units' maps and states, for this snapshot. */
  private paint(s: SnapshotMessage): void {
    const p = s.params;
    const maxAbs = (a: Float64Array): number => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const scale = { W1: maxAbs(p.W1), W2: maxAbs(p.W2) };
    for (const { param, index, line } of this.edges) {
      const w = p[param][index]!;
      const t = scale[param] > 0 ? Math.abs(w) / scale[param] : 0;
      line.setAttribute("stroke", rgb(divergingColour(w, scale[param])));
      line.setAttribute("stroke-width", edgeWidth(t, this.edges.length).toFixed(2));
      line.setAttribute("aria-label", `weight ${edgeName(param, index, p)} = ${w.toPrecision(4)}`);
    }
    const h: HistogramView = s.histograms;
    this.units.forEach((box, j) => {
      const state = h.dead[j] ? "dead" : h.saturated[j] ? "saturated" : "active";
      box.setAttribute("data-state", state);
      box.setAttribute(
        "aria-label",
        `hidden unit h${j + 1}: ${state}, b1 = ${p.b1[j]!.toPrecision(4)}`,
      );
    });
    this.outputs.forEach((node, k) =>
      node.setAttribute(
        "aria-label",
        `output ${p.K === 1 ? "p" : `class ${k}`}: b2 = ${p.b2[k]!.toPrecision(4)}`,
      ),
    );
    const edges =
      "Each edge is coloured by its weight's sign (blue negative, orange positive) and drawn thicker the larger |w|, " +
      "W1's edges scaled to W1's largest |w| and W2's to W2's.";
    if (!s.units) {
      this.legend.textContent =
        `${edges} A unit's box would show its activation over the input plane, which takes 2 inputs: ` +
        `these data have ${plural(p.D, "feature")}, so the boxes are empty.`;
      delete this.legend.dataset["scale"];
      return;
    }
    const { R, values } = s.units;
    const n = R * R;
    const H = p.H;
    let top = 0;
    for (const v of values) top = Math.max(top, Math.abs(v));
    const { centre, half, legend } = activationScale(s.units.activation, top);
    this.legend.textContent = `Each hidden unit's box shows its activation over the input plane, ${legend}. ${edges}`;
    this.legend.dataset["scale"] = `${centre} ${half}`;
    [this.sprite.width, this.sprite.height] = [R * H, R];
    const ctx = this.sprite.getContext("2d");
    if (!ctx) return;
    const image = ctx.createImageData(R * H, R);
    for (let j = 0; j < H; j++) {
      for (let i = 0; i < n; i++) {
        const [r, g, b] = divergingColour(values[j * n + i]! - centre, half);
        const at = 4 * ((i / R) | 0) * R * H + 4 * (j * R + (i % R));
        image.data[at] = r;
        image.data[at + 1] = g;
        image.data[at + 2] = b;
        image.data[at + 3] = 255;
      }
    }
    ctx.putImageData(image, 0, 0);
    const url = this.sprite.toDataURL();
    this.images.forEach((img, j) => {
      const frame = img.parentNode as SVGSVGElement;
      frame.setAttribute("viewBox", `${j * R} 0 ${R} ${R}`);
      img.setAttribute("width", String(R * H));
      img.setAttribute("height", String(R));
      img.setAttribute("href", url);
    });
  }

  /**
   * The keyboard: Tab goes from unit to unit (one stop each); on a unit, ← and → go to its
   * first incoming and outgoing edge, ↑ and ↓ to the unit before and after; on an edge, ↑ and ↓
   * go to the unit's edge before and after on that side, and ← or → back to the unit.
   */
  private move(event: KeyboardEvent, D: number, H: number, K: number): void {
    const target = event.target as SVGElement;
    const param = target.getAttribute("data-param");
    const unitText = target.getAttribute("data-unit");
    const outputText = target.getAttribute("data-output");
    const edge = (p: "W1" | "W2", index: number): SVGElement | undefined =>
      this.edges.find((e) => e.param === p && e.index === index)?.line;
    let next: SVGElement | undefined;
    if (outputText !== null) {
      const k = Number(outputText);
      next = {
        ArrowLeft: edge("W2", k),
        ArrowUp: this.outputs[k - 1],
        ArrowDown: this.outputs[k + 1],
      }[event.key];
    } else if (unitText !== null) {
      const j = Number(unitText);
      next = {
        ArrowLeft: edge("W1", j),
        ArrowRight: edge("W2", j * K),
        ArrowUp: this.units[j - 1],
        ArrowDown: this.units[j + 1],
      }[event.key];
    } else if (param === "W1" || param === "W2") {
      const index = Number(target.getAttribute("data-index"));
      const [j, along, count] =
        param === "W1"
          ? [index % H, Math.floor(index / H), D]
          : [Math.floor(index / K), index % K, K];
      const at = (a: number): number => (param === "W1" ? a * H + j : j * K + a);
      next = {
        ArrowUp: along > 0 ? edge(param, at(along - 1)) : undefined,
        ArrowDown: along < count - 1 ? edge(param, at(along + 1)) : undefined,
        ArrowLeft: param === "W2" ? this.units[j] : undefined,
        ArrowRight: param === "W1" ? this.units[j] : this.outputs[along],
      }[event.key];
    }
    if (next) {
      event.preventDefault();
      (next as SVGElement & { focus(): void }).focus();
    }
  }

  /** Marks the selected element (class "selected"). */
  mark(selection: Selection | undefined): void {
    if (!this.svgRoot) return;
    for (const e of this.svgRoot.querySelectorAll(".selected")) e.classList.remove("selected");
    if (!selection) return;
    const element =
      selection.kind === "unit"
        ? this.units[selection.unit]
        : selection.kind === "output"
          ? this.outputs[selection.output]
          : this.edges.find((e) => e.param === selection.param && e.index === selection.index)
              ?.line;
    element?.classList.add("selected");
  }
}

/** Bins of the summary's weight histograms. */
const WEIGHT_BINS = 24;
/** A unit's cell in the summary's strip, and the gap between cells (px). */
const CELL = 12;
const CELL_GAP = 2;
const STATE_COLOUR = { active: "#9bb7d4", saturated: "#c77700", dead: "#b00020" } as const;

/**
 * The diagram beyond MAX_UNITS hidden units (or MAX_INPUTS inputs), where single edges could no
 * longer be told apart: the shape and its number of weights; a strip of the hidden units, one
 * cell each in unit order, coloured by state (active, saturated, dead; as the histograms flag
 * them) with the counts; and how W1's and W2's weights are distributed (a histogram each over
 * ±max|w| of the matrix, bars coloured as the weights are).
 */
class DiagramSummary {
  private readonly cells: SVGRectElement[] = [];
  private readonly strip: SVGSVGElement;
  private readonly counts: HTMLElement;
  private readonly weights: {
    readonly param: "W1" | "W2";
    readonly root: SVGSVGElement;
    readonly bars: SVGRectElement[];
    readonly axis: SVGTextElement[];
    readonly plot: { x: number; y: number; w: number; h: number };
  }[] = [];

  constructor(container: HTMLElement, p: ParamsView, width: number) {
    const { D, H, K } = p;
    const intro = document.createElement("p");
    intro.className = "note";
    intro.textContent =
      `${plural(D, "input")} → ${plural(H, "hidden unit")} → ${K === 1 ? "1 output (sigmoid)" : `${K} outputs (softmax)`}: ` +
      `${D * H + H * K} weights, too many edges to tell apart (the diagram draws each unit and edge up to ` +
      `${MAX_UNITS} hidden units and ${MAX_INPUTS} inputs). In summary: the hidden units' states, and how the weights are spread.`;
    const perRow = Math.max(1, Math.floor((width + CELL_GAP) / (CELL + CELL_GAP)));
    const rows = Math.ceil(H / perRow);
    const stripHeight = rows * (CELL + CELL_GAP);
    this.strip = svg("svg", {
      width,
      height: stripHeight,
      viewBox: `0 0 ${width} ${stripHeight}`,
      role: "img",
      class: "diagram-summary units",
    });
    for (let j = 0; j < H; j++) {
      const cell = svg("rect", {
        x: (j % perRow) * (CELL + CELL_GAP),
        y: Math.floor(j / perRow) * (CELL + CELL_GAP),
        width: CELL,
        height: CELL,
        "data-unit": j,
      });
      this.cells.push(cell);
      this.strip.append(cell);
    }
    this.counts = document.createElement("p");
    this.counts.className = "note";
    const panels: SVGSVGElement[] = [];
    const side = width >= 560 ? Math.floor((width - 16) / 2) : width; // side by side, or stacked
    for (const param of ["W1", "W2"] as const) {
      const height = 120;
      const root = svg("svg", {
        width: side,
        height,
        viewBox: `0 0 ${side} ${height}`,
        role: "img",
        class: "diagram-summary weights",
        "data-param": param,
      });
      const plot = { x: 8, y: 20, w: side - 16, h: height - 42 };
      const title = svg("text", { x: plot.x, y: 13, class: "diagram-label" });
      const [rowsOf, colsOf] = param === "W1" ? [D, H] : [H, K];
      title.textContent = `${param}: ${rowsOf * colsOf} weights (${rowsOf}×${colsOf}), count per bin over ±max|w|`;
      root.append(title);
      const bars: SVGRectElement[] = [];
      for (let b = 0; b < WEIGHT_BINS; b++) {
        const bar = svg("rect", {
          x: plot.x + (b * plot.w) / WEIGHT_BINS + 0.5,
          width: Math.max(1, plot.w / WEIGHT_BINS - 1),
          y: plot.y + plot.h,
          height: 0,
          stroke: "#999", // the bars near 0 are near white
          "stroke-width": 0.5,
        });
        bars.push(bar);
        root.append(bar);
      }
      root.append(
        svg("line", {
          x1: plot.x,
          x2: plot.x + plot.w,
          y1: plot.y + plot.h + 0.5,
          y2: plot.y + plot.h + 0.5,
          stroke: "#888",
        }),
      );
      const axis = (["start", "middle", "end"] as const).map((anchor, i) => {
        const t = svg("text", {
          x: plot.x + (i * plot.w) / 2,
          y: plot.y + plot.h + 15,
          "text-anchor": anchor,
          class: "diagram-label",
        });
        root.append(t);
        return t;
      });
      panels.push(root);
      this.weights.push({ param, root, bars, axis, plot });
    }
    const group = document.createElement("div");
    group.className = "diagram-summary";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "network diagram");
    const histograms = document.createElement("div");
    histograms.className = "diagram-summary-weights";
    histograms.append(...panels);
    group.append(intro, this.strip, this.counts, histograms);
    container.replaceChildren(group);
  }

  /** The states and weights of this snapshot. */
  paint(s: SnapshotMessage): void {
    const h = s.histograms;
    const tally = { active: 0, saturated: 0, dead: 0 };
    this.cells.forEach((cell, j) => {
      const state = h.dead[j] ? "dead" : h.saturated[j] ? "saturated" : "active";
      tally[state]++;
      cell.setAttribute("fill", STATE_COLOUR[state]);
      cell.setAttribute("data-state", state);
    });
    const words = `${this.cells.length} hidden units: ${tally.active} active, ${tally.saturated} saturated, ${tally.dead} dead`;
    this.counts.textContent = `${words} (one cell each, in unit order; red: dead, amber: saturated)`;
    this.strip.setAttribute("aria-label", words);
    for (const { key, n } of [
      { key: "active", n: tally.active },
      { key: "saturated", n: tally.saturated },
      { key: "dead", n: tally.dead },
    ])
      this.strip.setAttribute(`data-${key}`, String(n));
    for (const { param, root, bars, axis, plot } of this.weights) {
      const values = s.params[param];
      const top = values.reduce((m, v) => Math.max(m, Math.abs(v)), 0) || 1;
      const counts = binCounts(values, -top, top, WEIGHT_BINS);
      const most = Math.max(1, ...counts);
      bars.forEach((bar, b) => {
        const tall = (counts[b]! / most) * plot.h;
        bar.setAttribute("y", (plot.y + plot.h - tall).toFixed(1));
        bar.setAttribute("height", tall.toFixed(1));
        const centre = -top + ((b + 0.5) * 2 * top) / WEIGHT_BINS;
        bar.setAttribute("fill", rgb(divergingColour(centre, top)));
      });
      const [lo, zero, hi] = axis;
      lo!.textContent = `−${top.toPrecision(3)}`;
      zero!.textContent = "0";
      hi!.textContent = `+${top.toPrecision(3)}`;
      root.setAttribute("data-counts", counts.join(" "));
      root.setAttribute("data-max", String(top));
      root.setAttribute(
        "aria-label",
        `distribution of the ${values.length} weights of ${param} over ±${top.toPrecision(3)}: ` +
          `${counts.join(", ")} per bin`,
      );
    }
  }
}
