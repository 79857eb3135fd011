export * from "./optimizer.js";
export * from "./trainer.js";
export { engineBackend, engineThreads, trainFast } from "./engine.js";
export * from "./memory.js";
