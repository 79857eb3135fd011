/**
 * Backprop, step by step (issue 15, part 2), without the DOM: the walk's steps, one equation
 * each, as docs/derivation.md writes them, ending with the update of the run's own optimizer
 * (gradient clipping, then sgd, momentum, nesterov or adam, with their state); for any entry,
 * the entries it was computed from (what the page highlights); the rows typed. Its numbers come from walk-numbers.ts (in the
 * worker), so that the page's bundle does not carry the library's network.
 */
import type { ActivationName } from "../../../src/nn/index.js";

/** The step-through takes at most this many rows. */
export const MAX_WALK_ROWS = 8;

/** The files "Export model and rows" saves (the model, and the rows as Export data writes them). */
export const WALK_FILES = { model: "handgrad-model.json", rows: "handgrad-rows.csv" } as const;

/**
 * The command that prints the walk's loss and gradients from its exported files: `handgrad
 * grad` reads the model's activation, standardisation and classes from the model file, but
 * not the λ it was trained with (its `training.l2`), so λ > 0 goes in as `--l2`.
 */
export function gradCommand(l2: number): string {
  return (
    `handgrad grad --model ${WALK_FILES.model} --data ${WALK_FILES.rows}` +
    (l2 > 0 ? ` --l2 ${l2}` : "")
  );
}

/** Every matrix of the forward and backward pass, by the code's names. */
export const WALK_NAMES = [
  "X",
  "y",
  "W1",
  "b1",
  "W2",
  "b2",
  "z1",
  "a1",
  "z2",
  "p",
  "L",
  "dz2",
  "dW2",
  "db2",
  "da1",
  "fPrime",
  "dz1",
  "dW1",
  "db1",
  "W1new",
  "b1new",
  "W2new",
  "b2new",
] as const;
/** The parameters, in the order the update shows them. */
export const WALK_PARAMS = ["W1", "b1", "W2", "b2"] as const;
export type WalkParam = (typeof WALK_PARAMS)[number];
/**
 * The update's own matrices, per parameter θ: g (the gradient after clipping), the velocity
 * before and after (vel, velnew: momentum, nesterov), Adam's moments before and after (m, v,
 * mnew, vnew) and its bias-corrected m̂, v̂ (mhat, vhat).
 */
export type UpdateName =
  | `${"g" | "vel" | "m" | "v" | "mhat" | "vhat"}${WalkParam}`
  | `${"vel" | "m" | "v"}${WalkParam}new`;
/** The matrices of forward and backward (and θ after the step). */
export type BaseName = (typeof WALK_NAMES)[number];
export type WalkName = BaseName | UpdateName;

/** A matrix as the worker sends it: row-major float64 entries. */
export interface WalkMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/** The update rule's setting at the walk's step: what the Trainer's next step would use. */
export interface WalkUpdate {
  readonly rule: "sgd" | "momentum" | "nesterov" | "adam";
  /** μ (momentum, nesterov); β1, β2 and ε (adam). */
  readonly momentum: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  /** The run's step t this update would be (from 1); Adam's update count, this one included. */
  readonly step: number;
  readonly adamStep: number;
  /** Adam's bias corrections 1 − β1ᵗ and 1 − β2ᵗ at its update count. */
  readonly corrections: readonly [number, number];
  /** η_t, the schedule's rate at that step. */
  readonly learningRate: number;
  /** The clip norm c (0: none) and the gradient's global norm ‖g‖ before clipping. */
  readonly clipNorm: number;
  readonly gradientNorm: number;
}

/** One pass on the batch, every intermediate, and how it was set up. */
export interface WalkNumbers {
  /** Every matrix of forward and backward, and those of the update's rule. */
  readonly matrices: Record<BaseName, WalkMatrix> & Partial<Record<UpdateName, WalkMatrix>>;
  readonly activation: ActivationName;
  /** λ of the L2 penalty (0: none); the loss L and the weight gradients include it. */
  readonly l2: number;
  /** The update the run's Trainer would take next on these rows. */
  readonly update: WalkUpdate;
}

/** The gradients the walk can check by central differences, and their parameters. */
export const GRADIENT_OF: Partial<Record<WalkName, "W1" | "b1" | "W2" | "b2">> = {
  dW1: "W1",
  db1: "b1",
  dW2: "W2",
  db2: "b2",
};

export interface WalkStep {
  readonly phase: "forward" | "backward" | "update";
  /** The equation as docs/derivation.md writes it (matrix form, with its shapes). */
  readonly equation: string;
  /** The same entry by entry. */
  readonly entry: string;
  /** What it computes, in a few words. */
  readonly says: string;
  /** The matrices shown: those it reads, then those it computes. */
  readonly reads: readonly WalkName[];
  readonly computes: readonly WalkName[];
}

/** The shape words of the walk's setting: N, D, H, K as numbers. */
export interface WalkShape {
  readonly N: number;
  readonly D: number;
  readonly H: number;
  readonly K: number;
  readonly l2: number;
  /** True when X is the features standardised, (x − mean)/std (a CSV's, or an imported model's). */
  readonly standardized?: boolean;
  readonly activation: ActivationName;
  /** The update's rule and numbers (absent: plain gradient descent, no clipping). */
  readonly update?: WalkUpdate;
}

/** f′ as section 4 of the derivation writes it, per activation. */
const DERIVATIVE: Record<ActivationName, string> = {
  relu: "relu′(z) = 1 for z > 0,   0 for z < 0,   and we take relu′(0) = 0",
  "leaky-relu": "leaky′(z) = 1 for z > 0,   0.01 otherwise, so leaky′(0) = 0.01",
  tanh: "tanh′(z) = 1 − tanh²(z) = 1 − a²",
  sigmoid: "σ′(z) = σ(z) (1 − σ(z)) = a σ(−z)",
};

/**
 * The walk's steps for this shape: forward (5), backward (8), then the update as the run's
 * Trainer takes it: the clip when set (1), and the rule's equations (sgd 1, momentum and
 * nesterov 2, adam 4).
 */
export function walkSteps(s: WalkShape): WalkStep[] {
  const { N, D, H, K } = s;
  const one = K === 1;
  const dims = (rows: number | string, cols: number | string): string => `${rows}×${cols}`;
  const penalty = s.l2 > 0;
  // The loss differentiated: L, or L_λ = L + (λ/2)(‖W1‖² + ‖W2‖²) (docs/derivation.md, section 6).
  const dL = penalty ? "∂L_λ" : "∂L";
  const lambda = `   (λ = ${s.l2})`;
  return [
    {
      phase: "forward",
      equation: `z1 = X W1 + b1      (N×D)(D×H) + (1×H)   → N×H     (${dims(N, D)})(${dims(D, H)}) + (${dims(1, H)}) → ${dims(N, H)}`,
      entry: "z1_{nj} = Σ_d X_{nd} W1_{dj} + b1_j",
      says: "hidden pre-activations",
      reads: ["X", "W1", "b1"],
      computes: ["z1"],
    },
    {
      phase: "forward",
      equation: `a1 = f(z1)          f entry by entry      → N×H     ${dims(N, H)}, f = ${s.activation}`,
      entry: "a1_{nj} = f(z1_{nj})",
      says: "hidden activations",
      reads: ["z1"],
      computes: ["a1"],
    },
    {
      phase: "forward",
      equation: one
        ? `z2 = a1 W2 + b2     (N×H)(H×1) + (1×1)   → N×1     (${dims(N, H)})(${dims(H, 1)}) + (1×1) → ${dims(N, 1)}`
        : `z2 = a1 W2 + b2     (N×H)(H×K) + (1×K)   → N×K     (${dims(N, H)})(${dims(H, K)}) + (${dims(1, K)}) → ${dims(N, K)}`,
      entry: one ? "z2_n = Σ_j a1_{nj} W2_j + b2" : "z2_{nk} = Σ_j a1_{nj} W2_{jk} + b2_k",
      says: "output logits",
      reads: ["a1", "W2", "b2"],
      computes: ["z2"],
    },
    {
      phase: "forward",
      equation: one
        ? `p  = σ(z2)          σ entry by entry      → N×1     ${dims(N, 1)}`
        : `P  = softmax(z2)    per row               → N×K     ${dims(N, K)}`,
      entry: one ? "p_n = σ(z2_n) = 1 / (1 + e^{−z2_n})" : "P_{nk} = e^{z2_{nk}} / Σ_i e^{z2_{ni}}",
      says: one ? "probabilities of class 1" : "class probabilities",
      reads: ["z2"],
      computes: ["p"],
    },
    {
      phase: "forward",
      equation: penalty
        ? "L_λ = L + (λ/2)(‖W1‖² + ‖W2‖²), L = (1/N) Σ_n ℓ(z2_n, y_n)"
        : "L = (1/N) Σ_n ℓ(z2_n, y_n)",
      entry:
        (one ? "ℓ(z, y) = softplus(z) − y z" : "ℓ(z, y) = logSumExp(z) − z_y") +
        (penalty ? `;   ‖W‖² = Σ of W's squared entries${lambda}` : ""),
      says:
        (one
          ? "the mean loss, computed from each row's logit"
          : `the mean loss, computed from each row's ${K} logits`) +
        (penalty ? ", plus the L2 penalty on the weights" : ""),
      reads: penalty ? ["z2", "y", "W1", "W2"] : ["z2", "y"],
      computes: ["L"],
    },
    {
      phase: "backward",
      equation: one
        ? `δ2 = (p − y) / N                                            N×1     ${dims(N, 1)}`
        : `δ2 = (P − onehot(y)) / N                                    N×K     ${dims(N, K)}`,
      entry: one
        ? "δ2_n = ∂L/∂z2_n = (1/N) ∂ℓ/∂z (z2_n, y_n) = (σ(z2_n) − y_n) / N"
        : "δ2_{nk} = ∂L/∂z2_{nk} = (P_{nk} − [y_n = k]) / N",
      says: "the gradient at the logits (3.1)",
      reads: ["p", "y"],
      computes: ["dz2"],
    },
    {
      phase: "backward",
      equation: `${penalty ? "∂L_λ/∂W2 = a1ᵀ δ2 + λ W2" : "∂L/∂W2 = a1ᵀ δ2"}                 (H×N)(N×${one ? 1 : "K"}) = H×${one ? 1 : "K"}     (${dims(H, N)})(${dims(N, K)}) = ${dims(H, K)}`,
      entry: penalty
        ? (one
            ? "∂L_λ/∂W2_j = Σ_n δ2_n a1_{nj} + λ W2_j = (a1ᵀ δ2)_j + λ W2_j"
            : "∂L_λ/∂W2_{jk} = Σ_n a1_{nj} δ2_{nk} + λ W2_{jk}") + lambda
        : one
          ? "∂L/∂W2_j = Σ_n δ2_n a1_{nj} = Σ_n (a1ᵀ)_{jn} δ2_n = (a1ᵀ δ2)_j"
          : "∂L/∂W2_{jk} = Σ_n a1_{nj} δ2_{nk}",
      says: "output weights (3.2)",
      reads: penalty ? ["a1", "dz2", "W2"] : ["a1", "dz2"],
      computes: ["dW2"],
    },
    {
      phase: "backward",
      equation: `${dL}/∂b2 = 1_Nᵀ δ2          (1×N)(N×${one ? 1 : "K"}) = 1×${one ? 1 : "K"}     (${dims(1, N)})(${dims(N, K)}) = ${dims(1, K)}`,
      entry:
        (one ? `${dL}/∂b2 = Σ_n δ2_n · 1` : `${dL}/∂b2_k = Σ_n δ2_{nk}`) +
        (penalty ? "   (the penalty leaves the biases alone)" : ""),
      says: "output bias (3.3)",
      reads: ["dz2"],
      computes: ["db2"],
    },
    {
      phase: "backward",
      equation: `∂L/∂a1 = δ2 W2ᵀ                 (N×${one ? 1 : "K"})(${one ? 1 : "K"}×H) = N×H     (${dims(N, K)})(${dims(K, H)}) = ${dims(N, H)}`,
      entry: one ? "∂L/∂a1_{nj} = δ2_n W2_j = (δ2 W2ᵀ)_{nj}" : "∂L/∂a1_{nj} = Σ_k δ2_{nk} W2_{jk}",
      says: "back through W2 to the hidden activations (3.4)",
      reads: ["dz2", "W2"],
      computes: ["da1"],
    },
    {
      phase: "backward",
      equation: `f′(z1)              f′ entry by entry     → N×H     ${dims(N, H)}`,
      entry: DERIVATIVE[s.activation],
      says: "the activation's slope at each pre-activation (section 4)",
      reads: ["z1"],
      computes: ["fPrime"],
    },
    {
      phase: "backward",
      equation: `δ1 = (δ2 W2ᵀ) ⊙ f′(z1)          (N×H) ⊙ (N×H) = N×H     ${dims(N, H)}`,
      entry: "δ1_{nj} = ∂L/∂z1_{nj} = ∂L/∂a1_{nj} · f′(z1_{nj})",
      says: "the gradient at the hidden pre-activations (3.5)",
      reads: ["da1", "fPrime"],
      computes: ["dz1"],
    },
    {
      phase: "backward",
      equation: `${penalty ? "∂L_λ/∂W1 = Xᵀ δ1 + λ W1" : "∂L/∂W1 = Xᵀ δ1"}                  (D×N)(N×H) = D×H     (${dims(D, N)})(${dims(N, H)}) = ${dims(D, H)}`,
      entry: penalty
        ? "∂L_λ/∂W1_{dj} = Σ_n δ1_{nj} X_{nd} + λ W1_{dj} = (Xᵀ δ1)_{dj} + λ W1_{dj}" + lambda
        : "∂L/∂W1_{dj} = Σ_n δ1_{nj} X_{nd} = Σ_n (Xᵀ)_{dn} δ1_{nj} = (Xᵀ δ1)_{dj}",
      says: "input weights (3.6)",
      reads: penalty ? ["X", "dz1", "W1"] : ["X", "dz1"],
      computes: ["dW1"],
    },
    {
      phase: "backward",
      equation: `${dL}/∂b1 = 1_Nᵀ δ1                (1×N)(N×H) = 1×H     (${dims(1, N)})(${dims(N, H)}) = ${dims(1, H)}`,
      entry:
        `${dL}/∂b1_j = Σ_n δ1_{nj}` + (penalty ? "   (the penalty leaves the biases alone)" : ""),
      says: "hidden biases (3.7)",
      reads: ["dz1"],
      computes: ["db1"],
    },
    ...updateSteps(s.update, dL),
  ];
}

/** x in at most 6 significant digits. */
const short = (x: number): string => String(Number(x.toPrecision(6)));

/** The matrices of a rule's step, parameter by parameter: [a(W1), b(W1), a(b1), b(b1), …]. */
const perParam = (...makers: ((p: WalkParam) => WalkName)[]): WalkName[] =>
  WALK_PARAMS.flatMap((p) => makers.map((make) => make(p)));

/**
 * The update's steps, as the Trainer takes them (src/train/optimizers.ts): the clip when it is
 * set, then the rule's equations one by one (sgd 1, momentum and nesterov 2, adam 4).
 */
function updateSteps(u: WalkUpdate | undefined, dL: string): WalkStep[] {
  const clip = u !== undefined && u.clipNorm > 0;
  const gradient = (p: WalkParam): WalkName => (clip ? `g${p}` : `d${p}`);
  const g = clip ? "g" : `${dL}/∂θ`;
  const gW1 = clip ? "g_W1" : `${dL}/∂W1`;
  const eta = u ? `η = ${short(u.learningRate)} (η_t at the run's step t = ${u.step})` : "";
  const at = (p: WalkParam): WalkName => p;
  const after = (p: WalkParam): WalkName => `${p}new`;
  const steps: WalkStep[] = [];
  if (clip) {
    const scaled = u.gradientNorm > u.clipNorm;
    steps.push({
      phase: "update",
      equation:
        `g = (c/‖g‖) ${dL}/∂θ if ‖g‖ > c, else ${dL}/∂θ      ‖g‖ = ${short(u.gradientNorm)} over all four gradients, c = ${u.clipNorm}: ` +
        (scaled ? `scaled by c/‖g‖ = ${short(u.clipNorm / u.gradientNorm)}` : "not scaled"),
      entry: `‖g‖ = √(Σ of every squared entry of ${dL}/∂W1, ${dL}/∂b1, ${dL}/∂W2, ${dL}/∂b2); g_W1[d][j] = (c/‖g‖) ${dL}/∂W1[d][j] when ‖g‖ > c`,
      says: "gradient clipping: the whole gradient rescaled to global norm c when it is longer",
      reads: perParam((p) => `d${p}`),
      computes: perParam(gradient),
    });
  }
  const rule = u?.rule ?? "sgd";
  if (rule === "sgd") {
    steps.push({
      phase: "update",
      equation: `θ ← θ − η ${g}          for θ = W1, b1, W2, b2 (each the same shape as its gradient)${eta ? `; ${eta}` : ""}`,
      entry: `W1_{dj} ← W1_{dj} − η ${gW1}_{dj}, and so for b1, W2, b2`,
      says: "one step of plain gradient descent (section 7)",
      reads: perParam(at, gradient),
      computes: perParam(after),
    });
    return steps;
  }
  if (rule === "momentum" || rule === "nesterov") {
    steps.push(
      {
        phase: "update",
        equation: `v ← μ v + ${g}          μ = ${u!.momentum}; one velocity v per θ = W1, b1, W2, b2 (0 before the first step)`,
        entry: `v_W1[d][j] ← μ v_W1[d][j] + ${gW1}[d][j], and so for b1, W2, b2`,
        says: `${rule}: the velocity, a decaying sum of the gradients so far`,
        reads: perParam((p) => `vel${p}`, gradient),
        computes: perParam((p) => `vel${p}new`),
      },
      {
        phase: "update",
        equation:
          rule === "momentum"
            ? `θ ← θ − η v          with the new v; ${eta}`
            : `θ ← θ − η (${g} + μ v)          with the new v (Nesterov looks ahead along it); ${eta}`,
        entry:
          rule === "momentum"
            ? "W1_{dj} ← W1_{dj} − η v_W1[d][j], and so for b1, W2, b2"
            : `W1_{dj} ← W1_{dj} − η (${gW1}[d][j] + μ v_W1[d][j]), and so for b1, W2, b2`,
        says: `${rule}: the step along the velocity`,
        reads: perParam(at, ...(rule === "nesterov" ? [gradient] : []), (p) => `vel${p}new`),
        computes: perParam(after),
      },
    );
    return steps;
  }
  const [c1, c2] = u!.corrections;
  const t = u!.adamStep;
  steps.push(
    {
      phase: "update",
      equation: `m ← β1 m + (1 − β1) ${g}          β1 = ${u!.beta1}; one m per θ (0 before the first step)`,
      entry: `m_W1[d][j] ← β1 m_W1[d][j] + (1 − β1) ${gW1}[d][j], and so for b1, W2, b2`,
      says: "adam: the first moment m, a running mean of the gradients",
      reads: perParam((p) => `m${p}`, gradient),
      computes: perParam((p) => `m${p}new`),
    },
    {
      phase: "update",
      equation: `v ← β2 v + (1 − β2) ${clip ? "g²" : `(${dL}/∂θ)²`}          β2 = ${u!.beta2}; one v per θ (0 before the first step)`,
      entry: `v_W1[d][j] ← β2 v_W1[d][j] + (1 − β2) (${gW1}[d][j])², and so for b1, W2, b2`,
      says: "adam: the second moment v, a running mean of the squared gradients",
      reads: perParam((p) => `v${p}`, gradient),
      computes: perParam((p) => `v${p}new`),
    },
    {
      phase: "update",
      equation: `m̂ = m / (1 − β1ᵗ), v̂ = v / (1 − β2ᵗ)          t = ${t} (Adam's updates, this one included): 1 − β1ᵗ = ${short(c1)}, 1 − β2ᵗ = ${short(c2)}`,
      entry:
        "m̂_W1[d][j] = m_W1[d][j] / (1 − β1ᵗ), v̂_W1[d][j] = v_W1[d][j] / (1 − β2ᵗ), and so for b1, W2, b2",
      says: "adam: the bias corrections (m and v start at 0, so early on they are too small)",
      reads: perParam(
        (p) => `m${p}new`,
        (p) => `v${p}new`,
      ),
      computes: perParam(
        (p) => `mhat${p}`,
        (p) => `vhat${p}`,
      ),
    },
    {
      phase: "update",
      equation: `θ ← θ − η m̂ / (√v̂ + ε)          ε = ${u!.eps}; ${eta}`,
      entry: "W1_{dj} ← W1_{dj} − η m̂_W1[d][j] / (√v̂_W1[d][j] + ε), and so for b1, W2, b2",
      says: "adam: the step, each entry scaled by its own gradient's size",
      reads: perParam(
        at,
        (p) => `mhat${p}`,
        (p) => `vhat${p}`,
      ),
      computes: perParam(after),
    },
  );
  return steps;
}

/**
 * A matrix's name in parts: its symbol as the derivation writes it (with λ > 0 the loss is
 * L_λ and the parameters' gradients ∂L_λ/∂θ, as docs/derivation.md section 6 names them),
 * what tells it from another matrix of the same symbol ("after the step", "(clipped)"), and
 * what the caption adds ("= δ2 W2ᵀ").
 */
function nameParts(
  name: WalkName,
  s: Pick<WalkShape, "K" | "l2" | "standardized">,
): { symbol: string; which: string; aside: string } {
  const dL = s.l2 > 0 ? "∂L_λ" : "∂L";
  const symbols: Record<BaseName, string> = {
    X: "X",
    y: "y",
    W1: "W1",
    b1: "b1",
    W2: "W2",
    b2: "b2",
    z1: "z1",
    a1: "a1",
    z2: "z2",
    p: s.K === 1 ? "p" : "P",
    L: s.l2 > 0 ? "L_λ" : "L",
    dz2: "δ2",
    dW2: `${dL}/∂W2`,
    db2: `${dL}/∂b2`,
    da1: "∂L/∂a1",
    fPrime: "f′(z1)",
    dz1: "δ1",
    dW1: `${dL}/∂W1`,
    db1: `${dL}/∂b1`,
    W1new: "W1",
    b1new: "b1",
    W2new: "W2",
    b2new: "b2",
  };
  if (name in symbols) {
    const symbol = symbols[name as BaseName];
    const which = name.endsWith("new") ? "after the step" : "";
    const aside =
      name === "da1"
        ? "= δ2 W2ᵀ"
        : name === "X" && s.standardized
          ? "standardised: (x − mean)/std"
          : "";
    return { symbol, which, aside };
  }
  const { kind, param, after } = updateParts(name as UpdateName);
  const symbol = { g: "g", vel: "v", m: "m", v: "v", mhat: "m̂", vhat: "v̂" }[kind];
  const which =
    kind === "g"
      ? "(clipped)"
      : after
        ? "(new)"
        : kind === "mhat" || kind === "vhat"
          ? ""
          : "(before)";
  return { symbol: `${symbol}_${param}`, which, aside: "" };
}

/** A matrix's caption: "W1", "∂L_λ/∂W2", "W2 after the step", "∂L/∂a1 = δ2 W2ᵀ". */
export function walkLabel(name: WalkName, s: Pick<WalkShape, "K" | "l2" | "standardized">): string {
  const { symbol, which, aside } = nameParts(name, s);
  return [symbol, which, aside].filter((part) => part !== "").join(" ");
}

/** An entry's name: its matrix's symbol and indices, "∂L/∂a1[1][7]", "W2[5][0] after the step". */
export function entryLabel(cell: Cell, s: Pick<WalkShape, "K" | "l2">): string {
  const [name, r, c] = cell;
  const { symbol, which } = nameParts(name, s);
  return `${symbol}[${r}][${c}]${which === "" ? "" : ` ${which}`}`;
}

/** An update matrix's name in parts: "velW1new" → vel, W1, after. */
function updateParts(name: UpdateName): {
  kind: "g" | "vel" | "m" | "v" | "mhat" | "vhat";
  param: WalkParam;
  after: boolean;
} {
  const match = /^(g|vel|mhat|vhat|m|v)(W1|b1|W2|b2)(new)?$/.exec(name)!;
  return {
    kind: match[1] as "g" | "vel" | "m" | "v" | "mhat" | "vhat",
    param: match[2] as WalkParam,
    after: match[3] !== undefined,
  };
}

/** One entry of a walk matrix: [name, row, column] (from 0). */
export type Cell = readonly [WalkName, number, number];

const row = (name: WalkName, r: number, cols: number): Cell[] =>
  Array.from({ length: cols }, (_, c) => [name, r, c] as const);
const column = (name: WalkName, c: number, rows: number): Cell[] =>
  Array.from({ length: rows }, (_, r) => [name, r, c] as const);

/**
 * The entries that `name`[r][c] was computed from, by the equation of the step that computes
 * it (z1_{nj} ← row n of X, column j of W1, b1_j; δ1_{nj} ← ∂L/∂a1_{nj}, f′(z1_{nj}); …).
 * Empty for the inputs (X, y and the parameters before the step).
 */
export function sourcesOf(name: WalkName, r: number, c: number, s: WalkShape): Cell[] {
  const { N, D, H, K, l2 } = s;
  switch (name) {
    case "z1":
      return [...row("X", r, D), ...column("W1", c, D), ["b1", 0, c]];
    case "a1":
      return [["z1", r, c]];
    case "z2":
      return [...row("a1", r, H), ...column("W2", c, H), ["b2", 0, c]];
    case "p":
      return K === 1 ? [["z2", r, c]] : row("z2", r, K);
    case "L": {
      const cells: Cell[] = [];
      for (let n = 0; n < N; n++) cells.push(...row("z2", n, K), ["y", n, 0]);
      if (l2 > 0) {
        // L_λ's penalty (λ/2)(‖W1‖² + ‖W2‖²): every weight
        for (let d = 0; d < D; d++) cells.push(...row("W1", d, H));
        for (let j = 0; j < H; j++) cells.push(...row("W2", j, K));
      }
      return cells;
    }
    case "dz2":
      return [
        ["p", r, c],
        ["y", r, 0],
      ];
    case "dW2":
      return [
        ...column("a1", r, N),
        ...column("dz2", c, N),
        ...(l2 > 0 ? [["W2", r, c] as const] : []),
      ];
    case "db2":
      return column("dz2", c, N);
    case "da1":
      return [...row("dz2", r, K), ...row("W2", c, K)];
    case "fPrime":
      return [["z1", r, c]];
    case "dz1":
      return [
        ["da1", r, c],
        ["fPrime", r, c],
      ];
    case "dW1":
      return [
        ...column("X", r, N),
        ...column("dz1", c, N),
        ...(l2 > 0 ? [["W1", r, c] as const] : []),
      ];
    case "db1":
      return column("dz1", c, N);
    case "W1new":
    case "b1new":
    case "W2new":
    case "b2new":
      return updateSources(name.slice(0, 2) as WalkParam, "new", r, c, s);
    default: {
      const match = /^(g|vel|mhat|vhat|m|v)(W1|b1|W2|b2)(new)?$/.exec(name);
      if (!match) return [];
      const { kind, param, after } = updateParts(name as UpdateName);
      return kind === "g" || kind === "mhat" || kind === "vhat" || after
        ? updateSources(param, kind, r, c, s)
        : []; // the rule's state before the step: an input
    }
  }
}

/**
 * The entries an entry of the update was computed from, by the rule's equations (see
 * updateSteps): θ's entry with its gradient (sgd), its velocity (momentum), m̂ and v̂ (adam); a
 * clipped gradient entry from every gradient entry (the global norm).
 */
function updateSources(
  param: WalkParam,
  kind: "new" | "g" | "vel" | "m" | "v" | "mhat" | "vhat",
  r: number,
  c: number,
  s: WalkShape,
): Cell[] {
  const u = s.update;
  const gradient: WalkName = u && u.clipNorm > 0 ? `g${param}` : `d${param}`;
  const one = (name: WalkName): Cell => [name, r, c];
  switch (kind) {
    case "g": {
      const { D, H, K } = s;
      const sizes: Record<WalkParam, [number, number]> = {
        W1: [D, H],
        b1: [1, H],
        W2: [H, K],
        b2: [1, K],
      };
      return WALK_PARAMS.flatMap((p) => {
        const [rows, cols] = sizes[p];
        return Array.from({ length: rows * cols }, (_, i): Cell => [
          `d${p}`,
          Math.floor(i / cols),
          i % cols,
        ]);
      });
    }
    case "vel":
      return [one(`vel${param}`), one(gradient)];
    case "m":
      return [one(`m${param}`), one(gradient)];
    case "v":
      return [one(`v${param}`), one(gradient)];
    case "mhat":
      return [one(`m${param}new`)];
    case "vhat":
      return [one(`v${param}new`)];
    case "new":
      switch (u?.rule ?? "sgd") {
        case "sgd":
          return [one(param), one(gradient)];
        case "momentum":
          return [one(param), one(`vel${param}new`)];
        case "nesterov":
          return [one(param), one(gradient), one(`vel${param}new`)];
        case "adam":
          return [one(param), one(`mhat${param}`), one(`vhat${param}`)];
      }
  }
}

/**
 * The rows typed in the step-through's field: whole numbers from 0 to N − 1, separated by
 * commas or spaces, 1 to MAX_WALK_ROWS of them; or what is wrong with them.
 */
export function parseRows(
  text: string,
  N: number,
): { rows: number[]; problem?: never } | { problem: string } {
  const words = text.split(/[\s,;]+/).filter((w) => w !== "");
  if (words.length === 0) return { problem: "type the numbers of 1 to 8 rows, e.g. 3, 17, 42" };
  if (words.length > MAX_WALK_ROWS)
    return { problem: `at most ${MAX_WALK_ROWS} rows, got ${words.length}` };
  const rows: number[] = [];
  for (const word of words) {
    const r = /^\d+$/.test(word) ? Number(word) : NaN;
    if (!(Number.isSafeInteger(r) && r < N))
      return { problem: `"${word}" is not a row: the data has rows 0 to ${N - 1}` };
    rows.push(r);
  }
  return { rows };
}
