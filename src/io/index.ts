export * from "./files.js";
export * from "./model-file.js";
