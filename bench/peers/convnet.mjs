// ConvNetJS 0.3.0: input D → fc H (activation) → fc 2 → softmax (it has no sigmoid loss; a
// 2-way softmax is the same model as one sigmoid logit, over twice the output weights).
// Its Trainer with method "sgd", batch_size, learning_rate, momentum 0, no weight decay:
// the gradient is summed one example at a time and averaged over the batch. Batches count
// examples across epoch ends (N is not a multiple of the batch). Float64Array throughout.
// Every run trains a new network (its own random start) on the same seeded row orders.
import convnetjs from "convnetjs";
import { accuracy, meanBce, peerArgs, report, timedRuns } from "../workloads.mjs";
import { Rng } from "../../dist/rng.js";

const args = peerArgs();
const { spec, N, X, y, epochs, batch, seed } = args;
const vols = Array.from({ length: N }, (_, n) => {
  const v = new convnetjs.Vol(1, 1, spec.D, 0);
  v.w.set(X.subarray(n * spec.D, (n + 1) * spec.D));
  return v;
});
const { runs, scores: p } = await timedRuns(args, {
  prepare: () => {
    const net = new convnetjs.Net();
    net.makeLayers([
      { type: "input", out_sx: 1, out_sy: 1, out_depth: spec.D },
      { type: "fc", num_neurons: spec.H, activation: spec.activation },
      { type: "softmax", num_classes: 2 },
    ]);
    const trainer = new convnetjs.Trainer(net, {
      method: "sgd",
      batch_size: batch,
      learning_rate: spec.learningRate,
      momentum: 0,
      l2_decay: 0,
    });
    return { net, trainer, rng: new Rng(seed) };
  },
  train: ({ trainer, rng }) => {
    for (let e = 0; e < epochs; e++) {
      const order = batch < N ? rng.permutation(N) : null;
      for (let i = 0; i < N; i++) {
        const n = order ? order[i] : i;
        trainer.train(vols[n], y[n]);
      }
    }
  },
  evaluate: ({ net }) => vols.map((v) => net.forward(v, false).w[1]),
});
report(args, runs, { finalLoss: meanBce(p, y), accuracy: accuracy(p, y) });
