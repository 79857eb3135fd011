/**
 * Words for the page's sentences (DOM-free): a count with its noun in the right number; the
 * names the network diagram gives a parameter's entries (which the worker's messages use too);
 * why a central difference is not shown (the step-through's check and the diagram's edge say
 * it alike).
 */

/** "1 entry", "4 entries", "1 feature", "2 features": `count` and the noun for it. */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nouns}`;
}

/**
 * Why there is no central difference of θ (symbol "w", "b" or an entry's name) at `value`, or
 * undefined when there is one: θ ± ε crosses the activation's kink (the gradient check counts
 * such an entry as a kink), or ε is below the spacing of float64 numbers at θ.
 */
export function differenceCaveat(
  r: { readonly kink: boolean; readonly unresolved: boolean; readonly eps: number },
  symbol: string,
  value: number,
): string | undefined {
  if (r.kink)
    return (
      `${symbol} ± ε crosses the activation's kink at 0 (a hidden unit's z1 changes side on some row): ` +
      "the difference quotient is not a derivative here, so no central difference is shown (the gradient check counts it as a kink)"
    );
  if (r.unresolved)
    return (
      `ε = ${r.eps} is below the spacing of float64 numbers at ${symbol} = ${value} (${symbol} ± ε rounds to ${symbol}): ` +
      "central differences cannot estimate the derivative here"
    );
  return undefined;
}

/** The names the diagram gives a weight: `x1 → h3`, `h3 → p` (or `h3 → class 2`). */
export function edgeName(param: "W1" | "W2", index: number, p: { H: number; K: number }): string {
  if (param === "W1") return `x${Math.floor(index / p.H) + 1} → h${(index % p.H) + 1}`;
  const [j, k] = [Math.floor(index / p.K), index % p.K];
  return `h${j + 1} → ${p.K === 1 ? "p" : `class ${k}`}`;
}

/** An entry of W1, b1, W2 or b2 by the diagram's names: "W2 h1 → p", "b1 of h3", "b2 of class 2". */
export function entryName(
  param: "W1" | "b1" | "W2" | "b2",
  index: number,
  p: { H: number; K: number },
): string {
  if (param === "W1" || param === "W2") return `${param} ${edgeName(param, index, p)}`;
  if (param === "b1") return `b1 of h${index + 1}`;
  return `b2 of ${p.K === 1 ? "p" : `class ${index}`}`;
}
