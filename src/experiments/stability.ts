/**
 * `stability`: what the textbook formulas return at large logits, against 60-digit truth, and
 * how the stable forms recover it.
 *
 *   naive    p = 1/(1 + e^{−z}),  1 − p,  ℓ = −[y log p + (1 − y) log(1 − p)]
 *   stable   σ(±z) with e^{−|z|} only,  1 − p = σ(−z) = −expm1(log p),
 *            log(1 − p) = −softplus(z),  ℓ = softplus(z) − y z
 *
 * Near p = 1 the naive complement 1 − p is exact subtraction of a rounded p: p inherits the
 * rounding of 1 + e^{−z} (up to 2^{−53}, half an ulp above 1) and of the division (up to 2^{−54},
 * half an ulp below 1), an absolute error up to 1.5·2^{−53}, while 1 − p ≈ e^{−z}, so the
 * relative error is up to ≈ 1.5·2^{−53} e^{z} and about z/ln 2 of the 53 bits are lost; at
 * z = 53 ln 2 ≈ 36.74 p rounds to exactly 1.
 * The float64 thresholds are found by bisection over the doubles themselves, not assumed.
 * scikit-learn's log_loss clips p to [ε, 1 − ε] with ε = 2^{−52} (its default since 1.2,
 * 1e-15 before): its value at large logits is reproduced here from that rule by our own code.
 */
import { exp } from "../numerics/exp.js";
import { expm1 } from "../numerics/expm1.js";
import { log1p } from "../numerics/log.js";
import { log1mexp, logSigmoid, sigmoid, sigmoidMinusLabel, softplus } from "../numerics/index.js";
import type { Experiment, ExperimentResult, Figure, Table } from "./experiment.js";
import { percent, sig } from "./format.js";
import { log2 } from "./elementary.js";
import { leastSquares } from "./fit.js";
import { truthAt } from "./truth.js";
import { bitsOf, exactOf, fromBits, ulpError } from "./ulp.js";
import type { Decimal } from "decimal.js";
import { summaryOf } from "./catalogue.js";

/** The textbook σ(z) = 1/(1 + e^{−z}): e^{−z} overflows for z < −709.78. */
export const naiveSigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** The textbook loss −[y log p + (1 − y) log(1 − p)] from the naive p. */
export function naiveLoss(z: number, y: number): number {
  const p = naiveSigmoid(z);
  return -(y * Math.log(p) + (1 - y) * Math.log(1 - p));
}

/** ε of scikit-learn's log_loss clipping: np.finfo(float64).eps = 2^{−52} since 1.2; 1e-15 before. */
export const SKLEARN_EPS = 2 ** -52;
export const SKLEARN_EPS_BEFORE_1_2 = 1e-15;

/** The loss with p clipped to [ε, 1 − ε] first, as scikit-learn's log_loss does. */
export function clippedLoss(z: number, y: number, eps = SKLEARN_EPS): number {
  const p = Math.min(Math.max(naiveSigmoid(z), eps), 1 - eps);
  return -(y * Math.log(p) + (1 - y) * Math.log(1 - p));
}

/** Our per-example loss ℓ(z, y) = max(z, 0) − y z + log1p(e^{−|z|}) (as in bceWithLogits). */
const stableLoss = (z: number, y: number): number =>
  Math.max(z, 0) - y * z + log1p(exp(-Math.abs(z)));

/**
 * The first double in [lo, hi] (both ≥ 0) at which `holds` becomes true, for a predicate that
 * is false at lo and true at hi and switches once: bisection over bit patterns, which order
 * non-negative doubles.
 */
export function firstDoubleWhere(lo: number, hi: number, holds: (x: number) => boolean): number {
  let below = bitsOf(lo);
  let above = bitsOf(hi);
  if (holds(lo) || !holds(hi))
    throw new RangeError("firstDoubleWhere: need holds(lo) false, holds(hi) true");
  while (above - below > 1n) {
    const middle = (below + above) / 2n;
    if (holds(fromBits(middle))) above = middle;
    else below = middle;
  }
  return fromBits(above);
}

/** The float64 thresholds where the naive and the stable forms change behaviour. */
export interface Thresholds {
  readonly expOverflow: number;
  readonly naiveSigmoidOne: number;
  readonly sigmoidOne: number;
  readonly naiveSigmoidZero: number;
  readonly stableSigmoidZero: number;
  readonly naiveSoftplusZero: number;
  readonly logSigmoidSubnormal: number;
  readonly logSigmoidZero: number;
}

/** The float64 thresholds where the naive and the stable forms change behaviour. */
export function thresholds(): Thresholds {
  return {
    // largest z with e^z finite: the next double overflows
    expOverflow: expOverflowAt(),
    naiveSigmoidOne: firstDoubleWhere(1, 100, (z) => naiveSigmoid(z) === 1),
    // σ(z) correctly rounded (the 60-digit truth rounded to float64)
    sigmoidOne: firstDoubleWhere(1, 100, (z) => truthAt(z).sigmoid.toNumber() === 1),
    naiveSigmoidZero: -firstDoubleWhere(1, 1000, (z) => naiveSigmoid(-z) === 0),
    stableSigmoidZero: -firstDoubleWhere(1, 1000, (z) => sigmoid(-z) === 0),
    naiveSoftplusZero: -firstDoubleWhere(1, 100, (z) => Math.log(1 + Math.exp(-z)) === 0),
    logSigmoidSubnormal: firstDoubleWhere(1, 1000, (z) => -logSigmoid(z) < 2 ** -1022),
    logSigmoidZero: firstDoubleWhere(1, 1000, (z) => logSigmoid(z) === 0),
  };
}

/** The largest z with e^z finite (exp.ts's, whose overflow is correctly rounded). */
function expOverflowAt(): number {
  const firstInfinite = firstDoubleWhere(1, 1000, (z) => exp(z) === Infinity);
  return fromBits(bitsOf(firstInfinite) - 1n);
}

/** |computed − truth| / |truth|, 1 when the computed value is 0 or non-finite (all bits lost). */
function relativeError(computed: number, truth: Decimal): number {
  if (!Number.isFinite(computed) || computed === 0) return 1;
  return Math.min(1, exactOf(computed).minus(truth).abs().div(truth.abs()).toNumber());
}

/** Bits lost relative to a correctly rounded double: log2(relative error / 2^{−53}), ≥ 0. */
const bitsLost = (relError: number): number => Math.max(0, log2(relError / 2 ** -53));

/** 1 − p three ways, at z ≥ 0, with the relative error of each against σ(−z) at 60 digits. */
function complementErrors(z: number): { naive: number; sigmoidOfNegative: number; expm1: number } {
  const truth = truthAt(-z).sigmoid; // 1 − σ(z) = σ(−z)
  return {
    naive: relativeError(1 - naiveSigmoid(z), truth),
    sigmoidOfNegative: relativeError(sigmoid(-z), truth),
    expm1: relativeError(-expm1(logSigmoid(z)), truth), // 1 − p = −expm1(log p)
  };
}

/** Worst ulp error of each of our functions over z ∈ [−1000, 1000], against 60 digits. */
function worstUlps(points: readonly number[]): Table {
  const naiveLogOneMinusP = (z: number): number => Math.log(1 - naiveSigmoid(z));
  // [name, ours, naive, truth]
  const functions: [
    string,
    (z: number) => number,
    (z: number) => number,
    (z: number) => Decimal,
  ][] = [
    ["σ(z)", sigmoid, naiveSigmoid, (z) => truthAt(z).sigmoid],
    [
      "ℓ(z, 0) = softplus(z)",
      (z) => stableLoss(z, 0),
      (z) => naiveLoss(z, 0),
      (z) => truthAt(z).softplus,
    ],
    [
      "ℓ(z, 1) = softplus(−z)",
      (z) => stableLoss(z, 1),
      (z) => naiveLoss(z, 1),
      (z) => truthAt(z).softplusOfNegative,
    ],
    [
      "log p = log σ(z)",
      logSigmoid,
      (z) => Math.log(naiveSigmoid(z)),
      (z) => truthAt(z).softplusOfNegative.neg(),
    ],
    [
      "log(1 − p) = −softplus(z)",
      (z) => -softplus(z),
      naiveLogOneMinusP,
      (z) => truthAt(z).softplus.neg(),
    ],
    [
      "log(1 − p) = log1mexp(log p)",
      (z) => log1mexp(logSigmoid(z)),
      naiveLogOneMinusP,
      (z) => truthAt(z).softplus.neg(),
    ],
    [
      "p − 1 for y = 1 (δ2·N)",
      (z) => sigmoidMinusLabel(z, 1),
      (z) => naiveSigmoid(z) - 1,
      (z) => truthAt(-z).sigmoid.neg(),
    ],
  ];
  const rows = functions.map(([name, ours, naive, truth]) => {
    const worst = { ours: 0, naive: 0 };
    const nonFinite = { ours: 0, naive: 0 };
    for (const z of points) {
      const t = truth(z);
      for (const [which, f] of [
        ["ours", ours],
        ["naive", naive],
      ] as const) {
        const value = f(z);
        if (!Number.isFinite(value)) nonFinite[which]++;
        else worst[which] = Math.max(worst[which], ulpError(value, t));
      }
    }
    return [
      name,
      sig(worst.ours, 3),
      String(nonFinite.ours),
      sig(worst.naive, 3),
      String(nonFinite.naive),
    ];
  });
  return {
    name: "ulp",
    title: `worst error in ulp (over the finite results) at ${points.length} logits in [−1000, 1000], against 60-digit truth`,
    columns: [
      "function",
      "ours: worst ulp",
      "ours: ±∞ or NaN",
      "naive: worst ulp",
      "naive: ±∞ or NaN",
    ],
    rows,
  };
}

function run(): ExperimentResult {
  const t = thresholds();

  // Bits lost by the naive 1 − p, measured on z ∈ [1, 36] at 1/8 steps; slope ≈ 1/ln 2.
  const zs = Array.from({ length: 281 }, (_, i) => 1 + i / 8);
  const complement = zs.map((z) => ({ z, ...complementErrors(z) }));
  const bitsPerUnit = leastSquares(
    zs,
    complement.map((c) => log2(Math.max(c.naive, 2 ** -53))),
  ).slope;
  const worstStableComplement = Math.max(
    ...complement.map((c) => Math.max(c.sigmoidOfNegative, c.expm1)),
  );
  // the naive form's worst on the same grid, for comparison (it is 1, all bits, from 36.74)
  const worstNaiveComplement = Math.max(...complement.map((c) => c.naive));
  const bitsLostAt = (z: number): string => {
    // worst over the 9 points z − 1/2 … z + 1/2, so a lucky exact rounding does not hide the trend
    const window = Array.from({ length: 9 }, (_, i) => z - 0.5 + i / 8);
    return sig(Math.max(...window.map((w) => bitsLost(complementErrors(w).naive))), 3);
  };

  const lossGrid = Array.from({ length: 281 }, (_, i) => -20 + i / 2); // −20 … 120
  const lossRows = [-1000, -745, -100, -40, -10, 0, 10, 36, 37, 40, 100, 709, 710, 1000].map(
    (z) => [
      String(z),
      sig(truthAt(z).softplus.toNumber(), 6),
      sig(stableLoss(z, 0), 6),
      sig(naiveLoss(z, 0), 6),
      sig(clippedLoss(z, 0), 6),
      sig(clippedLoss(z, 0, SKLEARN_EPS_BEFORE_1_2), 6),
    ],
  );

  const thresholdsTable: Table = {
    name: "thresholds",
    title: "float64 thresholds, found by bisection over the doubles",
    columns: ["what happens", "at logit z", "closed form"],
    rows: [
      [
        "e^z overflows to ∞ above",
        sig(t.expOverflow, 5),
        `ln(2^1024) = ${sig(1024 * Math.LN2, 5)}`,
      ],
      [
        "naive σ(z) = 1 exactly (log(1 − p) = −∞) from",
        sig(t.naiveSigmoidOne, 4),
        `53 ln 2 = ${sig(53 * Math.LN2, 4)}`,
      ],
      [
        "even the correctly rounded σ(z) is exactly 1 from",
        sig(t.sigmoidOne, 4),
        `54 ln 2 = ${sig(54 * Math.LN2, 4)}`,
      ],
      [
        "naive σ(z) = 0 (1 + e^{−z} = ∞) below",
        sig(t.naiveSigmoidZero, 5),
        `−ln(2^1024) = ${sig(-1024 * Math.LN2, 5)}`,
      ],
      [
        "stable σ(z) underflows to 0 below",
        sig(t.stableSigmoidZero, 5),
        `ln(2^−1075) = ${sig(-1075 * Math.LN2, 5)}`,
      ],
      [
        "log p = −softplus(−z) is subnormal (fewer than 53 bits) from",
        sig(t.logSigmoidSubnormal, 5),
        `ln(2^1022) = ${sig(1022 * Math.LN2, 5)}`,
      ],
      [
        "log p = −softplus(−z) rounds to 0 from",
        sig(t.logSigmoidZero, 5),
        `ln(2^1075) = ${sig(1075 * Math.LN2, 5)}`,
      ],
      [
        "naive log(1 + e^z) = 0 (1 + e^z rounds to 1) below",
        sig(t.naiveSoftplusZero, 4),
        `−53 ln 2 = ${sig(-53 * Math.LN2, 4)}`,
      ],
    ],
  };
  const lossTable: Table = {
    name: "loss",
    title: "the loss for label y = 0 at logit z (true value softplus(z))",
    columns: [
      "z",
      "true (60 digits)",
      "ours",
      "naive",
      "clipped, ε = 2^−52 (scikit-learn ≥ 1.2)",
      "clipped, ε = 1e-15 (scikit-learn < 1.2)",
    ],
    rows: lossRows,
  };
  const bitsTable: Table = {
    name: "bits",
    title:
      "bits lost by the naive 1 − p, worst over [z − 1/2, z + 1/2], against (z + 1/2)/ln 2, the loss at z + 1/2 when p is off by 2^−53",
    columns: [
      "z",
      "bits lost, measured (worst over z ± ½)",
      "(z + ½)/ln 2",
      "σ(−z), −expm1(log p): bits lost",
    ],
    rows: [1, 5, 10, 20, 30, 35].map((z) => [
      String(z),
      bitsLostAt(z),
      sig((z + 0.5) / Math.LN2, 3),
      sig(
        Math.max(
          ...Array.from({ length: 9 }, (_, i) => {
            const e = complementErrors(z - 0.5 + i / 8);
            return bitsLost(Math.max(e.sigmoidOfNegative, e.expm1));
          }),
        ),
        2,
      ),
    ]),
  };
  const ulpTable = worstUlps(Array.from({ length: 2001 }, (_, i) => -1000 + i));

  const complementFigure: Figure = {
    name: "complement",
    title: "relative error of 1 − p: naive vs σ(−z) vs −expm1(log p)",
    spec: {
      title: "Relative error of 1 − p against 60-digit truth",
      data: {
        values: complement.flatMap((c) => [
          { z: c.z, method: "naive 1 − p", error: Math.max(c.naive, 1e-18) },
          { z: c.z, method: "σ(−z)", error: Math.max(c.sigmoidOfNegative, 1e-18) },
          { z: c.z, method: "−expm1(log p)", error: Math.max(c.expm1, 1e-18) },
        ]),
      },
      mark: { type: "line", point: false },
      encoding: {
        x: { field: "z", type: "quantitative", title: "logit z" },
        y: {
          field: "error",
          type: "quantitative",
          scale: { type: "log" },
          title: "relative error (exact results at 1e-18)",
        },
        color: { field: "method", type: "nominal", title: "1 − p computed as" },
      },
    },
  };
  const lossFigure: Figure = {
    name: "loss",
    title: "the loss for y = 0 over logits from −20 to 120",
    spec: {
      title: "ℓ(z, 0): ours, naive and clipped (scikit-learn's rule)",
      width: 420,
      data: {
        values: lossGrid.flatMap((z) => {
          const naive = naiveLoss(z, 0);
          return [
            { z, method: "ours = softplus(z)", loss: stableLoss(z, 0) },
            { z, method: "clipped, ε = 2^−52", loss: clippedLoss(z, 0) },
            ...(Number.isFinite(naive)
              ? [{ z, method: "naive (∞, not drawn, beyond)", loss: naive }]
              : []),
          ];
        }),
      },
      mark: { type: "line" },
      encoding: {
        x: { field: "z", type: "quantitative", title: "logit z" },
        y: { field: "loss", type: "quantitative", title: "loss ℓ(z, 0)" },
        color: {
          field: "method",
          type: "nominal",
          title: "loss computed as",
          legend: { labelLimit: 260 },
        },
        strokeDash: { field: "method", type: "nominal" },
      },
    },
  };

  const numbers: Record<string, string> = {
    expOverflow: sig(t.expOverflow, 5),
    naiveSigmoidOne: sig(t.naiveSigmoidOne, 4),
    sigmoidOne: sig(t.sigmoidOne, 4),
    naiveSigmoidZero: sig(t.naiveSigmoidZero, 5),
    stableSigmoidZero: sig(t.stableSigmoidZero, 5),
    naiveSoftplusZero: sig(t.naiveSoftplusZero, 4),
    logSigmoidSubnormal: sig(t.logSigmoidSubnormal, 5),
    logSigmoidZero: sig(t.logSigmoidZero, 5),
    bitsPerUnitLogit: sig(bitsPerUnit, 3),
    oneOverLn2: sig(1 / Math.LN2, 3),
    bitsLostAt10: bitsLostAt(10),
    bitsLostAt20: bitsLostAt(20),
    bitsLostAt30: bitsLostAt(30),
    worstStableComplement: sig(worstStableComplement, 2),
    worstNaiveComplement: percent(worstNaiveComplement, 0),
    oursAt40: sig(stableLoss(40, 0), 6),
    oursAt100: sig(stableLoss(100, 0), 6),
    naiveAt40: String(naiveLoss(40, 0)),
    naiveAt100: String(naiveLoss(100, 0)),
    clippedAt40: sig(clippedLoss(40, 0), 4),
    clippedAt100: sig(clippedLoss(100, 0), 4),
    clippedOldAt40: sig(clippedLoss(40, 0, SKLEARN_EPS_BEFORE_1_2), 4),
    worstUlpSigmoid: ulpTable.rows[0]?.[1] ?? "",
    worstUlpLoss0: ulpTable.rows[1]?.[1] ?? "",
    worstUlpLoss1: ulpTable.rows[2]?.[1] ?? "",
    naiveNonFiniteLoss0: ulpTable.rows[1]?.[4] ?? "",
    log1mexpRouteNonFinite: ulpTable.rows[5]?.[2] ?? "",
  };
  return {
    tables: [thresholdsTable, lossTable, bitsTable, ulpTable],
    figures: [complementFigure, lossFigure],
    numbers,
  };
}

export const stability: Experiment = {
  name: "stability",
  summary: summaryOf("stability"),
  run,
};
