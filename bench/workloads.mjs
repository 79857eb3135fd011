// What every peer shares: the workloads' data (from handgrad's build, so every peer trains on
// the same bits), the final figures computed the same way for all, and the one JSON line a
// peer prints. A peer script is run as `node bench/peers/NAME.mjs WORKLOAD SEED [EXAMPLES EPOCHS]`.
import { writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { makeWorkload } from "../dist/bench/workloads.js";
import { workloadParams } from "../dist/cli/commands/bench.js";
import { Rng, streamSeed } from "../dist/rng.js";

/** The command line of a peer: the workload's data, cut to `examples` rows and `epochs` when given. */
export function peerArgs() {
  const [name, seedText, examplesText, epochsText] = process.argv.slice(2);
  const seed = Number(seedText ?? 0);
  const { X, y, spec } = makeWorkload(name, seed);
  const N = examplesText === undefined ? spec.N : Math.min(Number(examplesText), spec.N);
  const epochs = epochsText === undefined ? spec.epochs : Number(epochsText);
  const batch = spec.batch === "full" ? N : Math.min(spec.batch, N);
  return {
    name,
    seed,
    spec,
    N,
    epochs,
    batch,
    X: X.data.subarray(0, N * spec.D), // N×D row-major
    y: y.data.subarray(0, N), // N
  };
}

/** Rows of X as plain arrays (for peers that take nested arrays). */
export function rowsOf(X, N, D) {
  return Array.from({ length: N }, (_, n) => Array.from(X.subarray(n * D, (n + 1) * D)));
}

/** The wall time of `work()` in seconds, and its result. */
export async function timed(work) {
  const start = performance.now();
  const result = await work();
  return { seconds: (performance.now() - start) / 1000, result };
}

/** Mean binary cross-entropy of probabilities p against labels y, p clamped to [1e-15, 1 − 1e-15]. */
export function meanBce(p, y) {
  let sum = 0;
  for (let n = 0; n < y.length; n++) {
    const q = Math.min(Math.max(p[n], 1e-15), 1 - 1e-15);
    sum -= y[n] === 1 ? Math.log(q) : Math.log(1 - q);
  }
  return sum / y.length;
}

/** The fraction of rows whose score (≥ threshold means class 1) matches the label. */
export function accuracy(score, y, threshold = 0.5) {
  let right = 0;
  for (let n = 0; n < y.length; n++) if ((score[n] >= threshold ? 1 : 0) === y[n]) right++;
  return right / y.length;
}

/** Prints the peer's measurement as one JSON line on stdout. */
export function report(args, measured) {
  const { seconds } = measured;
  process.stdout.write(
    `${JSON.stringify({
      workload: args.name,
      examples: args.N,
      epochs: args.epochs,
      ...measured,
      examplesPerSecond: (args.N * args.epochs) / seconds,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
    })}\n`,
  );
}

/**
 * Writes workload `name` for the NumPy peer as one float64 file, in this order:
 * X (N×D), y (N), W1 (D×H), b1 (H), W2 (H), b2 (1), then the row order of every epoch
 * (epochs×N, as handgrad's train shuffles them; absent for a full batch): the same start and
 * the same batches as handgrad, so the two final losses can be compared.
 */
export function exportForNumpy(name, seed, file) {
  const { X, y, spec } = makeWorkload(name, seed);
  const params = workloadParams(spec, seed);
  const parts = [X.data, y.data, params.W1.data, params.b1.data, params.W2.data, params.b2.data];
  if (spec.batch !== "full" && spec.batch < spec.N) {
    const rng = new Rng(streamSeed(seed, "shuffle"));
    for (let e = 0; e < spec.epochs; e++) parts.push(Float64Array.from(rng.permutation(spec.N)));
  }
  const length = parts.reduce((sum, part) => sum + part.length, 0);
  const all = new Float64Array(length);
  let offset = 0;
  for (const part of parts) {
    all.set(part, offset);
    offset += part.length;
  }
  writeFileSync(file, new Uint8Array(all.buffer));
  return spec;
}
