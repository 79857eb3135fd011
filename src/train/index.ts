export * from "./optimizer.js";
export * from "./trainer.js";
export { engineBackend, trainFast } from "./engine.js";
