/**
 * Backprop, step by step (issue 15, part 2): the page's view of one forward and backward pass
 * on a few rows (the numbers: lib/walk.ts, computed in the worker by the library). One
 * equation per step (← / → keys, or the buttons), as docs/derivation.md writes it, with the
 * matrices it reads and computes; hovering or focusing an entry highlights it and the entries
 * it was computed from; a gradient entry can be checked by central differences. Every entry
 * shows a rounded value and carries its full float64 value in data-value (and its tooltip).
 */
import type { WalkCheckReply, WalkParams, WalkReply } from "./lib/protocol.js";
import { differenceCaveat, plural } from "./lib/words.js";
import {
  entryLabel,
  GRADIENT_OF,
  gradCommand,
  sourcesOf,
  WALK_FILES,
  walkLabel,
  walkSteps,
  type Cell,
  type WalkMatrix,
  type WalkName,
  type WalkShape,
  type WalkStep,
} from "./lib/walk.js";

/** The rows of these matrices are the batch's rows (labelled with their data row). */
const BATCH_ROWS: readonly WalkName[] = [
  "X",
  "y",
  "z1",
  "a1",
  "z2",
  "p",
  "dz2",
  "da1",
  "fPrime",
  "dz1",
];

/** A number in at most 5 significant digits (the cell's title has all of it). */
export function rounded(x: number): string {
  if (x === 0 || !Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a >= 1e-3 && a < 1e5 ? String(Number(x.toPrecision(4))) : x.toExponential(2);
}

const PHASE: Record<WalkStep["phase"], string> = {
  forward: "forward pass",
  backward: "backward pass",
  update: "the update",
};

export class BackpropWalk {
  private reply: WalkReply | undefined;
  private shape: WalkShape | undefined;
  private steps: WalkStep[] = [];
  private at = 0;
  private selected: Cell | undefined;

  constructor(
    private readonly parts: {
      readonly panel: HTMLElement;
      readonly equation: HTMLElement;
      readonly position: HTMLElement;
      readonly matrices: HTMLElement;
      readonly entry: HTMLElement;
      readonly check: HTMLButtonElement;
      readonly checkResult: HTMLElement;
      readonly rows: HTMLElement;
      /** Whether the numbers are the run's now (paused) or of a step it has moved past. */
      readonly status: HTMLElement;
      /** What the export saves, and the command that recomputes the numbers from it. */
      readonly command: HTMLElement;
      readonly prev: HTMLButtonElement;
      readonly next: HTMLButtonElement;
    },
    /** Asks the worker for the central difference of one gradient entry, at the walk's parameters. */
    private readonly askCheck: (param: "W1" | "b1" | "W2" | "b2", index: number) => void,
  ) {
    const { matrices, prev, next, check } = parts;
    prev.addEventListener("click", () => this.go(-1));
    next.addEventListener("click", () => this.go(1));
    const pick = (event: Event): void => {
      const cell = (event.target as HTMLElement).closest<HTMLElement>("td[data-name]");
      if (cell) this.select(cellOf(cell));
    };
    matrices.addEventListener("pointerover", pick);
    matrices.addEventListener("focusin", pick);
    matrices.addEventListener("keydown", (event) => this.move(event));
    // A new width (a phone turned) changes which boxes scroll.
    new ResizeObserver(() => {
      if (this.reply) this.markScrollers();
    }).observe(matrices);
    check.addEventListener("click", () => {
      const cell = this.selected;
      const param = cell && GRADIENT_OF[cell[0]];
      if (!cell || !param || !this.reply) return;
      parts.checkResult.textContent = "Differencing…";
      delete parts.checkResult.dataset["estimate"];
      this.askCheck(param, cell[1] * this.matrix(cell[0]).cols + cell[2]);
    });
  }

  /** True while a walk is shown. */
  get open(): boolean {
    return this.reply !== undefined;
  }

  /** The rows of the walk shown (data rows, from 0). */
  get rows(): readonly number[] {
    return this.reply?.rows ?? [];
  }

  /**
   * The parameters the walk shows (before its update): what "Export model and rows" saves and
   * what a check differences, so both match the numbers shown even after the run moved on.
   */
  get params(): WalkParams | undefined {
    const m = this.reply?.matrices;
    return m && { W1: m.W1, b1: m.b1, W2: m.W2, b2: m.b2 };
  }

  /**
   * Says whether the numbers shown are the run's now: while it trains (Play) they stay those of
   * the step they were computed at, marked stale (data-stale, and the status says so) until a
   * pause brings the walk up to date.
   */
  setRun(running: boolean, steps: number): void {
    const reply = this.reply;
    if (!reply) return;
    const stale = running || steps !== reply.steps;
    const { panel, status } = this.parts;
    panel.dataset["stale"] = String(stale);
    status.classList.toggle("warning", stale);
    status.textContent = running
      ? `Training is running: these are the numbers at step ${reply.steps}, which the run has moved past. ` +
        "Pause to see them at its current step; until then, “Export model and rows” and the checks use the numbers shown."
      : stale
        ? `The run is at step ${steps}: these numbers, of step ${reply.steps}, are being computed again.`
        : `Training is paused at step ${reply.steps}: these are the numbers of the run's model now.`;
  }

  /** True when the walk shown is of the next batch (after a step, the next one is walked). */
  get followsNextBatch(): boolean {
    return this.reply?.nextBatch ?? false;
  }

  /** Shows a new walk (new rows or a new model), at the step it was at. */
  show(reply: WalkReply): void {
    const m = reply.matrices;
    this.reply = reply;
    this.shape = {
      N: m.X.rows,
      D: m.X.cols,
      H: m.W1.cols,
      K: m.W2.cols,
      l2: reply.l2,
      standardized: reply.standardized,
      activation: reply.activation,
      update: reply.update,
    };
    this.steps = walkSteps(this.shape);
    this.at = Math.min(this.at, this.steps.length - 1);
    this.selected = undefined;
    this.parts.panel.hidden = false;
    const rows = reply.rows
      .map((r, n) => `n = ${n}: row ${r}${reply.test[n] ? " (a test row)" : ""}`)
      .join(", ");
    const u = reply.update;
    const which = reply.lastBatch
      ? "The last batch"
      : reply.nextBatch
        ? "The next batch"
        : reply.drawn
          ? "A batch drawn at random"
          : "The batch";
    const rule =
      u.rule === "sgd"
        ? "plain gradient descent"
        : u.rule === "adam"
          ? `adam (its update ${u.adamStep})`
          : u.rule;
    this.parts.rows.textContent =
      `${which} of ${plural(reply.rows.length, "row")} (${rows}), at the run's step ${reply.steps}; ` +
      `f = ${reply.activation}` +
      (reply.l2 > 0 ? `, λ = ${reply.l2}` : "") +
      ". " +
      (reply.standardized
        ? "X is standardised, (x − mean)/std with the training rows' mean and std (as the network sees it; the exported rows are raw, and the model file holds the mean and std). "
        : "") +
      `The update is the one the run's trainer takes next (its step ${u.step}): ${rule} with η = ${u.learningRate}` +
      (u.clipNorm > 0 ? `, the gradient clipped to norm ${u.clipNorm}` : "") +
      (u.rule === "sgd" ? "" : ", from the optimizer's state now") +
      "." +
      (reply.nextBatch
        ? " These are the rows Step trains on next: after Step, the parameters are the walk's “after the step”."
        : "") +
      (reply.complete
        ? " (The run is complete: no step follows; this is what one more would do.)"
        : "");
    const code = document.createElement("code");
    code.textContent = gradCommand(reply.l2);
    this.parts.command.replaceChildren(
      `“Export model and rows” saves the model shown (${WALK_FILES.model}) and these rows as Export data writes them (${WALK_FILES.rows}); then `,
      code,
      " prints this loss and these gradients, by the library's forward and backward that computed every number here.",
    );
    this.setRun(false, reply.steps);
    this.render();
  }

  /** Closes the walk (a new data set or network). */
  close(): void {
    this.reply = undefined;
    this.parts.panel.hidden = true;
  }

  /** The next (+1) or previous (−1) step. */
  go(delta: number): void {
    if (!this.reply) return;
    const at = Math.max(0, Math.min(this.steps.length - 1, this.at + delta));
    if (at === this.at) return;
    this.at = at;
    this.selected = undefined;
    this.render();
  }

  /** The walk's matrix `name` (every step's matrices are in the reply its steps come from). */
  private matrix(name: WalkName): WalkMatrix {
    const m = this.reply?.matrices[name];
    if (!m) throw new Error(`the step-through has no matrix ${name}`);
    return m;
  }

  /** The step shown, from 0. */
  get stepIndex(): number {
    return this.at;
  }

  /** The central difference of the selected entry, when it is the one asked about. */
  showCheck(r: WalkCheckReply): void {
    const cell = this.selected;
    const reply = this.reply;
    if (!cell || !reply || GRADIENT_OF[cell[0]] !== r.param) return;
    const m = this.matrix(cell[0]);
    if (cell[1] * m.cols + cell[2] !== r.index || r.rows.join() !== reply.rows.join()) return;
    const g = m.data[r.index]!;
    const out = this.parts.checkResult;
    out.dataset["estimate"] = String(r.estimate);
    out.dataset["gradient"] = String(g);
    const caveat = differenceCaveat(
      r,
      entryLabel(cell, this.shape!),
      this.matrix(GRADIENT_OF[cell[0]]!).data[r.index]!,
    );
    if (caveat !== undefined) {
      out.textContent = `${caveat}.`;
      return;
    }
    const gap = Math.abs(g - r.estimate) / (Math.abs(g) + Math.abs(r.estimate) || 1);
    const L = reply.l2 > 0 ? "L_λ" : "L";
    out.textContent =
      `Central difference (${L}(θ + ε) − ${L}(θ − ε)) / 2ε with ε = ${r.eps}: ${r.estimate.toPrecision(10)}; ` +
      `backprop: ${g.toPrecision(10)}; relative gap ${gap.toExponential(1)}.`;
  }

  private render(): void {
    const reply = this.reply;
    const shape = this.shape;
    if (!reply || !shape) return;
    const step = this.steps[this.at]!;
    const { equation, position, matrices, prev, next, entry, check, checkResult } = this.parts;
    position.textContent = `Step ${this.at + 1} of ${this.steps.length}: ${PHASE[step.phase]}`;
    prev.disabled = this.at === 0;
    next.disabled = this.at === this.steps.length - 1;
    equation.dataset["step"] = String(this.at);
    equation.dataset["phase"] = step.phase;
    const formula = formulaLine(step.equation, "formula");
    const perEntry = formulaLine(step.entry, "formula entry");
    const says = document.createElement("p");
    says.textContent = `Step ${this.at + 1} of ${this.steps.length} (${PHASE[step.phase]}): ${step.says}.`;
    equation.replaceChildren(says, formula, perEntry);
    const figures: HTMLElement[] = [];
    for (const name of step.reads) figures.push(this.table(name, false));
    const arrow = document.createElement("div");
    arrow.className = "walk-arrow";
    arrow.setAttribute("aria-hidden", "true");
    arrow.textContent = "→";
    figures.push(arrow);
    for (const name of step.computes) figures.push(this.table(name, true));
    matrices.replaceChildren(...figures);
    this.markScrollers();
    entry.textContent =
      "Hover or focus an entry (Tab into a matrix, then the arrow keys) to see what it was computed from.";
    check.hidden = true;
    checkResult.textContent = "";
  }

  /**
   * A matrix or formula wider than its box scrolls inside it (the page never scrolls sideways):
   * such a box is a Tab stop, so the keyboard can scroll it too (its entries are reachable with
   * the arrow keys as well).
   */
  private markScrollers(): void {
    const { matrices, equation } = this.parts;
    for (const box of [
      ...matrices.querySelectorAll<HTMLElement>("figure.matrix"),
      ...equation.querySelectorAll<HTMLElement>("pre"),
    ]) {
      const scrolls = box.scrollWidth > box.clientWidth;
      if (scrolls) box.tabIndex = 0;
      else box.removeAttribute("tabindex");
      box.dataset["scrolls"] = String(scrolls);
    }
  }

  /** One matrix as a table: caption with its name and shape, each entry rounded. */
  private table(name: WalkName, computed: boolean): HTMLElement {
    const reply = this.reply!;
    const m = this.matrix(name);
    const figure = document.createElement("figure");
    figure.className = computed ? "matrix computed" : "matrix";
    const caption = document.createElement("figcaption");
    const label = walkLabel(name, this.shape!);
    caption.textContent = `${label}  ${m.rows}×${m.cols}`;
    const table = document.createElement("table");
    table.dataset["name"] = name;
    table.setAttribute("aria-label", `${label}, ${m.rows} by ${m.cols}`);
    const head = table.createTHead().insertRow();
    head.append(document.createElement("th"));
    for (let c = 0; c < m.cols; c++) {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = String(c);
      head.append(th);
    }
    const body = table.createTBody();
    for (let r = 0; r < m.rows; r++) {
      const tr = body.insertRow();
      const th = document.createElement("th");
      th.scope = "row";
      th.textContent = String(r);
      if (BATCH_ROWS.includes(name)) th.title = `data row ${reply.rows[r]}`;
      tr.append(th);
      for (let c = 0; c < m.cols; c++) {
        const value = m.data[r * m.cols + c]!;
        const td = tr.insertCell();
        td.textContent = rounded(value);
        td.dataset["name"] = name;
        td.dataset["r"] = String(r);
        td.dataset["c"] = String(c);
        td.dataset["value"] = String(value);
        td.title = `${entryLabel([name, r, c], this.shape!)} = ${value}`;
        td.tabIndex = r === 0 && c === 0 ? 0 : -1;
      }
    }
    figure.append(caption, table);
    return figure;
  }

  /** Marks `cell` and its sources, and says what it is and what it came from. */
  private select(cell: Cell): void {
    const reply = this.reply;
    const shape = this.shape;
    if (!reply || !shape) return;
    const same = this.selected?.join() === cell.join();
    this.selected = cell;
    const { matrices, entry, check, checkResult } = this.parts;
    for (const e of matrices.querySelectorAll(".current, .source"))
      e.classList.remove("current", "source");
    const td = (c: Cell): HTMLElement | null =>
      matrices.querySelector(`td[data-name="${c[0]}"][data-r="${c[1]}"][data-c="${c[2]}"]`);
    td(cell)?.classList.add("current");
    const sources = sourcesOf(cell[0], cell[1], cell[2], shape);
    for (const s of sources) td(s)?.classList.add("source");
    const shown = this.matrix(cell[0]);
    const value = shown.data[cell[1] * shown.cols + cell[2]]!;
    const name = entryLabel(cell, shape);
    entry.dataset["value"] = String(value);
    entry.textContent =
      `${name} = ${value}${this.penaltyPart(cell, value)}` +
      (sources.length === 0
        ? " (an input of this step)."
        : `, computed from ${describe(sources, shape)}.`);
    const gradient = GRADIENT_OF[cell[0]];
    check.hidden = gradient === undefined;
    if (gradient) check.textContent = `Check ${name} by central differences`;
    if (!same) {
      checkResult.textContent = "";
      delete checkResult.dataset["estimate"];
    }
  }

  /**
   * With λ > 0, how much of L_λ or of a weight's gradient the penalty makes: " = 0.6826 from
   * the rows + 0.02581 from the penalty (λ/2)(‖W1‖² + ‖W2‖²)", " = … + 0.000734 from the penalty
   * (λ W2[3][0] = 0.01 × 0.0734)"; else "".
   */
  private penaltyPart(cell: Cell, value: number): string {
    const l2 = this.shape?.l2 ?? 0;
    const [name, r, c] = cell;
    if (!(l2 > 0) || (name !== "L" && name !== "dW1" && name !== "dW2")) return "";
    const rest = (penalty: number, what: string): string =>
      ` = ${rounded(value - penalty)} from the rows ${penalty < 0 ? "−" : "+"} ${rounded(Math.abs(penalty))} from the penalty ${what}`;
    if (name === "L") {
      let squares = 0;
      for (const W of ["W1", "W2"] as const) for (const w of this.matrix(W).data) squares += w * w;
      return rest((l2 / 2) * squares, "(λ/2)(‖W1‖² + ‖W2‖²)");
    }
    const W = name === "dW1" ? "W1" : "W2";
    const m = this.matrix(W);
    const w = m.data[r * m.cols + c]!;
    return rest(l2 * w, `(λ ${W}[${r}][${c}] = ${l2} × ${rounded(w)})`);
  }

  /** Arrow keys move between the entries of a matrix. */
  private move(event: KeyboardEvent): void {
    const from = (event.target as HTMLElement).closest<HTMLElement>("td[data-name]");
    if (!from) return;
    const [dr, dc] =
      (
        {
          ArrowUp: [-1, 0],
          ArrowDown: [1, 0],
          ArrowLeft: [0, -1],
          ArrowRight: [0, 1],
        } as Record<string, [number, number]>
      )[event.key] ?? [];
    if (dr === undefined || dc === undefined) return;
    event.preventDefault();
    event.stopPropagation();
    const [name, r, c] = cellOf(from);
    const to = this.parts.matrices.querySelector<HTMLElement>(
      `td[data-name="${name}"][data-r="${r + dr}"][data-c="${c + dc}"]`,
    );
    if (!to) return;
    from.tabIndex = -1;
    to.tabIndex = 0;
    to.focus();
  }
}

/**
 * An equation as a <pre>: its parts (the formula, then its shapes and notes, written two or
 * more spaces apart) each in a span, which on a phone stands on a line of its own (style.css)
 * instead of running off the box's right edge; the text is the same either way.
 */
function formulaLine(text: string, className: string): HTMLPreElement {
  const pre = document.createElement("pre");
  pre.className = className;
  for (const [i, part] of text.split(/(\s{2,})(?![\s→])/).entries()) {
    const span = document.createElement("span");
    span.className = i === 0 ? "lead" : i % 2 === 1 ? "gap" : "part";
    span.textContent = part;
    pre.append(span);
  }
  return pre;
}

function cellOf(td: HTMLElement): Cell {
  return [td.dataset["name"] as WalkName, Number(td.dataset["r"]), Number(td.dataset["c"])];
}

/** The sources in words: each entry up to 8, else the count per matrix (a single one by name). */
function describe(sources: readonly Cell[], shape: WalkShape): string {
  if (sources.length <= 8) return sources.map((cell) => entryLabel(cell, shape)).join(", ");
  const of = new Map<WalkName, Cell[]>();
  for (const cell of sources) of.set(cell[0], [...(of.get(cell[0]) ?? []), cell]);
  return [...of]
    .map(([n, cells]) =>
      cells.length === 1
        ? entryLabel(cells[0]!, shape)
        : `${plural(cells.length, "entry", "entries")} of ${walkLabel(n, shape)}`,
    )
    .join(", ");
}
