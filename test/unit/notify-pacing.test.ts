/**
 * The notifier's pacing keeps Teams' published limits: one send every 143 ms per conversation (at
 * most 7 in any second), one request every 34 ms per tenant; a send under the limits starts at once.
 */
import { describe, expect, it } from "vitest";
import { Pacer, TEAMS_LIMITS } from "../../api/src/notifications/pacing.js";

async function sendTimes(pacer: Pacer, targets: [string, string][]): Promise<number[]> {
  const times: number[] = [];
  await Promise.all(targets.map(([tenant, conversation]) => pacer.paced(tenant, conversation, async () => void times.push(performance.now()))));
  return times.sort((a, b) => a - b);
}

describe("notification pacing", () => {
  it("spaces sends to one conversation by 143 ms: never 8 within a second", async () => {
    const times = await sendTimes(new Pacer(), Array.from({ length: 9 }, () => ["t1", "chat-1"] as [string, string]));
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(TEAMS_LIMITS.conversationSpacingMs - 2);
    expect(times[7] - times[0]).toBeGreaterThanOrEqual(1000 - 2);
  });

  it("spaces one tenant's sends to different chats by 34 ms, and lets another tenant's go at once", async () => {
    const pacer = new Pacer();
    const started = performance.now();
    const [tenantA, tenantB] = await Promise.all([
      sendTimes(pacer, Array.from({ length: 6 }, (_, i) => ["tA", `chat-${i}`] as [string, string])),
      sendTimes(pacer, [["tB", "chat-b"]]),
    ]);
    for (let i = 1; i < tenantA.length; i++) expect(tenantA[i] - tenantA[i - 1]).toBeGreaterThanOrEqual(TEAMS_LIMITS.tenantSpacingMs - 2);
    expect(tenantA[0] - started).toBeLessThan(TEAMS_LIMITS.tenantSpacingMs);
    expect(tenantB[0] - started).toBeLessThan(TEAMS_LIMITS.tenantSpacingMs);
  });
});
