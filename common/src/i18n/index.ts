export * from "./locale.js";
export * from "./catalog.js";
export * from "./amounts.js";
