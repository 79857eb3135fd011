/**
 * Exercise: a one-hidden-layer network's forward pass, mean binary cross-entropy and backward
 * pass in plain TypeScript (arrays of numbers, float64), written by hand, without handgrad.
 * Fill in the three functions marked TODO, then:
 *
 *   node examples/exercises/backprop.ts MODEL.json DATA.csv > mine.json   (Node ≥ 22.18)
 *   npx handgrad check-grads --model MODEL.json --data DATA.csv --grads mine.json
 *
 * Prints {"loss": L, "grads": {"W1", "b1", "W2", "b2"}} as `handgrad grad` does. Reads a
 * handgrad model file with a sigmoid output and a CSV whose header row names the columns, the
 * features in the model's order and a numeric 0/1 label last (docs/exercises.md). Only
 * erasable TypeScript syntax: Node ≥ 22.18 runs the file as it is; older Node, compile first
 * (docs/exercises.md). Start with data/worked-example.json and data/worked-example.csv, whose
 * every intermediate `handgrad explain` prints (docs/worked-example.md); a reference solution
 * is in solutions/.
 */
import { readFileSync } from "node:fs";

type Matrix = number[][]; // rows of numbers; a bias is one row

const LEAKY_SLOPE = 0.01; // handgrad's leaky relu: f(z) = z for z > 0, 0.01 z otherwise

/** σ(z) = 1/(1 + e^−z), as e^z/(1 + e^z) for z < 0 so that exp never overflows. */
function sigmoid(z: number): number {
  const e = Math.exp(-Math.abs(z));
  return z >= 0 ? 1 / (1 + e) : e / (1 + e);
}

/** ln(1 + e^z) = max(z, 0) + ln(1 + e^−|z|), exact for large |z|. */
function softplus(z: number): number {
  return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
}

/** The hidden activation f and its derivative f′, by name (docs/derivation.md §4). */
const ACTIVATIONS: Record<string, { f: (z: number) => number; df: (z: number) => number }> = {
  relu: { f: (z) => Math.max(z, 0), df: (z) => (z > 0 ? 1 : 0) },
  "leaky-relu": { f: (z) => (z > 0 ? z : LEAKY_SLOPE * z), df: (z) => (z > 0 ? 1 : LEAKY_SLOPE) },
  tanh: { f: Math.tanh, df: (z) => 1 - Math.tanh(z) ** 2 },
  sigmoid: { f: sigmoid, df: (z) => sigmoid(z) * sigmoid(-z) },
};

// The matrix operations the equations need.
const matmul = (A: Matrix, B: Matrix): Matrix =>
  A.map((row) => B[0]!.map((_, j) => row.reduce((s, a, k) => s + a * B[k]![j]!, 0)));
const transpose = (A: Matrix): Matrix => A[0]!.map((_, j) => A.map((row) => row[j]!));
const addRow = (A: Matrix, b: number[]): Matrix => A.map((row) => row.map((a, j) => a + b[j]!));
const map = (A: Matrix, f: (a: number) => number): Matrix => A.map((row) => row.map(f));
const zip = (A: Matrix, B: Matrix, f: (a: number, b: number) => number): Matrix =>
  A.map((row, i) => row.map((a, j) => f(a, B[i]![j]!)));
const columnSums = (A: Matrix): number[] =>
  A[0]!.map((_, j) => A.reduce((s, row) => s + row[j]!, 0));

interface Params {
  W1: Matrix; // D×H
  b1: number[]; // H
  W2: Matrix; // H×1
  b2: number[]; // 1
}

interface Cache {
  z1: Matrix;
  a1: Matrix;
  z2: Matrix;
  p: Matrix;
}

/** z1 = X W1 + b1 (N×H), a1 = f(z1), z2 = a1 W2 + b2 (N×1), p = σ(z2). */
export function forward(X: Matrix, params: Params, f: (z: number) => number): Cache {
  // TODO: z1 (N×H), a1 (N×H), z2 (N×1) and p (N×1), one line each (matmul, addRow, map).
  throw new Error("TODO: forward (z1, a1, z2, p)");
}

/** L = (1/N) Σ_n [softplus(z2_n) − y_n z2_n], the mean binary cross-entropy from the logit. */
export function loss(z2: Matrix, y: number[]): number {
  // TODO: the mean over the rows of softplus(z2) − y z2 (use softplus above: it is exact
  // where ln(1 + e^z) is not).
  throw new Error("TODO: loss (the mean binary cross-entropy)");
}

/** The four gradients of L, by the chain rule (docs/derivation.md §3). */
export function backward(
  X: Matrix,
  y: number[],
  params: Params,
  cache: Cache,
  df: (z: number) => number,
): Params {
  // TODO: dz2 (N×1), dW2 (H×1), db2 (1 number), da1 (N×H), dz1 (N×H), dW1 (D×H), db1 (H):
  // each the chain rule's one line; N = X.length. Return { W1: dW1, b1: db1, W2: dW2, b2: db2 }.
  throw new Error("TODO: backward (dz2, dW2, db2, da1, dz1, dW1, db1)");
}

/** The model's parameters and activation, and the CSV's features X (N×D) and labels y. */
function load(modelPath: string, dataPath: string) {
  const model = JSON.parse(readFileSync(modelPath, "utf8"));
  if ((model.output ?? "sigmoid") !== "sigmoid")
    throw new Error("this exercise is the sigmoid (binary) network");
  const lines = readFileSync(dataPath, "utf8").trim().split(/\r?\n/).slice(1); // skip the header
  const rows = lines.map((line) => line.split(",").map(Number));
  let X = rows.map((row) => row.slice(0, -1));
  const y = rows.map((row) => row[row.length - 1]!);
  if (model.standardize) {
    const { mean, std } = model.standardize as { mean: number[]; std: number[] };
    X = X.map((row) => row.map((x, d) => (x - mean[d]!) / std[d]!));
  }
  const params: Params = { W1: model.W1, b1: model.b1, W2: model.W2, b2: model.b2 };
  return { X, y, params, activation: model.activation as string };
}

function main(args: string[]): void {
  if (args.length !== 2) throw new Error("usage: backprop.ts MODEL.json DATA.csv > mine.json");
  const { X, y, params, activation } = load(args[0]!, args[1]!);
  const { f, df } = ACTIVATIONS[activation]!;
  const cache = forward(X, params, f);
  const grads = backward(X, y, params, cache, df);
  // JSON.stringify writes the shortest text that reads back to the same float64.
  console.log(JSON.stringify({ loss: loss(cache.z2, y), grads }, null, 2));
}

main(process.argv.slice(2));
