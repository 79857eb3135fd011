export {
  adamBiasCorrected,
  adamCorrections,
  clipByGlobalNorm,
  gradientDescentStep,
  DEFAULT_ADAM_EPS,
  DEFAULT_BETA1,
  DEFAULT_BETA2,
  DEFAULT_MOMENTUM,
  DEFAULT_OPTIMIZER,
  globalNorm,
  initialOptimizerState,
  momentOverflowText,
  nonFiniteMoment,
  type MomentName,
  OPTIMIZER_NAMES,
  optimizerSettings,
  optimizerStep,
  type OptimizerName,
  type OptimizerSettings,
  type OptimizerState,
  trainingUpdate,
} from "./optimizers.js";
export {
  DEFAULT_DECAY_RATE,
  DEFAULT_LR_MIN,
  DEFAULT_SCHEDULE,
  DEFAULT_WARMUP,
  learningRateAt,
  learningRateSchedule,
  SCHEDULE_NAMES,
  type LearningRateSchedule,
  type ScheduleName,
} from "./schedules.js";
export { OPTION_GROUP, optionActs, type OptionContext, type OptionGroup } from "./option-use.js";
export {
  OPTION_NAMES,
  trainingRecord,
  type OptimizerOptions,
  type RunRecord,
  type TrainingRecord,
} from "./record.js";
export {
  divergenceAdvice,
  divergenceMessage,
  LIBRARY_WORDS,
  penaltyLimit,
  type DivergenceFacts,
  type DivergenceWords,
} from "./divergence.js";
export {
  type NextUpdate,
  train,
  Trainer,
  type StepResult,
  type TrainerOptions,
} from "./trainer.js";
export {
  type BestEpoch,
  DEFAULT_BATCH_SIZE,
  DEFAULT_EPOCHS,
  DEFAULT_L2,
  assertPatienceWatches,
  assertTrainOptionValues,
  DEFAULT_LEARNING_RATE,
  DEFAULT_MIN_DELTA,
  DEFAULT_RESTORE_BEST,
  DEFAULT_SEED,
  type Divergence,
  DivergenceError,
  type EarlyStop,
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
