export * from "./matrix.js";
export * from "./kernels.js";
export * from "./wasm/index.js";
