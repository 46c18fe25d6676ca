export * from "./intl.js";
export * from "./money.js";
export * from "./money-locale.js";
export * from "./roles.js";
export * from "./api.js";
export * from "./demo.js";
export * from "./pstn.js";
export * from "./cards.js";
