/** Exact values and ulp distances live in src/experiments (the stability experiment uses them too). */
export { D, exactOf, nextDown, nextUp, ulpError, ulpOf } from "../../src/experiments/ulp.js";
