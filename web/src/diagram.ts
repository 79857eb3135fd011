/**
 * The network diagram (issue 15, part 1): inputs → hidden units → outputs as SVG, each hidden
 * unit with its own small map of a = f(z1) over the input plane (2-D data), each edge coloured
 * by its weight's sign and sized by its magnitude. Hovering or focusing (Tab) an edge or a
 * unit selects it: the page then shows the weight, ∂L/∂w by backprop and by central
 * differences, and lets the weight be set; a unit shows its histogram and dead or saturated
 * state. Drawn up to MAX_INPUTS inputs and DIAGRAM_UNITS hidden units; beyond, a summary.
 */
import { divergingColour } from "./lib/colour.js";
import type { HistogramView, ParamsView, SnapshotMessage } from "./lib/protocol.js";

const SVG = "http://www.w3.org/2000/svg";
export const MAX_INPUTS = 16;
const MAX_UNITS = 64;
/** Hidden units per column of the diagram. */
const UNITS_PER_COLUMN = 16;

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

/** The names the diagram gives an entry: `x1 → h3`, `h3 → p` (or `h3 → class 2`). */
export function edgeName(param: "W1" | "W2", index: number, p: { H: number; K: number }): string {
  if (param === "W1") return `x${Math.floor(index / p.H) + 1} → h${(index % p.H) + 1}`;
  const [j, k] = [Math.floor(index / p.K), index % p.K];
  return `h${j + 1} → ${p.K === 1 ? "p" : `class ${k}`}`;
}

export class NetworkDiagram {
  private shape = "";
  private svgRoot: SVGSVGElement | undefined;
  private edges: { param: "W1" | "W2"; index: number; line: SVGLineElement }[] = [];
  private units: SVGRectElement[] = [];
  private outputs: SVGCircleElement[] = [];
  private images: SVGImageElement[] = [];
  private readonly sprite = document.createElement("canvas");

  constructor(
    private readonly container: HTMLElement,
    private readonly onSelect: (selection: Selection) => void,
  ) {}

  /** Draws the snapshot (the structure again only when the shape or the width changed). */
  update(s: SnapshotMessage): void {
    const { D, H, K } = s.params;
    if (D > MAX_INPUTS || H > MAX_UNITS) {
      const shape = `summary ${D} ${H}`;
      if (this.shape !== shape) {
        this.shape = shape;
        this.svgRoot = undefined;
        const note = document.createElement("p");
        note.className = "note";
        note.setAttribute("role", "group");
        note.setAttribute("aria-label", "network diagram");
        note.textContent =
          `${D} inputs → ${H} hidden units → ${K === 1 ? "1 output (sigmoid)" : `${K} outputs (softmax)`}: ` +
          `the diagram draws up to ${MAX_INPUTS} inputs and ${MAX_UNITS} hidden units; ` +
          "the weights and histograms below show every one.";
        this.container.replaceChildren(note);
      }
      return;
    }
    const width = Math.max(300, Math.floor(this.container.getBoundingClientRect().width));
    const shape = `${D} ${H} ${K} ${width}`;
    if (this.shape !== shape) this.build(s.params, width);
    this.shape = shape;
    this.paint(s);
  }

  /** The SVG of this shape: edges first (under the units), then inputs, units, outputs. */
  private build(p: ParamsView, width: number): void {
    const { D, H, K } = p;
    const columns = Math.ceil(H / UNITS_PER_COLUMN);
    const perColumn = Math.ceil(H / columns);
    const size = perColumn <= 8 ? 36 : 28;
    const gap = size + 10;
    const height = Math.max(D, perColumn, K) * gap + 24;
    const y = (i: number, n: number): number => 12 + ((i + 0.5) * (height - 24)) / n;
    const xIn = 48;
    const xOut = width - 70;
    const hiddenWidth = columns * size + (columns - 1) * 28;
    const xHidden0 = Math.max(xIn + 80, (xIn + xOut) / 2 - hiddenWidth / 2);
    const unitAt = (j: number): { x: number; y: number } => {
      const c = Math.floor(j / perColumn);
      return { x: xHidden0 + c * (size + 28), y: y(j % perColumn, perColumn) - size / 2 };
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
      if (size >= 28) label(u.x + size / 2, u.y - 2, `h${j + 1}`);
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
      line.setAttribute("stroke-width", (0.75 + 4 * t).toFixed(2));
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
    if (!s.units) return;
    const { R, values } = s.units;
    const n = R * R;
    const H = p.H;
    let top = 0;
    for (const v of values) top = Math.max(top, Math.abs(v));
    [this.sprite.width, this.sprite.height] = [R * H, R];
    const ctx = this.sprite.getContext("2d");
    if (!ctx) return;
    const image = ctx.createImageData(R * H, R);
    for (let j = 0; j < H; j++) {
      for (let i = 0; i < n; i++) {
        const [r, g, b] = divergingColour(values[j * n + i]!, top);
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
