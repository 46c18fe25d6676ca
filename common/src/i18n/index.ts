export * from "./locale.js";
export * from "./records.js";
export * from "./catalog.js";
export * from "./tab-catalog.js";
export * from "./amounts.js";
