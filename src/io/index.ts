export * from "./files.js";
export * from "./write.js";
export * from "./paths.js";
export * from "./lock.js";
export * from "./model-file.js";
export * from "./checkpoint-file.js";
