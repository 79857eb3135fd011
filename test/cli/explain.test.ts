/**
 * `handgrad explain` (the built CLI): its numbers are the network's, checked against truth
 * computed here independently (the worked example's 2→2→1 relu network written out as scalar
 * loops, and central differences of the loss taken in the test), and its output fits a terminal.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fromRows, columnVector } from "../../src/linalg/index.js";
import { lossAt, type Params } from "../../src/nn/index.js";
import { handgrad } from "./run.js";

const WORKED = ["--model", "data/worked-example.json", "--data", "data/worked-example.csv"];

interface Explained {
  network: { inputs: number; hidden: number; outputs: number; activation: string };
  batch: { rows: number; X: number[][]; y: number[] };
  params: { W1: number[][]; b1: number[]; W2: number[][]; b2: number[] };
  forward: { z1: number[][]; a1: number[][]; z2: number[][]; p: number[][]; loss: number };
  backward: Record<"dz2" | "dW2" | "da1" | "dz1" | "dW1", number[][]> &
    Record<"db2" | "db1", number[]>;
  update: { learningRate: number; W1: number[][]; b1: number[]; W2: number[][]; b2: number[] };
  check: {
    eps: number;
    passed: boolean;
    numeric: Record<"dW1" | "dW2", (number | null)[][]> & Record<"db1" | "db2", (number | null)[]>;
  };
}

function explain(args: readonly string[]): Explained {
  const run = handgrad(["explain", ...args, "--json"]);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as Explained;
}

/** Relative closeness for numbers computed in another order: 1e-14 of their size. */
function expectClose(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(expected)));
}

describe("handgrad explain on the worked example", () => {
  const e = explain(WORKED);
  const { X, y } = e.batch;
  const { W1, b1, W2, b2 } = e.params;

  it("reads the 2→2→1 relu network and the two rows of data/", () => {
    expect(e.network).toMatchObject({ inputs: 2, hidden: 2, outputs: 1, activation: "relu" });
    expect(X).toEqual([
      [1, 2],
      [2, -1],
    ]);
    expect(y).toEqual([1, 0]);
  });

  it("prints the forward pass and the loss that scalar loops give", () => {
    const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
    let L = 0;
    for (let n = 0; n < 2; n++) {
      let z2 = b2[0]!;
      for (let j = 0; j < 2; j++) {
        let z1 = b1[j]!;
        for (let d = 0; d < 2; d++) z1 += X[n]![d]! * W1[d]![j]!;
        expectClose(e.forward.z1[n]![j]!, z1);
        const a1 = Math.max(0, z1);
        expect(e.forward.a1[n]![j]).toBe(a1);
        z2 += a1 * W2[j]![0]!;
      }
      expectClose(e.forward.z2[n]![0]!, z2);
      expectClose(e.forward.p[n]![0]!, sigmoid(z2));
      L += -(y[n]! * Math.log(sigmoid(z2)) + (1 - y[n]!) * Math.log(1 - sigmoid(z2))) / 2;
    }
    expectClose(e.forward.loss, L);
  });

  it("prints the backward pass that the chain rule, entry by entry, gives", () => {
    const { z1, a1, p } = e.forward;
    const b = e.backward;
    const dz2 = [0, 1].map((n) => (p[n]![0]! - y[n]!) / 2);
    for (let n = 0; n < 2; n++) expectClose(b.dz2[n]![0]!, dz2[n]!);
    expectClose(b.db2[0]!, dz2[0]! + dz2[1]!);
    for (let j = 0; j < 2; j++) {
      expectClose(b.dW2[j]![0]!, a1[0]![j]! * dz2[0]! + a1[1]![j]! * dz2[1]!);
      let db1 = 0;
      for (let n = 0; n < 2; n++) {
        const da1 = dz2[n]! * W2[j]![0]!;
        expectClose(b.da1[n]![j]!, da1);
        const dz1 = z1[n]![j]! > 0 ? da1 : 0; // relu′
        if (dz1 === 0) expect(b.dz1[n]![j]).toBe(0);
        else expectClose(b.dz1[n]![j]!, dz1);
        db1 += dz1;
      }
      expectClose(b.db1[j]!, db1);
      for (let d = 0; d < 2; d++) {
        expectClose(b.dW1[d]![j]!, X[0]![d]! * b.dz1[0]![j]! + X[1]![d]! * b.dz1[1]![j]!);
      }
    }
    // The relu unit that is off on row 1 passes no gradient there.
    expect(z1[1]![1]).toBeLessThan(0);
    expect(b.dz1[1]![1]).toBe(0);
  });

  it("steps θ ← θ − η ∂L/∂θ with the default η = 0.5, and the loss goes down", () => {
    expect(e.update.learningRate).toBe(0.5);
    for (let d = 0; d < 2; d++) {
      for (let j = 0; j < 2; j++) {
        expect(e.update.W1[d]![j]).toBe(W1[d]![j]! - 0.5 * e.backward.dW1[d]![j]!);
      }
    }
    expect(e.update.b2[0]).toBe(b2[0]! - 0.5 * e.backward.db2[0]!);
    const after = lossAt(paramsOf(e.update), fromRows(X), columnVector(y), "relu");
    expect(after).toBeLessThan(e.forward.loss);
  });

  it("agrees with central differences taken here, entry by entry", () => {
    const params = paramsOf(e.params);
    const loss = (p: Params): number => lossAt(p, fromRows(X), columnVector(y), "relu");
    const h = 1e-6;
    const names = ["W1", "b1", "W2", "b2"] as const;
    for (const name of names) {
      const grad = e.backward[`d${name}`].flat();
      const numeric = e.check.numeric[`d${name}`].flat();
      params[name].data.forEach((value, i) => {
        const at = (x: number): number => {
          const moved = { ...params, [name]: fromRows(toNested(params[name])) };
          moved[name].data[i] = x;
          return loss(moved);
        };
        const difference = (at(value + h) - at(value - h)) / (2 * h);
        expect(Math.abs(grad[i]! - difference)).toBeLessThan(1e-8);
        expect(Math.abs((numeric[i] as number) - grad[i]!)).toBeLessThan(1e-9);
      });
    }
    expect(e.check.passed).toBe(true);
  });

  it("prints every line within 80 columns, in the derivation's order", () => {
    const run = handgrad(["explain", ...WORKED]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(""); // JSON only with --json
    const lines = run.stderr.trimEnd().split("\n");
    for (const line of lines) expect(Array.from(line).length, line).toBeLessThanOrEqual(80);
    const order = [
      "z1 = X W1 + b1",
      "a1 = relu(z1)",
      "z2 = a1 W2 + b2",
      "p = σ(z2)",
      "L = (1/N)",
      "dz2 = (p − y)/N",
      "dW2 = a1ᵀ dz2",
      "db2 = Σ_n dz2",
      "da1 = dz2 W2ᵀ",
      "dz1 = da1 ⊙ relu′(z1)",
      "dW1 = Xᵀ dz1",
      "db1 = Σ_n dz1",
      "W1 ← W1 − η dW1",
      "check (§5)",
      "passed:",
    ];
    const at = order.map((text) => lines.findIndex((line) => line.startsWith(text)));
    expect(
      at.every((i) => i >= 0),
      JSON.stringify(at),
    ).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });
});

describe("handgrad explain elsewhere", () => {
  it("explains a softmax model: its gradients are those handgrad grad prints on the same rows", () => {
    const dir = mkdtempSync(join(tmpdir(), "handgrad-explain-"));
    const rows = join(dir, "three.csv");
    writeFileSync(rows, "a,b,label\n0.5,-1,0\n1,2,2\n-1.5,0.25,1\n");
    const model = join(dir, "softmax.json");
    const saved = handgrad([
      ...["train", "--data", rows, "--classes", "3", "--hidden", "3", "--epochs", "2"],
      ...["--batch-size", "3", "--save", model],
    ]);
    expect(saved.code, saved.stderr).toBe(0);
    const e = explain(["--model", model, "--data", rows, "--rows", "3"]);
    expect(e.network.outputs).toBe(3);
    const grad = handgrad(["grad", "--model", model, "--data", rows]);
    const { loss, grads } = JSON.parse(grad.stdout) as {
      loss: number;
      grads: Record<string, number[] | number[][]>;
    };
    expect(e.forward.loss).toBe(loss);
    expect(e.backward.dW1).toEqual(grads["W1"]);
    expect(e.backward.db1).toEqual(grads["b1"]);
    expect(e.backward.dW2).toEqual(grads["W2"]);
    expect(e.backward.db2).toEqual(grads["b2"]);
    // Softmax rows sum to 1; δ2 = (P − onehot(y))/N sums to 0 per row.
    for (const [n, row] of e.forward.p.entries()) {
      expect(Math.abs(row.reduce((s, x) => s + x, 0) - 1)).toBeLessThan(1e-15);
      const delta = e.backward.dz2[n]!.reduce((s, x) => s + x, 0);
      expect(Math.abs(delta)).toBeLessThan(1e-15);
    }
    const text = handgrad(["explain", "--model", model, "--data", rows, "--rows", "3"]).stderr;
    expect(text).toContain("P = softmax(z2)");
    expect(text).toContain("dz2 = (P − onehot(y))/N");
  });

  it("takes a toy set and a fresh network, its first --rows rows, and cuts wide matrices", () => {
    const e = explain(["--dataset", "moons", "--rows", "3", "--hidden", "5", "--lr", "0.1"]);
    expect(e.batch.rows).toBe(3);
    expect(e.forward.z1).toHaveLength(3);
    expect(e.update.learningRate).toBe(0.1);
    const text = handgrad(["explain", "--dataset", "moons", "--rows", "3", "--hidden", "5"]);
    expect(text.stderr).toContain("the batch: the first 3 rows of 400 (--rows N)");
    expect(text.stderr).toContain("… 1 more column");
  });

  it("refuses a bad --rows or --lr (exit 2, naming the flag)", () => {
    const rows = handgrad(["explain", ...WORKED, "--rows", "0"]);
    expect(rows.code).toBe(2);
    expect(rows.stderr).toMatch(/--rows must be an integer from 1/);
    const lr = handgrad(["explain", ...WORKED, "--lr", "-1"]);
    expect(lr.code).toBe(2);
    expect(lr.stderr).toMatch(/--lr must be a number > 0/);
  });
});

function paramsOf(p: { W1: number[][]; b1: number[]; W2: number[][]; b2: number[] }): Params {
  return { W1: fromRows(p.W1), b1: fromRows([p.b1]), W2: fromRows(p.W2), b2: fromRows([p.b2]) };
}

function toNested(m: { rows: number; cols: number; data: Float64Array }): number[][] {
  return Array.from({ length: m.rows }, (_, i) =>
    Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)),
  );
}
