/**
 * Comparing two sets of gradients entry by entry, with the figures the gradient check reports:
 *
 *   relError      = ‖a − b‖ / (‖a‖ + ‖b‖)          per parameter (0 when a and b are both 0)
 *   entry error   = |a_i − b_i| / (|a_i| + |b_i|)   per entry; the largest is the worst entry
 *
 * gradcheck.ts compares backward()'s gradient with central differences through entryErrors;
 * compareGradients compares any two full sets, such as a learner's own gradients with
 * backward()'s (`handgrad check-grads`). The relative form needs no scale: a gradient of 1e-9
 * that is right to 8 digits passes as surely as one of 1e3.
 */
import { ShapeError, UsageError } from "../errors.js";
import {
  assertMatrix,
  columnVector,
  describeValue,
  norm,
  shapeOf,
  sub,
  type Matrix,
} from "../linalg/index.js";
import { PARAM_NAMES, type Grads, type ParamName } from "../nn/index.js";

/** The relative error at or below which a gradient passes, by default (gradientCheck, compareGradients). */
export const DEFAULT_THRESHOLD = 1e-7;

/** The errors between two lists of the same entries (entryErrors' result). */
export interface EntryErrors {
  /** ‖a − b‖ / (‖a‖ + ‖b‖); 0 when both are 0, and for no entries. */
  readonly relError: number;
  /** max over the entries of |a_i − b_i| / (|a_i| + |b_i|) (0 for no entries). */
  readonly maxEntryRelError: number;
  /** The index of the worst entry (the first of equal ones); −1 for no entries. */
  readonly worst: number;
}

/** relError and the worst entry between two lists of the same entries (`a` and `b` of one length). */
export function entryErrors(a: ArrayLike<number>, b: ArrayLike<number>): EntryErrors {
  let maxEntryRelError = 0;
  let worst = a.length > 0 ? 0 : -1;
  for (let i = 0; i < a.length; i++) {
    const [ai, bi] = [a[i] as number, b[i] as number];
    const error = relativeError(ai - bi, ai, bi);
    if (error > maxEntryRelError) [maxEntryRelError, worst] = [error, i];
  }
  const [va, vb] = [columnVector(a), columnVector(b)];
  const relError = relativeError(norm(sub(va, vb)), norm(va), norm(vb));
  return { relError, maxEntryRelError, worst };
}

/** |difference| / (|a| + |b|), defined as 0 when a and b are both 0. */
export function relativeError(difference: number, a: number, b: number): number {
  const scale = Math.abs(a) + Math.abs(b);
  return scale === 0 ? 0 : Math.abs(difference) / scale;
}

/** "W1[2][3]" for an entry of a weight matrix, "b1[3]" for a bias (a row vector); from 0. */
export function entryName(name: ParamName, index: number, cols: number): string {
  return name.startsWith("b")
    ? `${name}[${index}]`
    : `${name}[${Math.floor(index / cols)}][${index % cols}]`;
}

/** The comparison of one parameter's gradients (compareGradients' result, per parameter). */
export interface ParamComparison {
  /** ‖reference − candidate‖ / (‖reference‖ + ‖candidate‖) over the parameter's entries. */
  readonly relError: number;
  /** The largest |r_i − c_i| / (|r_i| + |c_i|) over its entries. */
  readonly maxEntryRelError: number;
  /** The worst entry, as "W1[2][0]" (row, column; from 0). */
  readonly worstEntry: string;
  /** The reference gradient at the worst entry. */
  readonly reference: number;
  /** The candidate gradient at the worst entry. */
  readonly candidate: number;
  /** Entries in the parameter. */
  readonly total: number;
}

/** What compareGradients found: per parameter, the worst of them and the verdict. */
export interface GradientComparison {
  /** The relative error at or below which a parameter passes. */
  readonly threshold: number;
  /** Every parameter's relError ≤ threshold. */
  readonly passed: boolean;
  /** The largest relError over the four parameters. */
  readonly maxRelError: number;
  /** The parameters whose relError exceeds the threshold, in the order W1, b1, W2, b2. */
  readonly failed: ParamName[];
  /** Each parameter's comparison, by name. */
  readonly params: Record<ParamName, ParamComparison>;
}

/**
 * Compares `candidate` gradients (a learner's, another implementation's) with `reference`
 * ones (backward()'s), parameter by parameter: relError, the worst entry, and whether every
 * relError is at most `threshold` (default 1e-7, the gradient check's). Refuses gradients that
 * are not four Matrices of the same shapes (ShapeError naming the parameter and both shapes;
 * UsageError for another kind of value), an entry that is NaN or ±Infinity (UsageError naming
 * it: no error figure means anything then) and a threshold that is not a finite number > 0.
 */
export function compareGradients(
  reference: Grads,
  candidate: Grads,
  options: { readonly threshold?: number } = {},
): GradientComparison {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  if (!(typeof threshold === "number" && Number.isFinite(threshold) && threshold > 0)) {
    throw new UsageError(
      `compareGradients: threshold must be a finite number > 0, got ${describeValue(threshold)}`,
    );
  }
  for (const [what, grads] of [
    ["reference", reference],
    ["candidate", candidate],
  ] as const) {
    if (typeof grads !== "object" || grads === null) {
      throw new UsageError(
        `compareGradients: the ${what} gradients must be an object {dW1, db1, dW2, db2}, got ${describeValue(grads)}`,
      );
    }
    for (const name of PARAM_NAMES) {
      const g: Matrix = grads[`d${name}`];
      assertMatrix(g, `${what}.d${name}`, "compareGradients");
      const bad = g.data.findIndex((x) => !Number.isFinite(x));
      if (bad !== -1) {
        throw new UsageError(
          `compareGradients: the ${what} gradient ${entryName(name, bad, g.cols)} is ${g.data[bad]}`,
        );
      }
    }
  }
  const params = {} as Record<ParamName, ParamComparison>;
  for (const name of PARAM_NAMES) {
    const [r, c] = [reference[`d${name}`], candidate[`d${name}`]];
    if (r.rows !== c.rows || r.cols !== c.cols) {
      throw new ShapeError(
        `compareGradients: the candidate d${name} is ${shapeOf(c)} but the reference is ${shapeOf(r)}`,
      );
    }
    const errors = entryErrors(r.data, c.data);
    const worst = Math.max(errors.worst, 0);
    params[name] = {
      relError: errors.relError,
      maxEntryRelError: errors.maxEntryRelError,
      worstEntry: entryName(name, worst, r.cols),
      reference: r.data[worst] as number,
      candidate: c.data[worst] as number,
      total: r.data.length,
    };
  }
  const maxRelError = Math.max(...PARAM_NAMES.map((name) => params[name].relError));
  const failed = PARAM_NAMES.filter((name) => !(params[name].relError <= threshold));
  return { threshold, passed: failed.length === 0, maxRelError, failed, params };
}
