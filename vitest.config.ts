import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // test/tab/*.test.tsx: the tab's components in jsdom (each file says `@vitest-environment jsdom`).
    include: ["test/**/*.test.ts", "test/tab/**/*.test.tsx"],
    // restify's spdy warns DEP0111 as it loads: dropped here as the app drops it (api/src/warnings.ts).
    setupFiles: ["api/src/warnings.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: files run two at a time, each with its own local store, processor and directory.
    maxWorkers: 2,
    pool: "forks",
    // The JSON report is what .ci/run counts; the default reporter is for people.
    reporters: ["default", "json"],
    outputFile: { json: "test-results/vitest.json" },
  },
});
