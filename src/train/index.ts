export { gradientDescentStep } from "./optimizer.js";
export { train, Trainer, type StepResult, type TrainerOptions } from "./trainer.js";
export {
  type Divergence,
  DivergenceError,
  type EpochRecord,
  type EvaluationSchedule,
  type LabelledData,
  MAX_THREADS,
  TRAIN_ENGINES,
  type TrainEngine,
  type TrainOptions,
  type TrainResult,
  type TrainSettings,
  type TrainState,
} from "./setup.js";
export { engineBackend, engineThreads } from "./steppers/fast.js";
export type { Stepper, StepReport } from "./steppers/stepper.js";
export { PlainStepper } from "./steppers/plain.js";
export {
  type DataShape,
  gradientCheckMemory,
  gradientMemory,
  type MemoryEstimate,
  predictionMemory,
  type SizeKnob,
  trainingMemory,
} from "./memory.js";
