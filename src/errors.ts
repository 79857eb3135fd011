/**
 * One error type per kind of fault; each maps to one CLI exit code.
 *   2: bad input or usage (UsageError, DataError, ModelFileError, ShapeError)
 *   3: training diverged (DivergenceError)
 */
export class HandgradError extends Error {
  /** The process exit code the CLI uses for this kind of fault. */
  readonly exitCode: number = 2;
  override name = "HandgradError";
}

/** A command-line flag or a hyper-parameter is missing, unknown or out of range. */
export class UsageError extends HandgradError {
  override name = "UsageError";
}

/** A data set is malformed: a bad CSV cell, a non-binary label, NaN/Infinity, empty data. */
export class DataError extends HandgradError {
  override name = "DataError";
}

/** A model file is unreadable, malformed, or does not fit the data it is used with. */
export class ModelFileError extends HandgradError {
  override name = "ModelFileError";
}

/** Two arrays whose shapes do not fit the operation; the message names both shapes. */
export class ShapeError extends HandgradError {
  override name = "ShapeError";
}
