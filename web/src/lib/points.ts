/**
 * Which points the decision-boundary plot draws (issue 15, part 4): all of them up to
 * POINTS_CAP, else a seeded random sample of POINTS_CAP rows stratified by class, so that each
 * class keeps its share of the file (within 1/POINTS_CAP) whatever the order of the rows. An
 * even stride would not: a file sorted or interleaved by class (labels 0, 1, 0, 1, … with a
 * stride of 20) gives a stride sample of one class only. Browser-safe; computed in the worker.
 */
import { Rng } from "../../../src/rng.js";

/** At most this many points are drawn. */
export const POINTS_CAP = 2500;
/** The sample's seed: the same data draw the same points on every load. */
export const POINT_SAMPLE_SEED = 15;

/**
 * The rows to draw, in a random order (so that no class is always drawn on top): every row
 * when there are at most `cap`, else `cap` rows, class k getting n_k of them by largest
 * remainder (n_k is cap · N_k / N rounded down, and the rows left go to the largest fractions,
 * the smaller label first on ties), each class's rows drawn uniformly without replacement.
 * Then |n_k / cap − N_k / N| < 1 / cap for every class.
 */
export function pointSample(
  labels: ArrayLike<number>,
  cap = POINTS_CAP,
  seed = POINT_SAMPLE_SEED,
): Uint32Array {
  const N = labels.length;
  const rng = new Rng(seed);
  if (N <= cap)
    return shuffled(
      Uint32Array.from({ length: N }, (_, i) => i),
      rng,
    );
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < N; i++) {
    const k = labels[i]!;
    let rows = byClass.get(k);
    if (!rows) byClass.set(k, (rows = []));
    rows.push(i);
  }
  const classes = [...byClass.keys()].sort((a, b) => a - b);
  const exact = classes.map((k) => (cap * byClass.get(k)!.length) / N); // cap · N_k / N
  const quota = exact.map(Math.floor);
  let left = cap - quota.reduce((a, b) => a + b, 0);
  const byRemainder = classes
    .map((_, c) => c)
    .sort((a, b) => exact[b]! - quota[b]! - (exact[a]! - quota[a]!) || a - b);
  for (const c of byRemainder) {
    if (left === 0) break;
    quota[c]!++;
    left--;
  }
  const chosen = new Uint32Array(cap);
  let at = 0;
  classes.forEach((k, c) => {
    const rows = byClass.get(k)!;
    const order = rng.permutation(rows.length); // the first n_k of a random order: uniform, no repeats
    for (let i = 0; i < quota[c]!; i++) chosen[at++] = rows[order[i]!]!;
  });
  return shuffled(chosen, rng);
}

/** `rows` in a uniformly random order (the generator's permutation). */
function shuffled(rows: Uint32Array, rng: Rng): Uint32Array {
  return Uint32Array.from(rng.permutation(rows.length), (i) => rows[i]!);
}
