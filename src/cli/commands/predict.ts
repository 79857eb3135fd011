/** `handgrad predict`: the probability and class of every row of a CSV file. */
import { loadCsv, loadFeatureCsv } from "../../data/index.js";
import { ModelFileError, UsageError } from "../../errors.js";
import { loadModel, writeFileAtomic } from "../../io/index.js";
import type { Matrix } from "../../linalg/index.js";
import { accuracy, activationByName, classify, forward, loss } from "../../nn/index.js";
import { stringFlag, type Flags, type FlagSpecs } from "../flags.js";
import type { Output } from "../output.js";
import { standardizedFeatures } from "../setup.js";

export const PREDICT_FLAGS: FlagSpecs = {
  model: { kind: "string", help: "the model file (required)" },
  data: {
    kind: "string",
    help: "a CSV file: D feature columns, or D + 1 with a label column (required)",
  },
  label: {
    kind: "string",
    help: "the label column, when the file has one (default: the last column)",
  },
  out: {
    kind: "string",
    help: "also write probability,class per row to this CSV file (atomically)",
  },
  json: {
    kind: "boolean",
    help: "print JSON on stdout (always on: this command's output is JSON)",
  },
};

export function predictCommand(flags: Flags, output: Output): number {
  const modelPath = stringFlag(flags, "model");
  const dataPath = stringFlag(flags, "data");
  if (modelPath === undefined) throw new UsageError("predict needs --model FILE");
  if (dataPath === undefined) throw new UsageError("predict needs --data FILE.csv");
  const model = loadModel(modelPath);
  const { X, y } = readRows(dataPath, stringFlag(flags, "label"), model.params.W1.rows, modelPath);
  const cache = forward(
    model.params,
    standardizedFeatures(X, model.standardizer),
    activationByName(model.activation),
  );
  const classes = classify(cache.p);
  const out = stringFlag(flags, "out");
  if (out !== undefined) {
    const lines = ["probability,class"];
    for (let i = 0; i < X.rows; i++) lines.push(`${cache.p.data[i]},${classes.data[i]}`);
    writeFileAtomic(out, `${lines.join("\n")}\n`);
  }
  output.log(
    `predicted ${X.rows} rows with ${modelPath}${out !== undefined ? `; wrote ${out}` : ""}`,
  );
  output.json({
    rows: X.rows,
    ...(y ? { loss: loss(cache, y), accuracy: accuracy(cache.p, y) } : {}),
    probabilities: Array.from(cache.p.data),
    classes: Array.from(classes.data),
  });
  return 0;
}

/** The rows to predict: D feature columns, or D + 1 columns of which one (--label or the last) is the label. */
function readRows(
  path: string,
  label: string | undefined,
  D: number,
  modelPath: string,
): { X: Matrix; y?: Matrix } {
  if (label === undefined) {
    const features = loadFeatureCsv(path);
    if (features.X.cols === D) return { X: features.X };
    if (features.X.cols !== D + 1) {
      throw new ModelFileError(
        `${path} has ${features.X.cols} columns but ${modelPath} expects ${D} features (or ${D + 1} columns with a label)`,
      );
    }
  }
  const labelled = loadCsv(path, label === undefined ? {} : { label });
  if (labelled.X.cols !== D) {
    throw new ModelFileError(
      `${path} has ${labelled.X.cols} feature columns but ${modelPath} expects ${D}`,
    );
  }
  return { X: labelled.X, y: labelled.y };
}
