/**
 * What a diverged run says: where it failed, at which learning rate, what stopped being finite,
 * and what to try. One function writes it for every front end: the library's DivergenceError
 * message (which the playground shows as it is) in plain words, and the command line's with
 * its flags (--lr, --l2), from the same facts.
 *
 * The advice names the L2 penalty when the penalty alone makes the weights grow. On the
 * penalty alone (gradient λθ, curvature λ) an update rule is a linear recurrence in θ, stable
 * only while a = η·λ stays below a limit:
 *
 *   sgd        θ ← (1 − a) θ                                   a < 2
 *   momentum   w ← μ w + a θ,  θ ← θ − w          (w = η v)    a < 2 (1 + μ)
 *   nesterov   w ← μ w + a θ,  θ ← (1 − a(1 + μ)) θ − μ² w    a < 2 (1 + μ) / (1 + 2μ)
 *
 * (the Jury conditions on z² − tr z + det of each 2×2 recurrence; μ = 0 gives sgd's 2). Adam
 * divides the step by √v̂, so η·λ has no such limit there and the advice does not name it.
 */
import type { MomentName, OptimizerSettings } from "./optimizers.js";

/** The facts a divergence message is written from (a DivergenceError carries them all). */
export interface DivergenceFacts {
  /** The epoch in progress. */
  readonly epoch: number;
  /** Gradient steps taken, the failing one included. */
  readonly step: number;
  /** η at the failing step (the schedule's and warm-up's). */
  readonly learningRate: number;
  /** The run's base learning rate (TrainOptions.learningRate). */
  readonly baseLearningRate: number;
  /** What stopped being finite, e.g. "the loss became NaN". */
  readonly what: string;
  /** λ of the L2 penalty (0: none). */
  readonly l2: number;
  /** The update rule (the limit on η·λ depends on it), when known. */
  readonly optimizer: OptimizerSettings | undefined;
  /** The optimizer's moment that overflowed, when that was the failure. */
  readonly overflowed?: MomentName | undefined;
}

/** How a front end names what a user can change. */
export interface DivergenceWords {
  /** η as the user sets it, after "lower": "the learning rate" or "--lr". */
  readonly learningRate: string;
  /** λ as the user sets it, after "lower": "the L2 penalty λ" or "--l2". */
  readonly l2: string;
  /** The base rate, beside η of the step when they differ: "base rate 1000" or "--lr 1000". */
  readonly base: (rate: number) => string;
  /** How to clip the gradient: "clipNorm" or "--clip-norm C". */
  readonly clipNorm: string;
  /** A lower rate to try (e.g. "--lr 100"), or none. */
  readonly example?: (baseRate: number) => string;
}

/** The library's words (the DivergenceError message, which the playground shows). */
export const LIBRARY_WORDS: DivergenceWords = {
  learningRate: "the learning rate",
  l2: "the L2 penalty λ",
  base: (rate) => `base rate ${rate}`,
  clipNorm: "clipNorm",
};

/**
 * "training diverged at epoch 3, step 17 (learning rate 256 at this step; base rate 1000): the
 * loss became NaN; try a lower learning rate" — or, when the L2 penalty alone makes the weights
 * grow, the advice says so (see divergenceAdvice).
 */
export function divergenceMessage(
  facts: DivergenceFacts,
  words: DivergenceWords = LIBRARY_WORDS,
): string {
  const { epoch, step, learningRate, baseLearningRate, what } = facts;
  const rate =
    learningRate === baseLearningRate
      ? `learning rate ${learningRate}`
      : `learning rate ${learningRate} at this step; ${words.base(baseLearningRate)}`;
  return `training diverged at epoch ${epoch}, step ${step} (${rate}): ${what}; ${divergenceAdvice(facts, words)}`;
}

/**
 * What to try after a divergence: "try a lower learning rate" (with an example when the words
 * have one); when a moment overflowed, which no learning rate prevents (it is the gradient's
 * doing: g² or μ v + g exceeds float64 before η acts), clipping the gradient; when λ > 0 and η·λ (η the failing step's) exceeds the update rule's limit
 * (see the header), "η·λ = 5e9 > 2: the L2 penalty alone makes the weights grow; lower --l2
 * or --lr".
 */
export function divergenceAdvice(
  facts: Pick<
    DivergenceFacts,
    "learningRate" | "baseLearningRate" | "l2" | "optimizer" | "overflowed"
  >,
  words: DivergenceWords = LIBRARY_WORDS,
): string {
  const { learningRate, l2, optimizer } = facts;
  if (facts.overflowed !== undefined) {
    return `the gradient itself is too large (a lower learning rate does not help): clip it with ${words.clipNorm}, or scale the features down`;
  }
  const limit = optimizer && penaltyLimit(optimizer);
  const product = learningRate * l2;
  if (l2 > 0 && limit !== undefined && product > limit.value) {
    return (
      `η·λ = ${shortNumber(product)} > ${limit.text}: the L2 penalty alone makes the weights ` +
      `grow; lower ${words.l2} or ${words.learningRate}`
    );
  }
  const example = words.example?.(facts.baseLearningRate);
  return `try a lower learning rate${example === undefined ? "" : ` (e.g. ${example})`}`;
}

/**
 * The limit on η·λ beyond which the penalty alone makes the update rule's weights grow (see
 * the header), with how to write it; undefined for adam, which has none.
 */
export function penaltyLimit(
  optimizer: Pick<OptimizerSettings, "name" | "momentum">,
): { readonly value: number; readonly text: string } | undefined {
  const mu = optimizer.momentum;
  switch (optimizer.name) {
    case "sgd":
      return { value: 2, text: "2" };
    case "momentum": {
      const value = 2 * (1 + mu);
      return { value, text: `2(1 + μ) = ${shortNumber(value)}` };
    }
    case "nesterov": {
      const value = (2 * (1 + mu)) / (1 + 2 * mu);
      return { value, text: `2(1 + μ)/(1 + 2μ) = ${shortNumber(value)}` };
    }
    case "adam":
      return undefined;
  }
}

/** 3 significant digits: 3.8, 0.0125, 5e9 (exponent form from 1e6, or below 1e-3). */
function shortNumber(x: number): string {
  const rounded = Number(x.toPrecision(3));
  const large = Math.abs(rounded) >= 1e6 || (rounded !== 0 && Math.abs(rounded) < 1e-3);
  return large ? rounded.toExponential().replace("e+", "e") : String(rounded);
}
