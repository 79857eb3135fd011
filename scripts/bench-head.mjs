// The sigmoid head alone (issue 17): ns per row of nn/fused-heads.ts's sigmoidOutput (the
// JavaScript head) and of kernels.wat's sigmoid_output (the WebAssembly head, the same bits),
// interleaved round by round, best of the rounds, on batches of n rows (the toy's full batch,
// 1000, and the tab's 64) with z2 = a1 W2 drawn like a trained network's logits (normal, sd 4)
// and labels 0/1; also the copy of n losses into a JavaScript array (an evaluation's batches).
// A measuring script, not a test; needs `npm run build` first. Prints the 1-minute load average.
//   node scripts/bench-head.mjs [--rounds 15] [--reps 2000]
/* global WebAssembly */
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";

const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const at = argv.indexOf(name);
  return at === -1 ? fallback : Number(argv[at + 1]);
};
const ROUNDS = option("--rounds", 15);
const REPS = option("--reps", 2000);
const dist = resolve(import.meta.dirname, "..", "dist");
const load = (path) => import(pathToFileURL(join(dist, path)).href);
const [{ sigmoidOutput }, { kernelBytes }, { Rng }] = await Promise.all([
  load("nn/fused-heads.js"),
  load("linalg/wasm/backend.js"),
  load("rng.js"),
]);

const memory = new WebAssembly.Memory({ initial: 16 });
const { exports } = new WebAssembly.Instance(new WebAssembly.Module(kernelBytes()), {
  env: { memory },
});
const MAX = 1000;
const at = (i) => new Float64Array(memory.buffer, 8 * MAX * i, MAX);
const [z2, b2, y, losses, dz2] = [0, 1, 2, 3, 4].map(at);
const rng = new Rng(3);
const logits = Float64Array.from({ length: MAX }, () => 4 * rng.normal());
y.set(Float64Array.from({ length: MAX }, () => (rng.uniform() < 0.5 ? 0 : 1)));
b2[0] = 0.125;
const js = { z2: new Float64Array(MAX), losses: new Float64Array(MAX), dz2: new Float64Array(MAX) };
const jsB2 = Float64Array.of(b2[0]);
const jsY = Float64Array.from(y);
const sink = new Float64Array(MAX);

/** ns per row of `run` (REPS batches of n rows), z2 reset before each batch as a step does. */
function time(n, run) {
  const start = performance.now();
  for (let r = 0; r < REPS; r++) run(n);
  return ((performance.now() - start) * 1e6) / (REPS * n);
}
const heads = {
  js: (n) => {
    js.z2.set(logits.subarray(0, n));
    return sigmoidOutput(n, js.z2, jsB2, jsY, js.losses, 0, js.dz2, 1 / n);
  },
  wasm: (n) => {
    z2.set(logits.subarray(0, n));
    return exports.sigmoid_output(
      n,
      z2.byteOffset,
      b2.byteOffset,
      y.byteOffset,
      losses.byteOffset,
      dz2.byteOffset,
      1 / n,
    );
  },
  "z2 reset only": (n) => z2.set(logits.subarray(0, n)),
  "losses copy": (n) => sink.set(losses.subarray(0, n), 0),
};

console.log(`load average before: ${loadavg()[0].toFixed(2)}`);
for (const n of [1000, 64]) {
  if (heads.js(n) !== heads.wasm(n)) throw new Error("the two heads count differently");
  const best = Object.fromEntries(Object.keys(heads).map((k) => [k, Infinity]));
  for (let r = -2; r < ROUNDS; r++) {
    for (const [name, run] of Object.entries(heads)) {
      const ns = time(n, run);
      if (r >= 0) best[name] = Math.min(best[name], ns); // two rounds warm up
    }
  }
  const line = Object.entries(best).map(([k, v]) => `${k} ${v.toFixed(2)}`);
  console.log(`n = ${n}: ns/row (best of ${ROUNDS}): ${line.join(", ")}`);
}
console.log(`load average after: ${loadavg()[0].toFixed(2)}`);
