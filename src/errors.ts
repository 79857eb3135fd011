/**
 * One error type per kind of fault; each maps to one CLI exit code.
 *   2: bad input or usage (UsageError, DataError, ModelFileError, FileError)
 *   3: training diverged (DivergenceError, in train/)
 *  70: a ShapeError reaching the CLI (which checks shapes itself first): a bug
 */
export class HandgradError extends Error {
  /** The process exit code the CLI uses for this kind of fault. */
  readonly exitCode: number = 2;
  /** "HandgradError": the name that String(error) and stack traces show. */
  override name = "HandgradError";
}

/** The kind of error a reading fault becomes (DataError for data, ModelFileError for models). */
export type FaultType = new (message: string) => HandgradError;

/**
 * A command-line flag or a hyper-parameter is missing, unknown or out of range, or a library
 * argument is of the wrong kind (a nested array where a Matrix is expected, an unknown name).
 */
export class UsageError extends HandgradError {
  /** "UsageError": the name that String(error) and stack traces show. */
  override name = "UsageError";
}

/** A data set is malformed: a bad CSV cell, a non-binary label, NaN/Infinity, empty data. */
export class DataError extends HandgradError {
  /** "DataError": the name that String(error) and stack traces show. */
  override name = "DataError";
}

/** A model file is unreadable, malformed, or does not fit the data it is used with. */
export class ModelFileError extends HandgradError {
  /** "ModelFileError": the name that String(error) and stack traces show. */
  override name = "ModelFileError";
}

/** A file that cannot be read or written (missing folder, permissions, a folder in the way). */
export class FileError extends HandgradError {
  /** "FileError": the name that String(error) and stack traces show. */
  override name = "FileError";
}

/**
 * Two arrays whose shapes do not fit the operation; the message names both shapes. The CLI
 * checks every shape a user controls before calling the library, so there it means a bug.
 */
export class ShapeError extends HandgradError {
  override readonly exitCode: number = 70;
  /** "ShapeError": the name that String(error) and stack traces show. */
  override name = "ShapeError";
}
