// TensorFlow.js 4.22.0 with the backend named by the environment variable TFJS_BACKEND:
// "cpu" (plain JavaScript kernels) or "wasm" (its WebAssembly kernels, loaded from
// node_modules, no network). Dense(H, activation) → Dense(1, sigmoid), loss
// binaryCrossentropy (on the probability, clipped by its epsilon), optimizer sgd(η),
// model.fit with the batch size and shuffling. Float32 only. Every run builds a new model from
// the same seeded initializer (untimed) and disposes of the one before; the backend, its
// kernels and the data tensors stay (the steady state is model.fit on a warmed-up backend).
import { dirname, join } from "node:path";
import { createRequire } from "node:module";
import * as tf from "@tensorflow/tfjs";
import { accuracy, meanBce, peerArgs, report, timedRuns } from "../workloads.mjs";

const backend = process.env.TFJS_BACKEND ?? "cpu";
if (backend === "wasm") {
  const wasm = await import("@tensorflow/tfjs-backend-wasm");
  const require = createRequire(import.meta.url);
  const dist = dirname(
    require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm"),
  );
  wasm.setWasmPaths(`${join(dist)}/`);
}
if (!(await tf.setBackend(backend))) throw new Error(`tfjs: backend ${backend} unavailable`);
await tf.ready();

const args = peerArgs();
const { spec, N, X, y, epochs, batch, seed } = args;
const xs = tf.tensor2d(Float32Array.from(X), [N, spec.D]);
const ys = tf.tensor2d(Float32Array.from(y), [N, 1]);
const { runs, scores: p } = await timedRuns(args, {
  prepare: () => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({
          inputShape: [spec.D],
          units: spec.H,
          activation: spec.activation,
          kernelInitializer: tf.initializers[
            spec.activation === "relu" ? "heNormal" : "glorotNormal"
          ]({ seed }),
        }),
        tf.layers.dense({ units: 1, activation: "sigmoid" }),
      ],
    });
    model.compile({ optimizer: tf.train.sgd(spec.learningRate), loss: "binaryCrossentropy" });
    return model;
  },
  train: (model) => model.fit(xs, ys, { batchSize: batch, epochs, shuffle: batch < N, verbose: 0 }),
  // Predicted in large batches: its default of 32 rows takes minutes on wide with wasm.
  evaluate: async (model) => {
    const out = model.predict(xs, { batchSize: 2000 });
    const p = await out.data();
    out.dispose();
    return p;
  },
  release: (model) => {
    model.optimizer.dispose();
    model.dispose();
  },
});
const flags = {
  simd: backend === "wasm" ? await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT") : undefined,
  threads: backend === "wasm" ? await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT") : undefined,
};
report(args, runs, { finalLoss: meanBce(p, y), accuracy: accuracy(p, y), backend, ...flags });
