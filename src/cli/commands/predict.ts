/**
 * `handgrad predict`: the probability and class of every row of a CSV file; for a softmax
 * model, the K class probabilities of every row and the most probable class. Columns are
 * found by the model's feature names (any order; extra columns are not read), or by position
 * for a model file without names; a label column is optional (loss and accuracy when there
 * is one whose labels are the model's classes). Classes are printed as the model's labels.
 */
import { csvCell, integerClasses, labelKey } from "../../data/index.js";
import { UsageError } from "../../errors.js";
import { quote } from "../../suggest.js";
import {
  assertNoCollisions,
  assertWritable,
  loadModel,
  loadPredictionCsv,
  writeFileAtomic,
} from "../../io/index.js";
import { toRows } from "../../linalg/index.js";
import { accuracy, activationByName, classCount, classify, forward, loss } from "../../nn/index.js";
import { booleanFlag, pathFlag, stringFlag, type Flags, type FlagSpecs } from "../flags.js";
import { predictionCheck } from "../memory.js";
import { shown, type Output } from "../output.js";
import { percent } from "../report.js";
import {
  assertFiniteOutputs,
  csvFlags,
  DATA_FLAGS,
  fileRole,
  standardizedFeatures,
} from "../setup.js";

export const PREDICT_FLAGS: FlagSpecs = {
  model: { kind: "string", value: "FILE", help: "the model file (required)" },
  data: {
    kind: "string",
    value: "FILE.csv",
    help: "a CSV file with the model's feature columns (by name; any order), a label column optional (required)",
  },
  label: {
    kind: "string",
    value: "COL",
    help: "the label column, by name or 0-based index (#N: always the index), when the file has one (default: the model's label column when the file has it; a model without feature names: the last of D + 1 columns)",
  },
  delimiter: DATA_FLAGS["delimiter"]!,
  ignore: DATA_FLAGS["ignore"]!,
  out: {
    kind: "string",
    value: "FILE.csv",
    help: "write the predictions to this CSV file (atomically): probability (softmax: p_<class> for each class), then class, one row per input row",
  },
  json: {
    kind: "boolean",
    help: "print JSON on stdout (the default without --out; with --out, only when given)",
  },
};

export function predictCommand(flags: Flags, output: Output): number {
  const modelPath = pathFlag(flags, "model");
  const dataPath = pathFlag(flags, "data");
  const out = pathFlag(flags, "out");
  if (modelPath === undefined) throw new UsageError("no model: give --model FILE");
  if (dataPath === undefined) throw new UsageError("no data: give --data FILE.csv");
  const label = stringFlag(flags, "label");
  const { delimiter, ignore } = csvFlags(flags);
  const json = out === undefined || booleanFlag(flags, "json");
  assertNoCollisions([
    ...fileRole("input", "--model", modelPath, "model"),
    ...fileRole("input", "--data", dataPath, "data"),
    ...fileRole("output", "--out", out, "predictions"),
  ]);
  if (out !== undefined) assertWritable(out);
  const model = loadModel(modelPath);
  const K = classCount(model.params.W2.cols);
  const classes = model.classes ?? integerClasses(K);
  const read = loadPredictionCsv(dataPath, model.params.W1.rows, {
    ...(model.features ? { features: model.features } : {}),
    ...(model.label === undefined ? {} : { modelLabel: model.label }),
    ...(model.classes ? { classes: model.classes } : { maxClasses: K }),
    onCensus: predictionCheck(model, dataPath, out !== undefined),
    ...(label === undefined ? {} : { label }),
    ...(delimiter === undefined ? {} : { delimiter }),
    ...(ignore === undefined ? {} : { ignore }),
  });
  if (!model.features) {
    output.log(
      `note: ${shown(dataPath)}: columns taken by position (the model file names no features)`,
    );
  }
  for (const warning of read.warnings) output.log(shown(warning));
  const { X, y } = read;
  const features = standardizedFeatures(X, model.standardizer, dataPath);
  const cache = forward(model.params, features, activationByName(model.activation));
  assertFiniteOutputs(cache.z2, modelPath, dataPath);
  const predicted = Array.from(classify(cache.p).data, (k) => classes[k] as string | number);
  const outputs = cache.p.cols; // 1 for a sigmoid model, else the classes of the softmax
  const probabilities = outputs === 1 ? Array.from(cache.p.data) : toRows(cache.p);
  if (out !== undefined) {
    const header =
      outputs === 1 ? ["probability"] : classes.map((c) => csvCell(`p_${labelKey(c)}`));
    const lines = [[...header, "class"].join(",")];
    toRows(cache.p).forEach((row, i) =>
      lines.push(
        [...row.map(String), csvCell(labelKey(predicted[i] as string | number))].join(","),
      ),
    );
    writeFileAtomic(out, `${lines.join("\n")}\n`);
  }
  const scores = y ? { loss: loss(cache, y), accuracy: accuracy(cache.p, y) } : undefined;
  output.log(
    `predicted ${X.rows} rows with ${shown(modelPath)}` +
      (scores
        ? `: accuracy ${percent(scores.accuracy)} on column ${shown(quote(read.labelName ?? ""))} of ${shown(dataPath)}`
        : "") +
      (out !== undefined
        ? `; wrote ${shown(out)}` +
          (outputs === 1 ? ` (probability = P(class ${shown(JSON.stringify(classes[1]))}))` : "")
        : ""),
  );
  if (json) {
    // "classLabels": the model's classes in probability order (a sigmoid's p is the second's).
    output.json({
      rows: X.rows,
      ...scores,
      probabilities,
      classes: predicted,
      classLabels: classes,
    });
  }
  return 0;
}
