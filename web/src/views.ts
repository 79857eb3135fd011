/** Canvas drawings of a snapshot: the boundary with the points, curves, weights, histograms. */
import { classColour, divergingColour } from "./lib/colour.js";
import type { HistogramView, HistoryPoint, ParamsView, PointsMessage } from "./lib/protocol.js";

function context(canvas: HTMLCanvasElement): CanvasRenderingContext2D {
  const ctx = canvas.getContext("2d");
  if (!ctx) throw new Error(`no 2-D context for #${canvas.id}`);
  return ctx;
}

const rgb = ([r, g, b]: readonly number[]): string => `rgb(${r} ${g} ${b})`;

/** Draws the R×R heat map scaled to the canvas, then the points (train: circles, test: squares). */
export class BoundaryView {
  private readonly ctx: CanvasRenderingContext2D;
  private readonly image = document.createElement("canvas");

  constructor(private readonly canvas: HTMLCanvasElement) {
    this.ctx = context(canvas);
  }

  draw(R: number, rgba: Uint8ClampedArray, points: PointsMessage): void {
    const { width, height } = this.canvas;
    if (this.image.width !== R) [this.image.width, this.image.height] = [R, R];
    const small = context(this.image);
    small.putImageData(new ImageData(new Uint8ClampedArray(rgba), R, R), 0, 0);
    this.ctx.imageSmoothingEnabled = true;
    this.ctx.drawImage(this.image, 0, 0, width, height);
    const b = points.bounds;
    if (!b) return;
    const N = points.y.length;
    for (let i = 0; i < N; i++) {
      const x = ((points.X[2 * i]! - b.lo1) / (b.hi1 - b.lo1)) * width;
      const y = ((b.hi2 - points.X[2 * i + 1]!) / (b.hi2 - b.lo2)) * height;
      this.ctx.fillStyle = rgb(classColour(points.y[i]!));
      if (points.isTest[i]) {
        this.ctx.strokeStyle = "#111";
        this.ctx.lineWidth = 1.5;
        this.ctx.fillRect(x - 3, y - 3, 6, 6);
        this.ctx.strokeRect(x - 3, y - 3, 6, 6);
      } else {
        this.ctx.strokeStyle = "#fff";
        this.ctx.lineWidth = 1;
        this.ctx.beginPath();
        this.ctx.arc(x, y, 3, 0, 2 * Math.PI);
        this.ctx.fill();
        this.ctx.stroke();
      }
    }
  }

  clear(): void {
    this.ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
  }
}

/** Two curves (train, test) of one figure per epoch, at most one point per pixel column. */
export function drawCurves(
  canvas: HTMLCanvasElement,
  history: readonly HistoryPoint[],
  train: (h: HistoryPoint) => number,
  test: (h: HistoryPoint) => number,
  fixedRange?: [number, number],
): void {
  const ctx = context(canvas);
  const { width, height } = canvas;
  const pad = 24;
  ctx.clearRect(0, 0, width, height);
  if (history.length === 0) return;
  let [lo, hi] = fixedRange ?? [Infinity, -Infinity];
  if (!fixedRange) {
    for (const h of history) {
      for (const v of [train(h), test(h)]) {
        if (Number.isFinite(v)) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
      }
    }
    lo = Math.min(0, lo);
    if (!(hi > lo)) hi = lo + 1;
  }
  const last = history[history.length - 1]!.epoch || 1;
  const px = (epoch: number): number => pad + (epoch / last) * (width - pad - 4);
  const py = (v: number): number => height - pad - ((v - lo) / (hi - lo)) * (height - pad - 6);
  ctx.strokeStyle = "#999";
  ctx.lineWidth = 1;
  ctx.strokeRect(pad, 6, width - pad - 4, height - pad - 6);
  ctx.fillStyle = "#333";
  ctx.font = "10px system-ui, sans-serif";
  ctx.fillText(hi.toPrecision(3), 1, 14);
  ctx.fillText(lo.toPrecision(3), 1, height - pad);
  ctx.textAlign = "right";
  ctx.fillText(`epoch ${last}`, width - 4, height - 6);
  ctx.textAlign = "left";
  const stride = Math.max(1, Math.floor(history.length / (width - pad)));
  for (const [figure, colour] of [
    [train, "#1f77b4"],
    [test, "#d4570b"],
  ] as const) {
    ctx.strokeStyle = colour;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    let started = false;
    for (const i of sampledIndices(history.length, stride)) {
      const h = history[i]!;
      const v = figure(h);
      if (!Number.isFinite(v)) continue;
      if (started) ctx.lineTo(px(h.epoch), py(v));
      else ctx.moveTo(px(h.epoch), py(v));
      started = true;
    }
    ctx.stroke();
  }
}

/** W1 (D×H) above W2ᵀ (K×H): one cell per weight, hidden unit j in column j. */
export function drawWeights(canvas: HTMLCanvasElement, p: ParamsView): void {
  const ctx = context(canvas);
  const { width, height } = canvas;
  ctx.clearRect(0, 0, width, height);
  const rows = p.D + p.K;
  const gap = 8;
  const cell = Math.max(1, Math.min((width - 40) / p.H, (height - gap - 20) / rows));
  const maxAbs = (a: Float64Array): number => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const [s1, s2] = [maxAbs(p.W1), maxAbs(p.W2)];
  ctx.font = "10px system-ui, sans-serif";
  ctx.fillStyle = "#333";
  ctx.fillText("W1", 0, 12);
  for (let i = 0; i < p.D; i++) {
    for (let j = 0; j < p.H; j++) {
      ctx.fillStyle = rgb(divergingColour(p.W1[i * p.H + j]!, s1));
      ctx.fillRect(30 + j * cell, 4 + i * cell, cell, cell);
    }
  }
  const top = 4 + p.D * cell + gap;
  ctx.fillStyle = "#333";
  ctx.fillText("W2ᵀ", 0, top + 10);
  for (let k = 0; k < p.K; k++) {
    for (let j = 0; j < p.H; j++) {
      ctx.fillStyle = rgb(divergingColour(p.W2[j * p.K + k]!, s2));
      ctx.fillRect(30 + j * cell, top + k * cell, cell, cell);
    }
  }
}

/** One small histogram per hidden unit in a grid; dead units in red, saturated in amber. */
export function drawHistograms(canvas: HTMLCanvasElement, h: HistogramView): void {
  const ctx = context(canvas);
  const { width, height } = canvas;
  ctx.clearRect(0, 0, width, height);
  const H = h.dead.length;
  const columns = Math.ceil(Math.sqrt(H * (width / height)));
  const rowsOfCells = Math.ceil(H / columns);
  const w = width / columns;
  const ht = height / rowsOfCells;
  for (let j = 0; j < H; j++) {
    const x0 = (j % columns) * w;
    const y0 = Math.floor(j / columns) * ht;
    const counts = h.counts.subarray(j * h.bins, (j + 1) * h.bins);
    const top = Math.max(1, ...counts);
    const dead = h.dead[j] === 1;
    const saturated = h.saturated[j] === 1;
    ctx.fillStyle = dead ? "#fde0e0" : saturated ? "#fff1d6" : "#fff";
    ctx.fillRect(x0 + 1, y0 + 1, w - 2, ht - 2);
    ctx.strokeStyle = dead ? "#b00020" : saturated ? "#c77700" : "#ccc";
    ctx.lineWidth = dead || saturated ? 2 : 1;
    ctx.strokeRect(x0 + 1, y0 + 1, w - 2, ht - 2);
    ctx.fillStyle = "#1f77b4";
    const bw = (w - 6) / h.bins;
    for (let b = 0; b < h.bins; b++) {
      const bar = (counts[b]! / top) * (ht - 8);
      ctx.fillRect(x0 + 3 + b * bw, y0 + ht - 4 - bar, Math.max(1, bw - 0.5), bar);
    }
  }
}

/** 0, stride, 2·stride, … below n, and n − 1. */
function sampledIndices(n: number, stride: number): number[] {
  const indices: number[] = [];
  for (let i = 0; i < n; i += stride) indices.push(i);
  if (indices[indices.length - 1] !== n - 1) indices.push(n - 1);
  return indices;
}
