/** The 60-digit oracle lives in src/experiments (the stability experiment uses it too). */
export { log1mexpTruth, truthAt } from "../../src/experiments/truth.js";
