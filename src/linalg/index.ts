export * from "./matrix.js";
export * from "./kernels.js";
export type { Backend, RectifierKernels, TanhKernels } from "./backend.js";
export { JsBackend, jsBackend } from "./js-backend.js";
export * from "./wasm/index.js";
export { backendThreads, fastestBackend, resolveThreads, type ThreadsOption } from "./fastest.js";
