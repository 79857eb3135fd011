import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { kernelBytes } from "../../src/linalg/wasm/index.js";
import { sharedKernelsWasmBase64 } from "../../src/linalg/wasm/kernels-shared.generated.js";
import { decodeBase64 } from "../../src/linalg/wasm/webassembly.js";

/** The WebAssembly global, typed for the two static reflections used here (no DOM lib). */
interface Descriptor {
  module?: string;
  name: string;
  kind: string;
}
const WA = (
  globalThis as unknown as {
    WebAssembly: {
      Module: (new (bytes: Uint8Array) => object) & {
        exports(module: object): Descriptor[];
        imports(module: object): Descriptor[];
      };
    };
  }
).WebAssembly;

describe("embedded WebAssembly kernels", () => {
  it("kernels.generated.ts is the current assembly of kernels.wat (else: npm run build:wasm)", () => {
    // Exits non-zero, naming the fix, when the committed bytes differ from a fresh wabt run.
    expect(() =>
      execFileSync(process.execPath, ["scripts/build-wasm.mjs", "--check"], { stdio: "pipe" }),
    ).not.toThrow();
  });

  it("decodes to a WebAssembly module exporting the products (and more) and importing a memory", () => {
    const bytes = kernelBytes();
    expect(Array.from(bytes.subarray(0, 4))).toEqual([0x00, 0x61, 0x73, 0x6d]); // "\0asm"
    const module = new WA.Module(bytes);
    const exported = WA.Module.exports(module).map((e) => e.name);
    expect(exported).toEqual(expect.arrayContaining(["gemm", "gemm_ta", "gemm_tb"]));
    expect(exported).toEqual(expect.arrayContaining(["bias_relu", "bias_leaky", "rect_mask"]));
    expect(exported).toEqual(expect.arrayContaining(["gemm_ta_ld"])); // threads
    expect(exported).toEqual(expect.arrayContaining(["tanh_forward", "tanh_backward"])); // tanh activation
    expect(WA.Module.imports(module)).toEqual([{ module: "env", name: "memory", kind: "memory" }]);
  });

  it("the shared-memory variant (threads) has the same exports and accepts only a shared memory", () => {
    const module = new WA.Module(decodeBase64(sharedKernelsWasmBase64));
    expect(WA.Module.exports(module)).toEqual(WA.Module.exports(new WA.Module(kernelBytes())));
    const { Instance, Memory } = (globalThis as unknown as { WebAssembly: unknown })
      .WebAssembly as {
      Instance: new (module: object, imports: object) => object;
      Memory: new (descriptor: object) => object;
    };
    const shared = new Memory({ initial: 1, maximum: 1, shared: true });
    expect(() => new Instance(module, { env: { memory: shared } })).not.toThrow();
    const unshared = new Memory({ initial: 1, maximum: 1 });
    expect(() => new Instance(module, { env: { memory: unshared } })).toThrow();
  });
});
