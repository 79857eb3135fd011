// What every peer shares: the workloads' data (from handgrad's build, so every peer trains on
// the same bits), its runs in one process (a cold one, then steady-state ones), the final
// figures computed the same way for all, and the one JSON line a peer prints. A peer script is
// run as
//   node bench/peers/NAME.mjs --workload W --seed S --repeat R --budget SECONDS [--examples N --epochs E]
import { writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { makeWorkload } from "../dist/bench/workloads.js";
import { workloadParams } from "../dist/cli/commands/bench.js";
import { Rng, streamSeed } from "../dist/rng.js";

/** A whole number ≥ min from a peer's command line, or an error naming the option. */
function wholeNumber(name, text, min) {
  const value = Number(text);
  if (text === undefined || !/^\d+$/.test(text) || value < min) {
    throw new Error(`peer: --${name} must be an integer ≥ ${min}, got ${JSON.stringify(text)}`);
  }
  return value;
}

/**
 * The command line of a peer: the workload's data, cut to `examples` rows and `epochs` when
 * given; `repeat` steady-state runs after the cold one, fewer once `budget` seconds of training
 * are spent (see timedRuns).
 */
export function peerArgs() {
  const { values } = parseArgs({
    options: {
      workload: { type: "string" },
      seed: { type: "string", default: "0" },
      repeat: { type: "string", default: "1" },
      budget: { type: "string", default: "Infinity" },
      examples: { type: "string" },
      epochs: { type: "string" },
    },
    strict: true,
  });
  const name = values.workload;
  const seed = wholeNumber("seed", values.seed, 0);
  const { X, y, spec } = makeWorkload(name, seed);
  const N =
    values.examples === undefined
      ? spec.N
      : Math.min(wholeNumber("examples", values.examples, 1), spec.N);
  const epochs =
    values.epochs === undefined ? spec.epochs : wholeNumber("epochs", values.epochs, 1);
  const budget = Number(values.budget);
  if (!(budget >= 0)) throw new Error(`peer: --budget must be ≥ 0 seconds, got "${values.budget}"`);
  const batch = spec.batch === "full" ? N : Math.min(spec.batch, N);
  return {
    name,
    seed,
    spec,
    N,
    epochs,
    batch,
    repeat: wholeNumber("repeat", values.repeat, 1),
    budget,
    X: X.data.subarray(0, N * spec.D), // N×D row-major
    y: y.data.subarray(0, N), // N
  };
}

/** Rows of X as plain arrays (for peers that take nested arrays). */
export function rowsOf(X, N, D) {
  return Array.from({ length: N }, (_, n) => Array.from(X.subarray(n * D, (n + 1) * D)));
}

/**
 * Trains 1 + `args.repeat` times in this process and times each run: the first run is the cold
 * one (JIT compilation, WebAssembly tier-up and first-touch memory included), the others the
 * steady state it warmed up. `prepare()` (untimed) makes a fresh model from the same seeded
 * start before every run; `release(model)` (untimed, optional) frees every model but the last.
 * A run is `train(model)` and, for a peer that gives `evaluate(model)` (the model's scores on
 * all N rows), the mean loss on all rows before the first and after the last epoch, as
 * handgrad's timed `train()` call records them (its epochs 0 and the last), so that both do the
 * same work (`evaluateBefore: false`, for a model that cannot run before it is trained: both
 * after the last epoch). Once `args.budget` seconds are spent, no further steady-state run starts, but there
 * is always at least one. Returns the runs, the last model and its final scores (if evaluated).
 */
export async function timedRuns(
  args,
  { prepare, train, release, evaluate, evaluateBefore = true },
) {
  const runs = [];
  let spent = 0;
  let model;
  let scores;
  const wholeSetLoss = async (m) => {
    scores = await evaluate(m);
    return meanBce(scores, args.y);
  };
  for (let i = 0; i <= args.repeat && (i < 2 || spent < args.budget); i++) {
    if (model !== undefined) await release?.(model);
    model = await prepare();
    const start = performance.now();
    if (evaluate !== undefined && evaluateBefore) await wholeSetLoss(model); // epoch 0
    await train(model);
    if (evaluate !== undefined && !evaluateBefore) await wholeSetLoss(model); // its stand-in
    if (evaluate !== undefined) await wholeSetLoss(model); // the last epoch
    const seconds = (performance.now() - start) / 1000;
    spent += seconds;
    runs.push({ phase: i === 0 ? "cold" : "steady", seconds });
  }
  return { runs, model, scores };
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

/**
 * Prints the peer's measurement as one JSON line on stdout: `runs` as timedRuns returns them,
 * each with its examples/s; `seconds` and `examplesPerSecond` are the cold run's.
 */
export function report(args, runs, measured) {
  const rate = (seconds) => (args.N * args.epochs) / seconds;
  const [cold] = runs;
  process.stdout.write(
    `${JSON.stringify({
      workload: args.name,
      examples: args.N,
      epochs: args.epochs,
      ...measured,
      seconds: cold.seconds,
      examplesPerSecond: rate(cold.seconds),
      runs: runs.map((run) => ({ ...run, examplesPerSecond: rate(run.seconds) })),
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
