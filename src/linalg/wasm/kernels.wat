;; Matrix products on float64 with WebAssembly SIMD128 (f64x2), written by hand.
;; Assembled by `npm run build:wasm` (scripts/build-wasm.mjs, the npm package wabt) into
;; kernels.generated.ts; test/linalg/wasm-generated.test.ts checks that file is current.
;;
;; Exports (all sizes are element counts, all pointers byte offsets into the imported memory,
;; every matrix row-major and dense):
;;   gemm   (m k n a b c)  C (m×n) = A B,  A m×k, B k×n
;;   gemm_ta(m k n a b c)  C (m×n) = Aᵀ B, A k×m, B k×n
;;   gemm_tb(m k n a b c)  C (m×n) = A Bᵀ, A m×k, B n×k
;;   gemm_ta_ld(m k n a b c lda)  gemm_ta on a k×m block of a k×lda matrix A (see the end)
;; C is overwritten and must not overlap A or B; k ≥ 1 (the caller zeroes C when k = 0).
;;
;; Summation order (the contract of src/linalg/backend.ts): every entry
;;   c_ij = (((0 + a_i0·b_0j) + a_i1·b_1j) + …) + a_i,k−1·b_k−1,j
;; with one accumulator starting at +0, p ascending, a multiply then an add (SIMD128 has no
;; fused multiply-add). The SIMD kernels only put two *different* entries c_ij, c_i,j+1 in the
;; two lanes of one f64x2, so each lane follows that order exactly and the results are
;; bit-identical to the plain loops in src/linalg/kernels.ts.
;;
;; Structure: one driver walks C in tiles. Element (p, j) of the right factor B sits at
;; b + p·bps + j·bjs and element (i, p) of the left factor A at a + i·ars + p·aps, which covers
;; all three products (strides in bytes):
;;   gemm:    ars = 8k, aps = 8,  bps = 8n, bjs = 8
;;   gemm_ta: ars = 8,  aps = 8m, bps = 8n, bjs = 8
;;   gemm_tb: ars = 8k, aps = 8,  bps = 8,  bjs = 8k
;; Tiles are 4 rows × 4 columns of C held in 8 f64x2 accumulators; rows left over (m mod 4)
;; use a 1×4 tile, columns left over (n mod 4) a scalar 4×1 or 1×1 tile. When bjs = 8 the four
;; B values of a row are one 32-byte load; for gemm_tb (bjs ≠ 8) they are gathered lane by lane.
;; Cache blocking: p runs in blocks of KC = 256; a block after the first reloads the partial
;; sums from C (an exact f64 store and load), so the order above is unchanged. Inside a block
;; the driver sweeps column panels (4 columns × KC rows of B, ≤ 16 KiB of cache lines, stays in
;; L1) and, for each, every row tile (the m × KC block of A stays in L2).
(module
  (import "env" "memory" (memory 1))

  ;; ---- 4×4 tile, B row contiguous (bjs = 8) -------------------------------------------------
  ;; C[0..4][0..4] (+)= Σ_{p<kb} A[·][p] B[p][·]; a → A(0, p0), b → B(p0, 0), c → C(0, 0).
  ;; load = 0: accumulators start at +0; load = 1: they start at the partial sums in C.
  (func $tile4x4 (param $a i32) (param $ars i32) (param $aps i32)
                 (param $b i32) (param $bps i32)
                 (param $c i32) (param $ldc i32) (param $kb i32) (param $load i32)
    (local $a1 i32) (local $a2 i32) (local $a3 i32) (local $bend i32) (local $cr i32)
    (local $b0 v128) (local $b1 v128) (local $x v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $a1 (i32.add (local.get $a) (local.get $ars)))
    (local.set $a2 (i32.add (local.get $a1) (local.get $ars)))
    (local.set $a3 (i32.add (local.get $a2) (local.get $ars)))
    ;; The loop ends when b reaches B(p0 + kb, 0): no separate counter to keep in a register.
    (local.set $bend (i32.add (local.get $b) (i32.mul (local.get $kb) (local.get $bps))))
    (if (local.get $load)
      (then
        (local.set $cr (local.get $c))
        (local.set $c00 (v128.load (local.get $cr)))
        (local.set $c01 (v128.load offset=16 (local.get $cr)))
        (local.set $cr (i32.add (local.get $cr) (local.get $ldc)))
        (local.set $c10 (v128.load (local.get $cr)))
        (local.set $c11 (v128.load offset=16 (local.get $cr)))
        (local.set $cr (i32.add (local.get $cr) (local.get $ldc)))
        (local.set $c20 (v128.load (local.get $cr)))
        (local.set $c21 (v128.load offset=16 (local.get $cr)))
        (local.set $cr (i32.add (local.get $cr) (local.get $ldc)))
        (local.set $c30 (v128.load (local.get $cr)))
        (local.set $c31 (v128.load offset=16 (local.get $cr)))))
    (loop $p
      ;; b0 = (B[p][0], B[p][1]), b1 = (B[p][2], B[p][3]); x = (A[r][p], A[r][p]).
      (local.set $b0 (v128.load (local.get $b)))
      (local.set $b1 (v128.load offset=16 (local.get $b)))
      (local.set $x (v128.load64_splat (local.get $a)))
      (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $x) (local.get $b0))))
      (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $x) (local.get $b1))))
      (local.set $x (v128.load64_splat (local.get $a1)))
      (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $x) (local.get $b0))))
      (local.set $c11 (f64x2.add (local.get $c11) (f64x2.mul (local.get $x) (local.get $b1))))
      (local.set $x (v128.load64_splat (local.get $a2)))
      (local.set $c20 (f64x2.add (local.get $c20) (f64x2.mul (local.get $x) (local.get $b0))))
      (local.set $c21 (f64x2.add (local.get $c21) (f64x2.mul (local.get $x) (local.get $b1))))
      (local.set $x (v128.load64_splat (local.get $a3)))
      (local.set $c30 (f64x2.add (local.get $c30) (f64x2.mul (local.get $x) (local.get $b0))))
      (local.set $c31 (f64x2.add (local.get $c31) (f64x2.mul (local.get $x) (local.get $b1))))
      (local.set $a (i32.add (local.get $a) (local.get $aps)))
      (local.set $a1 (i32.add (local.get $a1) (local.get $aps)))
      (local.set $a2 (i32.add (local.get $a2) (local.get $aps)))
      (local.set $a3 (i32.add (local.get $a3) (local.get $aps)))
      (br_if $p (i32.ne (local.tee $b (i32.add (local.get $b) (local.get $bps)))
                        (local.get $bend))))
    (v128.store (local.get $c) (local.get $c00))
    (v128.store offset=16 (local.get $c) (local.get $c01))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (v128.store (local.get $c) (local.get $c10))
    (v128.store offset=16 (local.get $c) (local.get $c11))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (v128.store (local.get $c) (local.get $c20))
    (v128.store offset=16 (local.get $c) (local.get $c21))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (v128.store (local.get $c) (local.get $c30))
    (v128.store offset=16 (local.get $c) (local.get $c31)))

  ;; ---- 1×4 tile, B row contiguous: the rows left over when m mod 4 ≠ 0 ---------------------
  (func $tile1x4 (param $a i32) (param $aps i32) (param $b i32) (param $bps i32)
                 (param $c i32) (param $kb i32) (param $load i32)
    (local $bend i32)
    (local $x v128) (local $c00 v128) (local $c01 v128)
    (local.set $bend (i32.add (local.get $b) (i32.mul (local.get $kb) (local.get $bps))))
    (if (local.get $load)
      (then
        (local.set $c00 (v128.load (local.get $c)))
        (local.set $c01 (v128.load offset=16 (local.get $c)))))
    (loop $p
      (local.set $x (v128.load64_splat (local.get $a)))
      (local.set $c00
        (f64x2.add (local.get $c00) (f64x2.mul (local.get $x) (v128.load (local.get $b)))))
      (local.set $c01
        (f64x2.add (local.get $c01)
                   (f64x2.mul (local.get $x) (v128.load offset=16 (local.get $b)))))
      (local.set $a (i32.add (local.get $a) (local.get $aps)))
      (br_if $p (i32.ne (local.tee $b (i32.add (local.get $b) (local.get $bps)))
                        (local.get $bend))))
    (v128.store (local.get $c) (local.get $c00))
    (v128.store offset=16 (local.get $c) (local.get $c01)))

  ;; ---- (p-th values of B columns j, j+1) gathered into one f64x2, for gemm_tb --------------
  (func $pair (param $b0 i32) (param $b1 i32) (result v128)
    (f64x2.replace_lane 1 (v128.load64_splat (local.get $b0)) (f64.load (local.get $b1))))

  ;; ---- 4×4 tile, B columns strided (gemm_tb: B(p, j) at b + 8p + j·bjs) ---------------------
  (func $tile4x4g (param $a i32) (param $ars i32) (param $aps i32)
                  (param $b i32) (param $bps i32) (param $bjs i32)
                  (param $c i32) (param $ldc i32) (param $kb i32) (param $load i32)
    (local $bend i32)
    (local $a1 i32) (local $a2 i32) (local $a3 i32)
    (local $bj1 i32) (local $bj2 i32) (local $bj3 i32)
    (local $c1 i32) (local $c2 i32) (local $c3 i32)
    (local $b0 v128) (local $b1 v128) (local $x v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $bend (i32.add (local.get $b) (i32.mul (local.get $kb) (local.get $bps))))
    (local.set $a1 (i32.add (local.get $a) (local.get $ars)))
    (local.set $a2 (i32.add (local.get $a1) (local.get $ars)))
    (local.set $a3 (i32.add (local.get $a2) (local.get $ars)))
    (local.set $bj1 (i32.add (local.get $b) (local.get $bjs)))
    (local.set $bj2 (i32.add (local.get $bj1) (local.get $bjs)))
    (local.set $bj3 (i32.add (local.get $bj2) (local.get $bjs)))
    (local.set $c1 (i32.add (local.get $c) (local.get $ldc)))
    (local.set $c2 (i32.add (local.get $c1) (local.get $ldc)))
    (local.set $c3 (i32.add (local.get $c2) (local.get $ldc)))
    (if (local.get $load)
      (then
        (local.set $c00 (v128.load (local.get $c)))
        (local.set $c01 (v128.load offset=16 (local.get $c)))
        (local.set $c10 (v128.load (local.get $c1)))
        (local.set $c11 (v128.load offset=16 (local.get $c1)))
        (local.set $c20 (v128.load (local.get $c2)))
        (local.set $c21 (v128.load offset=16 (local.get $c2)))
        (local.set $c30 (v128.load (local.get $c3)))
        (local.set $c31 (v128.load offset=16 (local.get $c3)))))
    (loop $p
      (local.set $b0 (call $pair (local.get $b) (local.get $bj1)))
      (local.set $b1 (call $pair (local.get $bj2) (local.get $bj3)))
      (local.set $x (v128.load64_splat (local.get $a)))
      (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $x) (local.get $b0))))
      (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $x) (local.get $b1))))
      (local.set $x (v128.load64_splat (local.get $a1)))
      (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $x) (local.get $b0))))
      (local.set $c11 (f64x2.add (local.get $c11) (f64x2.mul (local.get $x) (local.get $b1))))
      (local.set $x (v128.load64_splat (local.get $a2)))
      (local.set $c20 (f64x2.add (local.get $c20) (f64x2.mul (local.get $x) (local.get $b0))))
      (local.set $c21 (f64x2.add (local.get $c21) (f64x2.mul (local.get $x) (local.get $b1))))
      (local.set $x (v128.load64_splat (local.get $a3)))
      (local.set $c30 (f64x2.add (local.get $c30) (f64x2.mul (local.get $x) (local.get $b0))))
      (local.set $c31 (f64x2.add (local.get $c31) (f64x2.mul (local.get $x) (local.get $b1))))
      (local.set $a (i32.add (local.get $a) (local.get $aps)))
      (local.set $a1 (i32.add (local.get $a1) (local.get $aps)))
      (local.set $a2 (i32.add (local.get $a2) (local.get $aps)))
      (local.set $a3 (i32.add (local.get $a3) (local.get $aps)))
      (local.set $bj1 (i32.add (local.get $bj1) (local.get $bps)))
      (local.set $bj2 (i32.add (local.get $bj2) (local.get $bps)))
      (local.set $bj3 (i32.add (local.get $bj3) (local.get $bps)))
      (br_if $p (i32.ne (local.tee $b (i32.add (local.get $b) (local.get $bps)))
                        (local.get $bend))))
    (v128.store (local.get $c) (local.get $c00))
    (v128.store offset=16 (local.get $c) (local.get $c01))
    (v128.store (local.get $c1) (local.get $c10))
    (v128.store offset=16 (local.get $c1) (local.get $c11))
    (v128.store (local.get $c2) (local.get $c20))
    (v128.store offset=16 (local.get $c2) (local.get $c21))
    (v128.store (local.get $c3) (local.get $c30))
    (v128.store offset=16 (local.get $c3) (local.get $c31)))

  ;; ---- 1×4 tile, B columns strided (gemm_tb, rows left over) --------------------------------
  (func $tile1x4g (param $a i32) (param $aps i32) (param $b i32) (param $bps i32) (param $bjs i32)
                  (param $c i32) (param $kb i32) (param $load i32)
    (local $bend i32)
    (local $bj1 i32) (local $bj2 i32) (local $bj3 i32)
    (local $x v128) (local $c00 v128) (local $c01 v128)
    (local.set $bend (i32.add (local.get $b) (i32.mul (local.get $kb) (local.get $bps))))
    (local.set $bj1 (i32.add (local.get $b) (local.get $bjs)))
    (local.set $bj2 (i32.add (local.get $bj1) (local.get $bjs)))
    (local.set $bj3 (i32.add (local.get $bj2) (local.get $bjs)))
    (if (local.get $load)
      (then
        (local.set $c00 (v128.load (local.get $c)))
        (local.set $c01 (v128.load offset=16 (local.get $c)))))
    (loop $p
      (local.set $x (v128.load64_splat (local.get $a)))
      (local.set $c00
        (f64x2.add (local.get $c00)
                   (f64x2.mul (local.get $x) (call $pair (local.get $b) (local.get $bj1)))))
      (local.set $c01
        (f64x2.add (local.get $c01)
                   (f64x2.mul (local.get $x) (call $pair (local.get $bj2) (local.get $bj3)))))
      (local.set $a (i32.add (local.get $a) (local.get $aps)))
      (local.set $bj1 (i32.add (local.get $bj1) (local.get $bps)))
      (local.set $bj2 (i32.add (local.get $bj2) (local.get $bps)))
      (local.set $bj3 (i32.add (local.get $bj3) (local.get $bps)))
      (br_if $p (i32.ne (local.tee $b (i32.add (local.get $b) (local.get $bps)))
                        (local.get $bend))))
    (v128.store (local.get $c) (local.get $c00))
    (v128.store offset=16 (local.get $c) (local.get $c01)))

  ;; ---- 4×1 tile, scalar: a column left over when n mod 4 ≠ 0 --------------------------------
  ;; b → B(p0, j), stepping bps per p (any B layout).
  (func $tile4x1 (param $a i32) (param $ars i32) (param $aps i32) (param $b i32) (param $bps i32)
                 (param $c i32) (param $ldc i32) (param $kb i32) (param $load i32)
    (local $bend i32)
    (local $a1 i32) (local $a2 i32) (local $a3 i32) (local $y f64)
    (local $s0 f64) (local $s1 f64) (local $s2 f64) (local $s3 f64)
    (local.set $bend (i32.add (local.get $b) (i32.mul (local.get $kb) (local.get $bps))))
    (local.set $a1 (i32.add (local.get $a) (local.get $ars)))
    (local.set $a2 (i32.add (local.get $a1) (local.get $ars)))
    (local.set $a3 (i32.add (local.get $a2) (local.get $ars)))
    (if (local.get $load)
      (then
        (local.set $s0 (f64.load (local.get $c)))
        (local.set $s1 (f64.load (i32.add (local.get $c) (local.get $ldc))))
        (local.set $s2 (f64.load (i32.add (local.get $c) (i32.shl (local.get $ldc) (i32.const 1)))))
        (local.set $s3 (f64.load (i32.add (local.get $c) (i32.mul (local.get $ldc) (i32.const 3)))))))
    (loop $p
      (local.set $y (f64.load (local.get $b)))
      (local.set $s0 (f64.add (local.get $s0) (f64.mul (f64.load (local.get $a)) (local.get $y))))
      (local.set $s1 (f64.add (local.get $s1) (f64.mul (f64.load (local.get $a1)) (local.get $y))))
      (local.set $s2 (f64.add (local.get $s2) (f64.mul (f64.load (local.get $a2)) (local.get $y))))
      (local.set $s3 (f64.add (local.get $s3) (f64.mul (f64.load (local.get $a3)) (local.get $y))))
      (local.set $a (i32.add (local.get $a) (local.get $aps)))
      (local.set $a1 (i32.add (local.get $a1) (local.get $aps)))
      (local.set $a2 (i32.add (local.get $a2) (local.get $aps)))
      (local.set $a3 (i32.add (local.get $a3) (local.get $aps)))
      (br_if $p (i32.ne (local.tee $b (i32.add (local.get $b) (local.get $bps)))
                        (local.get $bend))))
    (f64.store (local.get $c) (local.get $s0))
    (f64.store (i32.add (local.get $c) (local.get $ldc)) (local.get $s1))
    (f64.store (i32.add (local.get $c) (i32.shl (local.get $ldc) (i32.const 1))) (local.get $s2))
    (f64.store (i32.add (local.get $c) (i32.mul (local.get $ldc) (i32.const 3))) (local.get $s3)))

  ;; ---- 1×1 tile, scalar ----------------------------------------------------------------------
  (func $tile1x1 (param $a i32) (param $aps i32) (param $b i32) (param $bps i32)
                 (param $c i32) (param $kb i32) (param $load i32)
    (local $bend i32)
    (local $s f64)
    (local.set $bend (i32.add (local.get $b) (i32.mul (local.get $kb) (local.get $bps))))
    (if (local.get $load) (then (local.set $s (f64.load (local.get $c)))))
    (loop $p
      (local.set $s
        (f64.add (local.get $s) (f64.mul (f64.load (local.get $a)) (f64.load (local.get $b)))))
      (local.set $a (i32.add (local.get $a) (local.get $aps)))
      (br_if $p (i32.ne (local.tee $b (i32.add (local.get $b) (local.get $bps)))
                        (local.get $bend))))
    (f64.store (local.get $c) (local.get $s)))

  ;; ---- driver: C (m×n) = Σ_p A(·, p) B(p, ·) with the strides described at the top ----------
  ;; (threads: C's row stride ldc is a parameter, see $product at the end)
  (func $product_ldc (param $m i32) (param $k i32) (param $n i32)
                 (param $a i32) (param $ars i32) (param $aps i32)
                 (param $b i32) (param $bps i32) (param $bjs i32) (param $c i32) (param $ldc i32)
    (local $m4 i32) (local $n4 i32) (local $contiguous i32)
    (local $p0 i32) (local $kb i32) (local $load i32) (local $i i32) (local $j i32)
    (local $ap i32) (local $bp i32) (local $bpj i32) (local $cj i32)
    (local $packs i32) (local $pbps i32)
    (local.set $m4 (i32.and (local.get $m) (i32.const -4)))
    (local.set $n4 (i32.and (local.get $n) (i32.const -4)))
    (local.set $contiguous (i32.eq (local.get $bjs) (i32.const 8)))
    (local.set $packs (call $packs_panels (local.get $m) (local.get $k) (local.get $bjs))) ;; wide products (issue 17)
    (local.set $pbps (local.get $bps))
    (loop $blocks
      ;; kb = min(256, k − p0); ap → A(0, p0); bp → B(p0, 0).
      (local.set $kb (i32.sub (local.get $k) (local.get $p0)))
      (if (i32.gt_u (local.get $kb) (i32.const 256)) (then (local.set $kb (i32.const 256))))
      (local.set $ap (i32.add (local.get $a) (i32.mul (local.get $p0) (local.get $aps))))
      (local.set $bp (i32.add (local.get $b) (i32.mul (local.get $p0) (local.get $bps))))
      ;; Column panels of 4.
      (local.set $j (i32.const 0))
      (block $panels_done
        (loop $panels
          (br_if $panels_done (i32.ge_u (local.get $j) (local.get $n4)))
          (local.set $bpj (i32.add (local.get $bp) (i32.mul (local.get $j) (local.get $bjs))))
          (if (local.get $packs) ;; wide products (issue 17): the tiles read the panel's packed copy
            (then
              (local.set $bpj (call $pack_panel (local.get $bpj) (local.get $bps) (local.get $kb)))
              (local.set $pbps (i32.const 32))))
          (local.set $cj (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 3))))
          (local.set $i (i32.const 0))
          (block $rows4_done
            (loop $rows4
              (br_if $rows4_done (i32.ge_u (local.get $i) (local.get $m4)))
              (if (local.get $contiguous)
                (then
                  (call $tile4x4
                    (i32.add (local.get $ap) (i32.mul (local.get $i) (local.get $ars)))
                    (local.get $ars) (local.get $aps) (local.get $bpj) (local.get $pbps)
                    (i32.add (local.get $cj) (i32.mul (local.get $i) (local.get $ldc)))
                    (local.get $ldc) (local.get $kb) (local.get $load)))
                (else
                  (call $tile4x4g
                    (i32.add (local.get $ap) (i32.mul (local.get $i) (local.get $ars)))
                    (local.get $ars) (local.get $aps)
                    (local.get $bpj) (local.get $bps) (local.get $bjs)
                    (i32.add (local.get $cj) (i32.mul (local.get $i) (local.get $ldc)))
                    (local.get $ldc) (local.get $kb) (local.get $load))))
              (local.set $i (i32.add (local.get $i) (i32.const 4)))
              (br $rows4)))
          (block $rows1_done
            (loop $rows1
              (br_if $rows1_done (i32.ge_u (local.get $i) (local.get $m)))
              (if (local.get $contiguous)
                (then
                  (call $tile1x4
                    (i32.add (local.get $ap) (i32.mul (local.get $i) (local.get $ars)))
                    (local.get $aps) (local.get $bpj) (local.get $pbps)
                    (i32.add (local.get $cj) (i32.mul (local.get $i) (local.get $ldc)))
                    (local.get $kb) (local.get $load)))
                (else
                  (call $tile1x4g
                    (i32.add (local.get $ap) (i32.mul (local.get $i) (local.get $ars)))
                    (local.get $aps) (local.get $bpj) (local.get $bps) (local.get $bjs)
                    (i32.add (local.get $cj) (i32.mul (local.get $i) (local.get $ldc)))
                    (local.get $kb) (local.get $load))))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br $rows1)))
          (local.set $j (i32.add (local.get $j) (i32.const 4)))
          (br $panels)))
      ;; Columns left over, one at a time.
      (block $cols_done
        (loop $cols
          (br_if $cols_done (i32.ge_u (local.get $j) (local.get $n)))
          (local.set $bpj (i32.add (local.get $bp) (i32.mul (local.get $j) (local.get $bjs))))
          (local.set $cj (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 3))))
          (local.set $i (i32.const 0))
          (block $rows4_done
            (loop $rows4
              (br_if $rows4_done (i32.ge_u (local.get $i) (local.get $m4)))
              (call $tile4x1
                (i32.add (local.get $ap) (i32.mul (local.get $i) (local.get $ars)))
                (local.get $ars) (local.get $aps) (local.get $bpj) (local.get $bps)
                (i32.add (local.get $cj) (i32.mul (local.get $i) (local.get $ldc)))
                (local.get $ldc) (local.get $kb) (local.get $load))
              (local.set $i (i32.add (local.get $i) (i32.const 4)))
              (br $rows4)))
          (block $rows1_done
            (loop $rows1
              (br_if $rows1_done (i32.ge_u (local.get $i) (local.get $m)))
              (call $tile1x1
                (i32.add (local.get $ap) (i32.mul (local.get $i) (local.get $ars)))
                (local.get $aps) (local.get $bpj) (local.get $bps)
                (i32.add (local.get $cj) (i32.mul (local.get $i) (local.get $ldc)))
                (local.get $kb) (local.get $load))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br $rows1)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $cols)))
      (local.set $load (i32.const 1))
      (br_if $blocks
        (i32.lt_u (local.tee $p0 (i32.add (local.get $p0) (i32.const 256))) (local.get $k)))))

  (func (export "gemm") (param $m i32) (param $k i32) (param $n i32)
                        (param $a i32) (param $b i32) (param $c i32)
    (call $product (local.get $m) (local.get $k) (local.get $n)
      (local.get $a) (i32.shl (local.get $k) (i32.const 3)) (i32.const 8)
      (local.get $b) (i32.shl (local.get $n) (i32.const 3)) (i32.const 8)
      (local.get $c)))

  (func (export "gemm_ta") (param $m i32) (param $k i32) (param $n i32)
                           (param $a i32) (param $b i32) (param $c i32)
    (call $product (local.get $m) (local.get $k) (local.get $n)
      (local.get $a) (i32.const 8) (i32.shl (local.get $m) (i32.const 3))
      (local.get $b) (i32.shl (local.get $n) (i32.const 3)) (i32.const 8)
      (local.get $c)))

  (func (export "gemm_tb") (param $m i32) (param $k i32) (param $n i32)
                           (param $a i32) (param $b i32) (param $c i32)
    (call $product (local.get $m) (local.get $k) (local.get $n)
      (local.get $a) (i32.shl (local.get $k) (i32.const 3)) (i32.const 8)
      (local.get $b) (i32.const 8) (i32.shl (local.get $k) (i32.const 3))
      (local.get $c)))

  ;; ==== Rectifier element-wise kernels (relu, leaky relu) ========================================
  ;; The hidden layer's element-wise passes over rows 0..n−1 of n×H buffers (row-major, dense,
  ;; any alignment: the pairs are unaligned loads when H is odd, the last column of such a row
  ;; is done in scalar code). Every entry gets the operations of src/nn/fused-activations.ts's
  ;; JS loops, in the same order, so the bits are the same:
  ;;   bias_relu (n H z b a)          z_ij ← z_ij + b_j;  a_ij = z_ij > 0 ? z_ij : +0
  ;;                                  (f64x2.pmax(+0, z) is exactly that: NaN and −0 give +0)
  ;;   bias_leaky(n H z b a s)        z_ij ← z_ij + b_j;  a_ij = z_ij > 0 ? z_ij : s·z_ij
  ;;   rect_mask (n H d z db s)       d_ij ← d_ij · (z_ij > 0 ? 1 : s);  db_j = Σ_i d_ij, i ascending
  ;;                                  from +0 (relu: s = 0; f′ is multiplied, not selected, so
  ;;                                  NaN and ±∞ times 0 give NaN as in JS)
  ;; The column sums are vectorised across columns, so each db_j keeps its own row order.
    (func $bias_relu (export "bias_relu") (param $n i32) (param $h i32) (param $z i32) (param $b i32)
                               (param $a i32)
      (local $zend i32) (local $rowend i32) (local $pairsend i32) (local $bj i32)
      (local $v v128) (local $s f64)
      (local.set $zend (i32.add (local.get $z) (i32.shl (i32.mul (local.get $n) (local.get $h))
                                                        (i32.const 3))))
      (block $rows_done
        (loop $rows
          (br_if $rows_done (i32.ge_u (local.get $z) (local.get $zend)))
          (local.set $rowend (i32.add (local.get $z) (i32.shl (local.get $h) (i32.const 3))))
          (local.set $pairsend
            (i32.add (local.get $z) (i32.shl (i32.and (local.get $h) (i32.const -2)) (i32.const 3))))
          (local.set $bj (local.get $b))
          (block $pairs_done
            (loop $pairs
              (br_if $pairs_done (i32.ge_u (local.get $z) (local.get $pairsend)))
              (local.set $v (f64x2.add (v128.load (local.get $z)) (v128.load (local.get $bj))))
              (v128.store (local.get $z) (local.get $v))
              (v128.store (local.get $a) (f64x2.pmax (v128.const f64x2 0 0) (local.get $v)))
              (local.set $z (i32.add (local.get $z) (i32.const 16)))
              (local.set $a (i32.add (local.get $a) (i32.const 16)))
              (local.set $bj (i32.add (local.get $bj) (i32.const 16)))
              (br $pairs)))
          (if (i32.lt_u (local.get $z) (local.get $rowend))
            (then
              (local.set $s (f64.add (f64.load (local.get $z)) (f64.load (local.get $bj))))
              (f64.store (local.get $z) (local.get $s))
              (f64.store (local.get $a)
                (select (local.get $s) (f64.const 0) (f64.gt (local.get $s) (f64.const 0))))
              (local.set $z (i32.add (local.get $z) (i32.const 8)))
              (local.set $a (i32.add (local.get $a) (i32.const 8)))))
          (br $rows))))

    (func $bias_leaky (export "bias_leaky") (param $n i32) (param $h i32) (param $z i32) (param $b i32)
                                (param $a i32) (param $slope f64)
      (local $zend i32) (local $rowend i32) (local $pairsend i32) (local $bj i32)
      (local $v v128) (local $slopes v128) (local $s f64)
      (local.set $slopes (f64x2.splat (local.get $slope)))
      (local.set $zend (i32.add (local.get $z) (i32.shl (i32.mul (local.get $n) (local.get $h))
                                                        (i32.const 3))))
      (block $rows_done
        (loop $rows
          (br_if $rows_done (i32.ge_u (local.get $z) (local.get $zend)))
          (local.set $rowend (i32.add (local.get $z) (i32.shl (local.get $h) (i32.const 3))))
          (local.set $pairsend
            (i32.add (local.get $z) (i32.shl (i32.and (local.get $h) (i32.const -2)) (i32.const 3))))
          (local.set $bj (local.get $b))
          (block $pairs_done
            (loop $pairs
              (br_if $pairs_done (i32.ge_u (local.get $z) (local.get $pairsend)))
              (local.set $v (f64x2.add (v128.load (local.get $z)) (v128.load (local.get $bj))))
              (v128.store (local.get $z) (local.get $v))
              (v128.store (local.get $a)
                (v128.bitselect (local.get $v) (f64x2.mul (local.get $slopes) (local.get $v))
                                (f64x2.gt (local.get $v) (v128.const f64x2 0 0))))
              (local.set $z (i32.add (local.get $z) (i32.const 16)))
              (local.set $a (i32.add (local.get $a) (i32.const 16)))
              (local.set $bj (i32.add (local.get $bj) (i32.const 16)))
              (br $pairs)))
          (if (i32.lt_u (local.get $z) (local.get $rowend))
            (then
              (local.set $s (f64.add (f64.load (local.get $z)) (f64.load (local.get $bj))))
              (f64.store (local.get $z) (local.get $s))
              (f64.store (local.get $a)
                (select (local.get $s) (f64.mul (local.get $slope) (local.get $s))
                        (f64.gt (local.get $s) (f64.const 0))))
              (local.set $z (i32.add (local.get $z) (i32.const 8)))
              (local.set $a (i32.add (local.get $a) (i32.const 8)))))
          (br $rows))))

    (func $rect_mask (export "rect_mask") (param $n i32) (param $h i32) (param $d i32) (param $z i32)
                               (param $db i32) (param $slope f64)
      (local $dend i32) (local $rowend i32) (local $pairsend i32) (local $dbj i32)
      (local $x v128) (local $slopes v128) (local $s f64)
      (local.set $slopes (f64x2.splat (local.get $slope)))
      ;; db_j = +0 for j < H
      (local.set $dbj (local.get $db))
      (local.set $rowend (i32.add (local.get $db) (i32.shl (local.get $h) (i32.const 3))))
      (block $zero_done
        (loop $zero
          (br_if $zero_done (i32.ge_u (local.get $dbj) (local.get $rowend)))
          (f64.store (local.get $dbj) (f64.const 0))
          (local.set $dbj (i32.add (local.get $dbj) (i32.const 8)))
          (br $zero)))
      (local.set $dend (i32.add (local.get $d) (i32.shl (i32.mul (local.get $n) (local.get $h))
                                                        (i32.const 3))))
      (block $rows_done
        (loop $rows
          (br_if $rows_done (i32.ge_u (local.get $d) (local.get $dend)))
          (local.set $rowend (i32.add (local.get $d) (i32.shl (local.get $h) (i32.const 3))))
          (local.set $pairsend
            (i32.add (local.get $d) (i32.shl (i32.and (local.get $h) (i32.const -2)) (i32.const 3))))
          (local.set $dbj (local.get $db))
          (block $pairs_done
            (loop $pairs
              (br_if $pairs_done (i32.ge_u (local.get $d) (local.get $pairsend)))
              ;; x = d ⊙ f′(z), f′(z) = z > 0 ? 1 : s
              (local.set $x
                (f64x2.mul (v128.load (local.get $d))
                           (v128.bitselect (v128.const f64x2 1 1) (local.get $slopes)
                                           (f64x2.gt (v128.load (local.get $z))
                                                     (v128.const f64x2 0 0)))))
              (v128.store (local.get $d) (local.get $x))
              (v128.store (local.get $dbj) (f64x2.add (v128.load (local.get $dbj)) (local.get $x)))
              (local.set $d (i32.add (local.get $d) (i32.const 16)))
              (local.set $z (i32.add (local.get $z) (i32.const 16)))
              (local.set $dbj (i32.add (local.get $dbj) (i32.const 16)))
              (br $pairs)))
          (if (i32.lt_u (local.get $d) (local.get $rowend))
            (then
              (local.set $s
                (f64.mul (f64.load (local.get $d))
                         (select (f64.const 1) (local.get $slope)
                                 (f64.gt (f64.load (local.get $z)) (f64.const 0)))))
              (f64.store (local.get $d) (local.get $s))
              (f64.store (local.get $dbj) (f64.add (f64.load (local.get $dbj)) (local.get $s)))
              (local.set $d (i32.add (local.get $d) (i32.const 8)))
              (local.set $z (i32.add (local.get $z) (i32.const 8)))))
          (br $rows))))
  ;; ==== end of the rectifier kernels ==============================================================
  ;; ---- threads (src/linalg/wasm/threaded-backend.ts) ----------------------------------------
  ;; gemm_ta_ld(m k n a b c lda): C (m×n) = Aᵀ B where A is the k×m block starting at a of a
  ;; row-major k×lda matrix (lda ≥ m). Splitting dW1 = Xᵀ δ1 by rows of C between threads gives
  ;; each thread a column block of X, hence the leading dimension; every entry keeps its one
  ;; accumulator over p = 0..k−1 in order, so the split changes no bit.
  (func (export "gemm_ta_ld") (param $m i32) (param $k i32) (param $n i32)
                              (param $a i32) (param $b i32) (param $c i32) (param $lda i32)
    (call $product (local.get $m) (local.get $k) (local.get $n)
      (local.get $a) (i32.const 8) (i32.shl (local.get $lda) (i32.const 3))
      (local.get $b) (i32.shl (local.get $n) (i32.const 3)) (i32.const 8)
      (local.get $c)))
  ;; ---- end threads ----------------------------------------------------------------------------

  ;; ==== tanh activation: own float64 exp and tanh, element-wise ========
  ;; The same float64 operations, in the same order, as src/numerics/exp.ts and tanh.ts, two
  ;; values per f64x2 (add, sub, mul, div, min, max, abs are IEEE-exact, no fused multiply-add),
  ;; so every lane gives the bits the JavaScript functions give; powers of two are built from
  ;; exponent bits instead of a table (the same exact values). Where JavaScript branches, both
  ;; sides are computed (a side no lane needs is skipped) and each lane takes its own.
  ;; Exports (pointers byte offsets, matrices n×h row-major, rows 0..n−1):
  ;;   tanh_forward (n h z b a)    z ← z + 1 b,  a = tanh(z)
  ;;   tanh_backward(n h d z db)   d ← d ⊙ tanh′(z) = d ⊙ 4t/(1 + t)², t = e^{−2|z|};
  ;;                               db = Σ_rows d (1×h), rows in order, each column in its lane

;; tanh.ts tanh, everything inline (V8 does not inline WebAssembly calls by default, and a
  ;; call per piece cost ~20 %). On s = |z|: the series side where s < ln2/4, the exp side
  ;; elsewhere (each skipped when no lane needs it), then z's sign bit (tanh(−0) = −0).
  (func $tanh (param $z v128) (result v128)
    (local $s v128) (local $small v128) (local $ms v128) (local $me v128)
    (local $w v128) (local $w2 v128) (local $w4 v128)
    (local $r2 v128) (local $r4 v128) (local $r8 v128) (local $tail v128)
    (local $y v128) (local $t v128) (local $k v128)
    (local $hi v128) (local $lo v128) (local $r v128) (local $c v128)
    (local $p v128) (local $pe v128) (local $u v128) (local $A v128) (local $ae v128)
    (local $B v128) (local $be v128) (local $N v128) (local $ne v128) (local $D v128)
    (local $de v128) (local $q v128)
    (local.set $s (f64x2.abs (local.get $z)))
    (local.set $small (f64x2.lt (local.get $s) (f64x2.splat (f64.const 0x1.62eb1c432ca58p-3))))
    (if (v128.any_true (local.get $small))
      (then
        ;; tanh.ts, s < ln2/4: s + s·(w P(w)), w = s², P in Estrin's scheme as tanhSeriesTail.
        (local.set $w (f64x2.mul (local.get $s) (local.get $s)))
        (local.set $w2 (f64x2.mul (local.get $w) (local.get $w)))
        (local.set $w4 (f64x2.mul (local.get $w2) (local.get $w2)))
        (local.set $ms
          (f64x2.add (local.get $s)
            (f64x2.mul (local.get $s)
              (f64x2.mul (local.get $w)
                (f64x2.add
                  (f64x2.add
                    ;; p03 = p01 + w² p23
                    (f64x2.add (f64x2.add (f64x2.splat (f64.const -0x1.5555555555555p-2)) (f64x2.mul (local.get $w) (f64x2.splat (f64.const 0x1.1111111111111p-3))))           ;; s³, s⁵
                               (f64x2.mul (local.get $w2) (f64x2.add (f64x2.splat (f64.const -0x1.ba1ba1ba1ba1cp-5)) (f64x2.mul (local.get $w) (f64x2.splat (f64.const 0x1.664f4882c10fap-6))))))
                    ;; w⁴ p47, p47 = p45 + w² p67
                    (f64x2.mul (local.get $w4)
                      (f64x2.add (f64x2.add (f64x2.splat (f64.const -0x1.226e355e6c23dp-7)) (f64x2.mul (local.get $w) (f64x2.splat (f64.const 0x1.d6d3d0e157de0p-9))))
                                 (f64x2.mul (local.get $w2) (f64x2.add (f64x2.splat (f64.const -0x1.7da36452b75e3p-10)) (f64x2.mul (local.get $w) (f64x2.splat (f64.const 0x1.3558248036744p-11))))))))
                  ;; w⁸ · (s¹⁹ coefficient)
                  (f64x2.mul (f64x2.mul (local.get $w4) (local.get $w4)) (f64x2.splat (f64.const -0x1.f57d7734d1664p-13))))))))))
    (if (i32.eqz (i64x2.all_true (local.get $small)))
      (then
        ;; tanh.ts, s ≥ ln2/4: y = −2 min(s, 20) = k ln2 + r, p = r + c, u = 2^{−k} (exponent
        ;; field −k + 1023), tanh = (u − 1 − p)/(u + 1 + p) with the rounding errors of p,
        ;; u ∓ 1, N and D fed back (the correction times 1/D).
        (local.set $y (f64x2.mul (f64x2.splat (f64.const -2))
                                 (f64x2.pmin (local.get $s) (f64x2.splat (f64.const 20)))))
        (local.set $t (f64x2.add (f64x2.mul (local.get $y) (f64x2.splat (f64.const 0x1.71547652b82fep+0)))
                                 (f64x2.splat (f64.const 0x1.8p+52))))
        (local.set $k (f64x2.sub (local.get $t) (f64x2.splat (f64.const 0x1.8p+52))))
        (local.set $hi (f64x2.sub (local.get $y)
                                  (f64x2.mul (local.get $k) (f64x2.splat (f64.const 0x1.62e42feep-1)))))
        (local.set $lo (f64x2.mul (local.get $k) (f64x2.splat (f64.const 0x1.a39ef35793c76p-33))))
        (local.set $r (f64x2.sub (local.get $hi) (local.get $lo)))
        ;; tail = expTail(r) = r² q(r), q = Σ r^i/(i + 2)! in Estrin's scheme (pairs, then r², r⁴, r⁸)
        (local.set $r2 (f64x2.mul (local.get $r) (local.get $r)))
        (local.set $r4 (f64x2.mul (local.get $r2) (local.get $r2)))
        (local.set $r8 (f64x2.mul (local.get $r4) (local.get $r4)))
        (local.set $tail
          (f64x2.mul (local.get $r2)
            (f64x2.add
              ;; q07 = (q01 + r² q23) + r⁴ (q45 + r² q67)
              (f64x2.add
                (f64x2.add (f64x2.add (f64x2.splat (f64.const 0.5)) (f64x2.mul (local.get $r) (f64x2.splat (f64.const 0x1.5555555555555p-3))))                          ;; 1/2!, 1/3!
                           (f64x2.mul (local.get $r2) (f64x2.add (f64x2.splat (f64.const 0x1.5555555555555p-5)) (f64x2.mul (local.get $r) (f64x2.splat (f64.const 0x1.1111111111111p-7))))))
                (f64x2.mul (local.get $r4)
                  (f64x2.add (f64x2.add (f64x2.splat (f64.const 0x1.6c16c16c16c17p-10)) (f64x2.mul (local.get $r) (f64x2.splat (f64.const 0x1.a01a01a01a01ap-13))))
                             (f64x2.mul (local.get $r2) (f64x2.add (f64x2.splat (f64.const 0x1.a01a01a01a01ap-16)) (f64x2.mul (local.get $r) (f64x2.splat (f64.const 0x1.71de3a556c734p-19))))))))
              ;; r⁸ q812, q812 = (q89 + r² q1011) + r⁴/14!
              (f64x2.mul (local.get $r8)
                (f64x2.add
                  (f64x2.add (f64x2.add (f64x2.splat (f64.const 0x1.27e4fb7789f5cp-22)) (f64x2.mul (local.get $r) (f64x2.splat (f64.const 0x1.ae64567f544e4p-26))))
                             (f64x2.mul (local.get $r2) (f64x2.add (f64x2.splat (f64.const 0x1.1eed8eff8d898p-29)) (f64x2.mul (local.get $r) (f64x2.splat (f64.const 0x1.6124613a86d09p-33))))))
                  (f64x2.mul (local.get $r4) (f64x2.splat (f64.const 0x1.93974a8c07c9dp-37))))))))
        (local.set $c (f64x2.add (f64x2.sub (f64x2.sub (local.get $hi) (local.get $r)) (local.get $lo))
                                 (local.get $tail)))
        (local.set $p (f64x2.add (local.get $r) (local.get $c)))
        (local.set $pe (f64x2.add (f64x2.sub (local.get $r) (local.get $p)) (local.get $c)))
        ;; u = 2^{−k}: 1.5·2^52 − k holds −k in its low bits, and shifting −k + 1023 by 52
        ;; leaves exactly the exponent field.
        (local.set $u (i64x2.shl (i64x2.add (f64x2.sub (f64x2.splat (f64.const 0x1.8p+52)) (local.get $k))
                                            (i64x2.splat (i64.const 1023)))
                                 (i32.const 52)))
        (local.set $A (f64x2.sub (local.get $u) (f64x2.splat (f64.const 1))))
        (local.set $ae (f64x2.sub (f64x2.sub (local.get $u) (local.get $A)) (f64x2.splat (f64.const 1))))
        (local.set $B (f64x2.add (local.get $u) (f64x2.splat (f64.const 1))))
        (local.set $be (f64x2.add (f64x2.sub (local.get $u) (local.get $B)) (f64x2.splat (f64.const 1))))
        (local.set $N (f64x2.sub (local.get $A) (local.get $p)))
        (local.set $ne (f64x2.sub (f64x2.sub (local.get $A) (local.get $N)) (local.get $p)))
        (local.set $D (f64x2.add (local.get $B) (local.get $p)))
        (local.set $de (f64x2.add (f64x2.sub (local.get $B) (local.get $D)) (local.get $p)))
        (local.set $q (f64x2.div (local.get $N) (local.get $D)))
        (local.set $me
          (f64x2.add (local.get $q)
            (f64x2.mul
              (f64x2.sub (f64x2.sub (f64x2.add (local.get $ne) (local.get $ae)) (local.get $pe))
                         (f64x2.mul (local.get $q)
                                    (f64x2.add (f64x2.add (local.get $de) (local.get $be)) (local.get $pe))))
              (f64x2.div (f64x2.splat (f64.const 1)) (local.get $D)))))))
    (v128.or (v128.bitselect (local.get $ms) (local.get $me) (local.get $small))
             (v128.and (local.get $z) (i64x2.splat (i64.const 0x8000000000000000)))))

  ;; tanh.ts tanhDerivative: min(4t/((1 + t)(1 + t)), 1), t = e^x, x = −2|z|, exp.ts exp in $exp:
  ;; exp: x clamped to [−1100, 710] (where the computation already gives 0 and ∞; NaN stays
  ;; NaN), k = round(x log2 e) by the 1.5·2^52 shifter sh,
  ;; r + c = x − k ln2, e^r = S + ((1 − S + r) + c), then (e^r·2^{k₁})·2^{k − k₁},
  ;; k₁ = floor(k/2), each power of two built in its exponent field.
  ;; (a function of its own since the sigmoid head's e^{−|z|} uses it too, end of the module).
  (func $tanh_derivative (param $z v128) (result v128)
    (local $t v128) (local $t1 v128)
    (local.set $t (call $exp (f64x2.mul (f64x2.splat (f64.const -2)) (f64x2.abs (local.get $z)))))
    (local.set $t1 (f64x2.add (f64x2.splat (f64.const 1)) (local.get $t)))
    (f64x2.pmin (f64x2.div (f64x2.mul (f64x2.splat (f64.const 4)) (local.get $t))
                           (f64x2.mul (local.get $t1) (local.get $t1)))
                (f64x2.splat (f64.const 1))))

  ;; exp.ts exp on each lane of x (bit-identical for every x: see the comment above).
  (func $exp (param $x v128) (result v128)
    (local $sh v128) (local $t v128) (local $k v128) (local $k1 v128)
    (local $hi v128) (local $lo v128) (local $r v128) (local $c v128) (local $s v128)
    (local $r2 v128) (local $r4 v128) (local $r8 v128) (local $tail v128)
    (local.set $x (f64x2.pmin (f64x2.pmax (local.get $x) (f64x2.splat (f64.const -1100)))
                             (f64x2.splat (f64.const 710))))
    (local.set $sh (f64x2.add (f64x2.mul (local.get $x) (f64x2.splat (f64.const 0x1.71547652b82fep+0)))
                             (f64x2.splat (f64.const 0x1.8p+52))))
    (local.set $k (f64x2.sub (local.get $sh) (f64x2.splat (f64.const 0x1.8p+52))))
    (local.set $hi (f64x2.sub (local.get $x)
                              (f64x2.mul (local.get $k) (f64x2.splat (f64.const 0x1.62e42feep-1)))))
    (local.set $lo (f64x2.mul (local.get $k) (f64x2.splat (f64.const 0x1.a39ef35793c76p-33))))
    (local.set $r (f64x2.sub (local.get $hi) (local.get $lo)))
    ;; tail = expTail(r) = r² q(r), q = Σ r^i/(i + 2)! in Estrin's scheme (pairs, then r², r⁴, r⁸)
    (local.set $r2 (f64x2.mul (local.get $r) (local.get $r)))
    (local.set $r4 (f64x2.mul (local.get $r2) (local.get $r2)))
    (local.set $r8 (f64x2.mul (local.get $r4) (local.get $r4)))
    (local.set $tail
      (f64x2.mul (local.get $r2)
        (f64x2.add
          ;; q07 = (q01 + r² q23) + r⁴ (q45 + r² q67)
          (f64x2.add
            (f64x2.add (f64x2.add (f64x2.splat (f64.const 0.5)) (f64x2.mul (local.get $r) (f64x2.splat (f64.const 0x1.5555555555555p-3))))                          ;; 1/2!, 1/3!
                       (f64x2.mul (local.get $r2) (f64x2.add (f64x2.splat (f64.const 0x1.5555555555555p-5)) (f64x2.mul (local.get $r) (f64x2.splat (f64.const 0x1.1111111111111p-7))))))
            (f64x2.mul (local.get $r4)
              (f64x2.add (f64x2.add (f64x2.splat (f64.const 0x1.6c16c16c16c17p-10)) (f64x2.mul (local.get $r) (f64x2.splat (f64.const 0x1.a01a01a01a01ap-13))))
                         (f64x2.mul (local.get $r2) (f64x2.add (f64x2.splat (f64.const 0x1.a01a01a01a01ap-16)) (f64x2.mul (local.get $r) (f64x2.splat (f64.const 0x1.71de3a556c734p-19))))))))
          ;; r⁸ q812, q812 = (q89 + r² q1011) + r⁴/14!
          (f64x2.mul (local.get $r8)
            (f64x2.add
              (f64x2.add (f64x2.add (f64x2.splat (f64.const 0x1.27e4fb7789f5cp-22)) (f64x2.mul (local.get $r) (f64x2.splat (f64.const 0x1.ae64567f544e4p-26))))
                         (f64x2.mul (local.get $r2) (f64x2.add (f64x2.splat (f64.const 0x1.1eed8eff8d898p-29)) (f64x2.mul (local.get $r) (f64x2.splat (f64.const 0x1.6124613a86d09p-33))))))
              (f64x2.mul (local.get $r4) (f64x2.splat (f64.const 0x1.93974a8c07c9dp-37))))))))
    (local.set $c (f64x2.add (f64x2.sub (f64x2.sub (local.get $hi) (local.get $r)) (local.get $lo))
                             (local.get $tail)))
    (local.set $s (f64x2.add (f64x2.splat (f64.const 1)) (local.get $r)))
    (local.set $s
      (f64x2.add (local.get $s)
        (f64x2.add (f64x2.add (f64x2.sub (f64x2.splat (f64.const 1)) (local.get $s)) (local.get $r))
                   (local.get $c))))
    ;; k₁ = floor(k/2) and k − k₁ as doubles; 2^j from the low bits of 1.5·2^52 + j as for u.
    (local.set $k1 (f64x2.floor (f64x2.mul (local.get $k) (f64x2.splat (f64.const 0.5)))))
    (local.set $t
      (f64x2.mul
        (f64x2.mul (local.get $s)
                   (i64x2.shl (i64x2.add (f64x2.add (local.get $k1) (f64x2.splat (f64.const 0x1.8p+52)))
                                         (i64x2.splat (i64.const 1023)))
                              (i32.const 52)))
        (i64x2.shl (i64x2.add (f64x2.add (f64x2.sub (local.get $k) (local.get $k1))
                                         (f64x2.splat (f64.const 0x1.8p+52)))
                              (i64x2.splat (i64.const 1023)))
                   (i32.const 52))))
    (local.get $t))

    (func (export "tanh_forward") (param $n i32) (param $h i32) (param $z i32) (param $b i32) (param $a i32)
    (local $row i32) (local $pairs i32) (local $zend i32) (local $j i32) (local $v v128)
    (local.set $row (i32.shl (local.get $h) (i32.const 3)))
    (local.set $pairs (i32.shl (i32.and (local.get $h) (i32.const -2)) (i32.const 3)))
    (local.set $zend (i32.add (local.get $z) (i32.mul (local.get $n) (local.get $row))))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $z) (local.get $zend)))
        (local.set $j (i32.const 0))
        (block $pairs_done
          (loop $pair
            (br_if $pairs_done (i32.ge_u (local.get $j) (local.get $pairs)))
            (local.set $v (f64x2.add (v128.load (i32.add (local.get $z) (local.get $j)))
                                     (v128.load (i32.add (local.get $b) (local.get $j)))))
            (v128.store (i32.add (local.get $z) (local.get $j)) (local.get $v))
            (v128.store (i32.add (local.get $a) (local.get $j)) (call $tanh (local.get $v)))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $pair)))
        (if (i32.and (local.get $h) (i32.const 1))
          (then
            (local.set $v (f64x2.add (v128.load64_zero (i32.add (local.get $z) (local.get $j)))
                                     (v128.load64_zero (i32.add (local.get $b) (local.get $j)))))
            (v128.store64_lane 0 (i32.add (local.get $z) (local.get $j)) (local.get $v))
            (v128.store64_lane 0 (i32.add (local.get $a) (local.get $j)) (call $tanh (local.get $v)))))
        (local.set $z (i32.add (local.get $z) (local.get $row)))
        (local.set $a (i32.add (local.get $a) (local.get $row)))
        (br $rows))))

  (func (export "tanh_backward") (param $n i32) (param $h i32) (param $d i32) (param $z i32) (param $db i32)
    (local $row i32) (local $pairs i32) (local $dend i32) (local $j i32) (local $v v128)
    (local.set $row (i32.shl (local.get $h) (i32.const 3)))
    (local.set $pairs (i32.shl (i32.and (local.get $h) (i32.const -2)) (i32.const 3)))
    (local.set $dend (i32.add (local.get $d) (i32.mul (local.get $n) (local.get $row))))
    ;; db = 0 (+0, as the JavaScript loop's fill).
    (block $zeroed
      (loop $zero
        (br_if $zeroed (i32.ge_u (local.get $j) (local.get $row)))
        (f64.store (i32.add (local.get $db) (local.get $j)) (f64.const 0))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $zero)))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $d) (local.get $dend)))
        (local.set $j (i32.const 0))
        (block $pairs_done
          (loop $pair
            (br_if $pairs_done (i32.ge_u (local.get $j) (local.get $pairs)))
            (local.set $v (f64x2.mul (v128.load (i32.add (local.get $d) (local.get $j)))
                                     (call $tanh_derivative (v128.load (i32.add (local.get $z) (local.get $j))))))
            (v128.store (i32.add (local.get $d) (local.get $j)) (local.get $v))
            (v128.store (i32.add (local.get $db) (local.get $j))
                        (f64x2.add (v128.load (i32.add (local.get $db) (local.get $j))) (local.get $v)))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $pair)))
        (if (i32.and (local.get $h) (i32.const 1))
          (then
            (local.set $v (f64x2.mul (v128.load64_zero (i32.add (local.get $d) (local.get $j)))
                                     (call $tanh_derivative
                                       (v128.load64_zero (i32.add (local.get $z) (local.get $j))))))
            (v128.store64_lane 0 (i32.add (local.get $d) (local.get $j)) (local.get $v))
            (f64.store (i32.add (local.get $db) (local.get $j))
                       (f64.add (f64.load (i32.add (local.get $db) (local.get $j)))
                                (f64x2.extract_lane 0 (local.get $v))))))
        (local.set $d (i32.add (local.get $d) (local.get $row)))
        (local.set $z (i32.add (local.get $z) (local.get $row)))
        (br $rows))))
  ;; ==== end of the tanh activation block ===================================================

  ;; ---- step: fused small-shape step ---------------------------------------------------------
  ;; A training step of the D→H→K network on a batch of n rows in two calls around the output
  ;; layer (the softmax head, src/nn/fused-heads.ts; with K = 1 the sigmoid head at the end of
  ;; the module joins them into one call, step_sigmoid): for small shapes, where a step is
  ;; a few tens of microseconds, the JavaScript side of ten calls (checking every view) and the
  ;; passes fused here were a good part of it (bench/notes.md). src/linalg/wasm/step-kernels.ts
  ;; checks the buffers once per run and then passes byte offsets only. Every value comes from
  ;; the kernels above or from loops with the operations and order of the JavaScript they
  ;; replace (src/nn/fast-network.ts, src/train/steppers/fast.ts, fast-update.ts), so the bits
  ;; are the plain path's. The caller gathers the batch's rows into x, from the data as it is
  ;; at that step.
  ;;   step_forward (n d h k  x w1 b1 w2  z1 a1 fp z2  act slope)
  ;;       z1 = x W1 + b1, a1 = f(z1), z2 = a1 W2 (b2 is the output layer's); for tanh also
  ;;       fp = f′(z1), which the backward pass then loads instead of recomputing
  ;;   step_backward(n d h k  x z1 fp a1 dz2 dz1  w1 w2  gw1 gb1 gw2 gb2  act slope l2) → i32
  ;;       the four gradients from δ2 (dz2, the output layer's), + λ W for l2 = λ ≠ 0;
  ;;       1 when every gradient entry is finite, else 0
  ;;   sgd_update(theta g len eta) → i32   θ ← θ − η g; 1 when every new θ is finite
  ;;   momentum_update(theta g v len eta mu nesterov) → i32, adam_update(theta g m v len eta
  ;;       beta1 beta2 eps c1 c2) → i32: the other rules, flags of the new values not finite
  ;; act: 0 relu, 1 leaky relu (a = s·z below 0, s = slope), 2 tanh. n ≥ 1; d, h, k ≥ 1.

  ;; tanh(z) and tanh′(z) of one f64x2 together, with the bits of $tanh and $tanh_derivative:
  ;; the exp reduction both start from (y = −2|z| = k ln2 + r, c = the rounding of r plus
  ;; expTail(r)) is computed once. The two compute it with the same operations on the same y
  ;; while |z| ≤ 20 (tanh caps |z| at 20, tanh′ clamps −2|z| at −1100); a pair with a lane past
  ;; 20 (a saturated unit, rare) calls the two functions instead. Then, as in $tanh, the series
  ;; side where |z| < ln2/4 and the exp side elsewhere (each skipped when no lane needs it), and
  ;; as in $tanh_derivative, e^y = (e^r·2^{k₁})·2^{k − k₁} and tanh′ = min(4t/((1 + t)(1 + t)), 1).
  ;; Measured on the toy workload's z1: the forward and backward passes take 0.62× the time of
  ;; tanh_forward and tanh_backward (bench/notes.md).
  (func $tanh_both (param $z v128) (result v128 v128)
    (local $s v128) (local $small v128) (local $ms v128) (local $me v128)
    (local $w v128) (local $w2 v128) (local $w4 v128)
    (local $r2 v128) (local $r4 v128) (local $r8 v128) (local $tail v128)
    (local $y v128) (local $t v128) (local $k v128)
    (local $hi v128) (local $lo v128) (local $r v128) (local $c v128)
    (local $p v128) (local $pe v128) (local $u v128) (local $A v128) (local $ae v128)
    (local $B v128) (local $be v128) (local $N v128) (local $ne v128) (local $D v128)
    (local $de v128) (local $q v128) (local $e v128) (local $k1 v128) (local $g v128)
    (local.set $s (f64x2.abs (local.get $z)))
    (if (v128.any_true (f64x2.gt (local.get $s) (f64x2.splat (f64.const 20))))
      (then (return (call $tanh (local.get $z)) (call $tanh_derivative (local.get $z)))))
    (local.set $small (f64x2.lt (local.get $s) (f64x2.splat (f64.const 0x1.62eb1c432ca58p-3))))
    (if (v128.any_true (local.get $small))
      (then
        ;; tanh.ts, s < ln2/4: s + s·(w P(w)), w = s², P in Estrin's scheme as tanhSeriesTail.
        (local.set $w (f64x2.mul (local.get $s) (local.get $s)))
        (local.set $w2 (f64x2.mul (local.get $w) (local.get $w)))
        (local.set $w4 (f64x2.mul (local.get $w2) (local.get $w2)))
        (local.set $ms
          (f64x2.add (local.get $s)
            (f64x2.mul (local.get $s)
              (f64x2.mul (local.get $w)
                (f64x2.add
                  (f64x2.add
                    (f64x2.add (f64x2.add (f64x2.splat (f64.const -0x1.5555555555555p-2)) (f64x2.mul (local.get $w) (f64x2.splat (f64.const 0x1.1111111111111p-3))))
                               (f64x2.mul (local.get $w2) (f64x2.add (f64x2.splat (f64.const -0x1.ba1ba1ba1ba1cp-5)) (f64x2.mul (local.get $w) (f64x2.splat (f64.const 0x1.664f4882c10fap-6))))))
                    (f64x2.mul (local.get $w4)
                      (f64x2.add (f64x2.add (f64x2.splat (f64.const -0x1.226e355e6c23dp-7)) (f64x2.mul (local.get $w) (f64x2.splat (f64.const 0x1.d6d3d0e157de0p-9))))
                                 (f64x2.mul (local.get $w2) (f64x2.add (f64x2.splat (f64.const -0x1.7da36452b75e3p-10)) (f64x2.mul (local.get $w) (f64x2.splat (f64.const 0x1.3558248036744p-11))))))))
                  (f64x2.mul (f64x2.mul (local.get $w4) (local.get $w4)) (f64x2.splat (f64.const -0x1.f57d7734d1664p-13))))))))))
    ;; the shared reduction: y = −2s = k ln2 + r (r = hi − lo), c, as exp.ts
    (local.set $y (f64x2.mul (f64x2.splat (f64.const -2)) (local.get $s)))
    (local.set $t (f64x2.add (f64x2.mul (local.get $y) (f64x2.splat (f64.const 0x1.71547652b82fep+0)))
                             (f64x2.splat (f64.const 0x1.8p+52))))
    (local.set $k (f64x2.sub (local.get $t) (f64x2.splat (f64.const 0x1.8p+52))))
    (local.set $hi (f64x2.sub (local.get $y)
                              (f64x2.mul (local.get $k) (f64x2.splat (f64.const 0x1.62e42feep-1)))))
    (local.set $lo (f64x2.mul (local.get $k) (f64x2.splat (f64.const 0x1.a39ef35793c76p-33))))
    (local.set $r (f64x2.sub (local.get $hi) (local.get $lo)))
    (local.set $r2 (f64x2.mul (local.get $r) (local.get $r)))
    (local.set $r4 (f64x2.mul (local.get $r2) (local.get $r2)))
    (local.set $r8 (f64x2.mul (local.get $r4) (local.get $r4)))
    (local.set $tail
      (f64x2.mul (local.get $r2)
        (f64x2.add
          (f64x2.add
            (f64x2.add (f64x2.add (f64x2.splat (f64.const 0.5)) (f64x2.mul (local.get $r) (f64x2.splat (f64.const 0x1.5555555555555p-3))))
                       (f64x2.mul (local.get $r2) (f64x2.add (f64x2.splat (f64.const 0x1.5555555555555p-5)) (f64x2.mul (local.get $r) (f64x2.splat (f64.const 0x1.1111111111111p-7))))))
            (f64x2.mul (local.get $r4)
              (f64x2.add (f64x2.add (f64x2.splat (f64.const 0x1.6c16c16c16c17p-10)) (f64x2.mul (local.get $r) (f64x2.splat (f64.const 0x1.a01a01a01a01ap-13))))
                         (f64x2.mul (local.get $r2) (f64x2.add (f64x2.splat (f64.const 0x1.a01a01a01a01ap-16)) (f64x2.mul (local.get $r) (f64x2.splat (f64.const 0x1.71de3a556c734p-19))))))))
          (f64x2.mul (local.get $r8)
            (f64x2.add
              (f64x2.add (f64x2.add (f64x2.splat (f64.const 0x1.27e4fb7789f5cp-22)) (f64x2.mul (local.get $r) (f64x2.splat (f64.const 0x1.ae64567f544e4p-26))))
                         (f64x2.mul (local.get $r2) (f64x2.add (f64x2.splat (f64.const 0x1.1eed8eff8d898p-29)) (f64x2.mul (local.get $r) (f64x2.splat (f64.const 0x1.6124613a86d09p-33))))))
              (f64x2.mul (local.get $r4) (f64x2.splat (f64.const 0x1.93974a8c07c9dp-37))))))))
    (local.set $c (f64x2.add (f64x2.sub (f64x2.sub (local.get $hi) (local.get $r)) (local.get $lo))
                             (local.get $tail)))
    (if (i32.eqz (i64x2.all_true (local.get $small)))
      (then
        (local.set $p (f64x2.add (local.get $r) (local.get $c)))
        (local.set $pe (f64x2.add (f64x2.sub (local.get $r) (local.get $p)) (local.get $c)))
        (local.set $u (i64x2.shl (i64x2.add (f64x2.sub (f64x2.splat (f64.const 0x1.8p+52)) (local.get $k))
                                            (i64x2.splat (i64.const 1023)))
                                 (i32.const 52)))
        (local.set $A (f64x2.sub (local.get $u) (f64x2.splat (f64.const 1))))
        (local.set $ae (f64x2.sub (f64x2.sub (local.get $u) (local.get $A)) (f64x2.splat (f64.const 1))))
        (local.set $B (f64x2.add (local.get $u) (f64x2.splat (f64.const 1))))
        (local.set $be (f64x2.add (f64x2.sub (local.get $u) (local.get $B)) (f64x2.splat (f64.const 1))))
        (local.set $N (f64x2.sub (local.get $A) (local.get $p)))
        (local.set $ne (f64x2.sub (f64x2.sub (local.get $A) (local.get $N)) (local.get $p)))
        (local.set $D (f64x2.add (local.get $B) (local.get $p)))
        (local.set $de (f64x2.add (f64x2.sub (local.get $B) (local.get $D)) (local.get $p)))
        (local.set $q (f64x2.div (local.get $N) (local.get $D)))
        (local.set $me
          (f64x2.add (local.get $q)
            (f64x2.mul
              (f64x2.sub (f64x2.sub (f64x2.add (local.get $ne) (local.get $ae)) (local.get $pe))
                         (f64x2.mul (local.get $q)
                                    (f64x2.add (f64x2.add (local.get $de) (local.get $be)) (local.get $pe))))
              (f64x2.div (f64x2.splat (f64.const 1)) (local.get $D)))))))
    ;; tanh′: e = e^r = S + ((1 − S + r) + c), S = 1 + r; t = (e·2^{k₁})·2^{k − k₁}
    (local.set $e (f64x2.add (f64x2.splat (f64.const 1)) (local.get $r)))
    (local.set $e
      (f64x2.add (local.get $e)
        (f64x2.add (f64x2.add (f64x2.sub (f64x2.splat (f64.const 1)) (local.get $e)) (local.get $r))
                   (local.get $c))))
    (local.set $k1 (f64x2.floor (f64x2.mul (local.get $k) (f64x2.splat (f64.const 0.5)))))
    (local.set $t
      (f64x2.mul
        (f64x2.mul (local.get $e)
                   (i64x2.shl (i64x2.add (f64x2.add (local.get $k1) (f64x2.splat (f64.const 0x1.8p+52)))
                                         (i64x2.splat (i64.const 1023)))
                              (i32.const 52)))
        (i64x2.shl (i64x2.add (f64x2.add (f64x2.sub (local.get $k) (local.get $k1))
                                         (f64x2.splat (f64.const 0x1.8p+52)))
                              (i64x2.splat (i64.const 1023)))
                   (i32.const 52))))
    (local.set $g (f64x2.add (f64x2.splat (f64.const 1)) (local.get $t)))
    (v128.or (v128.bitselect (local.get $ms) (local.get $me) (local.get $small))
             (v128.and (local.get $z) (i64x2.splat (i64.const 0x8000000000000000))))
    (f64x2.pmin (f64x2.div (f64x2.mul (f64x2.splat (f64.const 4)) (local.get $t))
                           (f64x2.mul (local.get $g) (local.get $g)))
                (f64x2.splat (f64.const 1))))

  ;; z ← z + 1 b, a = tanh(z), fp = tanh′(z) on rows 0..n−1 of the n×h buffers: tanh_forward's
  ;; loop, storing tanh′ as well (the bits tanh_backward would compute from z).
  (func $tanh_forward_fp (param $n i32) (param $h i32) (param $z i32) (param $b i32) (param $a i32)
                         (param $fp i32)
    (local $row i32) (local $pairs i32) (local $zend i32) (local $j i32)
    (local $v v128) (local $t v128) (local $g v128)
    (local.set $row (i32.shl (local.get $h) (i32.const 3)))
    (local.set $pairs (i32.shl (i32.and (local.get $h) (i32.const -2)) (i32.const 3)))
    (local.set $zend (i32.add (local.get $z) (i32.mul (local.get $n) (local.get $row))))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $z) (local.get $zend)))
        (local.set $j (i32.const 0))
        (block $pairs_done
          (loop $pair
            (br_if $pairs_done (i32.ge_u (local.get $j) (local.get $pairs)))
            ;; z1 = X W1 + b1, then a1 = tanh(z1) and f′(z1) = tanh′(z1)
            (local.set $v (f64x2.add (v128.load (i32.add (local.get $z) (local.get $j)))
                                     (v128.load (i32.add (local.get $b) (local.get $j)))))
            (v128.store (i32.add (local.get $z) (local.get $j)) (local.get $v))
            (call $tanh_both (local.get $v))
            (local.set $g)
            (local.set $t)
            (v128.store (i32.add (local.get $a) (local.get $j)) (local.get $t))
            (v128.store (i32.add (local.get $fp) (local.get $j)) (local.get $g))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $pair)))
        (if (i32.and (local.get $h) (i32.const 1))
          (then
            (local.set $v (f64x2.add (v128.load64_zero (i32.add (local.get $z) (local.get $j)))
                                     (v128.load64_zero (i32.add (local.get $b) (local.get $j)))))
            (v128.store64_lane 0 (i32.add (local.get $z) (local.get $j)) (local.get $v))
            (call $tanh_both (local.get $v))
            (local.set $g)
            (local.set $t)
            (v128.store64_lane 0 (i32.add (local.get $a) (local.get $j)) (local.get $t))
            (v128.store64_lane 0 (i32.add (local.get $fp) (local.get $j)) (local.get $g))))
        (local.set $z (i32.add (local.get $z) (local.get $row)))
        (local.set $a (i32.add (local.get $a) (local.get $row)))
        (local.set $fp (i32.add (local.get $fp) (local.get $row)))
        (br $rows))))

  ;; d ← d ⊙ fp on rows 0..n−1 of the n×h buffers, db = Σ_rows d (1×h) from +0, rows in order,
  ;; each column in its own lane: tanh_backward's loop with f′ loaded instead of recomputed.
  (func $mask_stored (param $n i32) (param $h i32) (param $d i32) (param $fp i32) (param $db i32)
    (local $row i32) (local $pairs i32) (local $dend i32) (local $j i32) (local $v v128)
    (local.set $row (i32.shl (local.get $h) (i32.const 3)))
    (local.set $pairs (i32.shl (i32.and (local.get $h) (i32.const -2)) (i32.const 3)))
    (local.set $dend (i32.add (local.get $d) (i32.mul (local.get $n) (local.get $row))))
    (block $zeroed
      (loop $zero
        (br_if $zeroed (i32.ge_u (local.get $j) (local.get $row)))
        (f64.store (i32.add (local.get $db) (local.get $j)) (f64.const 0))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $zero)))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $d) (local.get $dend)))
        (local.set $j (i32.const 0))
        (block $pairs_done
          (loop $pair
            (br_if $pairs_done (i32.ge_u (local.get $j) (local.get $pairs)))
            ;; δ1 = ∂L/∂a1 ⊙ f′(z1);  ∂L/∂b1 += δ1 (this row)
            (local.set $v (f64x2.mul (v128.load (i32.add (local.get $d) (local.get $j)))
                                     (v128.load (i32.add (local.get $fp) (local.get $j)))))
            (v128.store (i32.add (local.get $d) (local.get $j)) (local.get $v))
            (v128.store (i32.add (local.get $db) (local.get $j))
                        (f64x2.add (v128.load (i32.add (local.get $db) (local.get $j))) (local.get $v)))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $pair)))
        (if (i32.and (local.get $h) (i32.const 1))
          (then
            (local.set $v (f64x2.mul (v128.load64_zero (i32.add (local.get $d) (local.get $j)))
                                     (v128.load64_zero (i32.add (local.get $fp) (local.get $j)))))
            (v128.store64_lane 0 (i32.add (local.get $d) (local.get $j)) (local.get $v))
            (f64.store (i32.add (local.get $db) (local.get $j))
                       (f64.add (f64.load (i32.add (local.get $db) (local.get $j)))
                                (f64x2.extract_lane 0 (local.get $v))))))
        (local.set $d (i32.add (local.get $d) (local.get $row)))
        (local.set $fp (i32.add (local.get $fp) (local.get $row)))
        (br $rows))))

  ;; out (1×k) = Σ_i src_i over rows 0..n−1 of the n×k buffer src, each column from +0 with the
  ;; rows in order (fast-network.ts's columnSums).
  (func $column_sums (param $n i32) (param $k i32) (param $src i32) (param $out i32)
    (local $row i32) (local $end i32) (local $j i32) (local $p i32) (local $s f64)
    (local.set $row (i32.shl (local.get $k) (i32.const 3)))
    (local.set $end (i32.add (local.get $src) (i32.mul (local.get $n) (local.get $row))))
    (block $cols_done
      (loop $cols
        (br_if $cols_done (i32.ge_u (local.get $j) (local.get $row)))
        (local.set $s (f64.const 0))
        (local.set $p (i32.add (local.get $src) (local.get $j)))
        (block $rows_done
          (loop $rows
            (br_if $rows_done (i32.ge_u (local.get $p) (local.get $end)))
            (local.set $s (f64.add (local.get $s) (f64.load (local.get $p))))
            (local.set $p (i32.add (local.get $p) (local.get $row)))
            (br $rows)))
        (f64.store (i32.add (local.get $out) (local.get $j)) (local.get $s))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $cols))))

  ;; g ← g + λ w on `len` entries (fast-network.ts's addPenaltyGradient: ∂/∂W (λ/2)‖W‖² = λ W).
  (func $add_penalty (param $len i32) (param $g i32) (param $w i32) (param $l2 f64)
    (local $end i32)
    (local.set $end (i32.add (local.get $g) (i32.shl (local.get $len) (i32.const 3))))
    (block $done
      (loop $entries
        (br_if $done (i32.ge_u (local.get $g) (local.get $end)))
        (f64.store (local.get $g)
                   (f64.add (f64.load (local.get $g)) (f64.mul (local.get $l2) (f64.load (local.get $w)))))
        (local.set $g (i32.add (local.get $g) (i32.const 8)))
        (local.set $w (i32.add (local.get $w) (i32.const 8)))
        (br $entries))))

  ;; 1 when the `len` values at p are all finite, else 0: x − x is +0 for finite x and NaN for
  ;; ±∞ and NaN (steppers/fast.ts's buffersAreFinite sums them; here the lanes where it is not
  ;; 0 are or-ed, which keeps no chain of additions waiting on each other).
  (func $all_finite (param $p i32) (param $len i32) (result i32)
    (local $end i32) (local $pairs i32) (local $x v128) (local $bad v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $len) (i32.const 3))))
    (local.set $pairs (i32.add (local.get $p)
                               (i32.shl (i32.and (local.get $len) (i32.const -2)) (i32.const 3))))
    (block $done
      (loop $pair
        (br_if $done (i32.ge_u (local.get $p) (local.get $pairs)))
        (local.set $x (v128.load (local.get $p)))
        (local.set $bad (v128.or (local.get $bad)
                                 (f64x2.ne (f64x2.sub (local.get $x) (local.get $x))
                                           (v128.const f64x2 0 0))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $pair)))
    (if (i32.lt_u (local.get $p) (local.get $end))
      (then
        (local.set $x (v128.load64_zero (local.get $p)))
        (local.set $bad (v128.or (local.get $bad)
                                 (f64x2.ne (f64x2.sub (local.get $x) (local.get $x))
                                           (v128.const f64x2 0 0))))))
    (i32.eqz (v128.any_true (local.get $bad))))

  ;; K = 1: the gradients step_backward takes from δ2 before Xᵀ δ1, in one pass over the rows,
  ;; with the operations of the products and passes they replace (gemm_ta's a1ᵀ δ2, the column
  ;; sum of δ2, gemm_tb's one-term δ2 W2ᵀ, rect_mask or $mask_stored), so the same bits:
  ;;   ∂L/∂W2_j = Σ_i a1_ij δ2_i           H×1, from +0 with i ascending (j, j+1 in the lanes)
  ;;   ∂L/∂b2   = Σ_i δ2_i                 1×1, from +0 with i ascending
  ;;   ∂L/∂a1_ij = 0 + δ2_i W2_j           n×H, δ2 W2ᵀ: a sum of one product, from +0
  ;;   δ1_ij = ∂L/∂a1_ij · f′(z1_ij)       n×H, f′ = z > 0 ? 1 : slope, or tanh′ loaded from fp
  ;;   ∂L/∂b1_j = Σ_i δ1_ij                1×H, from +0 with i ascending
  (func $backward_one_logit (param $n i32) (param $h i32) (param $a1 i32) (param $dz2 i32)
                            (param $w2 i32) (param $z1 i32) (param $fp i32) (param $dz1 i32)
                            (param $gw2 i32) (param $gb2 i32) (param $gb1 i32)
                            (param $act i32) (param $slope f64)
    (local $row i32) (local $pairs i32) (local $end i32) (local $j i32)
    (local $d2 v128) (local $da v128) (local $f v128) (local $d v128) (local $slopes v128)
    (local $db2 f64)
    (local.set $slopes (f64x2.splat (local.get $slope)))
    (local.set $row (i32.shl (local.get $h) (i32.const 3)))
    (local.set $pairs (i32.shl (i32.and (local.get $h) (i32.const -2)) (i32.const 3)))
    (local.set $end (i32.add (local.get $dz2) (i32.shl (local.get $n) (i32.const 3))))
    (block $zeroed
      (loop $zero
        (br_if $zeroed (i32.ge_u (local.get $j) (local.get $row)))
        (f64.store (i32.add (local.get $gw2) (local.get $j)) (f64.const 0))
        (f64.store (i32.add (local.get $gb1) (local.get $j)) (f64.const 0))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $zero)))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $dz2) (local.get $end)))
        (local.set $d2 (v128.load64_splat (local.get $dz2)))                      ;; δ2_i in both lanes
        (local.set $db2 (f64.add (local.get $db2) (f64.load (local.get $dz2)))) ;; ∂L/∂b2 += δ2_i
        (local.set $j (i32.const 0))
        (block $pairs_done
          (loop $pair
            (br_if $pairs_done (i32.ge_u (local.get $j) (local.get $pairs)))
            ;; ∂L/∂W2_j += a1_ij δ2_i
            (v128.store (i32.add (local.get $gw2) (local.get $j))
                        (f64x2.add (v128.load (i32.add (local.get $gw2) (local.get $j)))
                                   (f64x2.mul (v128.load (i32.add (local.get $a1) (local.get $j)))
                                              (local.get $d2))))
            ;; ∂L/∂a1_ij = 0 + δ2_i W2_j
            (local.set $da (f64x2.add (v128.const f64x2 0 0)
                                      (f64x2.mul (local.get $d2)
                                                 (v128.load (i32.add (local.get $w2) (local.get $j))))))
            ;; f′(z1_ij): tanh′ as the forward pass stored it, or z1 > 0 ? 1 : slope
            (if (i32.eq (local.get $act) (i32.const 2))
              (then (local.set $f (v128.load (i32.add (local.get $fp) (local.get $j)))))
              (else
                (local.set $f (v128.bitselect (v128.const f64x2 1 1) (local.get $slopes)
                                              (f64x2.gt (v128.load (i32.add (local.get $z1) (local.get $j)))
                                                        (v128.const f64x2 0 0))))))
            ;; δ1_ij = ∂L/∂a1_ij · f′(z1_ij);  ∂L/∂b1_j += δ1_ij
            (local.set $d (f64x2.mul (local.get $da) (local.get $f)))
            (v128.store (i32.add (local.get $dz1) (local.get $j)) (local.get $d))
            (v128.store (i32.add (local.get $gb1) (local.get $j))
                        (f64x2.add (v128.load (i32.add (local.get $gb1) (local.get $j))) (local.get $d)))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $pair)))
        (if (i32.and (local.get $h) (i32.const 1))
          (then
            ;; the last column of an odd H: lane 0 of the same operations
            (v128.store64_lane 0 (i32.add (local.get $gw2) (local.get $j))
                        (f64x2.add (v128.load64_zero (i32.add (local.get $gw2) (local.get $j)))
                                   (f64x2.mul (v128.load64_zero (i32.add (local.get $a1) (local.get $j)))
                                              (local.get $d2))))
            (local.set $da (f64x2.add (v128.const f64x2 0 0)
                                      (f64x2.mul (local.get $d2)
                                                 (v128.load64_zero (i32.add (local.get $w2) (local.get $j))))))
            (if (i32.eq (local.get $act) (i32.const 2))
              (then (local.set $f (v128.load64_zero (i32.add (local.get $fp) (local.get $j)))))
              (else
                (local.set $f (v128.bitselect (v128.const f64x2 1 1) (local.get $slopes)
                                              (f64x2.gt (v128.load64_zero (i32.add (local.get $z1) (local.get $j)))
                                                        (v128.const f64x2 0 0))))))
            (local.set $d (f64x2.mul (local.get $da) (local.get $f)))
            (v128.store64_lane 0 (i32.add (local.get $dz1) (local.get $j)) (local.get $d))
            (v128.store64_lane 0 (i32.add (local.get $gb1) (local.get $j))
                        (f64x2.add (v128.load64_zero (i32.add (local.get $gb1) (local.get $j))) (local.get $d)))))
        (local.set $dz2 (i32.add (local.get $dz2) (i32.const 8)))
        (local.set $a1 (i32.add (local.get $a1) (local.get $row)))
        (local.set $z1 (i32.add (local.get $z1) (local.get $row)))
        (local.set $fp (i32.add (local.get $fp) (local.get $row)))
        (local.set $dz1 (i32.add (local.get $dz1) (local.get $row)))
        (br $rows)))
    (f64.store (local.get $gb2) (local.get $db2)))

  ;; K ≥ 2: the gradients step_backward takes from δ2 before Xᵀ δ1, product by product.
  (func $backward_logits (param $n i32) (param $h i32) (param $k i32) (param $z1 i32)
                         (param $fp i32) (param $a1 i32) (param $dz2 i32) (param $dz1 i32)
                         (param $w2 i32) (param $gb1 i32) (param $gw2 i32) (param $gb2 i32)
                         (param $act i32) (param $slope f64)
    ;; H×K, ∂L/∂W2 = a1ᵀ δ2 (gemm_ta's strides: ars = 8, aps = 8H, bps = 8K, bjs = 8)
    (call $product (local.get $h) (local.get $n) (local.get $k)
      (local.get $a1) (i32.const 8) (i32.shl (local.get $h) (i32.const 3))
      (local.get $dz2) (i32.shl (local.get $k) (i32.const 3)) (i32.const 8)
      (local.get $gw2))
    ;; 1×K, ∂L/∂b2 = Σ_n δ2
    (call $column_sums (local.get $n) (local.get $k) (local.get $dz2) (local.get $gb2))
    ;; n×H, ∂L/∂a1 = δ2 W2ᵀ (gemm_tb's strides: ars = 8K, aps = 8, bps = 8, bjs = 8K)
    (call $product (local.get $n) (local.get $k) (local.get $h)
      (local.get $dz2) (i32.shl (local.get $k) (i32.const 3)) (i32.const 8)
      (local.get $w2) (i32.const 8) (i32.shl (local.get $k) (i32.const 3))
      (local.get $dz1))
    ;; n×H, δ1 = ∂L/∂a1 ⊙ f′(z1) in place; 1×H, ∂L/∂b1 = Σ_n δ1
    (if (i32.eq (local.get $act) (i32.const 2))
      (then
        (call $mask_stored (local.get $n) (local.get $h) (local.get $dz1) (local.get $fp)
                           (local.get $gb1)))
      (else
        (call $rect_mask (local.get $n) (local.get $h) (local.get $dz1) (local.get $z1)
                         (local.get $gb1) (local.get $slope)))))

  (func $step_forward (export "step_forward")
      (param $n i32) (param $d i32) (param $h i32) (param $k i32)
      (param $x i32) (param $w1 i32) (param $b1 i32) (param $w2 i32)
      (param $z1 i32) (param $a1 i32) (param $fp i32) (param $z2 i32)
      (param $act i32) (param $slope f64)
    ;; n×H, X W1 (gemm's strides: ars = 8D, aps = 8, bps = 8H, bjs = 8)
    (call $product (local.get $n) (local.get $d) (local.get $h)
      (local.get $x) (i32.shl (local.get $d) (i32.const 3)) (i32.const 8)
      (local.get $w1) (i32.shl (local.get $h) (i32.const 3)) (i32.const 8)
      (local.get $z1))
    ;; n×H, z1 = X W1 + b1, a1 = f(z1) (tanh: and f′(z1))
    (if (i32.eq (local.get $act) (i32.const 2))
      (then
        (call $tanh_forward_fp (local.get $n) (local.get $h) (local.get $z1) (local.get $b1)
                               (local.get $a1) (local.get $fp)))
      (else
        (if (i32.eqz (local.get $act))
          (then
            (call $bias_relu (local.get $n) (local.get $h) (local.get $z1) (local.get $b1)
                             (local.get $a1)))
          (else
            (call $bias_leaky (local.get $n) (local.get $h) (local.get $z1) (local.get $b1)
                              (local.get $a1) (local.get $slope))))))
    ;; n×K, a1 W2 (gemm's strides: ars = 8H, aps = 8, bps = 8K, bjs = 8)
    (call $product (local.get $n) (local.get $h) (local.get $k)
      (local.get $a1) (i32.shl (local.get $h) (i32.const 3)) (i32.const 8)
      (local.get $w2) (i32.shl (local.get $k) (i32.const 3)) (i32.const 8)
      (local.get $z2)))

  (func $step_backward (export "step_backward")
      (param $n i32) (param $d i32) (param $h i32) (param $k i32)
      (param $x i32) (param $z1 i32) (param $fp i32) (param $a1 i32) (param $dz2 i32)
      (param $dz1 i32) (param $w1 i32) (param $w2 i32)
      (param $gw1 i32) (param $gb1 i32) (param $gw2 i32) (param $gb2 i32)
      (param $act i32) (param $slope f64) (param $l2 f64) (result i32)
    (if (i32.eq (local.get $k) (i32.const 1))
      (then
        ;; H×1 ∂L/∂W2, 1×1 ∂L/∂b2, n×H δ1 and 1×H ∂L/∂b1 in one pass (see the function)
        (call $backward_one_logit (local.get $n) (local.get $h) (local.get $a1) (local.get $dz2)
                                  (local.get $w2) (local.get $z1) (local.get $fp) (local.get $dz1)
                                  (local.get $gw2) (local.get $gb2) (local.get $gb1)
                                  (local.get $act) (local.get $slope)))
      (else
        (call $backward_logits (local.get $n) (local.get $h) (local.get $k) (local.get $z1)
                               (local.get $fp) (local.get $a1) (local.get $dz2) (local.get $dz1)
                               (local.get $w2) (local.get $gb1) (local.get $gw2) (local.get $gb2)
                               (local.get $act) (local.get $slope))))
    ;; D×H, ∂L/∂W1 = Xᵀ δ1 (gemm_ta's strides: ars = 8, aps = 8D, bps = 8H, bjs = 8)
    (call $product (local.get $d) (local.get $n) (local.get $h)
      (local.get $x) (i32.const 8) (i32.shl (local.get $d) (i32.const 3))
      (local.get $dz1) (i32.shl (local.get $h) (i32.const 3)) (i32.const 8)
      (local.get $gw1))
    (if (f64.ne (local.get $l2) (f64.const 0))
      (then
        ;; D×H, ∂L/∂W1 += λ W1;  H×K, ∂L/∂W2 += λ W2
        (call $add_penalty (i32.mul (local.get $d) (local.get $h)) (local.get $gw1) (local.get $w1)
                           (local.get $l2))
        (call $add_penalty (i32.mul (local.get $h) (local.get $k)) (local.get $gw2) (local.get $w2)
                           (local.get $l2))))
    (i32.and
      (i32.and (call $all_finite (local.get $gw1) (i32.mul (local.get $d) (local.get $h)))
               (call $all_finite (local.get $gb1) (local.get $h)))
      (i32.and (call $all_finite (local.get $gw2) (i32.mul (local.get $h) (local.get $k)))
               (call $all_finite (local.get $gb2) (local.get $k)))))

  ;; θ ← θ − η g on `len` entries (fast-update.ts's descend), then whether every θ is finite.
  (func (export "sgd_update") (param $theta i32) (param $g i32) (param $len i32) (param $eta f64)
                              (result i32)
    (local $p i32) (local $q i32) (local $end i32) (local $pairs i32) (local $etas v128)
    (local.set $etas (f64x2.splat (local.get $eta)))
    (local.set $p (local.get $theta))
    (local.set $q (local.get $g))
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $len) (i32.const 3))))
    (local.set $pairs (i32.add (local.get $p)
                               (i32.shl (i32.and (local.get $len) (i32.const -2)) (i32.const 3))))
    (block $done
      (loop $pair
        (br_if $done (i32.ge_u (local.get $p) (local.get $pairs)))
        ;; θ ← θ − η g
        (v128.store (local.get $p)
                    (f64x2.sub (v128.load (local.get $p))
                               (f64x2.mul (local.get $etas) (v128.load (local.get $q)))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (local.set $q (i32.add (local.get $q) (i32.const 16)))
        (br $pair)))
    (if (i32.lt_u (local.get $p) (local.get $end))
      (then
        (f64.store (local.get $p)
                   (f64.sub (f64.load (local.get $p))
                            (f64.mul (local.get $eta) (f64.load (local.get $q)))))))
    (call $all_finite (local.get $theta) (local.get $len)))

  ;; The update rules of fast-update.ts on `len` entries, two per f64x2; the last entry of an odd
  ;; len is lane 0 of a pair loaded with v128.load64_zero and stored with v128.store64_lane (whole
  ;; = 0). Each returns which of the new values are not all finite ($all_finite after the pass):
  ;; 1 for θ, + 2 for the first moment (v, or Adam's m), + 4 for Adam's v.

  ;; v ← μ v + g, then θ ← θ − η d, d = g + μ v (nesterov ≠ 0) or v (heavy ball)
  (func (export "momentum_update") (param $theta i32) (param $g i32) (param $v i32) (param $len i32)
                                   (param $eta f64) (param $mu f64) (param $nesterov i32)
                                   (result i32)
    (local $p i32) (local $end i32) (local $pairs i32) (local $whole i32)
    (local $etas v128) (local $mus v128) (local $gi v128) (local $vi v128) (local $ti v128)
    (local $d v128)
    (local.set $etas (f64x2.splat (local.get $eta)))
    (local.set $mus (f64x2.splat (local.get $mu)))
    (local.set $end (i32.shl (local.get $len) (i32.const 3)))
    (local.set $pairs (i32.shl (i32.and (local.get $len) (i32.const -2)) (i32.const 3)))
    (block $done
      (loop $entries
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $whole (i32.lt_u (local.get $p) (local.get $pairs)))
        (if (local.get $whole)
          (then
            (local.set $gi (v128.load (i32.add (local.get $g) (local.get $p))))
            (local.set $vi (v128.load (i32.add (local.get $v) (local.get $p))))
            (local.set $ti (v128.load (i32.add (local.get $theta) (local.get $p)))))
          (else
            (local.set $gi (v128.load64_zero (i32.add (local.get $g) (local.get $p))))
            (local.set $vi (v128.load64_zero (i32.add (local.get $v) (local.get $p))))
            (local.set $ti (v128.load64_zero (i32.add (local.get $theta) (local.get $p))))))
        ;; v ← μ v + g
        (local.set $vi (f64x2.add (f64x2.mul (local.get $mus) (local.get $vi)) (local.get $gi)))
        ;; d = g + μ v (nesterov) or v
        (local.set $d (select (result v128)
                        (f64x2.add (local.get $gi) (f64x2.mul (local.get $mus) (local.get $vi)))
                        (local.get $vi)
                        (local.get $nesterov)))
        ;; θ ← θ − η d
        (local.set $ti (f64x2.sub (local.get $ti) (f64x2.mul (local.get $etas) (local.get $d))))
        (if (local.get $whole)
          (then
            (v128.store (i32.add (local.get $v) (local.get $p)) (local.get $vi))
            (v128.store (i32.add (local.get $theta) (local.get $p)) (local.get $ti)))
          (else
            (v128.store64_lane 0 (i32.add (local.get $v) (local.get $p)) (local.get $vi))
            (v128.store64_lane 0 (i32.add (local.get $theta) (local.get $p)) (local.get $ti))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $entries)))
    (i32.add (i32.eqz (call $all_finite (local.get $theta) (local.get $len)))
             (i32.shl (i32.eqz (call $all_finite (local.get $v) (local.get $len))) (i32.const 1))))

  ;; m ← β1 m + (1 − β1) g, v ← β2 v + (1 − β2) g g, θ ← θ − η ((m / c1) / (√(v / c2) + ε)),
  ;; c1 = 1 − β1ᵗ, c2 = 1 − β2ᵗ (√ is correctly rounded here and in JavaScript)
  (func (export "adam_update") (param $theta i32) (param $g i32) (param $m i32) (param $v i32)
                               (param $len i32) (param $eta f64) (param $beta1 f64)
                               (param $beta2 f64) (param $eps f64) (param $c1 f64) (param $c2 f64)
                               (result i32)
    (local $p i32) (local $end i32) (local $pairs i32) (local $whole i32)
    (local $b1 v128) (local $b2 v128) (local $rest1 v128) (local $rest2 v128)
    (local $gi v128) (local $mi v128) (local $vi v128) (local $ti v128)
    (local.set $b1 (f64x2.splat (local.get $beta1)))
    (local.set $b2 (f64x2.splat (local.get $beta2)))
    (local.set $rest1 (f64x2.splat (f64.sub (f64.const 1) (local.get $beta1)))) ;; 1 − β1
    (local.set $rest2 (f64x2.splat (f64.sub (f64.const 1) (local.get $beta2)))) ;; 1 − β2
    (local.set $end (i32.shl (local.get $len) (i32.const 3)))
    (local.set $pairs (i32.shl (i32.and (local.get $len) (i32.const -2)) (i32.const 3)))
    (block $done
      (loop $entries
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $whole (i32.lt_u (local.get $p) (local.get $pairs)))
        (if (local.get $whole)
          (then
            (local.set $gi (v128.load (i32.add (local.get $g) (local.get $p))))
            (local.set $mi (v128.load (i32.add (local.get $m) (local.get $p))))
            (local.set $vi (v128.load (i32.add (local.get $v) (local.get $p))))
            (local.set $ti (v128.load (i32.add (local.get $theta) (local.get $p)))))
          (else
            (local.set $gi (v128.load64_zero (i32.add (local.get $g) (local.get $p))))
            (local.set $mi (v128.load64_zero (i32.add (local.get $m) (local.get $p))))
            (local.set $vi (v128.load64_zero (i32.add (local.get $v) (local.get $p))))
            (local.set $ti (v128.load64_zero (i32.add (local.get $theta) (local.get $p))))))
        ;; m ← β1 m + (1 − β1) g
        (local.set $mi (f64x2.add (f64x2.mul (local.get $b1) (local.get $mi))
                                  (f64x2.mul (local.get $rest1) (local.get $gi))))
        ;; v ← β2 v + (1 − β2) g g
        (local.set $vi (f64x2.add (f64x2.mul (local.get $b2) (local.get $vi))
                                  (f64x2.mul (f64x2.mul (local.get $rest2) (local.get $gi))
                                             (local.get $gi))))
        ;; θ ← θ − η m̂/(√v̂ + ε), m̂ = m / c1, v̂ = v / c2
        (local.set $ti
          (f64x2.sub (local.get $ti)
                     (f64x2.mul (f64x2.splat (local.get $eta))
                                (f64x2.div (f64x2.div (local.get $mi) (f64x2.splat (local.get $c1)))
                                           (f64x2.add (f64x2.sqrt (f64x2.div (local.get $vi)
                                                                             (f64x2.splat (local.get $c2))))
                                                      (f64x2.splat (local.get $eps)))))))
        (if (local.get $whole)
          (then
            (v128.store (i32.add (local.get $m) (local.get $p)) (local.get $mi))
            (v128.store (i32.add (local.get $v) (local.get $p)) (local.get $vi))
            (v128.store (i32.add (local.get $theta) (local.get $p)) (local.get $ti)))
          (else
            (v128.store64_lane 0 (i32.add (local.get $m) (local.get $p)) (local.get $mi))
            (v128.store64_lane 0 (i32.add (local.get $v) (local.get $p)) (local.get $vi))
            (v128.store64_lane 0 (i32.add (local.get $theta) (local.get $p)) (local.get $ti))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $entries)))
    (i32.add
      (i32.add (i32.eqz (call $all_finite (local.get $theta) (local.get $len)))
               (i32.shl (i32.eqz (call $all_finite (local.get $m) (local.get $len))) (i32.const 1)))
      (i32.shl (i32.eqz (call $all_finite (local.get $v) (local.get $len))) (i32.const 2))))
  ;; ---- end step -------------------------------------------------------------------------------

  ;; ---- threads: element-wise passes split by rows ----------------------------------------------
  ;; (src/linalg/wasm/threaded-backend.ts.) A step's two phases, each one dispatch per thread:
  ;; the forward pass split by batch rows (gemm, bias_relu / bias_leaky / tanh_forward, gemm on
  ;; the thread's rows), the backward pass split by hidden units, i.e. by columns of δ1, so that
  ;; each column's sum over the batch (∂b1, and every entry of ∂W1 = Xᵀ δ1) stays one
  ;; accumulator in row order on one thread. The column blocks need a row stride (ld) that is
  ;; not the block's width: product_ldc (the driver above, C's row stride a parameter) and the
  ;; two masks below, which are rect_mask's and tanh_backward's arithmetic entry for entry on an
  ;; n×w block of a matrix with ld values per row.

  ;; The driver on a dense C (rows 8n bytes apart), as gemm, gemm_ta, gemm_tb and gemm_ta_ld call it.
  (func $product (param $m i32) (param $k i32) (param $n i32)
                 (param $a i32) (param $ars i32) (param $aps i32)
                 (param $b i32) (param $bps i32) (param $bjs i32) (param $c i32)
    (call $product_ldc (local.get $m) (local.get $k) (local.get $n)
      (local.get $a) (local.get $ars) (local.get $aps)
      (local.get $b) (local.get $bps) (local.get $bjs)
      (local.get $c) (i32.shl (local.get $n) (i32.const 3))))
  ;; product_ldc(m k n a ars aps b bps bjs c ldc): every stride in bytes.
  (export "product_ldc" (func $product_ldc))

  ;; rect_mask_ld(n w ld d z db s): d_ij ← d_ij · (z_ij > 0 ? 1 : s), db_j = Σ_i d_ij (i ascending
  ;; from +0) for i < n, j < w, entry (i, j) at byte 8(i·ld + j) from d and from z; db is 1×w.
  (func (export "rect_mask_ld") (param $n i32) (param $w i32) (param $ld i32) (param $d i32)
                                (param $z i32) (param $db i32) (param $slope f64)
    (local $rowbytes i32) (local $pairs i32) (local $dend i32) (local $j i32)
    (local $x v128) (local $slopes v128) (local $s f64)
    (local.set $slopes (f64x2.splat (local.get $slope)))
    (local.set $rowbytes (i32.shl (local.get $ld) (i32.const 3)))
    (local.set $pairs (i32.shl (i32.and (local.get $w) (i32.const -2)) (i32.const 3)))
    (block $zeroed ;; db_j = +0
      (loop $zero
        (br_if $zeroed (i32.ge_u (local.get $j) (i32.shl (local.get $w) (i32.const 3))))
        (f64.store (i32.add (local.get $db) (local.get $j)) (f64.const 0))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $zero)))
    (local.set $dend (i32.add (local.get $d) (i32.mul (local.get $n) (local.get $rowbytes))))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $d) (local.get $dend)))
        (local.set $j (i32.const 0))
        (block $pairs_done
          (loop $pair
            (br_if $pairs_done (i32.ge_u (local.get $j) (local.get $pairs)))
            ;; x = d ⊙ f′(z), f′(z) = z > 0 ? 1 : s (multiplied: NaN · 0 is NaN, as in JS)
            (local.set $x
              (f64x2.mul (v128.load (i32.add (local.get $d) (local.get $j)))
                         (v128.bitselect (v128.const f64x2 1 1) (local.get $slopes)
                                         (f64x2.gt (v128.load (i32.add (local.get $z) (local.get $j)))
                                                   (v128.const f64x2 0 0)))))
            (v128.store (i32.add (local.get $d) (local.get $j)) (local.get $x))
            (v128.store (i32.add (local.get $db) (local.get $j))
                        (f64x2.add (v128.load (i32.add (local.get $db) (local.get $j))) (local.get $x)))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $pair)))
        (if (i32.and (local.get $w) (i32.const 1))
          (then
            (local.set $s
              (f64.mul (f64.load (i32.add (local.get $d) (local.get $j)))
                       (select (f64.const 1) (local.get $slope)
                               (f64.gt (f64.load (i32.add (local.get $z) (local.get $j))) (f64.const 0)))))
            (f64.store (i32.add (local.get $d) (local.get $j)) (local.get $s))
            (f64.store (i32.add (local.get $db) (local.get $j))
                       (f64.add (f64.load (i32.add (local.get $db) (local.get $j))) (local.get $s)))))
        (local.set $d (i32.add (local.get $d) (local.get $rowbytes)))
        (local.set $z (i32.add (local.get $z) (local.get $rowbytes)))
        (br $rows))))

  ;; tanh_backward_ld(n w ld d z db): d_ij ← d_ij · tanh′(z_ij), db_j = Σ_i d_ij (i ascending from
  ;; +0), on the n×w block with row stride ld as rect_mask_ld; tanh′ is $tanh_derivative above.
  (func (export "tanh_backward_ld") (param $n i32) (param $w i32) (param $ld i32) (param $d i32)
                                    (param $z i32) (param $db i32)
    (local $rowbytes i32) (local $pairs i32) (local $dend i32) (local $j i32) (local $v v128)
    (local.set $rowbytes (i32.shl (local.get $ld) (i32.const 3)))
    (local.set $pairs (i32.shl (i32.and (local.get $w) (i32.const -2)) (i32.const 3)))
    (block $zeroed ;; db_j = +0
      (loop $zero
        (br_if $zeroed (i32.ge_u (local.get $j) (i32.shl (local.get $w) (i32.const 3))))
        (f64.store (i32.add (local.get $db) (local.get $j)) (f64.const 0))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $zero)))
    (local.set $dend (i32.add (local.get $d) (i32.mul (local.get $n) (local.get $rowbytes))))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $d) (local.get $dend)))
        (local.set $j (i32.const 0))
        (block $pairs_done
          (loop $pair
            (br_if $pairs_done (i32.ge_u (local.get $j) (local.get $pairs)))
            (local.set $v (f64x2.mul (v128.load (i32.add (local.get $d) (local.get $j)))
                                     (call $tanh_derivative (v128.load (i32.add (local.get $z) (local.get $j))))))
            (v128.store (i32.add (local.get $d) (local.get $j)) (local.get $v))
            (v128.store (i32.add (local.get $db) (local.get $j))
                        (f64x2.add (v128.load (i32.add (local.get $db) (local.get $j))) (local.get $v)))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $pair)))
        (if (i32.and (local.get $w) (i32.const 1))
          (then
            (local.set $v (f64x2.mul (v128.load64_zero (i32.add (local.get $d) (local.get $j)))
                                     (call $tanh_derivative
                                       (v128.load64_zero (i32.add (local.get $z) (local.get $j))))))
            (v128.store64_lane 0 (i32.add (local.get $d) (local.get $j)) (local.get $v))
            (f64.store (i32.add (local.get $db) (local.get $j))
                       (f64.add (f64.load (i32.add (local.get $db) (local.get $j)))
                                (f64x2.extract_lane 0 (local.get $v))))))
        (local.set $d (i32.add (local.get $d) (local.get $rowbytes)))
        (local.set $z (i32.add (local.get $z) (local.get $rowbytes)))
        (br $rows))))
  ;; ---- end threads: phases --------------------------------------------------------------------
  ;; ---- sigmoid head (issue 17) ----------------------------------------------------------------
  ;; The output layer of the sigmoid head (K = 1) on rows 0..n−1, two rows per f64x2 (an odd
  ;; last row in lane 0), with the operations of src/nn/fused-heads.ts's sigmoidOutput in the
  ;; same order, so every value has its bits (the one JavaScript definition the tests compare
  ;; against, and the head of every path without these kernels):
  ;;   z2_i ← z2_i + b2                                  n×1
  ;;   e = e^{−|z|}                                      exp.ts exp ($exp, shared with tanh′)
  ;;   ℓ_i = (max(z, 0) − y z) + log1p(e)                softplus(z) − y z; log.ts log1p ($log1p)
  ;;   σ(z) = p = z ≥ 0 ? 1/(1 + e) : e/(1 + e),  σ(−z) = q = z ≤ 0 ? 1/(1 + e) : e/(1 + e)
  ;;   δ2_i = (1/N)·(y = 0 ? p : y = 1 ? −q : (1 − y) p − y q)      σ(z) − y, every label
  ;;   correct += [(p ≥ 0.5 ? 1 : 0) = y]
  ;; Where JavaScript branches, both sides are computed and each lane takes its own
  ;; (v128.bitselect); max is f64x2.max, which is Math.max (NaN if either is NaN, +0 for ±0).
  ;; Exports (pointers byte offsets):
  ;;   sigmoid_output(n z2 b2 y losses dz2 inverseN) → i32   the above; returns the correct rows
  ;;   forward_sigmoid(n d h x w1 b1 w2 b2 y z1 a1 fp z2 losses dz2 act slope inverseN) → i32
  ;;       step_forward with K = 1, then sigmoid_output: a fused step's forward pass in one call
  ;;   step_sigmoid(… as forward_sigmoid …, dz1 gw1 gb1 gw2 gb2 l2) → i32
  ;;       forward_sigmoid, then step_backward: a K = 1 training step's gradients in one call;
  ;;       1 when every gradient entry is finite, else 0
  ;;   log1p_values(n x out)   out_i = log1p(x_i), for the tests of $log1p on its own

  ;; log.ts log1p on each lane of x, bit-identical for every x. Its branches, lane by lane:
  ;; !(x > −1) gives x = −1 ? −∞ : NaN, x = +∞ and |x| < 2^{−54} give x; for the rest
  ;; (computed unless no lane needs it) x ∈ [√2/2 − 1, √2 − 1) reduces to k = 0, f = x, c = 0,
  ;; any other x to u = 1 + x, c = ((1 + x) − u)/u (Fast2Sum's error, both orders, as JS) and
  ;; u = 2^k m from u's bits (exponentOf: u ≥ 2^{−53} is normal, so no subnormal scaling;
  ;; log1p's shortcut k = 1, f = u/2 − 1 for x ∈ [√2 − 1, 2√2 − 1) is exactly what the bits
  ;; give there, log.ts says why, so the bits serve those lanes too). Then logOfReduced as
  ;; log.ts: s = f/(2 + f), f²/2 and its error by Veltkamp's split (exact.ts squareError),
  ;; atanhTail in Estrin's scheme, and high + small where k = 0, else the Fast2Sum with k ln2.
  (func $log1p (param $x v128) (result v128)
    (local $keep v128) (local $u v128) (local $c v128) (local $k v128) (local $m v128)
    (local $f v128) (local $in v128) (local $big v128) (local $s v128) (local $w v128)
    (local $w2 v128) (local $w4 v128) (local $sq v128) (local $half v128) (local $t v128)
    (local $ah v128) (local $al v128) (local $cross v128) (local $high v128) (local $small v128)
    (local $multiple v128) (local $sum v128) (local $r v128)
    ;; lanes whose log1p is x itself: |x| < 2^{−54} (±0 and subnormals included), x = +∞
    (local.set $keep (v128.or (f64x2.lt (f64x2.abs (local.get $x)) (f64x2.splat (f64.const 0x1p-54)))
                              (f64x2.eq (local.get $x) (f64x2.splat (f64.const inf)))))
    (local.set $r (local.get $x))
    (if (i32.eqz (i64x2.all_true
                   (v128.or (local.get $keep)
                            (v128.not (f64x2.gt (local.get $x) (f64x2.splat (f64.const -1)))))))
      (then
        ;; k, f, c: x itself in [√2/2 − 1, √2 − 1), else from u = 1 + x
        (local.set $in (v128.and (f64x2.ge (local.get $x) (f64x2.splat (f64.const -0x1.2bec333018866p-2)))
                                 (f64x2.lt (local.get $x) (f64x2.splat (f64.const 0x1.a827999fcef34p-2)))))
        ;; (k, f, c) = (+0, x, +0) where in; the rest of this block only for lanes not in
        (local.set $f (local.get $x))
        (if (i32.eqz (i64x2.all_true (local.get $in)))
          (then
        (local.set $u (f64x2.add (f64x2.splat (f64.const 1)) (local.get $x)))
        ;; c = ((1 + x) − u)/u: x > 1 ? (x − u) + 1 : (1 − u) + x, then divided by u
        (local.set $c
          (f64x2.div
            (v128.bitselect
              (f64x2.add (f64x2.sub (local.get $x) (local.get $u)) (f64x2.splat (f64.const 1)))
              (f64x2.add (f64x2.sub (f64x2.splat (f64.const 1)) (local.get $u)) (local.get $x))
              (f64x2.gt (local.get $x) (f64x2.splat (f64.const 1))))
            (local.get $u)))
        ;; exponentOf(u): k = (biased exponent) − 1023, read as the low bits of 1.5·2^52 + e;
        ;; m = u's significand with exponent 0, in [1, 2); m ≥ √2: m ← m/2, k ← k + 1
        (local.set $k
          (f64x2.sub (v128.or (i64x2.shr_u (local.get $u) (i32.const 52))
                              (i64x2.splat (i64.const 0x4338000000000000)))
                     (f64x2.splat (f64.const 0x1.80000000003ffp+52))))
        (local.set $m (v128.or (v128.and (local.get $u) (i64x2.splat (i64.const 0x000fffffffffffff)))
                               (i64x2.splat (i64.const 0x3ff0000000000000))))
        (local.set $big (f64x2.ge (local.get $m) (f64x2.splat (f64.const 0x1.6a09e667f3bcdp+0))))
        (local.set $m (v128.bitselect (f64x2.mul (local.get $m) (f64x2.splat (f64.const 0.5)))
                                      (local.get $m) (local.get $big)))
        (local.set $k (v128.bitselect (f64x2.add (local.get $k) (f64x2.splat (f64.const 1)))
                                      (local.get $k) (local.get $big)))
        (local.set $k (v128.andnot (local.get $k) (local.get $in)))             ;; +0 where in
        (local.set $c (v128.andnot (local.get $c) (local.get $in)))             ;; +0 where in
        (local.set $f (v128.bitselect (local.get $x)
                                      (f64x2.sub (local.get $m) (f64x2.splat (f64.const 1)))
                                      (local.get $in)))))
        ;; logOfReduced(k, f, c)
        (local.set $s (f64x2.div (local.get $f) (f64x2.add (f64x2.splat (f64.const 2)) (local.get $f))))
        (local.set $w (f64x2.mul (local.get $s) (local.get $s)))
        (local.set $sq (f64x2.mul (local.get $f) (local.get $f)))               ;; f², rounded
        (local.set $half (f64x2.mul (f64x2.splat (f64.const 0.5)) (local.get $sq)))
        ;; squareError(f, f²) = (((fh·fh − f²) + fh·fl) + fh·fl) + fl·fl, f = fh + fl (Veltkamp)
        (local.set $t (f64x2.mul (f64x2.splat (f64.const 0x1.0000002p+27)) (local.get $f)))
        (local.set $ah (f64x2.sub (local.get $t) (f64x2.sub (local.get $t) (local.get $f))))
        (local.set $al (f64x2.sub (local.get $f) (local.get $ah)))
        (local.set $cross (f64x2.mul (local.get $ah) (local.get $al)))
        (local.set $high (f64x2.sub (local.get $f) (local.get $half)))
        ;; atanhTail(w) = ((p01 + w² p23) + w⁴ (p45 + w² p67)) + w⁸ p89, p_ij = 2/(2i+3) + w·2/(2j+3)
        (local.set $w2 (f64x2.mul (local.get $w) (local.get $w)))
        (local.set $w4 (f64x2.mul (local.get $w2) (local.get $w2)))
        ;; small = (((f − high) − half) − halfError) + s·(half + w·atanhTail(w))) + c
        (local.set $small
          (f64x2.add
            (f64x2.add
              (f64x2.sub
                (f64x2.sub (f64x2.sub (local.get $f) (local.get $high)) (local.get $half))
                (f64x2.mul (f64x2.splat (f64.const 0.5))
                  (f64x2.add
                    (f64x2.add (f64x2.add (f64x2.sub (f64x2.mul (local.get $ah) (local.get $ah)) (local.get $sq))
                                          (local.get $cross))
                               (local.get $cross))
                    (f64x2.mul (local.get $al) (local.get $al)))))
              (f64x2.mul (local.get $s)
                (f64x2.add (local.get $half)
                  (f64x2.mul (local.get $w)
                    (f64x2.add
                      (f64x2.add
                        (f64x2.add (f64x2.add (f64x2.splat (f64.const 0x1.5555555555555p-1)) (f64x2.mul (local.get $w) (f64x2.splat (f64.const 0x1.999999999999ap-2))))       ;; 2/3, 2/5
                                   (f64x2.mul (local.get $w2) (f64x2.add (f64x2.splat (f64.const 0x1.2492492492492p-2)) (f64x2.mul (local.get $w) (f64x2.splat (f64.const 0x1.c71c71c71c71cp-3))))))   ;; 2/7, 2/9
                        (f64x2.mul (local.get $w4)
                          (f64x2.add (f64x2.add (f64x2.splat (f64.const 0x1.745d1745d1746p-3)) (f64x2.mul (local.get $w) (f64x2.splat (f64.const 0x1.3b13b13b13b14p-3))))   ;; 2/11, 2/13
                                     (f64x2.mul (local.get $w2) (f64x2.add (f64x2.splat (f64.const 0x1.1111111111111p-3)) (f64x2.mul (local.get $w) (f64x2.splat (f64.const 0x1.e1e1e1e1e1e1ep-4))))))))   ;; 2/15, 2/17
                      (f64x2.mul (f64x2.mul (local.get $w4) (local.get $w4))
                                 (f64x2.add (f64x2.splat (f64.const 0x1.af286bca1af28p-4)) (f64x2.mul (local.get $w) (f64x2.splat (f64.const 0x1.8618618618618p-4)))))))))) ;; 2/19, 2/21
            (local.get $c)))
        ;; k = 0: high + small; else sum = k·LN2_HI + high (exact), sum + ((k·LN2_HI − sum + high) + (small + k·LN2_LO))
        (local.set $multiple (f64x2.mul (local.get $k) (f64x2.splat (f64.const 0x1.62e42feep-1))))
        (local.set $sum (f64x2.add (local.get $multiple) (local.get $high)))
        (local.set $r
          (v128.bitselect
            (f64x2.add (local.get $high) (local.get $small))
            (f64x2.add (local.get $sum)
              (f64x2.add (f64x2.add (f64x2.sub (local.get $multiple) (local.get $sum)) (local.get $high))
                         (f64x2.add (local.get $small)
                                    (f64x2.mul (local.get $k) (f64x2.splat (f64.const 0x1.a39ef35793c76p-33))))))
            (f64x2.eq (local.get $k) (f64x2.splat (f64.const 0)))))))
    (local.set $r (v128.bitselect (local.get $x) (local.get $r) (local.get $keep)))
    ;; !(x > −1): −∞ at −1, NaN below it and for NaN
    (v128.bitselect (local.get $r)
                    (v128.bitselect (f64x2.splat (f64.const -inf)) (f64x2.splat (f64.const nan))
                                    (f64x2.eq (local.get $x) (f64x2.splat (f64.const -1))))
                    (f64x2.gt (local.get $x) (f64x2.splat (f64.const -1)))))

  ;; One f64x2 of the head: z (z2 + b2 already), labels y, scale = 1/N in both lanes →
  ;; (ℓ, δ2, the lanes classified correctly as all-ones masks), as sigmoidOutput's loop body.
  (func $sigmoid_pair (param $z v128) (param $y v128) (param $scale v128) (result v128 v128 v128)
    (local $e v128) (local $d v128) (local $a v128) (local $b v128) (local $p v128) (local $q v128)
    (local.set $e (call $exp (f64x2.neg (f64x2.abs (local.get $z)))))           ;; e = e^{−|z|}
    ;; ℓ = (max(z, 0) − y z) + log1p(e)
    (f64x2.add (f64x2.sub (f64x2.max (local.get $z) (v128.const f64x2 0 0))
                          (f64x2.mul (local.get $y) (local.get $z)))
               (call $log1p (local.get $e)))
    ;; p = σ(z), q = σ(−z), each 1/(1 + e) or e/(1 + e) by z's sign
    (local.set $d (f64x2.add (f64x2.splat (f64.const 1)) (local.get $e)))
    (local.set $a (f64x2.div (f64x2.splat (f64.const 1)) (local.get $d)))
    (local.set $b (f64x2.div (local.get $e) (local.get $d)))
    (local.set $p (v128.bitselect (local.get $a) (local.get $b)
                                  (f64x2.ge (local.get $z) (v128.const f64x2 0 0))))
    (local.set $q (v128.bitselect (local.get $a) (local.get $b)
                                  (f64x2.le (local.get $z) (v128.const f64x2 0 0))))
    ;; δ2 = (1/N)·(y = 0 ? p : y = 1 ? −q : (1 − y) p − y q)
    (f64x2.mul (local.get $scale)
      (v128.bitselect
        (local.get $p)
        (v128.bitselect
          (f64x2.neg (local.get $q))
          (f64x2.sub (f64x2.mul (f64x2.sub (f64x2.splat (f64.const 1)) (local.get $y)) (local.get $p))
                     (f64x2.mul (local.get $y) (local.get $q)))
          (f64x2.eq (local.get $y) (f64x2.splat (f64.const 1))))
        (f64x2.eq (local.get $y) (v128.const f64x2 0 0))))
    ;; (p ≥ 0.5 ? 1 : 0) = y
    (f64x2.eq (v128.bitselect (f64x2.splat (f64.const 1)) (v128.const f64x2 0 0)
                              (f64x2.ge (local.get $p) (f64x2.splat (f64.const 0.5))))
              (local.get $y)))

  (func $sigmoid_output (export "sigmoid_output")
      (param $n i32) (param $z2 i32) (param $b2 i32) (param $y i32) (param $losses i32)
      (param $dz2 i32) (param $inverse f64) (result i32)
    (local $pairs i32) (local $bias v128) (local $scale v128) (local $z v128)
    (local $hits v128) (local $count v128) (local $loss v128) (local $delta v128)
    (local.set $bias (v128.load64_splat (local.get $b2)))
    (local.set $scale (f64x2.splat (local.get $inverse)))
    (local.set $pairs (i32.add (local.get $z2)
                               (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3))))
    (block $done
      (loop $pair
        (br_if $done (i32.ge_u (local.get $z2) (local.get $pairs)))
        ;; z2_i ← z2_i + b2 (rows i, i + 1)
        (local.set $z (f64x2.add (v128.load (local.get $z2)) (local.get $bias)))
        (v128.store (local.get $z2) (local.get $z))
        (call $sigmoid_pair (local.get $z) (v128.load (local.get $y)) (local.get $scale))
        (local.set $hits)
        (local.set $delta)
        (local.set $loss)
        (v128.store (local.get $dz2) (local.get $delta))
        (v128.store (local.get $losses) (local.get $loss))
        (local.set $count (i64x2.sub (local.get $count) (local.get $hits)))      ;; a hit is −1
        (local.set $z2 (i32.add (local.get $z2) (i32.const 16)))
        (local.set $y (i32.add (local.get $y) (i32.const 16)))
        (local.set $losses (i32.add (local.get $losses) (i32.const 16)))
        (local.set $dz2 (i32.add (local.get $dz2) (i32.const 16)))
        (br $pair)))
    (if (i32.and (local.get $n) (i32.const 1))
      (then
        ;; the last row of an odd n: lane 0
        (local.set $z (f64x2.add (v128.load64_zero (local.get $z2)) (local.get $bias)))
        (v128.store64_lane 0 (local.get $z2) (local.get $z))
        (call $sigmoid_pair (local.get $z) (v128.load64_zero (local.get $y)) (local.get $scale))
        (local.set $hits)
        (local.set $delta)
        (local.set $loss)
        (v128.store64_lane 0 (local.get $dz2) (local.get $delta))
        (v128.store64_lane 0 (local.get $losses) (local.get $loss))
        (local.set $count (i64x2.sub (local.get $count)
                                     (v128.and (local.get $hits) (v128.const i64x2 -1 0))))))
    (i32.wrap_i64 (i64.add (i64x2.extract_lane 0 (local.get $count))
                           (i64x2.extract_lane 1 (local.get $count)))))

  (func $forward_sigmoid (export "forward_sigmoid")
      (param $n i32) (param $d i32) (param $h i32)
      (param $x i32) (param $w1 i32) (param $b1 i32) (param $w2 i32) (param $b2 i32) (param $y i32)
      (param $z1 i32) (param $a1 i32) (param $fp i32) (param $z2 i32) (param $losses i32)
      (param $dz2 i32) (param $act i32) (param $slope f64) (param $inverse f64) (result i32)
    ;; z1 = X W1 + b1, a1 = f(z1) (tanh: f′(z1) too), z2 = a1 W2 (n×1)
    (call $step_forward (local.get $n) (local.get $d) (local.get $h) (i32.const 1)
      (local.get $x) (local.get $w1) (local.get $b1) (local.get $w2)
      (local.get $z1) (local.get $a1) (local.get $fp) (local.get $z2)
      (local.get $act) (local.get $slope))
    ;; z2 += b2, ℓ, δ2, the correct rows
    (call $sigmoid_output (local.get $n) (local.get $z2) (local.get $b2) (local.get $y)
      (local.get $losses) (local.get $dz2) (local.get $inverse)))

  (func (export "step_sigmoid")
      (param $n i32) (param $d i32) (param $h i32)
      (param $x i32) (param $w1 i32) (param $b1 i32) (param $w2 i32) (param $b2 i32) (param $y i32)
      (param $z1 i32) (param $a1 i32) (param $fp i32) (param $z2 i32) (param $losses i32)
      (param $dz2 i32) (param $act i32) (param $slope f64) (param $inverse f64)
      (param $dz1 i32) (param $gw1 i32) (param $gb1 i32) (param $gw2 i32) (param $gb2 i32)
      (param $l2 f64) (result i32)
    (drop (call $forward_sigmoid (local.get $n) (local.get $d) (local.get $h)
      (local.get $x) (local.get $w1) (local.get $b1) (local.get $w2) (local.get $b2) (local.get $y)
      (local.get $z1) (local.get $a1) (local.get $fp) (local.get $z2) (local.get $losses)
      (local.get $dz2) (local.get $act) (local.get $slope) (local.get $inverse)))
    ;; ∂L/∂W2, ∂L/∂b2, δ1, ∂L/∂b1, ∂L/∂W1 (+ λ W), and whether they are all finite
    (call $step_backward (local.get $n) (local.get $d) (local.get $h) (i32.const 1)
      (local.get $x) (local.get $z1) (local.get $fp) (local.get $a1) (local.get $dz2)
      (local.get $dz1) (local.get $w1) (local.get $w2)
      (local.get $gw1) (local.get $gb1) (local.get $gw2) (local.get $gb2)
      (local.get $act) (local.get $slope) (local.get $l2)))

  (func (export "log1p_values") (param $n i32) (param $x i32) (param $out i32)
    (local $pairs i32)
    (local.set $pairs (i32.add (local.get $x)
                               (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3))))
    (block $done
      (loop $pair
        (br_if $done (i32.ge_u (local.get $x) (local.get $pairs)))
        (v128.store (local.get $out) (call $log1p (v128.load (local.get $x))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (br $pair)))
    (if (i32.and (local.get $n) (i32.const 1))
      (then (v128.store64_lane 0 (local.get $out) (call $log1p (v128.load64_zero (local.get $x)))))))
  ;; ---- end sigmoid head -----------------------------------------------------------------------

  ;; ---- wide products (issue 17) ----------------------------------------------------------------
  ;; Packed column panels. $product_ldc's tiles read a 4-column panel of B (kb ≤ 256 rows of
  ;; 32 bytes) once per row tile. When B's rows are 2 KiB apart (wide: W1 and δ1 have H = 256
  ;; columns) the panel's rows all fall in 2 of the L1 cache's 64 sets, 16 lines for 256 rows,
  ;; so every row tile fetches the panel again from L2 (measured: 128×784·784×256 ran at 12
  ;; GFLOP/s, at 14.5 with 260 or 252 columns). So, for products with at least two row tiles
  ;; (m ≥ 8), sums of k ≥ 128 terms (shorter panels, ≤ 127 lines, mostly stay in L1 as they
  ;; are: there the copy only costs; tab's k = 30 and 64 ran 5 % slower packed) and B's rows
  ;; contiguous (bjs = 8), the driver first copies each panel, row after
  ;; row, into this thread's scratch (kb × 32 contiguous bytes, which stay in L1), and the
  ;; tiles read it there (B's row stride 32; the 1×4 tiles of the rows left over too).
  ;; Bit-identical: the copy moves the values' bits unchanged (v128.load, v128.store: no
  ;; arithmetic), and the tiles then do the same operations in the same order (each c_ij one
  ;; accumulator over p ascending, partial sums kept in C between blocks) on the same values.
  ;; (The one change above: $product_ldc's locals $packs, $pbps and the `if` that packs.)
  ;;
  ;; $pack: byte offset of this instance's 8 KiB scratch (256 rows × 32 bytes), −1: none (no
  ;; packing). Every thread instantiates the module, so each has its own global: the backend
  ;; gives each thread its own scratch with pack_at (wasm/backend.ts, threaded-backend.ts).
  (global $pack (mut i32) (i32.const -1))

  ;; pack_at(at): this thread's scratch is the 8 KiB from byte `at` (−1: none).
  (func (export "pack_at") (param $at i32)
    (global.set $pack (local.get $at)))

  ;; 1 when $product_ldc packs its panels: a scratch given, B's rows contiguous, m ≥ 8, k ≥ 128.
  (func $packs_panels (param $m i32) (param $k i32) (param $bjs i32) (result i32)
    (i32.and (i32.and (i32.ge_s (global.get $pack) (i32.const 0))
                      (i32.ge_u (local.get $k) (i32.const 128)))
             (i32.and (i32.eq (local.get $bjs) (i32.const 8))
                      (i32.ge_u (local.get $m) (i32.const 8)))))

  ;; Copies B(p, j..j+3) for p < kb (b → B(p0, j), rows bps bytes apart) to the scratch, 32
  ;; bytes per row; returns the scratch's offset (the panel's B, rows 32 bytes apart).
  (func $pack_panel (param $b i32) (param $bps i32) (param $kb i32) (result i32)
    (local $to i32) (local $end i32)
    (local.set $to (global.get $pack))
    (local.set $end (i32.add (local.get $to) (i32.shl (local.get $kb) (i32.const 5))))
    (loop $rows
      (v128.store (local.get $to) (v128.load (local.get $b)))
      (v128.store offset=16 (local.get $to) (v128.load offset=16 (local.get $b)))
      (local.set $b (i32.add (local.get $b) (local.get $bps)))
      (br_if $rows (i32.ne (local.tee $to (i32.add (local.get $to) (i32.const 32)))
                           (local.get $end))))
    (global.get $pack))

  ;; all_finite(p len): 1 when the `len` values at p are all finite, else 0 ($all_finite, the
  ;; fused step's check, for the gradients of runs the fused step does not take: the answer of
  ;; steppers/fast.ts's buffersAreFinite, whose sum of x − x is 0 exactly when no x − x is NaN).
  (func (export "all_finite") (param $p i32) (param $len i32) (result i32)
    (call $all_finite (local.get $p) (local.get $len)))
  ;; ---- end wide products ---------------------------------------------------------------------
)
