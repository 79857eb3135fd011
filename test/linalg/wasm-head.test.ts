/**
 * The sigmoid head in WebAssembly (kernels.wat's "sigmoid head" section) against its one
 * JavaScript definition, nn/fused-heads.ts's sigmoidOutput: z2 ← z2 + b2, the losses, δ2 and
 * the count of correct rows, every value the same bits (+0 told from −0, NaN only required to
 * stay NaN), for z across exp's and log1p's branches (e tiny near |z| ≈ 37, e subnormal past
 * 708, 0 past 745), ±0, ±∞, NaN, labels 0 and 1 (and soft labels, the general branch), odd and
 * even n. And the kernels' log1p ($log1p, exported as log1p_values) against numerics/log.ts's
 * log1p bit for bit on its own special points, and WasmBackend.sigmoidHead (the checked
 * call the fast path makes off the fused step). The module is instantiated here on a memory of
 * its own: the exports are the kernels themselves, without the backend's wrappers.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createWasmBackendSync } from "../../src/linalg/index.js";
import {
  kernelBytes,
  wasmSimdSupported,
  WasmBackend,
  type KernelExports,
} from "../../src/linalg/wasm/backend.js";
import { wasmApi } from "../../src/linalg/wasm/webassembly.js";
import { sigmoidOutput } from "../../src/nn/fused-heads.js";
import { log1p } from "../../src/numerics/log.js";
import { expectSameBits } from "./same-bits.js";

/** The head's export, and the test-only export of $log1p (kernels.wat, "sigmoid head"). */
type HeadExports = Pick<KernelExports, "sigmoid_output"> & {
  log1p_values: (n: number, x: number, out: number) => void;
};

const LENGTH = 1 << 16; // float64 values per buffer below

function kernels() {
  const api = wasmApi();
  if (!api) throw new Error("no WebAssembly");
  const memory = new api.Memory({ initial: 64 }); // 4 MiB: 8 buffers of 2^16 values
  const instance = new api.Instance(new api.Module(kernelBytes()), { env: { memory } });
  const exports = instance.exports as unknown as HeadExports;
  const view = (i: number, n: number) => new Float64Array(memory.buffer, 8 * LENGTH * i, n);
  return { exports, view };
}

/** Both heads on the same inputs; expects the same bits in every output and the same count. */
function expectSameHead(
  k: ReturnType<typeof kernels>,
  z: readonly number[],
  labels: readonly number[],
  bias: number,
  inverseN: number,
): void {
  const n = z.length;
  const [z2, b2, y, losses, dz2] = [0, 1, 2, 3, 4].map((i) => k.view(i, i === 1 ? 1 : n)) as [
    Float64Array, Float64Array, Float64Array, Float64Array, Float64Array,
  ]; // prettier-ignore
  for (const i of [0, 3, 4]) k.view(i, n + 1)[n] = 7; // a sentinel after the last row
  z2.set(z);
  b2[0] = bias;
  y.set(labels);
  losses.fill(7);
  dz2.fill(7);
  const jsZ = Float64Array.from(z);
  const jsLosses = new Float64Array(n + 3).fill(7);
  const jsDz2 = new Float64Array(n).fill(7);
  const at = 3; // the JavaScript head writes at an offset, as an evaluation's batches do
  const want = sigmoidOutput(n, jsZ, Float64Array.of(bias), Float64Array.from(labels), jsLosses, at, jsDz2, inverseN); // prettier-ignore
  const got = k.exports.sigmoid_output(n, z2.byteOffset, b2.byteOffset, y.byteOffset, losses.byteOffset, dz2.byteOffset, inverseN); // prettier-ignore
  expectSameBits(z2, jsZ, "z2");
  expectSameBits(losses, jsLosses.subarray(at), "losses");
  expectSameBits(dz2, jsDz2, "δ2");
  expect(got, "correct rows").toBe(want);
  for (const i of [0, 3, 4]) expect(k.view(i, n + 1)[n], "past row n − 1").toBe(7);
}

/** z where the head's branches and exp's and log1p's ranges change. */
function specialZ(): number[] {
  const z: number[] = [0, -0, 5e-324, -5e-324, 1e-310, -1e-310, Infinity, -Infinity, NaN];
  const around = (centre: number, width: number, count: number) => {
    for (let i = 0; i <= count; i++) z.push(centre - width + (2 * width * i) / count);
  };
  around(0, 1e-3, 200); // near 0: p and q near 1/2, e near 1
  around(0, 1, 400); // log1p's reduction: e ≥ √2 − 1 for |z| < 0.881
  around(0.8813735870195429, 1e-6, 100); // e = √2 − 1: log1p's k = 0 border
  around(0.8813735870195429, 1e-3, 100);
  for (const s of [1, -1]) {
    around(s * 38, 2.5, 600); // e below 2^{−54}: log1p(e) = e; p, q saturating
    around(s * 727.5, 18.5, 600); // e subnormal from 708.4, 0 past 745.13
    around(s * 745.1332191019412, 1e-9, 20);
  }
  z.push(37.42994775023705, -37.42994775023705, 708.3964185322641, 1100, -1100, 1e300, -1e300);
  z.push(Number.MAX_VALUE, -Number.MAX_VALUE, 2 ** -1022, -(2 ** -1022));
  return z;
}

describe.runIf(wasmSimdSupported())("the sigmoid head in WebAssembly", () => {
  const k = kernels();

  it("gives sigmoidOutput's bits on thousands of z over [−800, 800] and every special range, labels 0 and 1", () => {
    const random = fc.sample(fc.double({ min: -800, max: 800, noNaN: true }), { seed: 5, numRuns: 4000 }); // prettier-ignore
    const z = [...specialZ(), ...random];
    const labels = z.map((_, i) => (i * 7919) % 3 === 0 ? 1 : 0); // prettier-ignore
    expect(z.length).toBeGreaterThan(7000);
    for (const bias of [0, -0, 0.25]) {
      expectSameHead(k, z, labels, bias, 1 / z.length);
      expectSameHead(
        k,
        z,
        labels.map((y) => 1 - y),
        bias,
        1 / 64,
      );
    }
  });

  it("odd and even n, n = 1, and the general branch (soft labels, NaN label)", () => {
    const z = specialZ();
    for (const n of [1, 2, 3, 4, 5, 17, 64, 101]) {
      for (let start = 0; start + n <= z.length; start += 97) {
        const part = z.slice(start, start + n);
        expectSameHead(
          k,
          part,
          part.map((_, i) => (start + i) % 2),
          0.5,
          1 / n,
        );
        expectSameHead(k, part, part.map((_, i) => [0.25, 1, 0, 0.5, NaN, 2][(start + i) % 6]!), -0.5, 1 / n); // prettier-ignore
      }
    }
  });

  it("fast-check: arbitrary doubles (and z in [−40, 40]) for z, b2 and 1/N, labels 0/1 and soft", () => {
    fc.assert(
      fc.property(
        fc
          .array(fc.oneof(fc.double(), fc.double({ min: -40, max: 40 })), {
            minLength: 1,
            maxLength: 41,
          })
          .chain((z) =>
            fc.record({
              z: fc.constant(z),
              y: fc.array(fc.oneof(fc.constantFrom(0, 1), fc.double({ min: 0, max: 1 })), {
                minLength: z.length,
                maxLength: z.length,
              }),
              bias: fc.oneof(fc.double(), fc.constantFrom(0, -0)),
              inverseN: fc.oneof(fc.constant(1 / z.length), fc.double()),
            }),
          ),
        ({ z, y, bias, inverseN }) => expectSameHead(k, z, y, bias, inverseN),
      ),
      { seed: 17, numRuns: 1500 },
    );
  });

  it("WasmBackend.sigmoidHead (the fast path's head off the fused step) gives the same bits and refuses foreign or overlapping buffers", () => {
    const backend = createWasmBackendSync({ capacity: 1 << 16 }) as WasmBackend;
    const z = specialZ();
    const n = z.length;
    const [z2, b2, y, losses, dz2] = [n, 1, n, n, n].map((length) => backend.alloc(length)) as [
      Float64Array, Float64Array, Float64Array, Float64Array, Float64Array,
    ]; // prettier-ignore
    z2.set(z);
    b2[0] = -0.75;
    y.set(z.map((_, i) => i % 2));
    const [jsZ, jsY, jsLosses, jsDz2] = [Float64Array.from(z), Float64Array.from(y), new Float64Array(n), new Float64Array(n)]; // prettier-ignore
    const want = sigmoidOutput(n, jsZ, Float64Array.from(b2), jsY, jsLosses, 0, jsDz2, 1 / n);
    expect(backend.sigmoidHead.sigmoidOutput(n, z2, b2, y, losses, dz2, 1 / n)).toBe(want);
    expectSameBits(z2, jsZ, "z2");
    expectSameBits(losses, jsLosses, "losses");
    expectSameBits(dz2, jsDz2, "δ2");
    const head = backend.sigmoidHead;
    expect(() => head.sigmoidOutput(n, z2, b2, y, new Float64Array(n), dz2, 1)).toThrow(
      /losses is not a buffer of this backend's memory/,
    );
    expect(() => head.sigmoidOutput(n - 1, z2, b2, y, z2.subarray(1), dz2, 1)).toThrow(
      /z2 overlaps losses/,
    );
    expect(() => head.sigmoidOutput(n, z2, b2, y, losses, y, 1)).toThrow(/dz2 overlaps y/);
    expect(() => head.sigmoidOutput(n + 1, z2, b2, y, losses, dz2, 1)).toThrow(/values/);
  });

  it("its log1p gives numerics/log.ts log1p's bits on log1p's own special points and random x", () => {
    const x: number[] = [0, -0, 5e-324, -5e-324, 1e-310, 2 ** -54, -(2 ** -54), 2 ** -55, -1, -1 - 2 ** -52, -2]; // prettier-ignore
    x.push(-1 + 2 ** -53, -0.9999999, Infinity, -Infinity, NaN, 1, 2, 1e300, Number.MAX_VALUE);
    const borders = [Math.SQRT1_2 - 1, Math.SQRT2 - 1, 2 * Math.SQRT2 - 1, 1, 2 ** 52, 0.5];
    for (const b of borders) {
      let lo = b;
      let hi = b;
      for (let i = 0; i < 40; i++) {
        x.push(lo, hi);
        lo = nextDown(lo);
        hi = nextUp(hi);
      }
    }
    for (let j = -60; j <= 1023; j += 1) x.push(2 ** j, -(2 ** j) > -1 ? -(2 ** j) : 2 ** j * 3);
    x.push(...fc.sample(fc.double({ min: -1, max: 4 }), { seed: 9, numRuns: 5000 }));
    x.push(...fc.sample(fc.double(), { seed: 10, numRuns: 5000 }));
    for (const values of [x, x.slice(1)]) {
      const n = values.length; // odd and even
      const input = k.view(0, n);
      const out = k.view(1, n);
      input.set(values);
      k.exports.log1p_values(n, input.byteOffset, out.byteOffset);
      expectSameBits(out, Float64Array.from(values, log1p), "log1p");
    }
  });
});

const scratch = new Float64Array(1);
const word = new BigInt64Array(scratch.buffer);
/** The next double above x (x finite). */
function nextUp(x: number): number {
  if (x === 0) return 5e-324;
  scratch[0] = x;
  word[0] = word[0]! + (x > 0 ? 1n : -1n);
  return scratch[0]!;
}
/** The next double below x (x finite). */
function nextDown(x: number): number {
  return -nextUp(-x);
}
