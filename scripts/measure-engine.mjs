// Quick before/after measurement of the training engines (not a test, not the benchmark):
//   npm run build && node scripts/measure-engine.mjs [toy|tab|wide ...] [--epochs E] [--engine plain|fast]
// Prints examples/s = N × epochs / training wall time for each workload.
import { performance } from "node:perf_hooks";
import { defaultInitFor, initParams, makeWorkload, train } from "../dist/index.js";

const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(`--${name}`);
  if (i === -1) return undefined;
  const value = args[i + 1];
  args.splice(i, 2);
  return value;
};
const epochsFlag = flag("epochs");
const engine = flag("engine");
const names = args.length > 0 ? args : ["toy", "tab", "wide"];

for (const name of names) {
  const w = makeWorkload(name, 1);
  const epochs = epochsFlag === undefined ? w.epochs : Number(epochsFlag);
  const start = initParams({
    inputs: w.features,
    hidden: w.hidden,
    init: defaultInitFor(w.activation),
    seed: 1,
  });
  const options = {
    activation: w.activation,
    learningRate: w.learningRate,
    epochs,
    batchSize: w.batchSize,
    seed: 1,
    ...(engine === undefined ? {} : { engine }),
  };
  const t0 = performance.now();
  const result = train(start, w.data, options);
  const seconds = (performance.now() - t0) / 1000;
  const rate = (w.samples * epochs) / seconds;
  console.log(
    `${name.padEnd(5)} engine=${engine ?? "default"} epochs=${epochs} ` +
      `${rate.toFixed(0).padStart(9)} examples/s  ${seconds.toFixed(3)} s  ` +
      `final loss ${result.history.at(-1).loss.toPrecision(6)}`,
  );
}
