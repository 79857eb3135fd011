export * from "./optimizer.js";
export * from "./trainer.js";
export { trainFast } from "./engine.js";
