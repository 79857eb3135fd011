export * from "./optimizer.js";
export * from "./trainer.js";
export { engineBackend, engineThreads } from "./steppers/fast.js";
export type { Stepper, StepReport } from "./steppers/stepper.js";
export { PlainStepper } from "./steppers/plain.js";
export * from "./memory.js";
