/** Shared test fixtures: seeded random batches, and parameters as raw bits. */
import { matrix, type Matrix } from "../src/linalg/index.js";
import type { Params } from "../src/nn/index.js";
import { Rng } from "../src/rng.js";

/** An N×D batch of standard-normal features and N×1 random 0/1 labels. */
export function randomBatch(N: number, D: number, seed: number): { X: Matrix; y: Matrix } {
  const rng = new Rng(seed);
  const X = matrix(
    N,
    D,
    Float64Array.from({ length: N * D }, () => rng.normal()),
  );
  const y = matrix(
    N,
    1,
    Float64Array.from({ length: N }, () => (rng.uniform() < 0.5 ? 0 : 1)),
  );
  return { X, y };
}

/** The raw bits of W1, b1, W2, b2 as one hex string: equal exactly when every entry is. */
export function bits(p: Params): string {
  return (["W1", "b1", "W2", "b2"] as const)
    .map((k) =>
      Buffer.from(p[k].data.buffer, p[k].data.byteOffset, p[k].data.byteLength).toString("hex"),
    )
    .join();
}
