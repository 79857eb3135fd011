export * from "./activations.js";
export * from "./params.js";
export * from "./network.js";
export * from "./heads.js";
export * from "./workspace.js";
export { forwardInto, backwardInto } from "./fast-network.js";
