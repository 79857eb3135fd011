import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ShapeError } from "../../src/errors.js";
import {
  addRow,
  colSums,
  fromRows,
  gatherRows,
  hadamard,
  matmul,
  matmulTransA,
  matmulTransB,
  matrix,
  norm,
  sumAll,
  toRows,
  type Matrix,
} from "../../src/linalg/index.js";

/** Textbook triple loop on nested arrays: the independent oracle for the kernels. */
function naiveProduct(A: number[][], B: number[][]): number[][] {
  return A.map((row) =>
    (B[0] ?? []).map((_, j) => row.reduce((s, a, p) => s + a * (B[p]?.[j] ?? NaN), 0)),
  );
}

function transpose(A: number[][]): number[][] {
  return (A[0] ?? []).map((_, j) => A.map((row) => row[j] as number));
}

/** Small integer entries: products and sums are exact in float64, so results compare with toEqual. */
const smallInt = fc.integer({ min: -50, max: 50 });
const dims = fc.record({
  m: fc.integer({ min: 1, max: 6 }),
  k: fc.integer({ min: 1, max: 6 }),
  n: fc.integer({ min: 1, max: 6 }),
});
const grid = (rows: number, cols: number) =>
  fc.array(fc.array(smallInt, { minLength: cols, maxLength: cols }), {
    minLength: rows,
    maxLength: rows,
  });

const pair = dims.chain(({ m, k, n }) => fc.tuple(grid(m, k), grid(k, n)));

describe("matrix products", () => {
  it("matmul equals the textbook triple loop", () => {
    fc.assert(
      fc.property(pair, ([A, B]) => {
        expect(toRows(matmul(fromRows(A), fromRows(B)))).toEqual(naiveProduct(A, B));
      }),
      { seed: 1 },
    );
  });

  it("matmulTransA(A, B) equals Aᵀ B", () => {
    fc.assert(
      fc.property(pair, ([At, B]) => {
        const A = transpose(At); // k×m stored, so Aᵀ is m×k
        expect(toRows(matmulTransA(fromRows(A), fromRows(B)))).toEqual(naiveProduct(At, B));
      }),
      { seed: 2 },
    );
  });

  it("matmulTransB(A, B) equals A Bᵀ", () => {
    fc.assert(
      fc.property(pair, ([A, Bt]) => {
        const B = transpose(Bt);
        expect(toRows(matmulTransB(fromRows(A), fromRows(B)))).toEqual(naiveProduct(A, Bt));
      }),
      { seed: 3 },
    );
  });

  it("a shape mismatch names both shapes", () => {
    const A = matrix(2, 3);
    const B = matrix(4, 5);
    expect(() => matmul(A, B)).toThrow(ShapeError);
    expect(() => matmul(A, B)).toThrow(/2×3.*4×5/);
    expect(() => matmulTransA(A, B)).toThrow(/2×3.*4×5/);
    expect(() => matmulTransB(A, B)).toThrow(/2×3.*4×5/);
    expect(() => hadamard(A, B)).toThrow(/2×3 and 4×5/);
  });
});

describe("bias broadcast and column sums", () => {
  it("addRow adds the row vector to every row", () => {
    const A = fromRows([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const b = fromRows([[10, 20, 30]]);
    expect(toRows(addRow(A, b))).toEqual([
      [11, 22, 33],
      [14, 25, 36],
    ]);
  });

  it("addRow refuses a bias of the wrong width or a column vector", () => {
    expect(() => addRow(matrix(4, 3), matrix(1, 2))).toThrow(/4×3.*1×2/);
    expect(() => addRow(matrix(4, 3), matrix(3, 1))).toThrow(/4×3.*3×1/);
  });

  it("colSums is 1ᵀ A and is the adjoint of the broadcast: ⟨A, 1 b⟩ = ⟨1ᵀ A, b⟩", () => {
    fc.assert(
      fc.property(
        dims.chain(({ m, n }) => fc.tuple(grid(m, n), grid(1, n))),
        ([A, b]) => {
          const sums = colSums(fromRows(A));
          const ones = fromRows(A.map(() => [1]));
          expect(toRows(sums)).toEqual(toRows(matmulTransA(ones, fromRows(A))));
          const broadcast = addRow(matrix(A.length, (b[0] ?? []).length), fromRows(b));
          const lhs = sumAll(hadamard(fromRows(A), broadcast));
          const rhs = sumAll(hadamard(sums, fromRows(b)));
          expect(lhs).toBe(rhs);
        },
      ),
      { seed: 4 },
    );
  });
});

describe("helpers", () => {
  it("gatherRows picks rows in the given order and rejects bad indices", () => {
    const A = fromRows([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(toRows(gatherRows(A, [2, 0, 2]))).toEqual([
      [5, 6],
      [1, 2],
      [5, 6],
    ]);
    expect(() => gatherRows(A, [3])).toThrow(ShapeError);
  });

  it("sumAll is compensated: 1 + 1e100 + 1 − 1e100 sums to 2 (plain summation gives 0)", () => {
    const A: Matrix = fromRows([[1, 1e100, 1, -1e100]]);
    expect(sumAll(A)).toBe(2);
  });

  it("norm neither overflows nor underflows", () => {
    expect(norm(fromRows([[3e200, 4e200]]))).toBeCloseTo(5e200, -190);
    expect(norm(fromRows([[3e-200, 4e-200]]))).toBeCloseTo(5e-200, 210);
    expect(norm(matrix(2, 2))).toBe(0);
  });
});
