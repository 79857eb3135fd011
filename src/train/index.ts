export * from "./optimizer.js";
export * from "./trainer.js";
