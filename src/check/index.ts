export {
  centralDifferenceGradients,
  type CentralDifferences,
  DEFAULT_EPS,
  gradientCheck,
  type GradientCheckOptions,
  type GradientCheckReport,
  type ParamCheck,
} from "./gradcheck.js";
export {
  compareGradients,
  DEFAULT_THRESHOLD,
  entryErrors,
  type EntryErrors,
  entryName,
  type GradientComparison,
  type ParamComparison,
  relativeError,
} from "./compare.js";
