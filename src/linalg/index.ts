export * from "./matrix.js";
export * from "./kernels.js";
