/** The 60-digit oracle lives in src/experiments (the stability experiment uses it too). */
export * from "../../src/experiments/truth.js";
