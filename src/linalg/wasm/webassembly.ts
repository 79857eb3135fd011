/**
 * The few WebAssembly JS-API members this backend uses, typed here because the project's
 * `lib` (ES2022, no DOM) does not declare the `WebAssembly` global. Looked up at run time, so
 * an engine without WebAssembly yields `undefined` instead of a ReferenceError.
 */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  /** Adds `pages` 64 KiB pages; detaches every earlier view of `buffer`. */
  grow(pages: number): number;
}

export type WasmModule = object;

export interface WasmInstance {
  readonly exports: Record<string, unknown>;
}

export interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => WasmInstance;
  compile(bytes: Uint8Array): Promise<WasmModule>;
  instantiate(module: WasmModule, imports: object): Promise<WasmInstance>;
}

/** The host's WebAssembly API, or undefined where there is none. */
export function wasmApi(): WasmApi | undefined {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  return typeof api === "object" ? api : undefined;
}

/** Base64 text → bytes (atob exists in browsers, workers and Node ≥ 16). */
export function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
