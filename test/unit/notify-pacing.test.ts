/**
 * The notifier's pacing keeps Teams' published limits: at most 7 sends in any second per
 * conversation, at most 30 requests in any second per tenant; a send under the limits starts at
 * once. The limits are asserted as Teams counts them (no N+1 sends within a second), so a timer
 * that fires a few milliseconds early on a loaded machine does not make the test lie either way.
 */
import { describe, expect, it } from "vitest";
import { Pacer, TEAMS_LIMITS } from "../../api/src/notifications/pacing.js";

async function sendTimes(pacer: Pacer, targets: [string, string][]): Promise<number[]> {
  const times: number[] = [];
  await Promise.all(targets.map(([tenant, conversation]) => pacer.paced(tenant, conversation, async () => void times.push(performance.now()))));
  return times.sort((a, b) => a - b);
}

/** The shortest time any `perSecond + 1` consecutive sends took: Teams refuses if it is under a second. */
function shortestWindow(times: number[], perSecond: number): number {
  let shortest = Infinity;
  for (let i = 0; i + perSecond < times.length; i++) shortest = Math.min(shortest, times[i + perSecond] - times[i]);
  return shortest;
}

describe("notification pacing", () => {
  it("never sends 8 to one conversation within a second, and spaces them evenly", async () => {
    const times = await sendTimes(
      new Pacer(),
      Array.from({ length: 10 }, () => ["t1", "chat-1"] as [string, string]),
    );
    expect(times).toHaveLength(10);
    expect(shortestWindow(times, TEAMS_LIMITS.conversationPerSecond)).toBeGreaterThanOrEqual(1000);
    // Evenly, not in bursts: no two sends closer than 5/6 of 1000/7 ms.
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThan((1000 / TEAMS_LIMITS.conversationPerSecond) * (5 / 6));
  });

  it("never makes 31 requests for one tenant within a second, and lets another tenant's go at once", async () => {
    const pacer = new Pacer();
    const started = performance.now();
    const [tenantA, tenantB] = await Promise.all([
      sendTimes(
        pacer,
        Array.from({ length: 32 }, (_, i) => ["tA", `chat-${i}`] as [string, string]),
      ),
      sendTimes(pacer, [["tB", "chat-b"]]),
    ]);
    expect(shortestWindow(tenantA, TEAMS_LIMITS.tenantPerSecond)).toBeGreaterThanOrEqual(1000);
    for (let i = 1; i < tenantA.length; i++) expect(tenantA[i] - tenantA[i - 1]).toBeGreaterThan((1000 / TEAMS_LIMITS.tenantPerSecond) * (5 / 6));
    expect(tenantA[0] - started).toBeLessThan(1000 / TEAMS_LIMITS.tenantPerSecond);
    expect(tenantB[0] - started).toBeLessThan(1000 / TEAMS_LIMITS.tenantPerSecond);
  });
});
