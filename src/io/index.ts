export * from "./files.js";
export * from "./model-file.js";
export * from "./checkpoint-file.js";
