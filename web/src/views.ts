/**
 * Canvas drawings of a snapshot: the boundary with the points, the curves, the weights and the
 * histograms, each with axes, ticks and a title. Every canvas is drawn at the screen's
 * resolution (backing store = CSS size × devicePixelRatio), in CSS pixels.
 */
import { logRange, logTicks, niceTicks, tickLabel } from "./lib/axes.js";
import { classColour, divergingColour } from "./lib/colour.js";
import type { HistogramView, HistoryPoint, ParamsView, PointsMessage } from "./lib/protocol.js";

const FONT = "11px system-ui, sans-serif";
const INK = "#333";

/** A canvas fitted to its CSS size at the screen's resolution, with its context in CSS pixels. */
export interface Surface {
  readonly ctx: CanvasRenderingContext2D;
  /** CSS pixels. */
  readonly width: number;
  readonly height: number;
  /** Backing-store pixels per CSS pixel. */
  readonly scale: number;
}

/**
 * Sets the canvas's backing store to its CSS size × devicePixelRatio (when it changed) and
 * the context's transform to draw in CSS pixels. A canvas not laid out (hidden) keeps its size.
 */
export function fitCanvas(canvas: HTMLCanvasElement): Surface {
  const ctx = canvas.getContext("2d");
  if (!ctx) throw new Error(`no 2-D context for #${canvas.id}`);
  const ratio = window.devicePixelRatio || 1;
  const rect = canvas.getBoundingClientRect();
  const [width, height] =
    rect.width > 0 && rect.height > 0
      ? [rect.width, rect.height]
      : [canvas.width / ratio, canvas.height / ratio];
  const [w, h] = [Math.round(width * ratio), Math.round(height * ratio)];
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  ctx.setTransform(w / width, 0, 0, h / height, 0, 0);
  return { ctx, width, height, scale: w / width };
}

const rgb = ([r, g, b]: readonly number[]): string => `rgb(${r} ${g} ${b})`;

/** A plot's area inside its canvas (CSS pixels). */
interface Area {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

function areaOf(s: Surface, margin: { l: number; r: number; t: number; b: number }): Area {
  return {
    left: margin.l,
    top: margin.t,
    width: Math.max(1, s.width - margin.l - margin.r),
    height: Math.max(1, s.height - margin.t - margin.b),
  };
}

/**
 * The frame of `area`, the ticks on its left and bottom edges (each at its position from
 * `x(t)`, `y(t)`), their labels and the axis titles.
 */
function drawAxes(
  ctx: CanvasRenderingContext2D,
  area: Area,
  ticks: {
    readonly x: readonly number[];
    readonly y: readonly number[];
    readonly xAt: (t: number) => number;
    readonly yAt: (t: number) => number;
    readonly xTitle: string;
    readonly yTitle: string;
  },
): void {
  const { left, top, width, height } = area;
  const bottom = top + height;
  ctx.save();
  ctx.strokeStyle = "#888";
  ctx.lineWidth = 1;
  ctx.strokeRect(left + 0.5, top + 0.5, width - 1, height - 1);
  ctx.fillStyle = INK;
  ctx.font = FONT;
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  ctx.beginPath();
  for (const t of ticks.x) {
    const x = ticks.xAt(t);
    ctx.moveTo(x, bottom);
    ctx.lineTo(x, bottom + 4);
    ctx.fillText(tickLabel(t), x, bottom + 5);
  }
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (const t of ticks.y) {
    const y = ticks.yAt(t);
    ctx.moveTo(left, y);
    ctx.lineTo(left - 4, y);
    ctx.fillText(tickLabel(t), left - 6, y);
  }
  ctx.stroke();
  ctx.textAlign = "center";
  ctx.textBaseline = "bottom";
  ctx.fillText(ticks.xTitle, left + width / 2, area.top + height + 32);
  ctx.translate(10, top + height / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textBaseline = "middle";
  ctx.fillText(ticks.yTitle, 0, 0);
  ctx.restore();
}

/**
 * The boundary: the R×R heat map scaled into the plot, the points (train: circles, test:
 * squares; the rows of `points.drawn`, at most POINTS_CAP keeping each class's share, drawn
 * once into a layer of their own and copied each frame, with "showing n of N points" when
 * that is not all of them) and the axes in the data's units.
 */
export class BoundaryView {
  private readonly heat = document.createElement("canvas");
  private readonly layer = document.createElement("canvas");
  /** The points and canvas size the layer was drawn for. */
  private layerFor: { points: PointsMessage; width: number; height: number } | undefined;
  /** The points the layer holds (their `drawn` rows), and each class's count among them. */
  private sampledFor: PointsMessage | undefined;
  private counts: number[] = [];
  /** The plot's area in CSS pixels, as last drawn (for rowAt). */
  private area: Area | undefined;
  /** Data rows drawn with a ring (the step-through's batch). */
  marked: readonly number[] = [];

  constructor(private readonly canvas: HTMLCanvasElement) {}

  /**
   * The data row of the drawn point nearest to (clientX, clientY), within 10 CSS pixels; else
   * undefined.
   */
  rowAt(clientX: number, clientY: number, points: PointsMessage): number | undefined {
    const area = this.area;
    const b = points.bounds;
    if (!area || !b || this.sampledFor !== points) return undefined;
    const rect = this.canvas.getBoundingClientRect();
    const [x, y] = [clientX - rect.left, clientY - rect.top]; // the area is in CSS pixels
    let best: number | undefined;
    let nearest = 10 * 10;
    for (const i of points.drawn) {
      const [px, py] = this.at(points, i, area);
      const d = (px - x) ** 2 + (py - y) ** 2;
      if (d <= nearest) [best, nearest] = [i, d];
    }
    return best;
  }

  /** Where data row i is drawn, in CSS pixels. */
  private at(points: PointsMessage, i: number, area: Area): [number, number] {
    const b = points.bounds!;
    return [
      area.left + ((points.X[2 * i]! - b.lo1) / (b.hi1 - b.lo1)) * area.width,
      area.top + ((b.hi2 - points.X[2 * i + 1]!) / (b.hi2 - b.lo2)) * area.height,
    ];
  }

  /**
   * The points drawn of `points` (once drawn): how many, and of each class (counted as the
   * layer was drawn); undefined before.
   */
  drawnOf(
    points: PointsMessage,
  ): { readonly n: number; readonly classes: readonly number[] } | undefined {
    if (this.sampledFor !== points) return undefined;
    return { n: this.counts.reduce((a, b) => a + b, 0), classes: this.counts };
  }

  draw(R: number, rgba: Uint8ClampedArray, points: PointsMessage): void {
    const surface = fitCanvas(this.canvas);
    const { ctx } = surface;
    const area = areaOf(surface, { l: 46, r: 10, t: 8, b: 38 });
    if (this.heat.width !== R) [this.heat.width, this.heat.height] = [R, R];
    const small = this.heat.getContext("2d");
    if (!small) return;
    small.putImageData(new ImageData(new Uint8ClampedArray(rgba), R, R), 0, 0);
    ctx.clearRect(0, 0, surface.width, surface.height);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(this.heat, area.left, area.top, area.width, area.height);
    const b = points.bounds;
    if (!b) return;
    if (
      this.layerFor?.points !== points ||
      this.layerFor.width !== this.canvas.width ||
      this.layerFor.height !== this.canvas.height
    ) {
      this.drawPoints(points, surface, area);
      this.layerFor = { points, width: this.canvas.width, height: this.canvas.height };
    }
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(this.layer, 0, 0);
    ctx.restore();
    this.area = area;
    for (const i of this.marked) {
      if (i >= points.y.length) continue;
      const [x, y] = this.at(points, i, area);
      ctx.strokeStyle = "#111";
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.arc(x, y, 7, 0, 2 * Math.PI);
      ctx.stroke();
    }
    const [x1, x2] = [points.featureNames[0] ?? "x1", points.featureNames[1] ?? "x2"];
    drawAxes(ctx, area, {
      x: niceTicks(b.lo1, b.hi1, Math.max(2, Math.floor(area.width / 70))),
      y: niceTicks(b.lo2, b.hi2, Math.max(2, Math.floor(area.height / 50))),
      xAt: (t) => area.left + ((t - b.lo1) / (b.hi1 - b.lo1)) * area.width,
      yAt: (t) => area.top + ((b.hi2 - t) / (b.hi2 - b.lo2)) * area.height,
      xTitle: x1,
      yTitle: x2,
    });
  }

  /** Draws the sampled points into the layer (the canvas's backing size). */
  private drawPoints(points: PointsMessage, surface: Surface, area: Area): void {
    const b = points.bounds!;
    [this.layer.width, this.layer.height] = [this.canvas.width, this.canvas.height];
    const ctx = this.layer.getContext("2d");
    if (!ctx) return;
    ctx.setTransform(surface.scale, 0, 0, surface.scale, 0, 0);
    ctx.beginPath();
    ctx.rect(area.left, area.top, area.width, area.height);
    ctx.clip();
    const size = points.drawn.length > 1000 ? 2 : 3;
    const counts = new Array<number>(Math.max(2, points.classes)).fill(0);
    for (const i of points.drawn) {
      counts[points.y[i]!]!++;
      const x = area.left + ((points.X[2 * i]! - b.lo1) / (b.hi1 - b.lo1)) * area.width;
      const y = area.top + ((b.hi2 - points.X[2 * i + 1]!) / (b.hi2 - b.lo2)) * area.height;
      ctx.fillStyle = rgb(classColour(points.y[i]!));
      if (points.isTest[i]) {
        ctx.strokeStyle = "#111";
        ctx.lineWidth = 1.25;
        ctx.fillRect(x - size, y - size, 2 * size, 2 * size);
        ctx.strokeRect(x - size, y - size, 2 * size, 2 * size);
      } else {
        ctx.strokeStyle = "#fff";
        ctx.lineWidth = 1;
        ctx.beginPath();
        ctx.arc(x, y, size, 0, 2 * Math.PI);
        ctx.fill();
        ctx.stroke();
      }
    }
    this.counts = counts;
    this.sampledFor = points;
    // What is drawn, for a reader of the page's state (the tests): n and each class's count.
    this.canvas.dataset["drawn"] = String(points.drawn.length);
    this.canvas.dataset["drawnClasses"] = counts.join(" ");
    const N = points.y.length;
    if (points.drawn.length < N) {
      // "showing n of N points", in the plot's top right corner, on a pale box.
      const label = `showing ${points.drawn.length} of ${N} points`;
      ctx.font = FONT;
      const w = ctx.measureText(label).width + 8;
      const x = area.left + area.width - w - 4;
      ctx.fillStyle = "rgb(255 255 255 / 0.85)";
      ctx.fillRect(x, area.top + 4, w, 16);
      ctx.fillStyle = INK;
      ctx.textBaseline = "middle";
      ctx.textAlign = "left";
      ctx.fillText(label, x + 4, area.top + 12);
    }
  }
}

/** Sets data-KEY on `element` to `value` when it differs (no attribute churn on every draw). */
function mark(element: HTMLElement, key: string, value: string): void {
  if (element.dataset[key] !== value) element.dataset[key] = value;
}

/** How a curve figure is drawn: its title, and whether its y axis is logarithmic. */
export interface CurveOptions {
  readonly title: string;
  readonly yTitle: string;
  /** A log10 y axis (the values ≤ 0 are left out). */
  readonly log?: boolean;
  /** A fixed y range (else the data's). */
  readonly range?: readonly [number, number];
}

/** Two curves (train, test) of one figure per epoch, at most one point per pixel column. */
export function drawCurves(
  canvas: HTMLCanvasElement,
  history: readonly HistoryPoint[],
  train: (h: HistoryPoint) => number,
  test: (h: HistoryPoint) => number,
  options: CurveOptions,
): void {
  const surface = fitCanvas(canvas);
  const { ctx } = surface;
  ctx.clearRect(0, 0, surface.width, surface.height);
  const area = areaOf(surface, { l: 50, r: 10, t: 20, b: 36 });
  ctx.fillStyle = INK;
  ctx.font = `bold ${FONT}`;
  ctx.textBaseline = "top";
  ctx.fillText(options.title, area.left, 3);
  if (history.length === 0) return;
  const usable = (v: number): boolean => Number.isFinite(v) && (!options.log || v > 0);
  let [lo, hi] = options.range ?? [Infinity, -Infinity];
  if (!options.range) {
    for (const h of history) {
      for (const v of [train(h), test(h)]) {
        if (usable(v)) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
      }
    }
    if (!Number.isFinite(lo)) [lo, hi] = options.log ? [0.1, 1] : [0, 1];
    if (!options.log) lo = Math.min(0, lo);
    if (!(hi > lo)) hi = options.log ? lo * 10 : lo + 1;
    if (options.log) [lo, hi] = logRange(lo, hi);
  }
  const f = options.log ? Math.log10 : (v: number) => v;
  const [flo, fhi] = [f(lo), f(hi)];
  const last = history[history.length - 1]!.epoch || 1;
  const px = (epoch: number): number => area.left + (epoch / last) * area.width;
  const py = (v: number): number =>
    area.top + area.height - ((f(v) - flo) / (fhi - flo)) * area.height;
  const yTicks = options.log ? logTicks(lo, hi) : niceTicks(lo, hi, 4);
  drawAxes(ctx, area, {
    x: niceTicks(0, last, Math.max(2, Math.floor(area.width / 60))).filter(Number.isInteger),
    y: yTicks,
    xAt: px,
    yAt: py,
    xTitle: "epoch",
    yTitle: options.yTitle,
  });
  const stride = Math.max(1, Math.floor(history.length / area.width));
  ctx.save();
  ctx.beginPath();
  ctx.rect(area.left, area.top, area.width, area.height);
  ctx.clip();
  for (const [figure, colour, dash] of [
    [train, "#1f77b4", []],
    [test, "#d4570b", [5, 3]],
  ] as const) {
    ctx.strokeStyle = colour;
    ctx.lineWidth = 1.75;
    ctx.setLineDash(dash);
    ctx.beginPath();
    let started = false;
    for (const i of sampledIndices(history.length, stride)) {
      const h = history[i]!;
      const v = figure(h);
      if (!usable(v)) continue;
      if (started) ctx.lineTo(px(h.epoch), py(v));
      else ctx.moveTo(px(h.epoch), py(v));
      started = true;
    }
    ctx.stroke();
  }
  ctx.restore();
}

/** The weights panel draws at most this many hidden units per band (more: another band below). */
export const WEIGHT_BAND = 64;
/** The smallest histogram cell (CSS px): room for a unit's number and bars of ≥ 2 px. */
export const HISTOGRAM_CELL = { width: 44, height: 34 } as const;

/**
 * W1 (D×H) above W2ᵀ (K×H): one cell per weight, hidden unit j in column j, each matrix on its
 * own diverging scale (the colour bar under them gives both). Beyond WEIGHT_BAND units the
 * columns wrap into bands (units 1–64, 65–128, …) so that a cell stays several pixels wide;
 * cells are at least 12 px high (a row label each) unless the panel would pass 600 px. The
 * canvas records its cell size in data-cell-width and data-cell-height.
 */
export function drawWeights(canvas: HTMLCanvasElement, p: ParamsView): void {
  const bands = Math.ceil(p.H / WEIGHT_BAND);
  const perBand = Math.ceil(p.H / bands);
  const rows = p.D + p.K;
  const left = 44;
  const header = 14; // the units' numbers above each band
  const gap = 6; // between W1 and W2ᵀ
  const bandGap = 10;
  const legendHeight = 44;
  const cssWidth = canvas.getBoundingClientRect().width;
  if (cssWidth > 0) {
    const cellW = (cssWidth - left - 6) / perBand;
    const roomy = Math.min(28, Math.max(12, cellW * 1.5));
    const fits = (600 - legendHeight - bands * (header + gap + bandGap)) / (rows * bands);
    const cellH = Math.max(3, Math.min(roomy, fits));
    const wanted = Math.round(
      Math.max(120, bands * (header + rows * cellH + gap + bandGap) + legendHeight),
    );
    if (canvas.style.height !== `${wanted}px`) {
      canvas.style.aspectRatio = "auto";
      canvas.style.height = `${wanted}px`;
    }
  }
  const surface = fitCanvas(canvas);
  const { ctx, width, height } = surface;
  ctx.clearRect(0, 0, width, height);
  const cellW = (width - left - 6) / perBand;
  const bandHeight = (height - legendHeight) / bands;
  const cellH = Math.min(28, (bandHeight - header - gap - bandGap) / rows);
  mark(canvas, "cellWidth", cellW.toFixed(2));
  mark(canvas, "cellHeight", cellH.toFixed(2));
  const maxAbs = (a: Float64Array): number => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const [s1, s2] = [maxAbs(p.W1), maxAbs(p.W2)];
  ctx.font = FONT;
  const labelEvery = Math.max(1, Math.ceil(12 / cellH)); // rows between two labels
  const every = niceStep(22 / cellW); // units between two numbers
  for (let band = 0; band < bands; band++) {
    const first = band * perBand;
    const last = Math.min(p.H, first + perBand);
    const top1 = band * bandHeight + header;
    const top2 = top1 + p.D * cellH + gap;
    ctx.fillStyle = INK;
    ctx.textBaseline = "middle";
    ctx.textAlign = "right";
    for (let i = 0; i < p.D; i += labelEvery)
      ctx.fillText(`W1 x${i + 1}`, left - 4, top1 + (i + 0.5) * cellH);
    for (let k = 0; k < p.K; k += labelEvery)
      ctx.fillText(p.K === 1 ? "W2ᵀ" : `W2ᵀ ${k}`, left - 4, top2 + (k + 0.5) * cellH);
    ctx.textAlign = "center";
    ctx.textBaseline = "bottom";
    for (let j = first; j < last; j++) {
      // the band's first unit, then every multiple of `every` not crowding it
      if (j === first || ((j + 1) % every === 0 && j - first >= 0.8 * every))
        ctx.fillText(String(j + 1), left + (j - first + 0.5) * cellW, top1 - 2);
    }
    for (let j = first; j < last; j++) {
      const x = left + (j - first) * cellW;
      const w = Math.max(1, cellW - 0.5);
      for (let i = 0; i < p.D; i++) {
        ctx.fillStyle = rgb(divergingColour(p.W1[i * p.H + j]!, s1));
        ctx.fillRect(x, top1 + i * cellH, w, cellH - 0.5);
      }
      for (let k = 0; k < p.K; k++) {
        ctx.fillStyle = rgb(divergingColour(p.W2[j * p.K + k]!, s2));
        ctx.fillRect(x, top2 + k * cellH, w, cellH - 0.5);
      }
    }
  }
  // The colour bar: −scale … 0 … +scale, each matrix's scale named under it.
  const barTop = height - legendHeight + 8;
  const barWidth = Math.min(200, width - left - 6);
  for (let x = 0; x < barWidth; x++) {
    ctx.fillStyle = rgb(divergingColour((2 * x) / (barWidth - 1) - 1, 1));
    ctx.fillRect(left + x, barTop, 1.5, 8);
  }
  ctx.strokeStyle = "#888";
  ctx.strokeRect(left + 0.5, barTop + 0.5, barWidth - 1, 8);
  ctx.fillStyle = INK;
  ctx.textBaseline = "top";
  ctx.textAlign = "left";
  ctx.fillText(`−max|w|`, left, barTop + 10);
  ctx.textAlign = "center";
  ctx.fillText("0", left + barWidth / 2, barTop + 10);
  ctx.textAlign = "right";
  ctx.fillText(`+max|w|`, left + barWidth, barTop + 10);
  ctx.textAlign = "left";
  if (left + barWidth + 8 < width - 60) {
    ctx.fillText(`W1: ${s1.toPrecision(3)}`, left + barWidth + 8, barTop - 2);
    ctx.fillText(`W2: ${s2.toPrecision(3)}`, left + barWidth + 8, barTop + 11);
  }
}

/** The smallest of 1, 2, 5, 10, 20, 50, … that is at least x. */
function niceStep(x: number): number {
  for (let step = 1; ; step *= 10) {
    for (const m of [1, 2, 5]) if (m * step >= x) return m * step;
  }
}

/**
 * One small histogram per hidden unit in a grid (unit numbers in each cell); dead units in
 * red, saturated in amber. A cell is at least HISTOGRAM_CELL (the canvas grows taller for
 * many units), and neighbouring bins are merged until a bar is at least 2 px wide. The canvas
 * records its cell size and the bins drawn in data-cell-width, data-cell-height, data-bins.
 */
export function drawHistograms(canvas: HTMLCanvasElement, h: HistogramView): void {
  const H = h.dead.length;
  const note = 16; // the axis note under the grid
  const cssWidth = canvas.getBoundingClientRect().width;
  const plain = (cssWidth * 2) / 3; // the panel's 3:2 height
  const columnsFor = (width: number, height: number): number =>
    Math.max(
      1,
      Math.min(
        H,
        Math.ceil(Math.sqrt(H * (width / height))),
        Math.floor(width / HISTOGRAM_CELL.width),
      ),
    );
  if (cssWidth > 0) {
    const rows = Math.ceil(H / columnsFor(cssWidth, Math.max(plain - note, 1)));
    const wanted = Math.round(Math.max(plain, rows * HISTOGRAM_CELL.height + note));
    if (canvas.style.height !== `${wanted}px`) {
      canvas.style.aspectRatio = "auto";
      canvas.style.height = `${wanted}px`;
    }
  }
  const surface = fitCanvas(canvas);
  const { ctx } = surface;
  const width = surface.width;
  const height = surface.height - note;
  ctx.clearRect(0, 0, surface.width, surface.height);
  const columns = columnsFor(width, Math.max(plain - note, 1));
  const rowsOfCells = Math.ceil(H / columns);
  const w = width / columns;
  const ht = height / rowsOfCells;
  let merge = 1; // bins per bar: a divisor of h.bins
  while ((w - 6) / (h.bins / merge) < 2 && merge < h.bins) {
    merge++;
    while (h.bins % merge !== 0) merge++;
  }
  const bars = h.bins / merge;
  mark(canvas, "cellWidth", w.toFixed(2));
  mark(canvas, "cellHeight", ht.toFixed(2));
  mark(canvas, "bins", String(bars));
  ctx.font = FONT;
  for (let j = 0; j < H; j++) {
    const x0 = (j % columns) * w;
    const y0 = Math.floor(j / columns) * ht;
    const counts = h.counts.subarray(j * h.bins, (j + 1) * h.bins);
    const merged = Array.from({ length: bars }, (_, b) => {
      let sum = 0;
      for (let i = b * merge; i < (b + 1) * merge; i++) sum += counts[i]!;
      return sum;
    });
    const top = Math.max(1, ...merged);
    const dead = h.dead[j] === 1;
    const saturated = h.saturated[j] === 1;
    ctx.fillStyle = dead ? "#fde0e0" : saturated ? "#fff1d6" : "#fff";
    ctx.fillRect(x0 + 1, y0 + 1, w - 2, ht - 2);
    ctx.strokeStyle = dead ? "#b00020" : saturated ? "#c77700" : "#ccc";
    ctx.lineWidth = dead || saturated ? 2 : 1;
    ctx.strokeRect(x0 + 1, y0 + 1, w - 2, ht - 2);
    ctx.fillStyle = "#1f77b4";
    const bw = (w - 6) / bars;
    merged.forEach((c, b) => {
      const bar = (c / top) * (ht - 19); // under the unit's number
      ctx.fillRect(x0 + 3 + b * bw, y0 + ht - 4 - bar, Math.max(1, bw - 0.5), bar);
    });
    ctx.fillStyle = "#555";
    ctx.textBaseline = "top";
    ctx.textAlign = "left";
    ctx.fillText(String(j + 1), x0 + 4, y0 + 3);
  }
  ctx.fillStyle = INK;
  ctx.textBaseline = "bottom";
  ctx.textAlign = "left";
  ctx.fillText(
    `a = f(z1) of each unit over ${tickLabel(h.lo)} … ${tickLabel(h.hi)}` +
      (merge > 1 ? ` (${bars} bins)` : ""),
    2,
    surface.height - 1,
  );
}

/**
 * One hidden unit's histogram of its pre-activation z1 (HistogramView.z1, over the unit's own
 * range [lo_j, hi_j]) with axes: z1 along the bottom with its ticks, the rows per bin up the
 * left; a line at z1 = 0 when the range spans it (relu's kink, tanh's and σ's centre); the bars
 * red for a dead unit, amber for a saturated one.
 */
export function drawUnitHistogram(canvas: HTMLCanvasElement, h: HistogramView, j: number): void {
  const surface = fitCanvas(canvas);
  const { ctx } = surface;
  ctx.clearRect(0, 0, surface.width, surface.height);
  const area = areaOf(surface, { l: 44, r: 8, t: 6, b: 36 });
  const z = h.z1;
  const counts = z.counts.subarray(j * h.bins, (j + 1) * h.bins);
  const most = Math.max(1, ...counts);
  const [lo, hi] = [z.lo[j]!, z.hi[j]!];
  const span = hi > lo ? hi - lo : 1; // one value: every row in one bin
  const xAt = (t: number): number => area.left + ((t - lo) / span) * area.width;
  const yAt = (c: number): number => area.top + area.height - (c / most) * area.height;
  ctx.fillStyle = h.dead[j] ? "#b00020" : h.saturated[j] ? "#c77700" : "#1f77b4";
  const bar = area.width / h.bins;
  counts.forEach((c, b) => {
    ctx.fillRect(
      area.left + b * bar + 0.5,
      yAt(c),
      Math.max(1, bar - 1),
      area.top + area.height - yAt(c),
    );
  });
  if (lo < 0 && hi > 0) {
    ctx.fillStyle = "#111";
    ctx.fillRect(xAt(0) - 0.5, area.top, 1, area.height);
  }
  const ticks = {
    x: hi > lo ? niceTicks(lo, hi, Math.max(2, Math.floor(area.width / 60))) : [lo],
    y: niceTicks(0, most, 3).filter((t) => Number.isInteger(t)),
  };
  mark(canvas, "xTicks", ticks.x.join(" ")); // for a reader of the page's state (the tests)
  mark(canvas, "yTicks", ticks.y.join(" "));
  drawAxes(ctx, area, {
    ...ticks,
    xAt,
    yAt,
    xTitle: `z1 of h${j + 1}`,
    yTitle: "rows",
  });
}

/** 0, stride, 2·stride, … below n, and n − 1. */
function sampledIndices(n: number, stride: number): number[] {
  const indices: number[] = [];
  for (let i = 0; i < n; i += stride) indices.push(i);
  if (indices[indices.length - 1] !== n - 1) indices.push(n - 1);
  return indices;
}
