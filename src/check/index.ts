export {
  DEFAULT_EPS,
  DEFAULT_THRESHOLD,
  gradientCheck,
  type GradientCheckOptions,
  type GradientCheckReport,
  type ParamCheck,
} from "./gradcheck.js";
