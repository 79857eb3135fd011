export * from "./gradcheck.js";
