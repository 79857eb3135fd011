/**
 * Backprop step by step (web/src/lib/walk.ts and Session.walk): its numbers are those of the
 * library's forward/backwardSteps and of `handgrad grad` on the same model and rows, bit for
 * bit; its update is the run's optimizer's (clip, sgd, momentum, nesterov, adam, with the
 * schedule's η): the parameters after the Trainer's own step on the same rows, bit for bit;
 * the sources of an entry follow its equation; the last and next batches are the trainer's.
 */
import { Decimal } from "decimal.js";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fromRows, gatherRows, matrix } from "../../src/linalg/index.js";
import { backwardSteps, forward, initParams, lossAt } from "../../src/nn/index.js";
import { parseLabelledCsv } from "../../src/data/index.js";
import { preActivationHistograms, Session } from "../../web/src/lib/session.js";
import {
  entryLabel,
  gradCommand,
  parseRows,
  sourcesOf,
  walkLabel,
  walkSteps,
  type WalkShape,
} from "../../web/src/lib/walk.js";
import { plural } from "../../web/src/lib/words.js";
import { walkNumbers } from "../../web/src/lib/walk-numbers.js";
import { DEFAULT_SETTINGS, type Settings } from "../../web/src/lib/settings.js";
import { initialOptimizerState, optimizerSettings } from "../../src/train/index.js";
import type { Params } from "../../src/nn/index.js";
import { bits } from "../helpers.js";
import { handgrad } from "../cli/run.js";

const folder = mkdtempSync(join(tmpdir(), "handgrad-walk-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
const settings: Settings = { ...DEFAULT_SETTINGS, samples: 200, seed: 7, hidden: 5 };

describe("walkNumbers", () => {
  it("are forward's, backwardSteps', the loss and θ − η ∂L/∂θ", () => {
    const params = initParams({ inputs: 2, hidden: 3, init: "xavier", seed: 2, biasInit: 0.1 });
    const X = fromRows([
      [0.5, -1],
      [2, 0.25],
      [-0.75, 1.5],
    ]);
    const y = matrix(3, 1, Float64Array.of(1, 0, 1));
    const w = walkNumbers(params, X, y, "tanh", {
      step: 1,
      learningRate: 0.3,
      optimizer: optimizerSettings({}),
      state: initialOptimizerState("sgd", params),
      l2: 0.01,
      clipNorm: 0,
    });
    const cache = forward(params, X, "tanh");
    const steps = backwardSteps(params, cache, X, y, "tanh", 0.01);
    expect(w.matrices.z1.data).toEqual(cache.z1.data);
    expect(w.matrices.p.data).toEqual(cache.p.data);
    expect(w.matrices.dz1.data).toEqual(steps.dz1.data);
    expect(w.matrices.dW1.data).toEqual(steps.dW1.data);
    expect(w.matrices.L.data[0]).toBe(lossAt(params, X, y, "tanh", 0.01));
    expect(w.matrices.W2new.data[1]).toBe(params.W2.data[1]! - 0.3 * steps.dW2.data[1]!);
    // δ1 = (δ2 W2ᵀ) ⊙ f′(z1), entry by entry
    w.matrices.dz1.data.forEach((d, i) =>
      expect(d).toBe(w.matrices.da1.data[i]! * w.matrices.fPrime.data[i]!),
    );
  });

  it("walks 5 forward, 8 backward steps and the update, each with its equation", () => {
    const steps = walkSteps({ N: 4, D: 2, H: 3, K: 1, l2: 0, activation: "relu" });
    expect(steps.map((s) => s.phase)).toEqual([
      ...Array<string>(5).fill("forward"),
      ...Array<string>(8).fill("backward"),
      "update",
    ]);
    expect(steps[0]!.equation).toMatch(/^z1 = X W1 \+ b1 .*\(4×2\)\(2×3\) \+ \(1×3\) → 4×3$/);
    expect(steps[10]!.equation).toMatch(/^δ1 = \(δ2 W2ᵀ\) ⊙ f′\(z1\)/);
    expect(steps[9]!.entry).toContain("relu′(0) = 0");
  });

  it("names the entries an entry is computed from", () => {
    const s: WalkShape = { N: 3, D: 2, H: 4, K: 1, l2: 0, activation: "tanh" };
    expect(sourcesOf("z1", 1, 2, s)).toEqual([
      ["X", 1, 0],
      ["X", 1, 1],
      ["W1", 0, 2],
      ["W1", 1, 2],
      ["b1", 0, 2],
    ]);
    expect(sourcesOf("dW1", 1, 3, s)).toEqual([
      ["X", 0, 1],
      ["X", 1, 1],
      ["X", 2, 1],
      ["dz1", 0, 3],
      ["dz1", 1, 3],
      ["dz1", 2, 3],
    ]);
    expect(sourcesOf("dW1", 1, 3, { ...s, l2: 0.1 })).toContainEqual(["W1", 1, 3]);
    expect(sourcesOf("dz1", 2, 0, s)).toEqual([
      ["da1", 2, 0],
      ["fPrime", 2, 0],
    ]);
    expect(sourcesOf("W2new", 3, 0, s)).toEqual([
      ["W2", 3, 0],
      ["dW2", 3, 0],
    ]);
    expect(sourcesOf("X", 0, 0, s)).toEqual([]);
  });
});

describe("the walk's words (the review of issue 15)", () => {
  const s: WalkShape = { N: 4, D: 2, H: 3, K: 1, l2: 0, activation: "relu" };
  const penalised: WalkShape = { ...s, l2: 0.01 };

  it("writes L_λ and ∂L_λ/∂θ with λ > 0, the penalty term in each weight's entry line", () => {
    const plain = walkSteps(s);
    const steps = walkSteps(penalised);
    const line = (list: typeof steps, i: number): string => list[i]!.equation.split(/\s{2,}/)[0]!;
    expect(line(steps, 4)).toBe("L_λ = L + (λ/2)(‖W1‖² + ‖W2‖²), L = (1/N) Σ_n ℓ(z2_n, y_n)");
    expect(line(steps, 6)).toBe("∂L_λ/∂W2 = a1ᵀ δ2 + λ W2");
    expect(steps[6]!.entry).toBe(
      "∂L_λ/∂W2_j = Σ_n δ2_n a1_{nj} + λ W2_j = (a1ᵀ δ2)_j + λ W2_j   (λ = 0.01)",
    );
    expect(steps[11]!.entry).toMatch(
      /^∂L_λ\/∂W1_\{dj\} = Σ_n δ1_\{nj\} X_\{nd\} \+ λ W1_\{dj\}.*\(λ = 0\.01\)$/,
    );
    expect(line(steps, 7)).toBe("∂L_λ/∂b2 = 1_Nᵀ δ2");
    expect(line(steps, 13)).toBe("θ ← θ − η ∂L_λ/∂θ");
    // without λ, nothing of it
    expect(plain.map((step) => step.equation + step.entry).join()).not.toMatch(/λ/);
    expect(plain[6]!.entry).toBe("∂L/∂W2_j = Σ_n δ2_n a1_{nj} = Σ_n (a1ᵀ)_{jn} δ2_n = (a1ᵀ δ2)_j");
  });

  it("counts every weight among L_λ's sources, none among L's", () => {
    const weights = (cells: readonly (readonly [string, number, number])[]) =>
      cells.filter(([name]) => name === "W1" || name === "W2").length;
    expect(weights(sourcesOf("L", 0, 0, s))).toBe(0);
    expect(weights(sourcesOf("L", 0, 0, penalised))).toBe(2 * 3 + 3 * 1);
    expect(sourcesOf("L", 0, 0, penalised)).toContainEqual(["W2", 2, 0]);
  });

  it("names an entry by its matrix's own symbol and indices", () => {
    expect(entryLabel(["da1", 1, 2], s)).toBe("∂L/∂a1[1][2]");
    expect(walkLabel("da1", s)).toBe("∂L/∂a1 = δ2 W2ᵀ");
    expect(entryLabel(["W2new", 2, 0], s)).toBe("W2[2][0] after the step");
    expect(walkLabel("W2new", s)).toBe("W2 after the step");
    expect(entryLabel(["velW1new", 0, 1], s)).toBe("v_W1[0][1] (new)");
    expect(entryLabel(["dW2", 2, 0], penalised)).toBe("∂L_λ/∂W2[2][0]");
    expect(walkLabel("L", penalised)).toBe("L_λ");
    expect(walkLabel("X", { ...s, standardized: true })).toBe("X standardised: (x − mean)/std");
    expect(walkLabel("X", s)).toBe("X");
  });

  it("says the loss comes from each row's K logits, and counts in the right number", () => {
    expect(walkSteps(s)[4]!.says).toBe("the mean loss, computed from each row's logit");
    expect(walkSteps({ ...s, K: 3 })[4]!.says).toBe(
      "the mean loss, computed from each row's 3 logits",
    );
    expect(plural(1, "entry", "entries")).toBe("1 entry");
    expect(plural(4, "entry", "entries")).toBe("4 entries");
    expect(plural(1, "feature")).toBe("1 feature");
    expect(plural(0, "row")).toBe("0 rows");
  });

  it("gives the grad command λ only when there is one", () => {
    expect(gradCommand(0)).toBe(
      "handgrad grad --model handgrad-model.json --data handgrad-rows.csv",
    );
    expect(gradCommand(0.01)).toBe(
      "handgrad grad --model handgrad-model.json --data handgrad-rows.csv --l2 0.01",
    );
  });
});

describe("Session.walk", () => {
  it("equals `handgrad grad` on the exported model and rows, bit for bit", () => {
    const session = new Session(settings);
    session.run(() => session.steps >= 23);
    const rows = [3, 150, 17, 42];
    const walk = session.walk(rows);
    const model = join(folder, "model.json");
    const data = join(folder, "rows.csv");
    writeFileSync(model, session.modelText());
    writeFileSync(data, session.dataCsv(rows));
    const result = handgrad(["grad", "--model", model, "--data", data, "--json"]);
    expect(result.code, result.stderr).toBe(0);
    const cli = JSON.parse(result.stdout) as {
      loss: number;
      grads: { W1: number[][]; b1: number[]; W2: number[][]; b2: number[] };
    };
    expect(walk.matrices.L.data[0]).toBe(cli.loss);
    expect([...walk.matrices.dW1.data]).toEqual(cli.grads.W1.flat());
    expect([...walk.matrices.db1.data]).toEqual(cli.grads.b1);
    expect([...walk.matrices.dW2.data]).toEqual(cli.grads.W2.flat());
    expect([...walk.matrices.db2.data]).toEqual(cli.grads.b2);
    expect(session.steps).toBe(23); // the walk does not train
  });

  it("takes the rows of a CSV's standardised features as the trainer sees them", () => {
    const csv =
      "a,b,label\n" +
      Array.from({ length: 30 }, (_, i) => `${i * 10},${(i % 7) - 3},${i % 2}`).join("\n");
    const session = new Session(settings);
    session.loadCsv("s.csv", csv, 2);
    const walk = session.walk([0, 29]);
    const { X } = parseLabelledCsv(csv, { source: "s.csv", maxClasses: 2 });
    expect(walk.matrices.X.data[2]).not.toBe(X.data[58]); // standardised, not raw
    const model = join(folder, "s-model.json");
    const data = join(folder, "s-rows.csv");
    writeFileSync(model, session.modelText());
    writeFileSync(data, session.dataCsv([0, 29]));
    const cli = JSON.parse(handgrad(["grad", "--model", model, "--data", data, "--json"]).stdout);
    expect([...walk.matrices.dW1.data]).toEqual((cli.grads.W1 as number[][]).flat());
  });

  it("refuses no rows, more than 8 and a row not in the data", () => {
    const session = new Session(settings);
    expect(() => session.walk([])).toThrow("1 to 8 rows");
    expect(() => session.walk([0, 1, 2, 3, 4, 5, 6, 7, 8])).toThrow("1 to 8 rows, got 9");
    expect(() => session.walk([200])).toThrow("there is no row 200: the data has rows 0 to 199");
    expect(() => session.walk("last")).toThrow("no last batch");
  });

  it("checks one gradient entry by central differences", () => {
    const session = new Session(settings);
    session.run(() => session.steps >= 5);
    const walk = session.walk([1, 2, 3]);
    for (const [param, index] of [
      ["W1", 7],
      ["b1", 2],
      ["W2", 4],
      ["b2", 0],
    ] as const) {
      const check = session.walkCheck([1, 2, 3], param, index);
      const g = walk.matrices[`d${param}`].data[index]!;
      expect(Math.abs(check.estimate - g)).toBeLessThan(1e-7 * (Math.abs(g) + 1e-3));
    }
  });
});

describe("the last and the next batch", () => {
  it("is the batch the trainer stepped on: its loss is the step's batch loss", () => {
    const session = new Session({ ...settings, batchSize: 6 });
    for (let step = 1; step <= 30; step++) {
      const before = session.params;
      session.step();
      const rows = session.lastBatch()!;
      expect(rows.length).toBe(step % 24 === 0 ? 140 - 23 * 6 : 6); // 140 training rows: 24 steps an epoch
      const snapshot = session.snapshot(false);
      const dataRows = session.lastBatchDataRows()!;
      const walk = session.walk(dataRows.length <= 8 ? dataRows : dataRows.slice(0, 8));
      expect(walk.rows).toEqual(dataRows.slice(0, 8));
      // The trainer's batch loss at the parameters before the step, on these rows.
      const train = session["train"] as {
        X: Parameters<typeof gatherRows>[0];
        y: Parameters<typeof gatherRows>[0];
      };
      const X = gatherRows(train.X, rows);
      const y = gatherRows(train.y, rows);
      expect(snapshot.lastStep!.batchLoss).toBeCloseTo(lossAt(before, X, y, "tanh"), 14);
    }
    expect(session.walk("last").lastBatch).toBe(true);
    session.reset();
    expect(session.lastBatch()).toBeUndefined();
  });
});

describe("preActivationHistograms", () => {
  it("counts every row of each unit's z1 over its own range", () => {
    const z1 = fromRows([
      [0, -5],
      [1, -4],
      [2, 5],
    ]);
    const h = preActivationHistograms(z1, 4);
    expect([...h.lo]).toEqual([0, -5]);
    expect([...h.hi]).toEqual([2, 5]);
    expect([...h.counts.subarray(0, 4)]).toEqual([1, 0, 1, 1]);
    expect([...h.counts.subarray(4, 8)]).toEqual([2, 0, 0, 1]); // −4 is in the first quarter of [−5, 5]
  });
});

describe("parseRows", () => {
  it("reads 1 to 8 row numbers, and says what is wrong", () => {
    expect(parseRows(" 3, 17 42;0 ", 50)).toEqual({ rows: [3, 17, 42, 0] });
    expect(parseRows("", 50).problem).toContain("1 to 8 rows");
    expect(parseRows("1 2 3 4 5 6 7 8 9", 50).problem).toBe("at most 8 rows, got 9");
    expect(parseRows("3, 50", 50).problem).toBe('"50" is not a row: the data has rows 0 to 49');
    expect(parseRows("-1", 50).problem).toContain('"-1" is not a row');
    expect(parseRows("2.5", 50).problem).toContain('"2.5" is not a row');
  });
});

/** The walk's parameters after its update. */
function walkedParams(walk: ReturnType<Session["walk"]>): Params {
  const m = walk.matrices;
  const as = (w: { rows: number; cols: number; data: Float64Array }) =>
    matrix(w.rows, w.cols, w.data);
  return { W1: as(m.W1new), b1: as(m.b1new), W2: as(m.W2new), b2: as(m.b2new) };
}

/** Entry i of the walk's update matrix `name` (which must be there). */
function entry(walk: ReturnType<Session["walk"]>, name: string, i: number): number {
  const m = (walk.matrices as Record<string, { data: Float64Array } | undefined>)[name];
  if (!m) throw new Error(`no ${name} in the walk`);
  return m.data[i]!;
}

describe("the walk's update is the run's optimizer's", () => {
  // Batch 4 of 140 training rows: 35 steps an epoch; 35 steps taken → the next starts epoch 2.
  const runs: [string, Partial<Settings>][] = [
    ["sgd with L2 and a warm-up", { l2: 0.01, warmup: 50 }],
    ["momentum with a clip", { optimizer: "momentum", momentum: 0.8, clipNorm: 0.05 }],
    [
      "nesterov on a step schedule",
      { optimizer: "nesterov", schedule: "step", decayEvery: 1, decayRate: 0.5 },
    ],
    [
      "adam with L2, a clip and a cosine schedule",
      { optimizer: "adam", l2: 0.001, clipNorm: 0.1, schedule: "cosine", epochs: 3, warmup: 3 },
    ],
  ];
  for (const [name, overrides] of runs) {
    it(`${name}: walking the next batch, then Step, gives the walk's parameters bit for bit`, () => {
      const session = new Session({ ...settings, batchSize: 4, ...overrides });
      for (const taken of [0, 7, 35]) {
        while (session.steps < taken) session.step();
        const rows = session.nextBatch()!;
        const walk = session.walk("next");
        expect(walk.nextBatch).toBe(true);
        expect(walk.update.step).toBe(taken + 1);
        expect(session.steps).toBe(taken); // the walk does not train
        session.step();
        expect([...session.lastBatch()!]).toEqual([...rows]); // the batch Step took
        expect(bits(session.params)).toBe(bits(walkedParams(walk)));
        // η is the schedule's at this step, as the trainer used it.
        expect(walk.update.learningRate).toBe(session.learningRate);
      }
    });
  }

  it("shows each rule's state: v ← μ v + g; Adam's m, v, m̂ = m/(1 − β1ᵗ), v̂ = v/(1 − β2ᵗ)", () => {
    const momentum = new Session({ ...settings, batchSize: 4, optimizer: "momentum" });
    for (let i = 0; i < 5; i++) momentum.step();
    const w = momentum.walk([1, 2, 3]);
    const mu = w.update.momentum;
    for (let i = 0; i < 10; i++) {
      const v = entry(w, "velW1", i);
      const g = w.matrices.dW1.data[i]!;
      expect(v).not.toBe(0); // five steps of velocity
      expect(entry(w, "velW1new", i)).toBe(mu * v + g);
      expect(w.matrices.W1new.data[i]).toBe(
        w.matrices.W1.data[i]! - w.update.learningRate * entry(w, "velW1new", i),
      );
    }

    const adam = new Session({ ...settings, batchSize: 4, optimizer: "adam", clipNorm: 0.05 });
    for (let i = 0; i < 6; i++) adam.step();
    const a = adam.walk([4, 5]);
    const { beta1, beta2, eps, learningRate: eta } = a.update;
    expect(a.update.adamStep).toBe(7);
    // 1 − βᵗ, computed by the train layer as −expm1(t log β) (the same bits in every engine):
    // within 2 ulp of the exact 1 − β⁷ (60-digit decimal.js).
    const [c1, c2] = a.update.corrections;
    const D = Decimal.clone({ precision: 60 });
    const exact = (b: number): number => new D(1).minus(new D(b.toPrecision(60)).pow(7)).toNumber(); // b's exact binary value
    expect(Math.abs(c1 - exact(beta1))).toBeLessThanOrEqual(2 * Number.EPSILON * c1);
    expect(Math.abs(c2 - exact(beta2))).toBeLessThanOrEqual(2 * Number.EPSILON * c2);
    // The clip: g = (c/‖g‖) ∂L/∂θ, ‖g‖ over all four gradients (recomputed here by Math.hypot).
    const all = (["dW1", "db1", "dW2", "db2"] as const).flatMap((n) => [...a.matrices[n].data]);
    const norm = Math.hypot(...all);
    expect(a.update.gradientNorm).toBeCloseTo(norm, 12);
    expect(norm).toBeGreaterThan(0.05); // so it clipped
    for (let i = 0; i < 5; i++) {
      const g = entry(a, "gb1", i);
      expect(g).toBeCloseTo((a.matrices.db1.data[i]! * 0.05) / norm, 15);
      const m = beta1 * entry(a, "mb1", i) + (1 - beta1) * g;
      const v = beta2 * entry(a, "vb1", i) + (1 - beta2) * g * g;
      expect(entry(a, "mb1new", i)).toBe(m);
      expect(entry(a, "vb1new", i)).toBe(v);
      expect(entry(a, "mhatb1", i)).toBe(m / c1);
      expect(entry(a, "vhatb1", i)).toBe(v / c2);
      const step = entry(a, "mhatb1", i) / (Math.sqrt(entry(a, "vhatb1", i)) + eps);
      expect(a.matrices.b1new.data[i]).toBe(a.matrices.b1.data[i]! - eta * step);
    }
  });

  it("walks each rule's equations after the backward pass", () => {
    const shape = (
      rule: "sgd" | "momentum" | "nesterov" | "adam",
      clipNorm: number,
    ): WalkShape => ({
      N: 2,
      D: 2,
      H: 3,
      K: 1,
      l2: 0,
      activation: "tanh",
      update: {
        rule,
        momentum: 0.9,
        beta1: 0.9,
        beta2: 0.999,
        eps: 1e-8,
        step: 4,
        adamStep: 4,
        corrections: [1 - 0.9 ** 4, 1 - 0.999 ** 4],
        learningRate: 0.1,
        clipNorm,
        gradientNorm: 2,
      },
    });
    const update = (s: WalkShape) =>
      walkSteps(s)
        .filter((step) => step.phase === "update")
        .map((step) => step.equation.split(/\s{2,}/)[0]);
    expect(update(shape("sgd", 0))).toEqual(["θ ← θ − η ∂L/∂θ"]);
    expect(update(shape("momentum", 0))).toEqual(["v ← μ v + ∂L/∂θ", "θ ← θ − η v"]);
    expect(update(shape("nesterov", 1))).toEqual([
      "g = (c/‖g‖) ∂L/∂θ if ‖g‖ > c, else ∂L/∂θ",
      "v ← μ v + g",
      "θ ← θ − η (g + μ v)",
    ]);
    expect(update(shape("adam", 0))).toEqual([
      "m ← β1 m + (1 − β1) ∂L/∂θ",
      "v ← β2 v + (1 − β2) (∂L/∂θ)²",
      "m̂ = m / (1 − β1ᵗ), v̂ = v / (1 − β2ᵗ)",
      "θ ← θ − η m̂ / (√v̂ + ε)",
    ]);
    expect(walkSteps(shape("adam", 1))).toHaveLength(13 + 5);
    // The sources follow the rule: θ's new entry from θ, m̂ and v̂; a clipped entry from all of ∂L/∂θ.
    expect(sourcesOf("W2new", 1, 0, shape("adam", 1))).toEqual([
      ["W2", 1, 0],
      ["mhatW2", 1, 0],
      ["vhatW2", 1, 0],
    ]);
    expect(sourcesOf("velb1new", 0, 2, shape("momentum", 1))).toEqual([
      ["velb1", 0, 2],
      ["gb1", 0, 2],
    ]);
    expect(sourcesOf("gW1", 0, 0, shape("adam", 1))).toHaveLength(2 * 3 + 3 + 3 + 1);
    expect(sourcesOf("mW1", 0, 0, shape("adam", 1))).toEqual([]); // the state before: an input
  });
});
