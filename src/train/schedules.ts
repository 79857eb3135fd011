/**
 * The learning rate at each step: one function, learningRateAt(schedule, t), for step
 * t = 1, 2, …, T (T = epochs · ⌈N/B⌉, the run's steps), from the base rate η:
 *
 *   warm-up (S > 0), t ≤ S:   η_t = η · t / S          linear from η/S to η (Goyal et al. 2017)
 *   then, by the schedule:
 *     constant                η_t = η
 *     step                    η_t = η · γ^⌊e / E⌋      e = ⌊(t − 1) / steps per epoch⌋, the
 *                                                      epochs completed before step t
 *     cosine                  η_t = η_min + ½ (η − η_min) (1 + cos(π (t − 1 − S) / (T − S)))
 *                                                      from η at step S + 1 towards η_min, which
 *                                                      the step after the last would reach
 *                                                      (Loshchilov & Hutter 2017, one cycle)
 *
 * A step schedule that decays during the warm-up takes its decayed value once the warm-up
 * ends (the warm-up ramps to η, not to the decayed rate). Every stepper asks this function,
 * so that both compute the same η_t bit for bit; with the defaults (constant, no warm-up) it
 * returns η itself. γ^n is numerics/power.ts's binary powering and cos πx numerics/sinpi.ts's
 * cospi(x), not `**` and Math.cos, which ECMAScript leaves to each engine: every engine
 * computes the same rates.
 */
import { UsageError } from "../errors.js";
import { powInteger } from "../numerics/power.js";
import { cospi } from "../numerics/sinpi.js";

/** How η changes over a run: not at all, by a factor every few epochs, or along a cosine. */
export type ScheduleName = "constant" | "step" | "cosine";
export const SCHEDULE_NAMES: readonly ScheduleName[] = ["constant", "step", "cosine"];

/** The defaults: a constant rate, no warm-up; cosine ends at η_min = 0 (PyTorch's CosineAnnealingLR). */
export const DEFAULT_SCHEDULE: ScheduleName = "constant";
export const DEFAULT_WARMUP = 0;
export const DEFAULT_LR_MIN = 0;
/** The step schedule's default decay factor γ (PyTorch's StepLR). */
export const DEFAULT_DECAY_RATE = 0.1;

/** A schedule with everything it needs, checked (see learningRateSchedule). */
export interface LearningRateSchedule {
  readonly name: ScheduleName;
  /** η, the base rate. */
  readonly learningRate: number;
  /** γ ∈ (0, 1] and E ≥ 1 epochs (step). */
  readonly decayRate: number;
  readonly decayEvery: number;
  /** η_min ∈ [0, η] (cosine). */
  readonly lrMin: number;
  /** S ∈ 0..T warm-up steps (0: none). */
  readonly warmup: number;
  /** T, the run's steps, and the steps of one epoch, ⌈N/B⌉. */
  readonly totalSteps: number;
  readonly stepsPerEpoch: number;
}

/** The learning rate η_t of step t (from 1); see the header for the formulas. */
export function learningRateAt(schedule: LearningRateSchedule, t: number): number {
  const { name, learningRate: eta, warmup: S } = schedule;
  if (t <= S) return (eta * t) / S; // η t / S: the linear warm-up
  switch (name) {
    case "constant":
      return eta;
    case "step": {
      const e = Math.floor((t - 1) / schedule.stepsPerEpoch); // epochs completed before step t
      return eta * powInteger(schedule.decayRate, Math.floor(e / schedule.decayEvery)); // η γ^⌊e/E⌋
    }
    case "cosine": {
      const { lrMin, totalSteps: T } = schedule;
      const progress = (t - 1 - S) / (T - S); // 0 at step S + 1, → 1 after step T
      return lrMin + 0.5 * (eta - lrMin) * (1 + cospi(progress)); // η_min + ½(η − η_min)(1 + cos πx)
    }
  }
}

/**
 * The schedule the options ask for, for a run of `totalSteps` steps of `stepsPerEpoch` each.
 * Refuses (UsageError, one line): an unknown name; a decay rate outside (0, 1]; a decayEvery
 * that is not a positive integer (required by "step"); an lrMin outside [0, η]; a warm-up
 * that is not an integer or is longer than the run.
 */
export function learningRateSchedule(
  options: {
    readonly learningRate: number;
    readonly schedule?: ScheduleName;
    readonly decayRate?: number;
    readonly decayEvery?: number;
    readonly lrMin?: number;
    readonly warmup?: number;
  },
  totalSteps: number,
  stepsPerEpoch: number,
): LearningRateSchedule {
  const { learningRate } = options;
  const name = options.schedule ?? DEFAULT_SCHEDULE;
  if (!SCHEDULE_NAMES.includes(name)) {
    throw new UsageError(
      `unknown schedule "${String(name)}" (known: ${SCHEDULE_NAMES.join(", ")})`,
    );
  }
  const decayRate = options.decayRate ?? DEFAULT_DECAY_RATE;
  if (!(typeof decayRate === "number" && decayRate > 0 && decayRate <= 1)) {
    throw new UsageError(`decayRate γ must be a number in (0, 1], got ${String(decayRate)}`);
  }
  const decayEvery = options.decayEvery ?? (name === "step" ? undefined : 1);
  if (decayEvery === undefined) {
    throw new UsageError(`schedule "step" needs decayEvery, the epochs between decays`);
  }
  if (!(Number.isSafeInteger(decayEvery) && decayEvery >= 1)) {
    throw new UsageError(
      `decayEvery must be a positive integer (epochs), got ${String(decayEvery)}`,
    );
  }
  const lrMin = options.lrMin ?? DEFAULT_LR_MIN;
  if (!(typeof lrMin === "number" && lrMin >= 0 && lrMin <= learningRate)) {
    throw new UsageError(
      `lrMin must be a number in [0, ${learningRate}] (the learning rate), got ${String(lrMin)}`,
    );
  }
  const warmup = options.warmup ?? DEFAULT_WARMUP;
  if (!(Number.isSafeInteger(warmup) && warmup >= 0)) {
    throw new UsageError(`warmup must be a non-negative integer (steps), got ${String(warmup)}`);
  }
  if (warmup > totalSteps) {
    throw new UsageError(
      `the warm-up (${warmup} steps) is longer than the run (${totalSteps} steps)`,
    );
  }
  return { name, learningRate, decayRate, decayEvery, lrMin, warmup, totalSteps, stepsPerEpoch };
}
