/** The usage simulator: realistic, deterministic PSTN call records (see simulate-calls.ts). */
export { simulateCalls, type SimulateOptions, type SimulatedTenant, type SimulatedUser } from "./simulate-calls.js";
export { utcOffsetHours, HOURLY_WEIGHTS } from "./traffic-profile.js";
export { Prng } from "./prng.js";
export { NumberBook } from "./numbers.js";
