// Breast cancer with a Classifier, as an ES module: fit on three quarters of the rows, score
// on the held-out quarter, save the model, load it back and predict with it.
//   node examples/node-esm/breast-cancer.mjs [MODEL.json]     (default: breast-cancer.json)
// "handgrad" resolves to the package: installed in node_modules, or, inside a clone of the
// repository, the clone itself (Node's self-reference by package name; `npm ci` builds it).
import { fileURLToPath } from "node:url";
import { Classifier, loadCsv, splitDataset, toRows } from "handgrad";

const csv = fileURLToPath(new URL("../../data/breast_cancer.csv", import.meta.url));
const data = loadCsv(csv); // 569 rows × 30 features, label 1 = malignant
const { train, validation: test } = splitDataset(data, 0.25, 0); // 427 to fit, 142 held out
const labels = (set) => Array.from(set.y.data, (v) => (v === 1 ? "malignant" : "benign"));
const clf = new Classifier({ seed: 0 });
clf.fit(toRows(train.X), labels(train), { features: data.featureNames });
console.log(`held-out accuracy: ${clf.score(toRows(test.X), labels(test))}`);

const file = process.argv[2] ?? "breast-cancer.json";
clf.save(file); // the model file: weights, standardisation, feature names, class labels
const predicted = Classifier.load(file).predict(toRows(test.X));
const same = predicted.join() === clf.predict(toRows(test.X)).join();
console.log(`saved ${file}; loaded, it predicts the same as the fitted model: ${same}`);
console.log(`first held-out rows: ${predicted.slice(0, 5).join(", ")}`);
