// Where the time of a `wide` training run goes (issue 17), measured: a measuring script, not a
// test. Needs `npm run build` first. Two tables, with the 1-minute load average beside each:
//
//   run        a timed `handgrad bench`-style run of a workload (trainWorkload, fast engine, the
//              bench's "first-and-last" evaluation) on 1 and 2 threads, with a timer around every
//              call the stepper makes into the backend (products, element-wise kernels, phases).
//              Calls are told apart as the training steps' (a forward pass followed by a backward
//              one) and the loss evaluations' (a forward pass on its own); "outside" is the run's
//              wall time not in any timed call (the head, the update, the finiteness check, the
//              batch gather, the loss's mean, GC). Best run of --passes by wall time.
//   isolated   the step's two large products on the same backend kind, ms per call: repeated on
//              hot buffers (as scripts/bench-wasm-gemm.mjs), and alternated as in a step (X W1,
//              Xᵀ δ1, then W1 −= η ∂W1 over the 1.6 MB of each), median of the calls.
//
//   node scripts/bench-wide-step.mjs [--passes 5] [--threads 1,2] [--workload wide]
//                                    [--dist DIR] (another build's dist/, e.g. a baseline copy)
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";

const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const at = argv.indexOf(`--${name}`);
  return at === -1 ? fallback : argv[at + 1];
};
const PASSES = Number(option("passes", "5"));
const THREADS = option("threads", "1,2").split(",").map(Number);
const WORKLOAD = option("workload", "wide");
const dist = resolve(option("dist", join(import.meta.dirname, "..", "dist")));
const load = () => loadavg()[0].toFixed(2);
const lib = (path) => import(pathToFileURL(join(dist, path)).href);

const [{ trainWorkload }, { makeWorkload }, { engineBackend }] = await Promise.all([
  lib("cli/commands/bench.js"),
  lib("bench/workloads.js"),
  lib("train/index.js"),
]);

const { X, y, spec } = makeWorkload(WORKLOAD, 0);
const rows = spec.batch === "full" ? spec.N : spec.batch;
const K = 1;

/**
 * The run's backend with a timer around each call into it: returns the backend and the log of
 * [kind, ms] events in call order (kinds: the method's name, with the product's shape).
 */
function instrumented(threads) {
  const backend = engineBackend(spec.N, rows, spec.D, spec.H, K, threads);
  const log = [];
  const wrap = (target, method, kind) => {
    const original = target[method].bind(target);
    target[method] = (...args) => {
      const t = performance.now();
      const result = original(...args);
      log.push([kind(args), performance.now() - t]);
      return result;
    };
  };
  for (const op of ["gemm", "gemmTransA", "gemmTransB"]) {
    wrap(backend, op, ([m, k, n]) => `${op} ${m}×${k}×${n}`);
  }
  if (backend.rectifiers) {
    for (const name of Object.keys(backend.rectifiers)) {
      if (typeof backend.rectifiers[name] === "function")
        wrap(backend.rectifiers, name, () => name);
    }
  }
  if (backend.phases) {
    wrap(backend.phases, "forward", ([n]) => `phases.forward n=${n}`);
    wrap(backend.phases, "backward", ([n]) => `phases.backward n=${n}`);
  }
  return { backend, log };
}

/** Tags each event "step" or "eval": a forward pass is a step's when a backward pass follows. */
function tagged(log) {
  const isForward = (kind) =>
    kind.startsWith("phases.forward") || (kind.startsWith(`gemm `) && kind.includes(`×${spec.D}×`));
  const isBackward = (kind) => kind.startsWith("phases.backward") || kind.startsWith("gemmTransA");
  const out = [];
  let group = [];
  const flush = (tag) => {
    for (const [kind, ms] of group) out.push([tag, kind, ms]);
    group = [];
  };
  for (const event of log) {
    if (isForward(event[0]) && group.length > 0) flush("eval");
    group.push(event);
    if (isBackward(event[0])) flush("step");
  }
  flush("eval");
  return out;
}

function timedRun(threads) {
  const { backend, log } = instrumented(threads);
  const t = performance.now();
  trainWorkload(spec, { X, y }, 0, "fast", backend);
  return { wall: performance.now() - t, log: tagged(log), name: backend.name };
}

function runTable(threads) {
  const loads = [load()];
  timedRun(threads); // warm-up (the cold run)
  let best;
  const walls = [];
  for (let pass = 0; pass < PASSES; pass++) {
    const r = timedRun(threads);
    walls.push(r.wall);
    if (!best || r.wall < best.wall) best = r;
  }
  loads.push(load());
  walls.sort((a, b) => a - b);
  const steps = best.log.filter(
    ([tag, kind]) => tag === "step" && new RegExp(`backward|gemmTransA ${spec.D}×`).test(kind),
  ).length;
  console.log(
    `\n${WORKLOAD}, ${best.name}: best of ${PASSES} runs ${best.wall.toFixed(0)} ms ` +
      `(median ${walls[walls.length >> 1].toFixed(0)}), ${steps} steps, load ${loads.join(" → ")}`,
  );
  const sums = new Map();
  let inside = 0;
  for (const [tag, kind, ms] of best.log) {
    const key = `${tag.padEnd(5)} ${kind}`;
    const s = sums.get(key) ?? { calls: 0, ms: 0, list: [] };
    s.calls++;
    s.ms += ms;
    s.list.push(ms);
    sums.set(key, s);
    inside += ms;
  }
  console.log("| calls | what | total ms | share | ms per call (median) | ms per step |");
  console.log("| ---: | --- | ---: | ---: | ---: | ---: |");
  for (const [key, s] of [...sums].sort((a, b) => b[1].ms - a[1].ms)) {
    s.list.sort((a, b) => a - b);
    console.log(
      `| ${s.calls} | ${key} | ${s.ms.toFixed(1)} | ${((100 * s.ms) / best.wall).toFixed(1)} % | ` +
        `${s.list[s.list.length >> 1].toFixed(3)} | ${(s.ms / steps).toFixed(3)} |`,
    );
  }
  const outside = best.wall - inside;
  console.log(
    `| | outside the backend (head, update, checks, gather, GC) | ${outside.toFixed(1)} | ` +
      `${((100 * outside) / best.wall).toFixed(1)} % | | ${(outside / steps).toFixed(3)} |`,
  );
}

function seeded(buffer, seed = 1) {
  let s = seed;
  for (let i = 0; i < buffer.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    buffer[i] = s / 2 ** 31 - 1;
  }
  return buffer;
}

function median(list) {
  list.sort((a, b) => a - b);
  return list[list.length >> 1];
}

function isolated(threads) {
  const { D, H } = spec;
  const n = rows;
  const backend = engineBackend(spec.N, rows, D, H, K, threads);
  backend.reset();
  const Xb = seeded(backend.alloc(n * D), 1);
  const W1 = seeded(backend.alloc(D * H), 2);
  const z1 = backend.alloc(n * H);
  const d1 = seeded(backend.alloc(n * H), 3);
  const dW1 = backend.alloc(D * H);
  const time = (f) => {
    const t = performance.now();
    f();
    return performance.now() - t;
  };
  const forward = () => backend.gemm(n, D, H, Xb, W1, z1);
  const backward = () => backend.gemmTransA(D, n, H, Xb, d1, dW1);
  const loads = [load()];
  const hot = { forward: [], backward: [] };
  const alternated = { forward: [], backward: [], update: [] };
  for (let pass = 0; pass < PASSES; pass++) {
    for (let r = 0; r < 40; r++) hot.forward.push(time(forward));
    for (let r = 0; r < 40; r++) hot.backward.push(time(backward));
    for (let r = 0; r < 40; r++) {
      alternated.forward.push(time(forward));
      alternated.backward.push(time(backward));
      alternated.update.push(
        time(() => {
          for (let i = 0; i < D * H; i++) W1[i] = W1[i] - 1e-9 * dW1[i];
        }),
      );
    }
  }
  loads.push(load());
  const gf = (ms) => ((2 * n * D * H) / (ms * 1e6)).toFixed(2);
  console.log(
    `\nisolated, ${backend.name}: ms per call, median (GFLOP/s), load ${loads.join(" → ")}`,
  );
  console.log("| product | hot, repeated | alternated as in a step |");
  console.log("| --- | ---: | ---: |");
  for (const [label, key] of [
    [`X W1 (${n}×${D}·${D}×${H})`, "forward"],
    [`Xᵀ δ1 (${D}×${n}·${n}×${H})`, "backward"],
  ]) {
    const h = median(hot[key]);
    const a = median(alternated[key]);
    console.log(`| ${label} | ${h.toFixed(3)} (${gf(h)}) | ${a.toFixed(3)} (${gf(a)}) |`);
  }
  console.log(`| W1 −= η ∂W1 (JavaScript) | | ${median(alternated.update).toFixed(3)} |`);
}

console.log(`build: ${dist}, node ${process.version}`);
for (const threads of THREADS) {
  if (!argv.includes("--isolated-only")) runTable(threads);
  isolated(threads);
}
