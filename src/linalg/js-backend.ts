/**
 * The TypeScript Backend: cache-blocked, register-tiled matrix products that keep the
 * summation-order contract of backend.ts, so every result is bit-identical to kernels.ts.
 *
 * All three products are one computation, C (m×n) = Σ_p A(i, p) B(p, j), with A and B read
 * through strides (A(i, p) = A[i·aRow + p·aCol], B(p, j) = B[p·bRow + j·bCol]):
 *
 *   gemm        A m×k, B k×n:   A(i, p) = A[i·k + p],  B(p, j) = B[p·n + j]
 *   gemmTransA  A k×m, B k×n:   A(i, p) = A[p·m + i],  B(p, j) = B[p·n + j]
 *   gemmTransB  A m×k, B n×k:   A(i, p) = A[i·k + p],  B(p, j) = B[j·k + p]
 *
 * Blocking (the usual three levels): for each block of KC values of p, in ascending order,
 * B's KC×NC block is packed into panels of NR columns and A's MC×KC block into panels of MR
 * rows, each p-major and contiguous; an MR×NR micro-kernel then adds the block's terms to
 * MR·NR accumulators held in locals, starting from 0 for the first block and from C for the
 * next ones. Each entry therefore still sums p = 0, 1, …, k−1 in order in one accumulator:
 * (…((0 + a₀b₀) + a₁b₁) + …) + a_{k−1}b_{k−1}. JavaScript never fuses a·b + c (every
 * operation rounds), so the products are bit-identical to the plain kernels.
 *
 * Shapes the network uses with a width of 1 get loops of their own: z2 = a1 W2 with K = 1
 * (n = 1, a dot product per row) and dW2 = a1ᵀ δ2 (n = 1), and δ2 W2ᵀ (k = 1, an outer
 * product). Products too small to amortise packing use plain loops in the same order.
 *
 * Every index is in bounds by its loop's limits, so a read is written `A[i]!`: the `!` tells
 * noUncheckedIndexedAccess so and is erased from the emitted JavaScript (no check, no cost).
 */
import type { Backend } from "./backend.js";

/** Micro-tile: MR rows × NR columns of C in locals. */
const MR = 4;
const NR = 4;
/** Cache blocks: KC values of p (an MR×KC panel of A stays in L1), MC rows, NC columns (a KC×NC block of B in L2). */
const KC = 128;
const MC = 64;
const NC = 256;
/** Below this many multiply-adds (m·n·k) the plain loops win over packing. */
const SMALL = 4096;

export class JsBackend implements Backend {
  readonly name: string = "js";
  /** Packing buffers, reused by every product (MC×KC of A and KC×NC of B, padded to whole panels). */
  private readonly packedA = new Float64Array(MC * KC);
  private readonly packedB = new Float64Array(KC * (NC + NR));
  /** An MR×NR tile for the edges of C. */
  private readonly edge = new Float64Array(MR * NR);

  alloc(length: number): Float64Array {
    return new Float64Array(length);
  }

  reset(): void {
    // The buffers are ordinary garbage-collected arrays: nothing to release.
  }

  gemm(m: number, k: number, n: number, A: Float64Array, B: Float64Array, C: Float64Array): void {
    if (n === 1) return rowDots(m, k, A, B, C);
    if (m * n * k < SMALL) return plainProduct(m, k, n, A, k, 1, B, n, 1, C);
    this.blocked(m, k, n, A, k, 1, B, n, 1, C);
  }

  gemmTransA(
    m: number,
    k: number,
    n: number,
    A: Float64Array,
    B: Float64Array,
    C: Float64Array,
  ): void {
    if (n === 1) return transposedRowDots(m, k, A, B, C);
    if (m * n * k < SMALL) return plainProduct(m, k, n, A, 1, m, B, n, 1, C);
    this.blocked(m, k, n, A, 1, m, B, n, 1, C);
  }

  gemmTransB(
    m: number,
    k: number,
    n: number,
    A: Float64Array,
    B: Float64Array,
    C: Float64Array,
  ): void {
    if (k === 1) return outerProduct(m, n, A, B, C);
    if (m * n * k < SMALL) return plainProduct(m, k, n, A, k, 1, B, 1, k, C);
    this.blocked(m, k, n, A, k, 1, B, 1, k, C);
  }

  /** C (m×n) = Σ_p A(i, p) B(p, j) through strides, blocked and packed (see the module comment). */
  private blocked(
    m: number,
    k: number,
    n: number,
    A: Float64Array,
    aRow: number,
    aCol: number,
    B: Float64Array,
    bRow: number,
    bCol: number,
    C: Float64Array,
  ): void {
    const packedA = this.packedA;
    const packedB = this.packedB;
    for (let jc = 0; jc < n; jc += NC) {
      const nb = Math.min(NC, n - jc);
      for (let pc = 0; pc < k; pc += KC) {
        const kb = Math.min(KC, k - pc);
        const first = pc === 0; // the accumulators start from 0, else from C
        packPanels(B, bCol, bRow, jc, nb, pc, kb, NR, packedB); // B(p, j) as panels over j
        for (let ic = 0; ic < m; ic += MC) {
          const mb = Math.min(MC, m - ic);
          packPanels(A, aRow, aCol, ic, mb, pc, kb, MR, packedA); // A(i, p) as panels over i
          for (let ir = 0; ir < mb; ir += MR) {
            const rows = Math.min(MR, mb - ir);
            const aOffset = ir * kb; // panel ir/MR starts at (ir/MR)·MR·kb
            for (let jr = 0; jr < nb; jr += NR) {
              const cols = Math.min(NR, nb - jr);
              const bOffset = jr * kb;
              const cOffset = (ic + ir) * n + jc + jr;
              if (rows === MR && cols === NR) {
                microKernel(kb, packedA, aOffset, packedB, bOffset, C, cOffset, n, first);
              } else {
                this.edgeTile(kb, aOffset, bOffset, C, cOffset, n, rows, cols, first);
              }
            }
          }
        }
      }
    }
  }

  /** A partial tile (rows < MR or cols < NR): the micro-kernel on a copy, then the valid entries back. */
  private edgeTile(
    kb: number,
    aOffset: number,
    bOffset: number,
    C: Float64Array,
    cOffset: number,
    ldc: number,
    rows: number,
    cols: number,
    first: boolean,
  ): void {
    const edge = this.edge;
    if (!first) {
      for (let r = 0; r < rows; r++)
        for (let c = 0; c < cols; c++) edge[r * NR + c] = C[cOffset + r * ldc + c]!;
    }
    microKernel(kb, this.packedA, aOffset, this.packedB, bOffset, edge, 0, NR, first);
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < cols; c++) C[cOffset + r * ldc + c] = edge[r * NR + c]!;
  }
}

/**
 * Packs M(x, p) = M[x·along + p·across] for x in x0..x0+count−1, p in p0..p0+kb−1 into
 * panels of `width` values of x: panel q holds M(x0 + q·width + r, p0 + p) at
 * q·width·kb + p·width + r, zero-padded past `count`.
 */
function packPanels(
  M: Float64Array,
  along: number,
  across: number,
  x0: number,
  count: number,
  p0: number,
  kb: number,
  width: number,
  out: Float64Array,
): void {
  for (let q = 0; q < count; q += width) {
    const base = q * kb;
    const valid = Math.min(width, count - q);
    for (let r = 0; r < width; r++) {
      if (r >= valid) {
        for (let p = 0; p < kb; p++) out[base + p * width + r] = 0;
        continue;
      }
      let source = (x0 + q + r) * along + p0 * across;
      for (let p = 0; p < kb; p++, source += across) {
        out[base + p * width + r] = M[source]!;
      }
    }
  }
}

/**
 * The 4×4 micro-kernel: C[cOffset + r·ldc + c] (+)= Σ_{p<kb} a[p·4 + r] b[p·4 + c] over
 * packed panels, p ascending, each entry in its own accumulator.
 */
function microKernel(
  kb: number,
  a: Float64Array,
  aOffset: number,
  b: Float64Array,
  bOffset: number,
  C: Float64Array,
  cOffset: number,
  ldc: number,
  first: boolean,
): void {
  let c00 = 0,
    c01 = 0,
    c02 = 0,
    c03 = 0;
  let c10 = 0,
    c11 = 0,
    c12 = 0,
    c13 = 0;
  let c20 = 0,
    c21 = 0,
    c22 = 0,
    c23 = 0;
  let c30 = 0,
    c31 = 0,
    c32 = 0,
    c33 = 0;
  const r0 = cOffset;
  const r1 = r0 + ldc;
  const r2 = r1 + ldc;
  const r3 = r2 + ldc;
  if (!first) {
    c00 = C[r0]!;
    c01 = C[r0 + 1]!;
    c02 = C[r0 + 2]!;
    c03 = C[r0 + 3]!;
    c10 = C[r1]!;
    c11 = C[r1 + 1]!;
    c12 = C[r1 + 2]!;
    c13 = C[r1 + 3]!;
    c20 = C[r2]!;
    c21 = C[r2 + 1]!;
    c22 = C[r2 + 2]!;
    c23 = C[r2 + 3]!;
    c30 = C[r3]!;
    c31 = C[r3 + 1]!;
    c32 = C[r3 + 2]!;
    c33 = C[r3 + 3]!;
  }
  let ai = aOffset;
  let bi = bOffset;
  for (let p = 0; p < kb; p++, ai += 4, bi += 4) {
    const a0 = a[ai]!,
      a1 = a[ai + 1]!,
      a2 = a[ai + 2]!,
      a3 = a[ai + 3]!;
    const b0 = b[bi]!,
      b1 = b[bi + 1]!,
      b2 = b[bi + 2]!,
      b3 = b[bi + 3]!;
    c00 += a0 * b0;
    c01 += a0 * b1;
    c02 += a0 * b2;
    c03 += a0 * b3;
    c10 += a1 * b0;
    c11 += a1 * b1;
    c12 += a1 * b2;
    c13 += a1 * b3;
    c20 += a2 * b0;
    c21 += a2 * b1;
    c22 += a2 * b2;
    c23 += a2 * b3;
    c30 += a3 * b0;
    c31 += a3 * b1;
    c32 += a3 * b2;
    c33 += a3 * b3;
  }
  C[r0] = c00;
  C[r0 + 1] = c01;
  C[r0 + 2] = c02;
  C[r0 + 3] = c03;
  C[r1] = c10;
  C[r1 + 1] = c11;
  C[r1 + 2] = c12;
  C[r1 + 3] = c13;
  C[r2] = c20;
  C[r2 + 1] = c21;
  C[r2 + 2] = c22;
  C[r2 + 3] = c23;
  C[r3] = c30;
  C[r3 + 1] = c31;
  C[r3 + 2] = c32;
  C[r3 + 3] = c33;
}

/** C (m×n) = Σ_p A(i, p) B(p, j) in plain loops, p ascending per entry (small products). */
function plainProduct(
  m: number,
  k: number,
  n: number,
  A: Float64Array,
  aRow: number,
  aCol: number,
  B: Float64Array,
  bRow: number,
  bCol: number,
  C: Float64Array,
): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      let ai = i * aRow;
      let bi = j * bCol;
      for (let p = 0; p < k; p++, ai += aCol, bi += bRow) s += A[ai]! * B[bi]!;
      C[i * n + j] = s;
    }
  }
}

/** c (m×1) = A b, A m×k, b k×1: a dot product per row (z2 = a1 W2 with K = 1), four rows at a time. */
function rowDots(m: number, k: number, A: Float64Array, b: Float64Array, c: Float64Array): void {
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    let s0 = 0,
      s1 = 0,
      s2 = 0,
      s3 = 0;
    const r0 = i * k;
    const r1 = r0 + k;
    const r2 = r1 + k;
    const r3 = r2 + k;
    for (let p = 0; p < k; p++) {
      const bp = b[p]!;
      s0 += A[r0 + p]! * bp;
      s1 += A[r1 + p]! * bp;
      s2 += A[r2 + p]! * bp;
      s3 += A[r3 + p]! * bp;
    }
    c[i] = s0;
    c[i + 1] = s1;
    c[i + 2] = s2;
    c[i + 3] = s3;
  }
  for (; i < m; i++) {
    let s = 0;
    const r = i * k;
    for (let p = 0; p < k; p++) s += A[r + p]! * b[p]!;
    c[i] = s;
  }
}

/**
 * c (m×1) = Aᵀ b, A k×m, b k×1 (dW2 = a1ᵀ δ2 with K = 1): rows of A streamed in order, four
 * values of p per pass over c so that each c_i is loaded and stored once per four terms.
 */
function transposedRowDots(
  m: number,
  k: number,
  A: Float64Array,
  b: Float64Array,
  c: Float64Array,
): void {
  c.fill(0, 0, m);
  let p = 0;
  for (; p + 4 <= k; p += 4) {
    const b0 = b[p]!,
      b1 = b[p + 1]!,
      b2 = b[p + 2]!,
      b3 = b[p + 3]!;
    const r0 = p * m;
    const r1 = r0 + m;
    const r2 = r1 + m;
    const r3 = r2 + m;
    for (let i = 0; i < m; i++) {
      let s = c[i]!;
      s += A[r0 + i]! * b0;
      s += A[r1 + i]! * b1;
      s += A[r2 + i]! * b2;
      s += A[r3 + i]! * b3;
      c[i] = s;
    }
  }
  for (; p < k; p++) {
    const bp = b[p]!;
    const r = p * m;
    for (let i = 0; i < m; i++) c[i]! += A[r + i]! * bp;
  }
}

/** C (m×n) = a bᵀ with a m×1, b n×1 (δ2 W2ᵀ with K = 1): c_ij = 0 + a_i b_j (0 + turns −0 into +0, as the sum does). */
function outerProduct(
  m: number,
  n: number,
  a: Float64Array,
  b: Float64Array,
  C: Float64Array,
): void {
  for (let i = 0; i < m; i++) {
    const ai = a[i]!;
    const row = i * n;
    for (let j = 0; j < n; j++) C[row + j] = 0 + ai * b[j]!;
  }
}

/** The shared TypeScript backend. */
export const jsBackend: Backend = new JsBackend();
