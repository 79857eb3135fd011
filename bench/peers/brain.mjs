// brain.js 1.6.1 NeuralNetwork: D → H → 1. It trains one example at a time (no mini-batches),
// in the order given (no shuffling), minimising squared error, with its activation applied to
// every layer, the output included; weights in Float32Array, arithmetic in float64.
// Set to the workload: hidden units, activation, learning rate, `epochs` passes; momentum keeps
// its default 0.1 (brain.js refuses 0). Every run trains a new network (its own random start).
import brain from "brain.js";
import { accuracy, peerArgs, report, rowsOf, timedRuns } from "../workloads.mjs";

const args = peerArgs();
const { spec, N, X, y, epochs } = args;
const rows = rowsOf(X, N, spec.D);
const data = rows.map((input, n) => ({ input, output: [y[n]] }));
const { runs, scores: outputs } = await timedRuns(args, {
  prepare: () => new brain.NeuralNetwork({ hiddenLayers: [spec.H], activation: spec.activation }),
  train: (net) =>
    net.train(data, {
      iterations: epochs,
      errorThresh: 1e-12, // brain.js refuses 0; its squared error never gets this low, so every pass runs
      learningRate: spec.learningRate,
    }),
  // brain.js sizes its network in train(), so it cannot run before: both evaluations come after.
  evaluate: (net) => rows.map((input) => net.run(input)[0]),
  evaluateBefore: false,
});
// tanh outputs lie in (−1, 1): class 1 when ≥ 0.5 still splits the labels 0 and 1 at their middle.
report(args, runs, { finalLoss: null, accuracy: accuracy(outputs, y) });
