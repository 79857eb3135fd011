/**
 * `handgrad predict`: the probability and class of every row of a CSV file; for a softmax
 * model, the K class probabilities of every row and the most probable class.
 */
import { loadPredictionCsv } from "../../io/index.js";
import { UsageError } from "../../errors.js";
import { assertNoCollisions, assertWritable, loadModel, writeFileAtomic } from "../../io/index.js";
import { toRows } from "../../linalg/index.js";
import { accuracy, activationByName, classCount, classify, forward, loss } from "../../nn/index.js";
import { pathFlag, stringFlag, type Flags, type FlagSpecs } from "../flags.js";
import { predictionCheck } from "../memory.js";
import { shown, type Output } from "../output.js";
import { assertFiniteOutputs, fileRole, standardizedFeatures } from "../setup.js";

export const PREDICT_FLAGS: FlagSpecs = {
  model: { kind: "string", value: "FILE", help: "the model file (required)" },
  data: {
    kind: "string",
    value: "FILE.csv",
    help: "a CSV file: D feature columns, or D + 1 with a label column (required)",
  },
  label: {
    kind: "string",
    value: "COL",
    help: "the label column, when the file has one (default: the last of D + 1 columns)",
  },
  out: {
    kind: "string",
    value: "FILE.csv",
    help: "also write probability,class per row (softmax: probability_0..K−1,class) to this CSV file (atomically)",
  },
  json: {
    kind: "boolean",
    help: "print JSON on stdout (always on: this command's output is JSON)",
  },
};

export function predictCommand(flags: Flags, output: Output): number {
  const modelPath = pathFlag(flags, "model");
  const dataPath = pathFlag(flags, "data");
  const out = pathFlag(flags, "out");
  if (modelPath === undefined) throw new UsageError("no model: give --model FILE");
  if (dataPath === undefined) throw new UsageError("no data: give --data FILE.csv");
  assertNoCollisions([
    ...fileRole("input", "--model", modelPath, "model"),
    ...fileRole("input", "--data", dataPath, "data"),
    ...fileRole("output", "--out", out, "predictions"),
  ]);
  if (out !== undefined) assertWritable(out);
  const model = loadModel(modelPath);
  const label = stringFlag(flags, "label");
  const { X, y } = loadPredictionCsv(dataPath, model.params.W1.rows, {
    maxClasses: classCount(model.params.W2.cols),
    onCensus: predictionCheck(model, dataPath, out !== undefined),
    ...(label === undefined ? {} : { label }),
  });
  const features = standardizedFeatures(X, model.standardizer, dataPath);
  const cache = forward(model.params, features, activationByName(model.activation));
  assertFiniteOutputs(cache.z2, modelPath, dataPath);
  const classes = classify(cache.p); // N×1
  const K = cache.p.cols; // 1 for a sigmoid model, else the classes of the softmax
  const probabilities = K === 1 ? Array.from(cache.p.data) : toRows(cache.p);
  if (out !== undefined) {
    const header =
      K === 1 ? ["probability"] : Array.from({ length: K }, (_, k) => `probability_${k}`);
    const lines = [[...header, "class"].join(",")];
    toRows(cache.p).forEach((row, i) => lines.push([...row, classes.data[i]].join(",")));
    writeFileAtomic(out, `${lines.join("\n")}\n`);
  }
  output.log(
    `predicted ${X.rows} rows with ${shown(modelPath)}${out !== undefined ? `; wrote ${shown(out)}` : ""}`,
  );
  output.json({
    rows: X.rows,
    ...(y ? { loss: loss(cache, y), accuracy: accuracy(cache.p, y) } : {}),
    probabilities,
    classes: Array.from(classes.data),
  });
  return 0;
}
