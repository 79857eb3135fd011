/**
 * The decision-boundary grid: R×R points covering the data's bounding box, each with the
 * network's class probabilities (the library's own in-place forward pass) and its colour.
 * Point i = r·R + c (row r from the top, column c from the left) sits at the centre of its cell:
 *   x1 = lo1 + (c + ½)/R · (hi1 − lo1),  x2 = hi2 − (r + ½)/R · (hi2 − lo2).
 */
import { applyStandardizer, type Standardizer } from "../../../src/data/index.js";
import { matrix, type Backend, type Matrix } from "../../../src/linalg/index.js";
import {
  forwardInto,
  makeParamBuffers,
  makeWorkspace,
  outputHeadFor,
  runValues,
  type Activation,
  type ParamBuffers,
  type Params,
  type Workspace,
} from "../../../src/nn/index.js";
import { mixClasses } from "./colour.js";

export const GRID = 100;

/** The plotted box: [lo1, hi1] × [lo2, hi2]. */
export interface Bounds {
  readonly lo1: number;
  readonly hi1: number;
  readonly lo2: number;
  readonly hi2: number;
}

/** The bounding box of the N×2 points, widened by `pad` of its size on every side (never empty). */
export function boundsOf(X: Matrix, pad = 0.1): Bounds {
  let [lo1, hi1, lo2, hi2] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i < X.rows; i++) {
    const x1 = X.data[2 * i]!;
    const x2 = X.data[2 * i + 1]!;
    [lo1, hi1, lo2, hi2] = [
      Math.min(lo1, x1),
      Math.max(hi1, x1),
      Math.min(lo2, x2),
      Math.max(hi2, x2),
    ];
  }
  const widen = (lo: number, hi: number): [number, number] => {
    const size = hi - lo > 0 ? hi - lo : 1;
    return [lo - pad * size, hi + pad * size];
  };
  [lo1, hi1] = widen(lo1, hi1);
  [lo2, hi2] = widen(lo2, hi2);
  return { lo1, hi1, lo2, hi2 };
}

/** The R²×2 grid points (raw feature space), in the order above. */
export function gridPoints(b: Bounds, R = GRID): Matrix {
  const data = new Float64Array(R * R * 2);
  for (let r = 0; r < R; r++) {
    for (let c = 0; c < R; c++) {
      const i = r * R + c;
      data[2 * i] = b.lo1 + ((c + 0.5) / R) * (b.hi1 - b.lo1);
      data[2 * i + 1] = b.hi2 - ((r + 0.5) / R) * (b.hi2 - b.lo2);
    }
  }
  return matrix(R * R, 2, data);
}

export interface BoundaryGrid {
  /** R²×C class probabilities, C = max(2, K): row i holds P(class k | grid point i). */
  readonly probabilities: Float32Array;
  /** R²×4 RGBA bytes of the heat map, ready for ImageData. */
  readonly rgba: Uint8ClampedArray;
  readonly classes: number;
}

/** Grid rows per forward pass (bounds the workspace: CHUNK × (3H + …) float64s). */
const CHUNK = 1000;

/**
 * Evaluates networks of one shape on fixed grid points with the library's in-place forward
 * pass (forwardInto, bit-identical to forward()), on a workspace allocated once: the grid is
 * redrawn after every training slice, so it must not allocate R²×H matrices each time.
 */
export class GridEvaluator {
  private readonly ws: Workspace;
  private readonly params: ParamBuffers;
  private readonly X: Matrix; // R²×D, standardised grid points
  private readonly losses = new Float64Array(CHUNK);

  private readonly backend: Backend;

  /** `makeBackend(values)`: a Backend holding that many float64s (e.g. fastestBackend). */
  constructor(
    makeBackend: (values: number) => Backend,
    points: Matrix,
    shape: { readonly H: number; readonly K: number },
    standardizer?: Standardizer,
  ) {
    this.X = standardizer ? applyStandardizer(points, standardizer) : points;
    const D = points.cols;
    this.backend = makeBackend(runValues(CHUNK, D, shape.H, shape.K, 1));
    this.ws = makeWorkspace(this.backend, CHUNK, D, shape.H, shape.K);
    this.params = makeParamBuffers(this.backend, D, shape.H, shape.K);
  }

  /** True when this evaluator fits networks of these parameters' shape. */
  fits(params: Params): boolean {
    return (
      params.W1.cols === this.ws.H && params.W2.cols === this.ws.K && params.W1.rows === this.ws.D
    );
  }

  /**
   * The probabilities and colours on the grid: z2 = f(X W1 + b1) W2 + b2 by forwardInto, then
   * the head's own probabilities (σ, or softmax per row); a sigmoid model's p becomes the two
   * classes (1 − p, p).
   */
  evaluate(params: Params, activation: Activation): BoundaryGrid {
    const { ws, X } = this;
    const { D, K } = ws;
    this.params.W1.set(params.W1.data);
    this.params.b1.set(params.b1.data);
    this.params.W2.set(params.W2.data);
    this.params.b2.set(params.b2.data);
    const n = X.rows;
    const z2 = new Float64Array(n * K); // n×K logits
    for (let start = 0; start < n; start += CHUNK) {
      const rows = Math.min(CHUNK, n - start);
      ws.X.set(X.data.subarray(start * D, (start + rows) * D));
      ws.y.fill(0, 0, rows);
      forwardInto(this.backend, ws, this.params, rows, activation, this.losses, 0, rows);
      z2.set(ws.z2.subarray(0, rows * K), start * K);
    }
    const p = outputHeadFor(K).probabilities(matrix(n, K, z2));
    return colour(p);
  }
}

/** The probabilities and heat-map colours of the n×K head output p. */
function colour(p: Matrix): BoundaryGrid {
  const n = p.rows;
  const C = Math.max(2, p.cols);
  const probabilities = new Float32Array(n * C);
  const rgba = new Uint8ClampedArray(n * 4);
  const P = new Float64Array(C);
  for (let i = 0; i < n; i++) {
    if (p.cols === 1) {
      const q = p.data[i]!;
      P[0] = 1 - q;
      P[1] = q;
    } else {
      for (let k = 0; k < C; k++) P[k] = p.data[i * C + k]!;
    }
    for (let k = 0; k < C; k++) probabilities[i * C + k] = P[k]!;
    const [r, g, b] = mixClasses(P);
    rgba[4 * i] = r;
    rgba[4 * i + 1] = g;
    rgba[4 * i + 2] = b;
    rgba[4 * i + 3] = 255;
  }
  return { probabilities, rgba, classes: C };
}
