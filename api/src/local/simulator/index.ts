/** The usage simulator: realistic, deterministic PSTN call records (see simulate-calls.ts). */
export { simulateCalls, utcOffsetHours, HOURLY_WEIGHTS, type SimulateOptions, type SimulatedTenant, type SimulatedUser } from "./simulate-calls.js";
export { Prng } from "./prng.js";
export { NumberBook } from "./numbers.js";
