/** Exact values and ulp distances live in src/experiments (the stability experiment uses them too). */
export * from "../../src/experiments/ulp.js";
