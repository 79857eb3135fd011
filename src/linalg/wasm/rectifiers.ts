/**
 * The WebAssembly rectifier kernels (kernels.wat, "bias_relu", "bias_leaky", "rect_mask") as a
 * RectifierKernels: argument checks here, arithmetic there. Views must belong to the backend's
 * memory (the kernels address it by byte offset) and be long enough for n×H (or H) values.
 */
import type { RectifierKernels } from "../backend.js";

type Pass = (n: number, h: number, x: number, y: number, out: number) => void;
type SlopedPass = (n: number, h: number, x: number, y: number, out: number, slope: number) => void;

/** The exports of kernels.wat this file wraps. */
export interface RectifierExports {
  bias_relu: Pass;
  bias_leaky: SlopedPass;
  rect_mask: SlopedPass;
}

/**
 * The kernels on `exports`; `buffer()` is the memory's current ArrayBuffer (it changes when the
 * memory grows, which detaches older views: they are refused).
 */
export function wasmRectifiers(
  exports: RectifierExports,
  buffer: () => ArrayBuffer,
): RectifierKernels {
  // Checks allocate nothing: the training loop calls these every step.
  const sizes = (op: string, n: number, H: number): void => {
    if (!Number.isInteger(n) || n < 0 || !Number.isInteger(H) || H < 0) {
      throw new RangeError(
        `WasmBackend.${op}: n and H must be non-negative integers, got ${n} and ${H}`,
      );
    }
  };
  const view = (op: string, name: string, values: Float64Array, length: number): number => {
    if (values.buffer !== buffer()) {
      throw new Error(`WasmBackend.${op}: ${name} is not a buffer of this backend's memory`);
    }
    if (values.length < length) {
      throw new RangeError(
        `WasmBackend.${op}: ${name} has ${values.length} values, the shape needs ${length}`,
      );
    }
    return values.byteOffset;
  };
  return {
    biasRelu(n, H, z1, b1, a1) {
      const op = "biasRelu";
      sizes(op, n, H);
      exports.bias_relu(
        n,
        H,
        view(op, "z1", z1, n * H),
        view(op, "b1", b1, H),
        view(op, "a1", a1, n * H),
      );
    },
    biasLeakyRelu(n, H, z1, b1, a1, slope) {
      const op = "biasLeakyRelu";
      sizes(op, n, H);
      exports.bias_leaky(
        n,
        H,
        view(op, "z1", z1, n * H),
        view(op, "b1", b1, H),
        view(op, "a1", a1, n * H),
        slope,
      );
    },
    rectifierMask(n, H, delta, z1, db1, slope) {
      const op = "rectifierMask";
      sizes(op, n, H);
      exports.rect_mask(
        n,
        H,
        view(op, "delta", delta, n * H),
        view(op, "z1", z1, n * H),
        view(op, "db1", db1, H),
        slope,
      );
    },
  };
}
