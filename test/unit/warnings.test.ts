/** api/src/warnings.ts drops restify's one DEP0111 (spdy's http_parser) and nothing else. */
import { describe, expect, it } from "vitest";
import "../../api/src/warnings.js";

/** What `process.emitWarning(...args)` (any of its overloads) emits. */
async function emitted(...args: unknown[]): Promise<string[]> {
  const seen: string[] = [];
  const listen = (w: Error & { code?: string }) => seen.push(`${w.code ?? ""} ${w.message}`);
  process.on("warning", listen);
  try {
    (process.emitWarning as (...a: unknown[]) => void)(...args);
    await new Promise((r) => setImmediate(r)); // warnings are emitted on the next tick
  } finally {
    process.off("warning", listen);
  }
  return seen;
}

describe("warnings", () => {
  it("drops DEP0111 about http_parser, in both of emitWarning's forms", async () => {
    const message = "Access to process.binding('http_parser') is deprecated.";
    expect(await emitted(message, "DeprecationWarning", "DEP0111")).toEqual([]);
    expect(await emitted(message, { type: "DeprecationWarning", code: "DEP0111" })).toEqual([]);
  });

  it("keeps every other warning, DEP0111 about anything else included", async () => {
    // Node also prints these two on stderr: they say where they come from.
    const other = "warnings.test.ts, on purpose: a DEP0111 about process.binding('fs') is kept";
    expect(await emitted(other, "DeprecationWarning", "DEP0111")).toEqual([`DEP0111 ${other}`]);
    expect(await emitted("warnings.test.ts, on purpose: any other warning is kept", { code: "X1" })).toEqual(["X1 warnings.test.ts, on purpose: any other warning is kept"]);
  });
});
