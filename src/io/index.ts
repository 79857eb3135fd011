export * from "./atomic.js";
export * from "./model-file.js";
