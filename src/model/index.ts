/** The Classifier: fit and predict on plain arrays, with feature names and class labels. */
export {
  Classifier,
  type ClassifierOptions,
  type FitAsyncOptions,
  type FitOptions,
  type Rows,
} from "./classifier.js";
export { type ModelFiles, useModelFiles } from "./files.js";
