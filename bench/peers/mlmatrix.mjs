// ml-matrix 6.12.1, the matrix products alone: per batch of B rows the five products of one
// training step, forward X W1 (B×D·D×H), a1 W2 (B×H·H×1), backward Xᵀ dZ1 (D×B·B×H),
// a1ᵀ dZ2 (H×B·B×1), dZ2 W2ᵀ (B×1·1×H), over the workload's batches and epochs, with
// Matrix.mmul (float64), and the forward products X W1 and a1 W2 on all rows before the first
// and after the last epoch (the whole-set losses every peer times). The operands are made
// beforehand (transposes untimed); nothing else of training is done, so its examples/s is an upper bound for a trainer built on it. Every
// run multiplies the same operands.
import { Matrix } from "ml-matrix";
import { peerArgs, report, timedRuns } from "../workloads.mjs";

const args = peerArgs();
const { spec, N, X, epochs, batch } = args;
const { D, H } = spec;
const rows = (A, from, to, cols) =>
  new Matrix(
    Array.from({ length: to - from }, (_, i) =>
      Array.from(A.subarray((from + i) * cols, (from + i + 1) * cols)),
    ),
  );
const filled = (r, c) => Matrix.rand(r, c).sub(0.5);
const W1 = filled(D, H);
const W2 = filled(H, 1);
const W2t = W2.transpose();
const batches = [];
for (let s = 0; s < N; s += batch) {
  const B = Math.min(batch, N - s);
  const Xb = rows(X, s, s + B, D);
  batches.push({
    Xb,
    Xbt: Xb.transpose(),
    a1: filled(B, H),
    a1t: filled(H, B),
    dZ1: filled(B, H),
    dZ2: filled(B, 1),
  });
}
let sink = 0;
const { runs } = await timedRuns(args, {
  prepare: () => batches,
  train: (batches) => {
    for (let e = 0; e < epochs; e++) {
      for (const b of batches) {
        sink += b.Xb.mmul(W1).get(0, 0); // X W1
        sink += b.a1.mmul(W2).get(0, 0); // a1 W2
        sink += b.Xbt.mmul(b.dZ1).get(0, 0); // Xᵀ dZ1
        sink += b.a1t.mmul(b.dZ2).get(0, 0); // a1ᵀ dZ2
        sink += b.dZ2.mmul(W2t).get(0, 0); // dZ2 W2ᵀ
      }
    }
  },
  // The forward products on all rows (the whole-set losses' work), their z2 as scores.
  evaluate: (batches) =>
    batches.flatMap((b) => {
      sink += b.Xb.mmul(W1).get(0, 0); // X W1
      return b.a1.mmul(W2).getColumn(0); // z2 = a1 W2
    }),
});
report(args, runs, { finalLoss: null, accuracy: null, checksum: Number.isFinite(sink) });
