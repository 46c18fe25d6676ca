export * from "./locale.js";
export * from "./catalog.js";
