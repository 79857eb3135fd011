// Relaxed SIMD's fused multiply-add in the matrix products, measured (issue 17, part 4).
// A measuring script, not a test; it needs no build (it assembles kernels.wat itself).
//
// The fused kernels are kernels.wat itself with, in the SIMD tile functions ($tile4x4,
// $tile1x4, $tile4x4g, $tile1x4g), every `(f64x2.add acc (f64x2.mul x y))` rewritten to
// `(f64x2.relaxed_madd x y acc)`: the same tiles, loads, blocking and order, one instruction
// instead of two per pair of lanes. (The scalar tiles for the n mod 4 columns left over stay
// plain: relaxed SIMD has no scalar fused multiply-add.) So the comparison is the plain SIMD
// kernel against the same kernel fused, on the same memory and the same inputs.
//
// For each engine (this Node, and Debian's Chromium through playwright-core) it
//  1. checks the engine fuses: relaxed_madd may be either a*b+c rounded once or mul then add;
//     the fused kernel's results are compared bit for bit with an exact emulation of each
//     (BigInt arithmetic), on random inputs where the rounding matters, on the first call and
//     again after the timing (when V8 has tiered the kernels up);
//  2. times the wide workload's products (batch 128, D = 784, H = 256, sigmoid head), alone and
//     as one training step's five products, plain and fused interleaved in one process: each
//     round times both (order alternating), each time ≥ --min-ms of repeated calls; the
//     figures are the best round of each and the median of the rounds' paired ratios.
//
//   node --experimental-wasm-relaxed-simd scripts/bench-relaxed-simd.mjs
//        [--rounds 15] [--min-ms 40] [--no-node] [--no-chromium] [--workload [--passes 5]]
// --workload (Node, after `npm run build`) also trains the wide workload as `handgrad bench
// --threads 1` does, on a backend of the plain kernels and on one of the fused kernels (the
// whole kernels.wat module, fused tiles), interleaved, --passes times: examples/s, best of each.
// --tiles (Node) also times taller tiles, R×4 for R = 4, 5, 6 (2R accumulators), plain and
// fused, on z1 = X W1 and dW1 = Xᵀ δ1: does a tile with more independent sums let either pay more?
// Without the flag Node 20 refuses the fused module (reported, and its part skipped).
// measure() also runs in the page, so it uses the globals Node and browsers share.
/* global atob, navigator, performance, WebAssembly */
import { Buffer } from "node:buffer";
import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { URL } from "node:url";
import wabtFactory from "wabt";
import { CHROMIUM, CHROMIUM_FLAGS } from "./chromium.mjs";

const WAT_PATH = new URL("../src/linalg/wasm/kernels.wat", import.meta.url);

const argument = (name, fallback) => {
  const at = process.argv.indexOf(name);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
};
const ROUNDS = argument("--rounds", 15);
const PASSES = argument("--passes", 5);
const MIN_MS = argument("--min-ms", 40);

// ---- the fused variant of kernels.wat -------------------------------------------------------

/** WAT text → nested arrays of atoms (comments dropped). */
function parseWat(text) {
  const tokens = text
    .replace(/\(;[\s\S]*?;\)/g, " ")
    .replace(/;;[^\n]*/g, " ")
    .match(/"(?:[^"\\]|\\.)*"|[()]|[^\s()"]+/g);
  const stack = [[]];
  for (const token of tokens) {
    if (token === "(") stack.push([]);
    else if (token === ")") {
      const list = stack.pop();
      stack.at(-1).push(list);
    } else stack.at(-1).push(token);
  }
  if (stack.length !== 1) throw new Error("kernels.wat: unbalanced parentheses");
  return stack[0];
}
const printWat = (node) => (Array.isArray(node) ? `(${node.map(printWat).join(" ")})` : node);

/** kernels.wat with every multiply-add of its SIMD tiles fused; throws if one is left unfused. */
function fusedVariant(source) {
  let fused = 0;
  const fuse = (node) => {
    if (!Array.isArray(node)) return node;
    const list = node.map(fuse);
    const [op, acc, product] = list;
    if (op === "f64x2.add" && list.length === 3 && Array.isArray(product)) {
      if (product[0] === "f64x2.mul" && product.length === 3) {
        fused++;
        return ["f64x2.relaxed_madd", product[1], product[2], acc]; // x·y + acc
      }
    }
    return list;
  };
  const isTile = (node) =>
    Array.isArray(node) && node[0] === "func" && /^\$tile\d+x4g?$/.test(node[1]);
  const [module] = parseWat(source);
  const rewritten = module.map((node) => (isTile(node) ? fuse(node) : node));
  const left = printWat(rewritten.filter(isTile)).match(/f64x2\.mul/g);
  if (fused === 0 || left) throw new Error(`fused ${fused} multiply-adds, ${left?.length} left`);
  return { text: printWat(rewritten), fused };
}

async function assemble(source, features) {
  const wabt = await wabtFactory();
  const module = wabt.parseWat("kernels.wat", source, features);
  try {
    module.resolveNames();
    module.validate(features);
    return Buffer.from(module.toBinary({ canonicalize_lebs: true }).buffer).toString("base64");
  } finally {
    module.destroy();
  }
}

// ---- what runs in the engine (self-contained: it is also sent to the page as source) --------

/**
 * Instantiates both modules on one memory, checks and times the cases. Returns
 * { validates, checks, cases } (validates false: the engine refuses the fused module).
 */
async function measure({ plain, fused, cases, check, rounds, minMs }) {
  const bytes = (base64) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const fusedBytes = bytes(fused);
  if (!WebAssembly.validate(fusedBytes)) return { validates: false };
  const memory = new WebAssembly.Memory({ initial: 160 }); // 10 MiB
  const imports = { env: { memory } };
  const P = (await WebAssembly.instantiate(bytes(plain), imports)).instance.exports;
  const F = (await WebAssembly.instantiate(fusedBytes, imports)).instance.exports;
  const SIZE = 784 * 256; // the largest operand, in float64 values
  const heap = new Float64Array(memory.buffer);
  const [A, B, C, D] = [0, 1, 2, 3].map((r) => r * SIZE * 8); // byte offsets
  let seed = 1;
  for (let i = 0; i < 2 * SIZE; i++) {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    heap[i] = seed / 2 ** 31 - 1; // A then B: multiples of 2^-31 in [-1, 1)
  }
  const run = (kernels, [op, m, k, n], c) => kernels[op](m, k, n, A, B, c);
  const out = ([, m, , n], c) => Array.from(heap.subarray(c / 8, c / 8 + m * n));

  // 1. The check products, plain (into C) and fused (into D), first call and after timing.
  const checks = [];
  const runChecks = (when) => {
    for (const product of check) {
      run(P, product, C);
      run(F, product, D);
      checks.push({ when, product, plain: out(product, C), fused: out(product, D) });
    }
  };
  runChecks("first call");

  // 2. Timing, interleaved.
  const call = (kernels, products, c) => () => {
    for (const product of products) run(kernels, product, c);
  };
  const msPerCall = (f, calls) => {
    const t0 = performance.now();
    for (let r = 0; r < calls; r++) f();
    return (performance.now() - t0) / calls;
  };
  const results = [];
  for (const { name, products } of cases) {
    const f = [call(P, products, C), call(F, products, D)];
    f[0]();
    f[1]();
    let calls = 1;
    while (msPerCall(f[0], calls) * calls < minMs / 4) calls *= 2;
    calls *= 4;
    results.push({ name, products, calls, best: [Infinity, Infinity], ratios: [] });
  }
  for (let round = 0; round < rounds; round++) {
    for (let c = 0; c < cases.length; c++) {
      const result = results[c];
      const f = [call(P, cases[c].products, C), call(F, cases[c].products, D)];
      const order = round % 2 === 0 ? [0, 1] : [1, 0];
      const ms = [0, 0];
      for (const which of order) ms[which] = msPerCall(f[which], result.calls);
      result.best = result.best.map((b, which) => Math.min(b, ms[which]));
      result.ratios.push(ms[0] / ms[1]);
    }
  }
  runChecks("after timing");

  // Differences on the timed products themselves (plain into C, fused into D).
  for (const result of results) {
    const product = result.products[0];
    const [op, m, k, n] = product;
    run(P, product, C);
    run(F, product, D);
    let differ = 0;
    let worst = 0; // max |plain − fused| / Σ_p |a_ip b_pj|
    const at = (base, row, col, cols) => heap[base / 8 + row * cols + col];
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        const x = heap[C / 8 + i * n + j];
        const y = heap[D / 8 + i * n + j];
        if (x === y) continue;
        differ++;
        let scale = 0;
        for (let p = 0; p < k; p++) {
          const a = op === "gemm_ta" ? at(A, p, i, m) : at(A, i, p, k);
          const b = op === "gemm_tb" ? at(B, j, p, k) : at(B, p, j, n);
          scale += Math.abs(a * b);
        }
        worst = Math.max(worst, Math.abs(x - y) / scale);
      }
    }
    result.differ = differ;
    result.entries = m * n;
    result.worst = worst;
  }
  const inputs = [Array.from(heap.subarray(0, 4096)), Array.from(heap.subarray(SIZE, SIZE + 4096))];
  return { validates: true, checks, inputs, cases: results };
}

// ---- exact emulation of both kinds of multiply-add (BigInt) ---------------------------------

const view = new DataView(new ArrayBuffer(8));
/** x = mantissa · 2^exponent, mantissa a BigInt (x finite). */
function split(x) {
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const magnitude = biased === 0 ? fraction : fraction | (1n << 52n);
  return [bits >> 63n ? -magnitude : magnitude, (biased === 0 ? 1 : biased) - 1075];
}
/** N · 2^E rounded to the nearest float64, ties to even (normal range: enough here). */
function round(N, E) {
  if (N === 0n) return 0;
  let M = N < 0n ? -N : N;
  const excess = M.toString(2).length - 53;
  if (excess > 0) {
    const s = BigInt(excess);
    const q = M >> s;
    const r = M - (q << s);
    const half = 1n << (s - 1n);
    M = r > half || (r === half && q & 1n) ? q + 1n : q;
    E += excess;
  }
  const x = Number(M) * 2 ** E;
  return N < 0n ? -x : x;
}
/** a·b + c rounded once. */
function fma(a, b, c) {
  const [ma, ea] = split(a);
  const [mb, eb] = split(b);
  const [mc, ec] = split(c);
  const E = Math.min(ea + eb, ec);
  return round(((ma * mb) << BigInt(ea + eb - E)) + (mc << BigInt(ec - E)), E);
}

/**
 * The expected C of a check product: fused chains (acc = fma(a, b, acc) from +0, p ascending)
 * in the columns the SIMD tiles cover (j < n − n mod 4), mul-then-add chains in the rest; and
 * the all-plain C.
 */
function expected([op, m, k, n], [A, B]) {
  const a = (i, p) => (op === "gemm_ta" ? A[p * m + i] : A[i * k + p]);
  const b = (p, j) => (op === "gemm_tb" ? B[j * k + p] : B[p * n + j]);
  const fusedC = [];
  const plainC = [];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let f = 0;
      let s = 0;
      for (let p = 0; p < k; p++) {
        f = j < n - (n % 4) ? fma(a(i, p), b(p, j), f) : f + a(i, p) * b(p, j);
        s = s + a(i, p) * b(p, j);
      }
      fusedC.push(f);
      plainC.push(s);
    }
  }
  return { fusedC, plainC };
}

// ---- the wide workload trained on either kernels (Node; needs `npm run build`) -------------

async function trainWide() {
  const { WasmBackend } = await import("../dist/linalg/wasm/index.js");
  const { trainWorkload } = await import("../dist/cli/commands/bench.js");
  const { makeWorkload } = await import("../dist/bench/workloads.js");
  const { runValues } = await import("../dist/nn/index.js");
  const { X, y, spec } = makeWorkload("wide", 0);
  const pages = Math.ceil((runValues(spec.batch, spec.D, spec.H, 1, 3) * 8) / 65536);
  const modules = [args.plain, args.fused].map(
    (base64) => new WebAssembly.Module(Buffer.from(base64, "base64")),
  );
  const backend = (module) => {
    const memory = new WebAssembly.Memory({ initial: pages, maximum: 32768 });
    return new WasmBackend(memory, new WebAssembly.Instance(module, { env: { memory } }).exports);
  };
  const rate = [0, 0];
  const losses = [0, 0];
  const ratios = [];
  for (let pass = 0; pass < PASSES; pass++) {
    const seconds = [0, 0];
    for (const which of pass % 2 === 0 ? [0, 1] : [1, 0]) {
      const t = performance.now();
      losses[which] = trainWorkload(spec, { X, y }, 0, "fast", backend(modules[which])).loss;
      seconds[which] = (performance.now() - t) / 1000;
      rate[which] = Math.max(rate[which], (spec.N * spec.epochs) / seconds[which]);
    }
    ratios.push(seconds[0] / seconds[1]);
  }
  ratios.sort((a, b) => a - b);
  console.log(
    `\n## wide trained (Node, one thread, ${PASSES} passes interleaved)\n\n` +
      `plain ${Math.round(rate[0])} examples/s, fused ${Math.round(rate[1])} examples/s: ` +
      `best ÷ best ${(rate[1] / rate[0]).toFixed(3)}, median ratio ` +
      `${ratios[Math.floor(ratios.length / 2)].toFixed(3)} (${ratios[0].toFixed(2)}–` +
      `${ratios.at(-1).toFixed(2)}); final loss plain ${losses[0]}, fused ${losses[1]}`,
  );
}

// ---- taller tiles (an experiment: valid for B rows contiguous and n mod 4 = 0 only) --------

/** The WAT of $tileRx4: $tile4x4 with R rows (2R f64x2 accumulators), mul then add. */
function tallTile(R) {
  const rows = [...Array(R).keys()];
  const a = (r) => (r === 0 ? "$a" : `$a${r}`);
  const store = (r) =>
    `(v128.store (local.get $c) (local.get $c${r}0)) ` +
    `(v128.store offset=16 (local.get $c) (local.get $c${r}1))`;
  const next = "(local.set $c (i32.add (local.get $c) (local.get $ldc)))";
  return [
    `(func $tile${R}x4 (param $a i32) (param $ars i32) (param $aps i32) (param $b i32)`,
    "(param $bps i32) (param $c i32) (param $ldc i32) (param $kb i32) (param $load i32)",
    "(local $bend i32) (local $cr i32) (local $b0 v128) (local $b1 v128) (local $x v128)",
    ...rows.slice(1).map((r) => `(local $a${r} i32)`),
    ...rows.map((r) => `(local $c${r}0 v128) (local $c${r}1 v128)`),
    ...rows
      .slice(1)
      .map((r) => `(local.set $a${r} (i32.add (local.get ${a(r - 1)}) (local.get $ars)))`),
    "(local.set $bend (i32.add (local.get $b) (i32.mul (local.get $kb) (local.get $bps))))",
    "(if (local.get $load) (then (local.set $cr (local.get $c))",
    ...rows.map(
      (r) =>
        `(local.set $c${r}0 (v128.load (local.get $cr))) ` +
        `(local.set $c${r}1 (v128.load offset=16 (local.get $cr))) ` +
        "(local.set $cr (i32.add (local.get $cr) (local.get $ldc)))",
    ),
    "))",
    "(loop $p (local.set $b0 (v128.load (local.get $b)))",
    "(local.set $b1 (v128.load offset=16 (local.get $b)))",
    ...rows.map(
      (r) =>
        `(local.set $x (v128.load64_splat (local.get ${a(r)}))) ` +
        `(local.set $c${r}0 (f64x2.add (local.get $c${r}0) (f64x2.mul (local.get $x) (local.get $b0)))) ` +
        `(local.set $c${r}1 (f64x2.add (local.get $c${r}1) (f64x2.mul (local.get $x) (local.get $b1))))`,
    ),
    ...rows.map((r) => `(local.set ${a(r)} (i32.add (local.get ${a(r)}) (local.get $aps)))`),
    "(br_if $p (i32.ne (local.tee $b (i32.add (local.get $b) (local.get $bps))) (local.get $bend))))",
    ...rows.map((r) => (r < R - 1 ? `${store(r)} ${next}` : store(r))),
    ")",
  ].join("\n");
}

/** kernels.wat whose driver walks R-row tiles of contiguous B (rows left over: 1×4 tiles). */
function tallVariant(source, R) {
  if (R === 4) return source; // kernels.wat's own $tile4x4
  const edits = [
    [
      "  ;; ---- 1×4 tile, B row contiguous",
      `${tallTile(R)}\n  ;; ---- 1×4 tile, B row contiguous`,
    ],
    [
      "(local.set $m4 (i32.and (local.get $m) (i32.const -4)))",
      `(local.set $m4 (i32.sub (local.get $m) (i32.rem_u (local.get $m) (i32.const ${R}))))`,
    ],
    [
      "(local.set $i (i32.add (local.get $i) (i32.const 4)))",
      `(local.set $i (i32.add (local.get $i) (i32.const ${R})))`,
    ],
    ["(call $tile4x4\n", `(call $tile${R}x4\n`],
  ];
  for (const [from, to] of edits) {
    if (!source.includes(from)) throw new Error(`--tiles: kernels.wat has no ${from.trim()}`);
    source = source.replace(from, to); // the first occurrence: the 4-column panels' rows
  }
  return source;
}

async function tallTiles(source) {
  const products = [GEMM, TA];
  const variants = [];
  for (const R of [4, 5, 6]) {
    const plain = tallVariant(source, R);
    variants.push([`${R}×4 plain`, await assemble(plain, { simd: true })]);
    const fused = fusedVariant(plain).text;
    variants.push([`${R}×4 fused`, await assemble(fused, { simd: true, relaxed_simd: true })]);
  }
  const memory = new WebAssembly.Memory({ initial: 160 });
  const kernels = variants.map(
    ([, base64]) =>
      new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(base64, "base64")), {
        env: { memory },
      }).exports,
  );
  const heap = new Float64Array(memory.buffer);
  const SIZE = 784 * 256;
  let seed = 1;
  for (let i = 0; i < 2 * SIZE; i++) {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    heap[i] = seed / 2 ** 31 - 1;
  }
  const [A, B, C] = [0, 1, 2].map((r) => r * SIZE * 8);
  // The plain variants must agree bit for bit (the same sums in the same order).
  for (const [op, m, k, n] of products) {
    const outs = kernels.map((K) => {
      K[op](m, k, n, A, B, C);
      return heap.slice(C / 8, C / 8 + m * n);
    });
    for (const v of [2, 4]) {
      if (outs[v].some((x, i) => x !== outs[0][i])) throw new Error(`${variants[v][0]} ≠ 4×4`);
    }
  }
  const best = products.map(() => kernels.map(() => Infinity));
  for (let round = 0; round < ROUNDS; round++) {
    products.forEach(([op, m, k, n], c) => {
      const order = kernels.map((_, v) => v);
      if (round % 2) order.reverse();
      for (const v of order) {
        const t = performance.now();
        kernels[v][op](m, k, n, A, B, C);
        best[c][v] = Math.min(best[c][v], performance.now() - t);
      }
    });
  }
  console.log(`\n## taller tiles (Node, best of ${ROUNDS} calls each, GFLOP/s)\n`);
  console.log(`| product | ${variants.map(([name]) => name).join(" | ")} |`);
  console.log(`| --- |${variants.map(() => " ---: |").join("")}`);
  products.forEach(([op, m, k, n], c) => {
    const g = best[c].map((ms) => ((2 * m * k * n) / ms / 1e6).toFixed(1));
    console.log(`| ${op} ${m}×${k}×${n} | ${g.join(" | ")} |`);
  });
}

// ---- driver ---------------------------------------------------------------------------------

const GEMM = ["gemm", 128, 784, 256];
const TA = ["gemm_ta", 784, 128, 256];
const TB = ["gemm_tb", 128, 1, 256];
// One step of wide, batch b: z1 = X W1, z2 = a1 W2, dW2 = a1ᵀ δ2, δ1 = δ2 W2ᵀ, dW1 = Xᵀ δ1.
const step = (b) => [
  ["gemm", b, 784, 256],
  ["gemm", b, 256, 1],
  ["gemm_ta", 256, b, 1],
  ["gemm_tb", b, 1, 256],
  ["gemm_ta", 784, b, 256],
];
const CASES = [
  { name: "z1 = X W1 (gemm 128×784×256)", products: [GEMM] },
  { name: "dW1 = Xᵀ δ1 (gemm_ta 784×128×256)", products: [TA] },
  { name: "δ1 = δ2 W2ᵀ (gemm_tb 128×1×256)", products: [TB] },
  { name: "step, batch 128 (5 products)", products: step(128) },
  { name: "step, last batch of 16 rows", products: step(16) },
];
// 7 rows and 10 columns: 4×4 and 1×4 tiles, two scalar columns; k = 300 crosses a KC block.
const CHECK = [
  ["gemm", 7, 300, 10],
  ["gemm_ta", 7, 300, 10],
  ["gemm_tb", 7, 300, 10],
];

function report(engine, result) {
  console.log(`\n## ${engine}\n`);
  if (!result.validates) {
    console.log("relaxed SIMD: not available (WebAssembly.validate refuses the fused module)");
    return;
  }
  console.log("Does the engine fuse? Fused kernel's C against exact emulations, entry by entry:");
  for (const { when, product, plain, fused } of result.checks) {
    const { fusedC, plainC } = expected(product, result.inputs);
    const same = (x, y) => x.filter((v, i) => v !== y[i]).length;
    console.log(
      `  ${product.join(" ")} (${when}): fused C ≠ fused chain in ${same(fused, fusedC)} of ` +
        `${fused.length}, ≠ mul-then-add chain in ${same(fused, plainC)}; ` +
        `plain C ≠ mul-then-add chain in ${same(plain, plainC)}`,
    );
  }
  console.log(
    "\n| products | calls per time | plain ms (GFLOP/s) | fused ms (GFLOP/s) | best ÷ best " +
      "| median ratio | ratios (min–max) | entries differing* | max abs diff ÷ Σ|a b|* |",
  );
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |");
  for (const r of result.cases) {
    const ratios = [...r.ratios].sort((x, y) => x - y);
    const median = ratios[Math.floor(ratios.length / 2)];
    const flops = r.products.reduce((sum, [, m, k, n]) => sum + 2 * m * k * n, 0);
    const ms = (t) => `${t.toFixed(3)} (${(flops / t / 1e6).toFixed(1)})`;
    console.log(
      `| ${r.name} | ${r.calls} | ${ms(r.best[0])} | ${ms(r.best[1])} | ` +
        `${(r.best[0] / r.best[1]).toFixed(3)} | ${median.toFixed(3)} | ` +
        `${ratios[0].toFixed(2)}–${ratios.at(-1).toFixed(2)} | ${r.differ} of ${r.entries} | ` +
        `${r.worst.toExponential(2)} |`,
    );
  }
  console.log("* of the first product of each row");
  const [b128, b16] = result.cases.slice(3).map((r) => r.best);
  const epoch = (w) => 78 * b128[w] + b16[w]; // N = 10000 = 78 × 128 + 16
  console.log(
    `\nOne epoch's products (78 batches of 128 and one of 16, from the best steps): plain ` +
      `${epoch(0).toFixed(1)} ms, fused ${epoch(1).toFixed(1)} ms, ${(epoch(0) / epoch(1)).toFixed(3)}×`,
  );
}

const source = readFileSync(WAT_PATH, "utf8");
const { text, fused } = fusedVariant(source);
const args = {
  plain: await assemble(source, { simd: true }),
  fused: await assemble(text, { simd: true, relaxed_simd: true }),
  cases: CASES,
  check: CHECK,
  rounds: ROUNDS,
  minMs: MIN_MS,
};
const cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
console.log(`# f64x2.relaxed_madd against mul + add in the GEMM kernels`);
console.log(
  `\nCPU: ${cpus()[0]?.model} × ${cpus().length}, FMA flag: ` +
    `${/\bfma\b/.test(cpuinfo) ? "yes" : "no"}; load average before: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(" ")}` +
    `; ${fused} multiply-adds fused in the tiles; ${ROUNDS} rounds, ≥ ${MIN_MS} ms per time`,
);

if (!process.argv.includes("--no-node")) {
  const flags = process.execArgv.join(" ") || "no flags";
  report(`Node ${process.version} (V8 ${process.versions.v8}, ${flags})`, await measure(args));
}
if (!process.argv.includes("--no-chromium")) {
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
  });
  try {
    const page = await browser.newPage();
    const userAgent = await page.evaluate(() => navigator.userAgent);
    const result = await page.evaluate(`(${measure})(${JSON.stringify(args)})`);
    report(`Chromium ${browser.version()} headless (${userAgent.match(/Chrome\/\S+/)})`, result);
  } finally {
    await browser.close();
  }
}
if (process.argv.includes("--workload")) await trainWide();
if (process.argv.includes("--tiles")) await tallTiles(source);
console.log(
  `\nload average after: ${loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")}`,
);
